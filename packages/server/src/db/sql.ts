import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { acquireAsOwner, RequestTransaction, Savepoint, type PgConnection, type PoolClient } from './request-transaction';

/**
 * A knex transaction (a mutation's savepoint): its client hands out the one pg connection it holds. The request's
 * own transaction is a `RequestTransaction`, which holds its connection itself.
 */
interface TransactionClient {
  client: { acquireConnection(): Promise<PgConnection> };
  isCompleted(): boolean;
}

export interface SqlOptions {
  /**
   * Send the statement as a named prepared statement: PostgreSQL plans it once per connection and then reuses
   * the plan, where an unnamed statement is parsed and planned on every call. Planning is most of what a
   * lookup by id costs PostgreSQL: Q4's row statement took 0.60 ms of its CPU unnamed, 0.15 ms named
   * (packages/bench/tools/statement-cost.mjs). Only for statements whose best plan does not depend on their
   * parameters (a primary-key lookup), or that have none (one plan either way): after five runs PostgreSQL may
   * switch a prepared statement to one generic plan, which made a summary with optional filters run 40 × slower
   * (packages/bench/results/ANALYSIS.md).
   */
  prepared?: boolean;
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

/** At most this many statement texts get a name: each name is a plan kept on every pooled connection. */
const MAX_PREPARED = 500;
const preparedNames = new Map<string, string>();

/** The prepared statement name of a (positional) text, or undefined once MAX_PREPARED texts have one. */
function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    // Content-addressed: the same text always gets the same name, on every connection and in every process.
    name = `ntp_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/**
 * Runs one SQL statement with `?` placeholders inside the entity manager's transaction, if any.
 * An array bound to a `?` is sent as one PostgreSQL array: write `col = ANY(?)`.
 *
 * Inside a transaction (every GraphQL request) the statement goes straight to the transaction's pg
 * connection: the knex raw-query builder cost more CPU per statement than PostgreSQL took to answer
 * a lookup by id (packages/bench/results/ANALYSIS.md).
 */
export async function sql<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: unknown[] = [],
  options: SqlOptions = {},
): Promise<T[]> {
  const trx = em.getTransactionContext<TransactionClient | RequestTransaction | Savepoint>();
  if (!trx) return ((await em.getKnex().raw(text, params as never[])) as { rows: T[] }).rows;
  if (params.some((p) => p === undefined)) throw new Error(`Undefined binding in: ${text.slice(0, 200)}`);
  const run = async () => {
    // Once the transaction has ended (a client that went away rolls it back while resolvers still run) its
    // connection is back in the pool, maybe serving another request: refuse, as knex itself does.
    if (trx.isCompleted()) throw new Error(`Transaction query already complete: ${text.slice(0, 100)}`);
    const positional = toPositional(text);
    const name = options.prepared ? preparedName(positional) : undefined;
    if (trx instanceof RequestTransaction || trx instanceof Savepoint) return (await trx.statement(positional, params, name)) as T[];
    const connection = await trx.client.acquireConnection();
    const result = name ? await connection.query({ name, text: positional, values: params }) : await connection.query(positional, params);
    return result.rows as T[];
  };
  // A request's statements share one connection: sibling resolvers queue here rather than in the
  // pg client, which is deprecated and goes away in pg 9.
  const previous = queues.get(trx) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(run);
  queues.set(trx, current);
  return current;
}

const queues = new WeakMap<object, Promise<unknown>>();

export async function sqlOne<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: unknown[] = [],
  options: SqlOptions = {},
): Promise<T | undefined> {
  return (await sql<T>(em, text, params, options))[0];
}

/**
 * Gives the entity manager a pooled connection of its own as its transaction context (`RequestTransaction`):
 * its statements run as the owner until `runAs` names the request's scope, and in a transaction once one is
 * required. What the connection must be switched to goes out with the next statement, in the same round trip.
 */
export async function openRequestConnection(em: EntityManager): Promise<RequestTransaction> {
  const pool = em.getKnex().client as unknown as PoolClient & { [REQUEST_ACQUIRE]?: () => Promise<PgConnection> };
  const acquire = pool[REQUEST_ACQUIRE] ?? (() => pool.acquireConnection());
  const trx = new RequestTransaction(pool, await acquire());
  em.setTransactionContext(trx as never);
  return trx;
}

/** A request connection in a transaction, begun with its first statement: for work that must be atomic (tests). */
export async function beginDeferred(em: EntityManager): Promise<RequestTransaction> {
  const trx = await openRequestConnection(em);
  trx.requireTransaction();
  return trx;
}

/** The pool's own acquire, kept by `guardOwnerConnections` for request connections, which switch themselves. */
const REQUEST_ACQUIRE = Symbol('ntp.requestAcquire');

/**
 * Makes every connection the pool hands out for other work (start-up, jobs, the ORM outside requests) the
 * owner's again, if a request left its session in the request role (`acquireAsOwner`).
 */
export function guardOwnerConnections(em: EntityManager): void {
  const pool = em.getKnex().client as unknown as PoolClient & { [REQUEST_ACQUIRE]?: () => Promise<PgConnection> };
  if (pool[REQUEST_ACQUIRE]) return;
  const acquire = pool.acquireConnection.bind(pool);
  pool[REQUEST_ACQUIRE] = acquire;
  pool.acquireConnection = () => acquireAsOwner(pool, acquire);
}

/** From the next statement on, the request's statements run in one transaction (a mutation: all or nothing). */
export function requireTransaction(em: EntityManager): void {
  const trx = em.getTransactionContext<object>();
  if (trx instanceof RequestTransaction) trx.requireTransaction();
}
