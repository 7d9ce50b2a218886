import { buildSchema, getMetadataStorage } from 'type-graphql';
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
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
  callFieldResolversDirectly(schema);
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

type ParamKind = 'root' | 'context' | 'info';
const POSITION: Record<ParamKind, number> = { root: 0, context: 2, info: 3 };

/**
 * Field resolvers of object types that take nothing but `@Root`, `@Ctx` and `@Info` (links such as
 * `FundingAllocation.component`, summary rows' `unit`) are called directly: type-graphql's wrapper sorts
 * and builds the parameters on every call, a cost paid per row of every list (packages/bench, Q1).
 * Resolvers with arguments, middlewares or roles keep type-graphql's wrapper. Resolver classes take no
 * constructor arguments (no container), so one instance per class serves every call, as in type-graphql.
 */
function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<unknown, Record<string, (...args: unknown[]) => unknown>>();
  for (const r of storage.fieldResolvers) {
    if (r.kind !== 'external' || r.middlewares?.length || r.roles?.length) continue;
    const params = [...(r.params ?? [])].sort((a, b) => a.index - b.index) as { kind: string; propertyName?: string; getType?: unknown }[];
    // (`@Root()` values are passed as they come: type-graphql would copy a plain object into an instance of
    // the root's class first, and these resolvers only read the root's fields.)
    if (!params.every((p) => p.kind in POSITION && !p.propertyName && (p.kind === 'root' || !p.getType))) continue;
    const objectClass = r.getObjectType?.();
    const typeName = storage.objectTypes.find((o) => o.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[r.schemaName] : undefined;
    if (!field?.resolve) continue;
    const target = r.target as new () => Record<string, (...args: unknown[]) => unknown>;
    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new target()));
    const method = instance[r.methodName];
    if (typeof method !== 'function') continue;
    const positions = params.map((p) => POSITION[p.kind as ParamKind]);
    const self = instance;
    field.resolve = ((...all: unknown[]) =>
      method.apply(
        self,
        positions.map((i) => all[i]),
      )) as GraphQLFieldResolver<unknown, unknown>;
  }
}
