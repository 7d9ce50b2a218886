import type { EntityManager } from '@mikro-orm/postgresql';

/** The pg connection a knex transaction holds (knex's transaction client hands out exactly that one). */
interface TransactionClient {
  client: { acquireConnection(): Promise<PgConnection> };
  isCompleted(): boolean;
}
interface PgConnection {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * `?` placeholders to `$n`, as knex does for PostgreSQL (a backslash-escaped `\?` stays a literal `?`),
 * cached per statement text: the texts come from a bounded set of builders.
 */
const positioned = new Map<string, string>();
function toPositional(text: string): string {
  let out = positioned.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/(\\*)(\?)/g, (_m, escapes: string) => (escapes.length % 2 ? '?' : `$${++n}`));
    if (positioned.size > 2000) positioned.clear();
    positioned.set(text, out);
  }
  return out;
}

/**
 * Runs one SQL statement with `?` placeholders inside the entity manager's transaction, if any.
 * An array bound to a `?` is sent as one PostgreSQL array: write `col = ANY(?)`.
 *
 * Inside a transaction (every GraphQL request) the statement goes straight to the transaction's pg
 * connection: the knex raw-query builder cost more CPU per statement than PostgreSQL took to answer
 * a lookup by id (packages/bench/results/ANALYSIS.md).
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  const trx = em.getTransactionContext<TransactionClient>();
  if (!trx) return ((await em.getKnex().raw(text, params as never[])) as { rows: T[] }).rows;
  if (params.some((p) => p === undefined)) throw new Error(`Undefined binding in: ${text.slice(0, 200)}`);
  const run = async () => {
    // Once the transaction has ended (a client that went away rolls it back while resolvers still run) its
    // connection is back in the pool, maybe serving another request: refuse, as knex itself does.
    if (trx.isCompleted()) throw new Error(`Transaction query already complete: ${text.slice(0, 100)}`);
    const connection = await trx.client.acquireConnection();
    return (await connection.query(toPositional(text), params)).rows as T[];
  };
  // A request's statements share one connection: sibling resolvers queue here rather than in the
  // pg client, which is deprecated and goes away in pg 9.
  const previous = queues.get(trx) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(run);
  queues.set(trx, current);
  return current;
}

const queues = new WeakMap<object, Promise<unknown>>();

export async function sqlOne<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await sql<T>(em, text, params))[0];
}
