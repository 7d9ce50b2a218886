import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs one SQL statement with `?` placeholders inside the entity manager's transaction, if any.
 * An array bound to a `?` is sent as one PostgreSQL array: write `col = ANY(?)`.
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  const trx = em.getTransactionContext<object>();
  const run = async () => {
    let q = em.getKnex().raw(text, params as never[]);
    if (trx) q = q.transacting(trx as never);
    return ((await q) as { rows: T[] }).rows;
  };
  if (!trx) return run();
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
