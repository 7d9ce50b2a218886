import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../auth/roles';
import { isAdmin } from '../auth/roles';
import { sql } from './sql';

/** The non-owner role every GraphQL request runs as (migration Migration20261126008000_rls). */
export const REQUEST_ROLE = 'ntp_request';

/** The value of `ntp.scope_path` for a caller: '' = unscoped (ADMIN), '-' = anonymous or no scope, else the scope root's path. */
export function scopeSetting(caller: Caller | undefined): string {
  if (!caller) return '-';
  if (isAdmin(caller)) return '';
  return caller.scopePath || '-';
}

/**
 * Opens the request's transaction on `em` and, in ONE statement, switches to the request role with the
 * caller's scope; both settings are transaction-local, so they end with the transaction. Row-level security
 * then applies to everything the request reads or writes through `em` (mutations nest as savepoints).
 */
export async function beginScopedTransaction(em: EntityManager, caller: Caller | undefined): Promise<void> {
  await em.begin();
  try {
    await sql(em, `SELECT set_config('role', '${REQUEST_ROLE}', true), set_config('ntp.scope_path', ?, true)`, [scopeSetting(caller)]);
  } catch (e) {
    await endScopedTransaction(em, false);
    throw e;
  }
}

/**
 * Ends the request's transaction: commit (an aborted transaction commits as a rollback), or roll back.
 * Does not flush: a request's writes all go through mutations, which flush in their own savepoint.
 * Safe to call twice.
 */
export async function endScopedTransaction(em: EntityManager, commit = true): Promise<void> {
  const trx = em.getTransactionContext();
  if (!trx) return;
  em.resetTransactionContext();
  const conn = em.getConnection('write');
  try {
    if (commit) await conn.commit(trx);
    else await conn.rollback(trx);
  } catch (e) {
    if (commit) await conn.rollback(trx).catch(() => undefined);
    throw e;
  }
}

/**
 * Holds the HTTP response until the request's transaction has ended, so a client never sees an answer
 * before its writes are committed; a connection closed early rolls the transaction back. Every Apollo
 * answer goes through `res.end` (also the ones that skip the plugin hooks, such as refused batches),
 * so the pooled connection is always given back.
 */
export function endWithResponse(
  res: { end: (...args: never[]) => unknown; once(event: 'close', cb: () => void): unknown },
  em: EntityManager,
  log: (e: unknown) => void = (e) => console.error('[request transaction]', e),
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => unknown;
  let ended = false;
  (res as unknown as { end: (...args: unknown[]) => unknown }).end = (...args: unknown[]) => {
    if (ended) return end(...args);
    ended = true;
    endScopedTransaction(em, true)
      .catch(log)
      .finally(() => end(...args));
    return res;
  };
  res.once('close', () => {
    if (!ended) {
      ended = true;
      endScopedTransaction(em, false).catch(log);
    }
  });
}

/**
 * Runs `fn` with the sign-in scope ('-'): `login` looks its user up by name whatever token the request
 * carries (RLS lets '-' read people's accounts, nothing else), then the caller's scope comes back.
 */
export async function withSignInScope<T>(em: EntityManager, fn: () => Promise<T>): Promise<T> {
  if (!em.isInTransaction()) return fn();
  const [row] = await sql<{ prev: string | null }>(
    em,
    "SELECT current_setting('ntp.scope_path', true) AS prev, set_config('ntp.scope_path', '-', true)",
  );
  try {
    return await fn();
  } finally {
    await sql(em, "SELECT set_config('ntp.scope_path', ?, true)", [row?.prev ?? '-']);
  }
}
