/**
 * PostGraphile v5 over the same database (STACK.md recipe), run on Node 22 with GRAPHILE_ENV=production.
 * Exposes `public` (the tables as they are) and `bench_pgl` (peers/postgraphile.sql: a roll-up view
 * and two SQL functions, the way a PostGraphile user would express our summaries).
 * Env: DATABASE_URL, PORT, POOL_MAX (10), PGL_ROLE (optional: the role each request runs as).
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

const port = Number(process.env.PORT || 5678);
const preset = {
  extends: [PostGraphileAmberPreset, PgAggregatesPreset, PostGraphileConnectionFilterPreset],
  // Otherwise only indexed columns can be filtered or grouped by.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public', 'bench_pgl'],
      poolConfig: { max: Number(process.env.POOL_MAX || 10) },
    }),
  ],
  grafserv: { port, host: '127.0.0.1', watch: false, graphiql: false },
  grafast: {
    explain: false,
    // PGL_ROLE: run every request as that role (row-level security applies), with an unscoped (ADMIN) scope,
    // the way our server runs its requests.
    ...(process.env.PGL_ROLE ? { context: () => ({ pgSettings: { role: process.env.PGL_ROLE, 'ntp.scope_path': '' } }) } : {}),
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.once('listening', () => {
  server.on('error', (e) => console.error(e));
  console.log(`PostGraphile ready on http://127.0.0.1:${port}/graphql (Node ${process.version})`);
});
serv.addTo(server).catch((e) => {
  console.error(e);
  process.exit(1);
});
server.listen(port, '127.0.0.1');
const stop = () => {
  server.close();
  pgl.release().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
