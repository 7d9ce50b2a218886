/**
 * The raw-SQL floor: a tiny HTTP server that runs, per request, exactly the statements our server ran for
 * the same query (recorded through count-sql.cjs: text, values and the ids they returned), on one pooled
 * connection, and answers their rows as JSON. No GraphQL, no ORM, no resolvers: what is left is the SQL.
 * Statements our server sent named (prepared) are sent with the same name, so they are planned as seldom.
 * Per request it swaps the recorded province, allocation, unit and idempotency key for the request's own,
 * and ids returned by earlier statements (a new disbursement's id) for the ids this replay got.
 * Env: DATABASE_URL, PORT, POOL_MAX (10), CAPTURE_FILE. POST / with { q, vars }; GET /count.
 */
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { prefixed } from './prefixed-query.mjs';

const captured = JSON.parse(fs.readFileSync(process.env.CAPTURE_FILE, 'utf8'));

/**
 * Our server keeps each pooled connection's session switched to the request role with the last request's scope,
 * and switches it (in front of the next statement) only when a request needs another: so does the floor, from the
 * role and scope each captured statement ran under (`session`: a scope, or null for the owner).
 */
const SESSION_SWITCH = /^SELECT set_config\('role', '[a-z_]+', false\)/;
const switchTo = (session) =>
  session === null
    ? { text: "SELECT set_config('role', 'none', false), set_config('ntp.scope_path', '-', false)", values: [] }
    : { text: "SELECT set_config('role', 'ntp_request', false), set_config('ntp.scope_path', $1, false)", values: [session] };

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX || 10) });
let statements = 0;

/** Replaces recorded values by this request's: exact matches, and path prefixes. */
function substitute(value, map, paths) {
  if (Array.isArray(value)) return value.map((v) => substitute(v, map, paths));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, map, paths)]));
  if (typeof value === 'number') {
    const s = map.get(String(value));
    return s === undefined ? value : Number(s);
  }
  if (typeof value === 'string') {
    const s = map.get(value);
    if (s !== undefined) return s;
    for (const [from, to] of paths) if (value.startsWith(from)) return to + value.slice(from.length);
  }
  return value;
}

async function run(q, vars) {
  const rec = captured[q];
  if (!rec) throw new Error(`unknown query ${q}`);
  const map = new Map();
  const paths = [];
  for (const [k, v] of Object.entries(rec.vars)) {
    if (vars[k] === undefined || String(v) === String(vars[k])) continue;
    if (k === 'provincePath') paths.push([String(v), String(vars[k])]);
    else map.set(String(v), String(vars[k]));
  }
  if (!rec.statements.length) return [];
  const client = await pool.connect();
  const out = [];
  let inTx = false;
  try {
    for (const st of rec.statements) {
      const values = substitute(st.values, map, paths);
      // What was sent in front of it, but the session switch, which this connection makes only if it needs it.
      const prefix = (st.prefix ?? [])
        .filter((p) => !SESSION_SWITCH.test(p.text))
        .map((p) => ({ text: p.text, values: substitute(p.values, map, paths) }));
      const begins = prefix.some((p) => p.text === 'BEGIN');
      if (!inTx && st.session !== undefined && client.ntpSession !== st.session) {
        const change = switchTo(st.session);
        client.ntpSession = undefined;
        // Before a BEGIN: in a round trip of its own (our server never sends both together).
        if (begins) {
          await client.query(change.text, change.values);
          statements++;
        } else prefix.unshift(change);
      }
      const res = prefix.length
        ? await prefixed(client, prefix, { text: st.text, name: st.name, values })
        : await client.query(st.name ? { name: st.name, text: st.text, values } : st.text, st.name ? undefined : values);
      if (st.session !== undefined && !inTx) client.ntpSession = st.session;
      statements += 1 + prefix.length;
      const t = st.text.trim().toUpperCase();
      if (t.startsWith('BEGIN') || begins) inTx = true;
      else if (t.startsWith('COMMIT') || t.startsWith('ROLLBACK')) inTx = false;
      const row = res.rows && res.rows[0];
      if (row) {
        for (const [k, v] of Object.entries(st.returned)) if (row[k] != null && String(row[k]) !== v) map.set(v, String(row[k]));
      }
      if (res.rows && res.rows.length) out.push(res.rows);
    }
    return out;
  } catch (e) {
    if (inTx) await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.method === 'GET' && req.url === '/count') {
    res.end(JSON.stringify({ statements }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      res.end('{"errors":[{"message":"bad json"}]}');
      return;
    }
    run(body.q, body.vars ?? {}).then(
      (rows) => res.end(JSON.stringify({ data: rows })),
      (e) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ errors: [{ message: String(e.message) }] }));
      },
    );
  });
});
const port = Number(process.env.PORT || 5680);
server.listen(port, '127.0.0.1', () => console.log(`floor ready on http://127.0.0.1:${port}/ (Node ${process.version})`));
const stop = () => {
  server.close();
  pool.end().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
