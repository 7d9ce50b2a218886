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

const captured = JSON.parse(fs.readFileSync(process.env.CAPTURE_FILE, 'utf8'));

/**
 * A statement our server sent together with the BEGIN before it (packages/server/src/db/sql.ts): replayed
 * the same way, BEGIN and the statement in the extended protocol under one Sync, in one round trip.
 */
class QueryAfterBegin extends pg.Query {
  prepare(connection) {
    connection.parse({ text: 'BEGIN', name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.execute({ portal: '', rows: 0 });
    super.prepare(connection);
  }
}

function queryAfterBegin(client, st, values) {
  return new Promise((resolve, reject) => {
    const query = new QueryAfterBegin({
      text: st.text,
      name: st.name,
      values,
      queryMode: 'extended',
      callback: (err, results) => (err ? reject(err) : resolve(results[1])),
    });
    client.query(query);
  });
}
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
      const res = st.afterBegin
        ? await queryAfterBegin(client, st, values)
        : await client.query(st.name ? { name: st.name, text: st.text, values } : st.text, st.name ? undefined : values);
      statements += st.afterBegin ? 2 : 1;
      const t = st.text.trim().toUpperCase();
      if (t.startsWith('BEGIN') || st.afterBegin) inTx = true;
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
