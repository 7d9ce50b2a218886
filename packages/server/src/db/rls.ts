import type { EntityManager } from '@mikro-orm/postgresql';
import type { Authentication, Caller } from '../auth/roles';
import { isAdmin } from '../auth/roles';
import { openRequestConnection, sql } from './sql';
import { RequestTransaction } from './request-transaction';
import { authenticate } from '../auth/tokens';
import { callerCacheFor } from '../auth/caller-cache';

/** The value of `ntp.scope_path` for a caller: '' = unscoped (ADMIN), '-' = anonymous or no scope, else the scope root's path. */
export function scopeSetting(caller: Caller | undefined): string {
  if (!caller) return '-';
  if (isAdmin(caller)) return '';
  return caller.scopePath || '-';
}

/**
 * Opens a transaction on `em` in which every statement runs as the request role with the caller's scope: the
 * BEGIN and the switch go out with the first statement. Row-level security then applies to everything sent
 * through `em` (mutations nest as savepoints).
 */
export async function beginScopedTransaction(em: EntityManager, caller: Caller | undefined): Promise<void> {
  const trx = await openRequestConnection(em);
  trx.runAs(scopeSetting(caller));
  trx.requireTransaction();
}

/**
 * Gives a GraphQL request its connection (db/request-transaction.ts) and authenticates the caller: from the
 * caller cache (auth/caller-cache.ts), else by one lookup run as the owner on that connection. From then on
 * every statement of the request runs as the request role with exactly `scopeSetting(caller)`; a transaction
 * is begun only if the request needs one, and a committed one that changed who a caller is empties the
 * caller cache before the answer goes out.
 */
export async function openAuthenticatedRequest(em: EntityManager, authorization: string | undefined): Promise<Authentication> {
  const trx = await openRequestConnection(em);
  const cache = callerCacheFor(String(em.config.get('clientUrl')));
  trx.callerCache = cache;
  try {
    const authentication = await authenticate(em, authorization, cache);
    trx.runAs(scopeSetting(authentication.caller));
    return authentication;
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
  if (!trx || trx.isCompleted()) return;
  // The ended transaction stays the entity manager's context on purpose: whatever a resolver still sends
  // afterwards (the client went away mid-request) fails, instead of running outside the transaction, as
  // the owner, on a connection that may already serve another request.
  if (trx instanceof RequestTransaction) return trx.end(commit);
  const conn = em.getConnection('write');
  try {
    if (commit) await conn.commit(trx);
    else await conn.rollback(trx);
  } catch (e) {
    if (commit) await conn.rollback(trx).catch(() => undefined);
    throw e;
  }
}

/** What an answer waits for (graphql/http.ts `GraphqlRequest.holdAnswerUntil`). */
interface HeldAnswer {
  holdAnswerUntil(settle: (answered: boolean) => Promise<void>): void;
}

/**
 * Ends the request's transaction when its answer is ready, before it goes out: a client never sees an answer
 * before its writes are committed, and never a success whose commit failed (graphql/http.ts answers a masked
 * 503 instead). A client that goes away first gets its transaction rolled back. Every answer of a request
 * whose context was built waits for it (also the ones that skip the plugin hooks, such as refused batches),
 * so the pooled connection is always given back. Done here rather than in a `willSendResponse` hook because
 * Apollo runs those hooks concurrently, and other plugins still use the request's connection in theirs.
 * (It used to replace `res.end` on each response; that kept every request's objects alive past young
 * collections: tests/api/request-lifetime.test.ts.)
 */
export function endBeforeAnswer(request: HeldAnswer, em: EntityManager): void {
  request.holdAnswerUntil((answered) => endScopedTransaction(em, answered));
}

/**
 * Runs `fn` with the sign-in scope ('-'): `login` looks its user up by name whatever token the request
 * carries (RLS lets '-' read people's accounts, nothing else), then the caller's scope comes back.
 */
export async function withSignInScope<T>(em: EntityManager, fn: () => Promise<T>): Promise<T> {
  if (!em.isInTransaction()) return fn();
  // Transaction-local settings need a transaction: a request's connection begins one if it has not yet.
  const trx = em.getTransactionContext();
  if (trx instanceof RequestTransaction) trx.requireTransaction();
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
