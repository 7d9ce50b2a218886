import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { rootFieldMiddleware } from './root-middleware';
import { DateTimeScalar } from './scalars';
import { resolvers } from '../modules';

export async function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: resolvers as never,
    globalMiddlewares: [rootFieldMiddleware],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
  });
}
