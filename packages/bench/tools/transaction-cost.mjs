/**
 * What opening and ending a request's transaction costs Node, without HTTP or GraphQL: 10 concurrent loops of
 * BEGIN, `SELECT 1`, COMMIT, once through MikroORM's `em.begin()` and commit (knex's transaction machinery,
 * as every request does today) and once on a raw connection from the same pool. Printed: rounds per second
 * and Node CPU per round (process.cpuUsage), two passes each, alternated.
 *
 *   pnpm build && node packages/bench/tools/transaction-cost.mjs [database=ntp_bench_s] [rounds=4000]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '../../server/dist');
const require = createRequire(path.join(dist, 'main.js'));
const { initOrm } = require(path.join(dist, 'db/orm.js'));
const { sql } = require(path.join(dist, 'db/sql.js'));

const database = process.argv[2] ?? 'ntp_bench_s';
const rounds = Number(process.argv[3] ?? 4000);
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const orm = await initOrm(`${base.replace(/\/$/, '')}/${database}`, 10);
const knex = orm.em.getKnex();

const recipes = {
  'MikroORM em.begin() … commit': async () => {
    const em = orm.em.fork();
    await em.begin();
    await sql(em, 'SELECT 1');
    await em.getConnection('write').commit(em.getTransactionContext());
  },
  'raw connection: BEGIN … COMMIT': async () => {
    const conn = await knex.client.acquireConnection();
    try {
      await conn.query('BEGIN');
      await conn.query('SELECT 1');
      await conn.query('COMMIT');
    } finally {
      knex.client.releaseConnection(conn);
    }
  },
};

console.log(`PostgreSQL ${database}, 10 concurrent loops, ${rounds} rounds per pass`);
console.log('| recipe | rounds/s | Node CPU per round (ms) |\n|---|---:|---:|');
for (let pass = 0; pass < 2; pass++) {
  for (const [name, run] of Object.entries(recipes)) {
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let started = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (started++ < rounds) await run();
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `| ${name} | ${Math.round((rounds / (Date.now() - t0)) * 1000)} | ${((cpu.user + cpu.system) / 1000 / rounds).toFixed(3)} |`,
    );
  }
}
await orm.close(true);
