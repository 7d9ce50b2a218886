/**
 * What one request's statements cost PostgreSQL, without any HTTP or GraphQL: 10 connections loop a recipe
 * for a few seconds; printed are rounds per second and PostgreSQL's CPU per round (all `postgres`
 * processes' user + system time from /proc, Linux only). The statements are the ones our server sent for
 * Q4 (one allocation by id), as recorded in results/S.captured-sql.json (commit cb2e55b, when the session lookup still
 * travelled with BEGIN: the lookup recipe is that `BEGIN; SELECT …` text).
 *
 *   node packages/bench/tools/statement-cost.mjs [database=ntp_bench_s] [seconds=5]
 *
 * Recipes: `SELECT 1` (a bare round trip); Q4's row statement sent unnamed (planned on every call, as our
 * server sends it) and named (a prepared statement, planned once per connection, as PostGraphile sends
 * it); the session lookup that opens the transaction, then COMMIT; and the whole request (lookup, row, COMMIT).
 */
import fs from 'node:fs';
import { setTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const here = path.dirname(fileURLToPath(import.meta.url));
const database = process.argv[2] ?? 'ntp_bench_s';
const seconds = Number(process.argv[3] ?? 5);
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const url = `${base.replace(/\/$/, '')}/${database}`;

const captured = JSON.parse(fs.readFileSync(path.join(here, '../results/S.captured-sql.json'), 'utf8')).Q4.statements;
const [lookupRecorded, row] = captured;

const ticksPerSecond = 100; // USER_HZ on Linux
const postgresTicks = () => {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      sum += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended while we read it
    }
  }
  return sum;
};

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const [session] = (
  await admin.query(
    `SELECT s.id::text FROM user_session s WHERE s.revoked_at IS NULL AND s.expires_at > now() ORDER BY s.created_at DESC LIMIT 1`,
  )
).rows;
const ids = (await admin.query('SELECT id::text FROM funding_allocation ORDER BY id LIMIT 500')).rows.map((r) => r.id);
await admin.end();
// A live session if the database has one (a run of the benchmark leaves its sign-in behind), else the recorded one.
const lookup = session ? lookupRecorded.text.replace(/'[0-9a-f-]{36}'::uuid/, `'${session.id}'::uuid`) : lookupRecorded.text;

const recipes = {
  'SELECT 1': async (c) => c.query('SELECT 1'),
  'row statement, unnamed': async (c, id) => c.query(row.text, [id]),
  'row statement, named': async (c, id) => c.query({ name: 'bench_q4_row', text: row.text, values: [id] }),
  'BEGIN + session lookup; COMMIT': async (c) => {
    await c.query(lookup);
    await c.query('COMMIT');
  },
  'whole request: lookup, row, COMMIT': async (c, id) => {
    await c.query(lookup);
    await c.query(row.text, [id]);
    await c.query('COMMIT');
  },
};

const clients = [];
for (let i = 0; i < 10; i++) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
}
console.log(`PostgreSQL ${database}, 10 connections, ${seconds} s per recipe${session ? '' : ' (no live session: the lookup finds none)'}`);
console.log('| recipe | rounds/s | PostgreSQL CPU per round (ms) |\n|---|---:|---:|');
for (const [name, run] of Object.entries(recipes)) {
  let rounds = 0;
  let stop = false;
  const warm = Date.now() + 1000;
  let t0 = 0;
  let ticks0 = 0;
  let counted = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (!stop) {
        await run(c, ids[rounds % ids.length]);
        rounds++;
        if (!t0 && Date.now() >= warm) {
          t0 = Date.now();
          ticks0 = postgresTicks();
          counted = rounds;
          setTimeout(() => (stop = true), seconds * 1000);
        }
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  const n = rounds - counted;
  const cpuMs = ((postgresTicks() - ticks0) / ticksPerSecond) * 1000;
  console.log(`| ${name} | ${Math.round(n / elapsed)} | ${(cpuMs / n).toFixed(2)} |`);
}
for (const c of clients) await c.end();
