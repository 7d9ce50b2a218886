import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { rootFieldMiddleware } from './root-middleware';
import { DateTimeScalar } from './scalars';
import type { Ctx } from './context';
import { resolvers } from '../modules';

/**
 * The schema, with the root middleware (access rule; for mutations the transaction and audit) wrapped
 * around Query and Mutation fields only: as a type-graphql global middleware it would wrap every field of
 * every type, a cost paid per value in every list (measured by packages/bench).
 */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: resolvers as never,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
  });
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (root, args, context: Ctx, info) =>
        rootFieldMiddleware({ root, args, context, info }, async () => resolve(root, args, context, info));
    }
  }
  return schema;
}
