import fs from 'node:fs';
import path from 'node:path';

/**
 * Experiment (`--lean-fields`, with `--build-server`): proposed changes to the server, applied to the
 * benchmark's private compiled copy only, so their effect can be measured before anyone changes the sources.
 * 1. type-graphql's `globalMiddlewares` wraps every field of every type in a middleware chain; the root
 *    middleware only acts on Query and Mutation fields, so it wraps just those instead.
 * 2. Apollo installs its cache-control plugin by default, which instruments every field resolution; we send
 *    no cache hints, so it is disabled.
 */
export function applyLeanFields(dist: string): string[] {
  const edits: [string, string, string][] = [
    [
      'graphql/schema.js',
      `    return (0, type_graphql_1.buildSchema)({
        resolvers: modules_1.resolvers,
        globalMiddlewares: [root_middleware_1.rootFieldMiddleware],`,
      `    const schema = await (0, type_graphql_1.buildSchema)({
        resolvers: modules_1.resolvers,`,
    ],
    [
      'graphql/schema.js',
      `        emitSchemaFile: false,
    });
}`,
      `        emitSchemaFile: false,
    });
    for (const type of [schema.getQueryType(), schema.getMutationType()]) {
        for (const field of Object.values(type ? type.getFields() : {})) {
            const resolve = field.resolve;
            if (!resolve) continue;
            field.resolve = (root, args, context, info) => root_middleware_1.rootFieldMiddleware({ root, args, context, info }, async () => resolve(root, args, context, info));
        }
    }
    return schema;
}`,
    ],
    [
      'app.js',
      '        plugins: [localizePlugin,',
      '        plugins: [require("@apollo/server/plugin/disabled").ApolloServerPluginCacheControlDisabled(), localizePlugin,',
    ],
  ];
  const done: string[] = [];
  for (const [file, from, to] of edits) {
    const p = path.join(dist, file);
    const text = fs.readFileSync(p, 'utf8');
    if (!text.includes(from)) throw new Error(`--lean-fields: ${file} no longer has the code this experiment changes`);
    fs.writeFileSync(p, text.replace(from, to));
    done.push(file);
  }
  return done;
}
