import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../auth/roles';
import { isAdmin } from '../auth/roles';
import { sql } from './sql';
import { authenticateAndScope, sessionLookupWithScope } from '../auth/tokens';
import type { AppError } from '../common/errors';

/** The non-owner role every GraphQL request runs as (migration Migration20261126008000_rls). */
export const REQUEST_ROLE = 'ntp_request';

/** The value of `ntp.scope_path` for a caller: '' = unscoped (ADMIN), '-' = anonymous or no scope, else the scope root's path. */
export function scopeSetting(caller: Caller | undefined): string {
  if (!caller) return '-';
  if (isAdmin(caller)) return '';
  return caller.scopePath || '-';
}

/** In the open transaction: the request role with `scope` in `ntp.scope_path`, both until the transaction ends. */
async function switchToRequestRole(em: EntityManager, scope: string): Promise<void> {
  await sql(em, `SELECT set_config('role', '${REQUEST_ROLE}', true), set_config('ntp.scope_path', ?, true)`, [scope]);
}

/**
 * Opens the request's transaction on `em` and, in ONE statement, switches to the request role with the
 * caller's scope; both settings are transaction-local, so they end with the transaction. Row-level security
 * then applies to everything the request reads or writes through `em` (mutations nest as savepoints).
 */
export async function beginScopedTransaction(em: EntityManager, caller: Caller | undefined): Promise<void> {
  await em.begin();
  try {
    await switchToRequestRole(em, scopeSetting(caller));
  } catch (e) {
    await endScopedTransaction(em, false);
    throw e;
  }
}

/**
 * A statement to send in the same round trip as a request transaction's BEGIN (simple protocol: `BEGIN;
 * <statement>`), and where its rows land. One round trip fewer for every signed-in request: on this
 * machine each statement costs a socket write that wakes PostgreSQL (packages/bench/results/ANALYSIS.md).
 */
interface BeginPrelude {
  text: string;
  sent?: boolean;
  rows?: Record<string, unknown>[];
}
const beginPrelude = new AsyncLocalStorage<BeginPrelude>();

interface KnexPgTransaction {
  outerTx: unknown;
  isolationLevel?: string;
  readOnly?: boolean;
  _completed: boolean;
  begin(conn: unknown): Promise<unknown>;
  trxClient: {
    query(conn: unknown, sql: string): Promise<{ response: { rows: Record<string, unknown>[] } | { rows: Record<string, unknown>[] }[] }>;
  };
}

/** Patched knex clients (tests run several apps in one process, on one or several clients). */
const withPrelude = new WeakSet<object>();

/**
 * Teaches the knex client behind `em` (the one MikroORM's `em.begin()` opens transactions on) to send the
 * prelude of the async context a transaction is begun in together with its BEGIN. Knex has no hook for
 * this, so each new top-level transaction's `begin` is wrapped (versions pinned, STACK.md). Without a
 * prelude, or for a savepoint, nothing changes. If the statement fails, the transaction is rolled back
 * before the connection goes back to the pool. Returns whether the client could be taught.
 */
export function installBeginPrelude(em: EntityManager): boolean {
  const client = em.getKnex().client as { transaction?: (...args: unknown[]) => unknown };
  if (withPrelude.has(client)) return true;
  const transaction = client.transaction;
  if (typeof transaction !== 'function') return false;
  client.transaction = function (this: unknown, ...args: unknown[]) {
    const trx = transaction.apply(this, args) as KnexPgTransaction;
    const begin = trx.begin;
    if (typeof begin !== 'function' || !beginPrelude.getStore()) return trx;
    trx.begin = function (this: KnexPgTransaction, conn: unknown) {
      const prelude = beginPrelude.getStore();
      if (!prelude || prelude.sent || this.outerTx || this.isolationLevel || this.readOnly) return begin.call(this, conn);
      prelude.sent = true;
      return this.trxClient.query(conn, `BEGIN; ${prelude.text}`).then(
        (result) => {
          const response = result.response;
          prelude.rows = Array.isArray(response) ? response[response.length - 1].rows : response.rows;
          return result;
        },
        async (e: unknown) => {
          await this.trxClient.query(conn, 'ROLLBACK').catch(() => undefined);
          this._completed = true;
          throw e;
        },
      );
    };
    return trx;
  };
  withPrelude.add(client);
  return true;
}

/**
 * Begins `em`'s transaction with `text` in the same round trip and returns its rows; undefined when the
 * client was not taught (`installBeginPrelude`) and only BEGIN was sent. A failing `text` fails the begin.
 */
export async function beginWith(em: EntityManager, text: string): Promise<Record<string, unknown>[] | undefined> {
  const prelude: BeginPrelude = { text };
  await beginPrelude.run(prelude, () => em.begin());
  return prelude.rows;
}

/**
 * Opens the request's transaction and authenticates the caller inside it. For a signed-in user the
 * session lookup itself switches to the request role with the caller's scope, and travels with the BEGIN
 * (one round trip for both); for an API key, an anonymous caller or a session that is not valid, one more
 * statement sets what `scopeSetting` says. Either way the scope in force is exactly `scopeSetting(caller)`.
 */
export async function beginAuthenticatedTransaction(
  em: EntityManager,
  authorization: string | undefined,
): Promise<{ caller?: Caller; error?: AppError }> {
  const lookup = withPrelude.has(em.getKnex().client) ? sessionLookupWithScope(em, authorization, REQUEST_ROLE) : null;
  const rows = lookup ? await beginWith(em, lookup.text) : (await em.begin(), undefined);
  try {
    const { caller, error, scopeSet } =
      lookup && rows ? lookup.finish(rows[0]) : await authenticateAndScope(em, authorization, REQUEST_ROLE);
    const scope = scopeSetting(caller);
    if (scopeSet !== scope) await switchToRequestRole(em, scope);
    return { caller, error };
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
  const conn = em.getConnection('write');
  try {
    if (commit) await conn.commit(trx);
    else await conn.rollback(trx);
  } catch (e) {
    if (commit) await conn.rollback(trx).catch(() => undefined);
    throw e;
  }
}

/** What the client gets instead of an answer whose writes could not be committed: masked, as when the database is away (503). */
const COMMIT_FAILED = JSON.stringify({
  data: null,
  errors: [
    { message: 'Máy chủ tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
  ],
});

interface HeldResponse {
  end: (...args: never[]) => unknown;
  once(event: 'close', cb: () => void): unknown;
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string | number): unknown;
}

/**
 * Holds the HTTP response until the request's transaction has ended, so a client never sees an answer
 * before its writes are committed (and never a success whose commit failed: that becomes a masked 503);
 * a connection closed early rolls the transaction back. Every Apollo answer goes through `res.end`
 * (also the ones that skip the plugin hooks, such as refused batches), so the pooled connection is
 * always given back. Done here rather than in a `willSendResponse` hook because Apollo runs those hooks
 * concurrently, and other plugins still use the request's connection in theirs.
 */
export function endWithResponse(
  res: HeldResponse,
  em: EntityManager,
  log: (e: unknown) => void = (e) => console.error('[request transaction]', e),
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => unknown;
  let ended = false;
  (res as unknown as { end: (...args: unknown[]) => unknown }).end = (...args: unknown[]) => {
    if (ended) return end(...args);
    ended = true;
    endScopedTransaction(em, true).then(
      () => end(...args),
      (e: unknown) => {
        log(e);
        if (res.headersSent) return end(...args);
        res.statusCode = 503;
        res.setHeader('retry-after', '5');
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('content-length', Buffer.byteLength(COMMIT_FAILED));
        return end(COMMIT_FAILED);
      },
    );
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
