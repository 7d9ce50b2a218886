/**
 * A statement sent with others in front of it, as our server sends a BEGIN or a switch of role and scope
 * (packages/server/src/db/request-transaction.ts `PrefixedQuery`): every statement in the extended protocol
 * under one Sync, so one round trip. Used by the floor (peers/floor.mjs) and tools/request-patterns.mjs.
 */
import pg from 'pg';

class PrefixedQuery extends pg.Query {
  constructor(config, prefix) {
    super(config);
    this.prefix = prefix;
  }

  prepare(connection) {
    for (const p of this.prefix) {
      connection.parse({ text: p.text, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: p.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
    }
    super.prepare(connection);
  }
}

/** Sends `config` ({ text, name?, values }) with `prefix` ([{ text, values }]) in front; resolves with its own result. */
export function prefixed(client, prefix, config) {
  return new Promise((resolve, reject) => {
    const query = new PrefixedQuery(
      {
        ...config,
        queryMode: 'extended',
        callback: (err, results) => (err ? reject(err) : resolve(Array.isArray(results) ? results[results.length - 1] : results)),
      },
      prefix,
    );
    client.query(query);
  });
}
