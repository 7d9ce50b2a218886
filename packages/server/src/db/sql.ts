import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs one SQL statement with `?` placeholders inside the entity manager's transaction, if any.
 * An array bound to a `?` is sent as one PostgreSQL array: write `col = ANY(?)`.
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  let q = em.getKnex().raw(text, params as never[]);
  const trx = em.getTransactionContext();
  if (trx) q = q.transacting(trx);
  const res = (await q) as { rows: T[] };
  return res.rows;
}

export async function sqlOne<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await sql<T>(em, text, params))[0];
}

/** `col = ANY(?)` that stays valid SQL for an empty list. */
export function inList(column: string, values: unknown[], params: unknown[]): string {
  if (values.length === 0) return 'FALSE';
  params.push(values);
  return `${column} = ANY(?)`;
}
