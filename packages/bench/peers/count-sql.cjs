'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (node -r) */
/**
 * Preloaded into a system under test (`node -r count-sql.cjs …`) when BENCH_COUNT_SQL=1: counts every
 * statement sent through node-postgres (Client#query, whatever sits above it: knex, @dataplan/pg) and,
 * on request, records their text and values, so the floor can replay exactly what a server ran.
 * Nothing in the server changes; the counter answers on 127.0.0.1:BENCH_COUNT_PORT:
 *   GET /count            -> { statements, rssBytes, peakRssBytes }
 *   POST /capture         -> starts recording (clears what was recorded)
 *   GET /capture          -> stops and returns [{ text, values }]
 */
if (process.env.BENCH_COUNT_SQL === '1') {
  const path = require('node:path');
  const http = require('node:http');
  const fs = require('node:fs');
  const from = process.env.BENCH_PG_FROM || path.dirname(path.resolve(process.argv[1] || '.'));
  const pg = require(require.resolve('pg', { paths: [from] }));
  let statements = 0;
  let capture = null;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function query(config, values, callback) {
    // Our server sends some statements with others in front of them, in one query object and one round trip
    // (a BEGIN, a switch of the connection's role and scope: packages/server/src/db/request-transaction.ts
    // `PrefixedQuery`); each counts, and the floor replays them the same way.
    const prefix = config && typeof config === 'object' && Array.isArray(config.prefix) ? config.prefix : null;
    statements += 1 + (prefix ? prefix.length : 0);
    if (capture) {
      const text = typeof config === 'string' ? config : config && config.text;
      const vals = Array.isArray(values) ? values : config && typeof config === 'object' ? config.values : undefined;
      if (typeof text === 'string') {
        // The first row's id-like fields, so a replay can put its own generated ids where this run used them.
        const entry = { text, values: vals ? JSON.parse(JSON.stringify(vals)) : [], returned: {} };
        // A named (prepared) statement is replayed named too, so the floor plans it as seldom as we do.
        if (config && typeof config === 'object' && typeof config.name === 'string') entry.name = config.name;
        if (prefix) entry.prefix = prefix.map((p) => ({ text: p.text, values: p.values }));
        // The role and scope the connection's session was switched to when the statement left (our server's
        // mark on the connection; absent: the owner), so the floor runs it as the same role with the same scope.
        entry.session = typeof this.ntpSession === 'string' ? this.ntpSession : null;
        capture.push(entry);
        const keep = (res) => {
          const row = res && res.rows && res.rows[0];
          if (row) for (const [k, v] of Object.entries(row)) if (/(^id$|_id$|Id$)/.test(k) && v != null) entry.returned[k] = String(v);
        };
        if (prefix) {
          // A query object with its own callback, answered with every statement's result (its own is the last).
          const own = config.callback;
          config.callback = (err, results) => {
            if (!err) keep(Array.isArray(results) ? results[results.length - 1] : results);
            own(err, results);
          };
          return original.call(this, config, values, callback);
        }
        const cb = typeof values === 'function' ? values : typeof callback === 'function' ? callback : undefined;
        if (cb) {
          const wrapped = (err, res) => {
            if (!err) keep(res);
            cb(err, res);
          };
          return typeof values === 'function' ? original.call(this, config, wrapped) : original.call(this, config, values, wrapped);
        }
        const out = original.call(this, config, values, callback);
        if (out && typeof out.then === 'function') out.then(keep, () => undefined);
        return out;
      }
    }
    return original.call(this, config, values, callback);
  };
  const rss = () => {
    const s = fs.readFileSync('/proc/self/status', 'utf8');
    const kb = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(s) || [])[1] || 0) * 1024;
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  };
  // A clean exit on demand, so `node --cpu-prof` writes its profile (the server's own shutdown may wait on clients).
  process.on('SIGUSR2', () => process.exit(0));
  const port = Number(process.env.BENCH_COUNT_PORT || 0);
  if (port) {
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/count') return res.end(JSON.stringify({ statements, ...rss() }));
      if (req.url === '/capture' && req.method === 'POST') {
        capture = [];
        return res.end('{}');
      }
      if (req.url === '/capture') {
        const out = capture || [];
        capture = null;
        return res.end(JSON.stringify(out));
      }
      res.statusCode = 404;
      res.end('{}');
    });
    server.listen(port, '127.0.0.1');
    server.unref();
  }
}
