/**
 * What the statements a lookup by id needs cost, without HTTP or GraphQL: 10 concurrent loops on raw pg
 * connections replaying Q4's captured statements (results/S.captured-sql.json) in four patterns. Printed: rounds
 * per second and this process's CPU per round; PostgreSQL gets the rest of the 2 cores. Needs `pnpm build`.
 * - transaction: BEGIN + session lookup (one round trip), the lookup by id, COMMIT (what a request cost before
 *   ANALYSIS.md item 29);
 * - lookup-then-select: the session lookup and the lookup by id, no transaction, two round trips;
 * - lookup-with-select: the same two statements in one round trip;
 * - select: the lookup by id alone, the connection's session switched to the request role beforehand (now).
 *
 *   node packages/bench/tools/request-patterns.mjs [pattern|all] [seconds=6] [database=ntp_bench_s]
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { prefixed } from '../peers/prefixed-query.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const captured = JSON.parse(fs.readFileSync(path.join(here, '../results/S.captured-sql.json'), 'utf8')).Q4.statements;
const byId = captured.find((s) => s.text.includes('FROM funding_allocation t'));
if (!byId) throw new Error('S.captured-sql.json holds no lookup by id for Q4');
// The server's session lookup (pnpm build first), switching role and scope as it did when it opened a transaction.
const { SESSION_LOOKUP } = require(path.join(here, '../../server/dist/auth/tokens.js'));
const lookupSwitching = (local) =>
  SESSION_LOOKUP.replace('?::uuid', '$1::uuid').replace(
    ' FROM user_session',
    `, set_config('ntp.scope_path', '', ${local}) AS scope_set, set_config('role', 'ntp_request', ${local}) AS role_set FROM user_session`,
  );
const sessionLookup = { text: lookupSwitching(true) };

const which = process.argv[2] ?? 'all';
const seconds = Number(process.argv[3] ?? 6);
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const url = `${base.replace(/\/$/, '')}/${process.argv[4] ?? 'ntp_bench_s'}`;

const setup = new pg.Client(url);
await setup.connect();
const allocations = (await setup.query('SELECT id::text FROM funding_allocation ORDER BY md5(id::text) LIMIT 2000')).rows.map((r) => r.id);
const sessionId = (await setup.query('SELECT id::text FROM user_session WHERE revoked_at IS NULL AND expires_at > now() LIMIT 1')).rows[0]
  ?.id;
await setup.end();
if (!sessionId) throw new Error('no live session in the database: run the benchmark (or sign in) once');

// Outside a transaction the lookup switches role and scope for the session.
const lookupForSession = lookupSwitching(false);
const patterns = {
  transaction: async (c, id) => {
    await prefixed(c, [{ text: 'BEGIN', values: [] }], { name: 'p_lookup_tx', text: sessionLookup.text, values: [sessionId] });
    await c.query({ name: 'p_by_id', text: byId.text, values: [id] });
    await c.query('COMMIT');
  },
  'lookup-then-select': async (c, id) => {
    await c.query({ name: 'p_lookup', text: lookupForSession, values: [sessionId] });
    await c.query({ name: 'p_by_id', text: byId.text, values: [id] });
  },
  'lookup-with-select': async (c, id) => {
    if (!c.prepared) {
      await c.query(`PREPARE p_lookup_exec(uuid) AS ${lookupForSession}`);
      c.prepared = true;
    }
    await prefixed(c, [{ text: `EXECUTE p_lookup_exec('${sessionId}')`, values: [] }], {
      name: 'p_by_id',
      text: byId.text,
      values: [id],
    });
  },
  select: async (c, id) => {
    await c.query({ name: 'p_by_id', text: byId.text, values: [id] });
  },
};

async function measure(name) {
  const clients = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const c = new pg.Client(url);
      await c.connect();
      if (name !== 'transaction') await c.query("SELECT set_config('role', 'ntp_request', false), set_config('ntp.scope_path', '', false)");
      return c;
    }),
  );
  let rounds = 0;
  const end = Date.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  await Promise.all(
    clients.map(async (c, k) => {
      for (let i = k; Date.now() < end; i += 10) {
        await patterns[name](c, allocations[i % allocations.length]);
        rounds++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  await Promise.all(clients.map((c) => c.end()));
  console.log(
    `${name.padEnd(20)} ${String(Math.round(rounds / seconds)).padStart(6)} rounds/s, client CPU ${Math.round((used.user + used.system) / rounds)} µs/round`,
  );
}

for (const name of which === 'all' ? Object.keys(patterns) : [which]) await measure(name);
