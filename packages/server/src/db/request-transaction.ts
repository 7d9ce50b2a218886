import type { Query } from 'pg';

/** A pooled pg connection (node-postgres `Client`), as knex's pool hands it out. */
export interface PgConnection {
  query(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<{ rows: unknown[] }>;
  query(submittable: Query): Query;
  connection: { parsedStatements: Record<string, string> };
}

/** What we use of knex's client (the pool MikroORM's knex instance holds). */
export interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): unknown;
  query(connection: unknown, obj: unknown): Promise<unknown>;
  stream(connection: unknown, obj: unknown, stream: unknown, options: unknown): Promise<unknown>;
  transaction(container: (trx: unknown) => void, config: object, outerTx?: object): { catch(f: (e: unknown) => void): unknown };
}

/** The fields knex copies from a client to the client of a transaction (knex 3.2.10, execution/transaction.js `makeTxClient`). */
const TRANSACTION_CLIENT_FIELDS = ['version', 'config', 'driver', 'connectionSettings', 'valueForUndefined', 'logger'] as const;

/**
 * A GraphQL request's transaction, as its entity manager's transaction context.
 *
 * Why not a knex transaction: knex builds one (`makeTransactor`) as a whole new knex instance, about a hundred
 * methods defined one by one, and sends its COMMIT through its query runner; for a lookup by id that was a fifth
 * of the server's CPU per request, and most requests never use the ORM at all (packages/bench/results/ANALYSIS.md,
 * item 26). This object holds the pooled connection itself and is what knex and MikroORM read of a transaction:
 * - `client`: a knex transaction client bound to the connection, as knex makes one (`makeTxClient`), which is all
 *   that `.transacting(trx)` and knex's runner use; so ORM queries run on the connection, inside the transaction;
 * - `transaction()`/`savepoint()`: a savepoint is a regular knex nested transaction with this as its outer one
 *   (MikroORM's nested `transactional`, every mutation's savepoint), ordered by `_lastChild` as knex orders them;
 * - `isCompleted()`, `commit()`, `rollback()`, `executionPromise`, `isTransaction`, `userParams`.
 *
 * Its BEGIN is not sent on its own: it goes out with the first statement `sql` sends (db/sql.ts `QueryAfterBegin`).
 * `end` sends COMMIT or ROLLBACK straight on the connection and gives the connection back to the pool, once.
 */
export class RequestTransaction {
  readonly isTransaction = true;
  readonly userParams = {};
  /** The knex client every ORM query of the request runs through; never releases the connection. */
  readonly client: PoolClient & { transacting: true };
  /** True until the first statement (with the BEGIN in front of it) has gone out. */
  beginPending = true;
  /** For knex's nested transactions: each starts once the one before it on this transaction has settled. */
  _lastChild: Promise<unknown> = Promise.resolve();
  private completed = false;
  private ended: Promise<void> | undefined;

  constructor(
    private readonly pool: PoolClient,
    readonly connection: PgConnection,
  ) {
    this.client = transactionClient(pool, connection, this);
  }

  /** What knex's nested transactions call their parent's transactor. */
  get transactor(): this {
    return this;
  }

  isCompleted(): boolean {
    return this.completed;
  }

  /** A savepoint: knex's nested transaction, the same as `knexTransaction.transaction()` makes (container-less form). */
  transaction(container?: null, options: object = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.client.transaction(resolve, { doNotRejectOnRollback: true, userParams: {}, ...options }, this).catch(reject);
    });
  }

  savepoint(container?: null, options: object = {}): Promise<unknown> {
    return this.transaction(container, options);
  }

  /** As a knex transactor's: ends the transaction; `executionPromise` settles with the outcome. */
  commit(): Promise<void> {
    return this.end(true);
  }

  rollback(): Promise<void> {
    return this.end(false);
  }

  get executionPromise(): Promise<void> | undefined {
    return this.ended;
  }

  /**
   * COMMIT (an aborted transaction commits as a rollback; a COMMIT that fails is followed by a ROLLBACK) or
   * ROLLBACK, then the connection goes back to the pool. Only the first call does anything: the others get its
   * outcome. Nothing is sent when no statement ever went out (then no transaction was begun).
   */
  end(commit: boolean): Promise<void> {
    if (!this.ended) {
      this.completed = true;
      this.ended = this.finish(commit);
    }
    return this.ended;
  }

  private async finish(commit: boolean): Promise<void> {
    try {
      if (this.beginPending) return;
      if (!commit) {
        await this.connection.query('ROLLBACK');
        return;
      }
      try {
        await this.connection.query('COMMIT');
      } catch (e) {
        await this.connection.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      this.pool.releaseConnection(this.connection);
    }
  }
}

/**
 * A knex client that runs every query on `connection`, refuses before `trx` has begun and once it has completed,
 * and never gives the connection back (the transaction does): knex's own transaction client (`makeTxClient`),
 * without the event relaying, which nothing of ours or MikroORM's listens to.
 */
function transactionClient(pool: PoolClient, connection: PgConnection, trx: RequestTransaction): RequestTransaction['client'] {
  const client = Object.create(Object.getPrototypeOf(pool) as object) as RequestTransaction['client'] & Record<string, unknown>;
  for (const field of TRANSACTION_CLIENT_FIELDS) client[field] = (pool as unknown as Record<string, unknown>)[field];
  client.transacting = true;
  const checked =
    <A extends unknown[]>(run: (conn: unknown, ...rest: A) => Promise<unknown>) =>
    (conn: unknown, ...rest: A): Promise<unknown> =>
      new Promise((resolve, reject) => {
        if (conn !== connection) return reject(new Error('Invalid connection for transaction query.'));
        if (trx.isCompleted()) return reject(new Error('Transaction query already complete'));
        // Before its first statement (which carries the BEGIN) a statement would run outside the transaction,
        // as the connection's owner role: refused (db/sql.ts `assertBegun` checks the same for the request path).
        if (trx.beginPending) return reject(new Error('The request transaction has not begun: its first statement goes through sql()'));
        resolve(run.call(client, conn, ...rest));
      });
  client.query = checked(pool.query as (conn: unknown, obj: unknown) => Promise<unknown>);
  client.stream = checked(pool.stream as (conn: unknown, obj: unknown, stream: unknown, options: unknown) => Promise<unknown>);
  client.acquireConnection = () => Promise.resolve(connection);
  client.releaseConnection = () => Promise.resolve();
  return client;
}
