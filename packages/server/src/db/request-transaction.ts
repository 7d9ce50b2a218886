import { Query } from 'pg';

/** What we use of a pg client's protocol connection (node-postgres `Connection`). */
interface PgProtocolConnection {
  parsedStatements: Record<string, string>;
  parse(m: object): void;
  bind(m: object): void;
  describe(m: object): void;
  execute(m: object): void;
  on(event: 'parseComplete', listener: () => void): unknown;
  off(event: 'parseComplete', listener: () => void): unknown;
}

/** A pooled pg connection (node-postgres `Client`), as knex's pool hands it out. */
export interface PgConnection {
  query(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<{ rows: unknown[] }>;
  query(submittable: Query): Query;
  connection: PgProtocolConnection;
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

/** The non-owner role requests run as (Migration20261126008000_rls). */
export const REQUEST_ROLE = 'ntp_request';

/**
 * What a pooled connection's session is switched to, kept on the connection object: a string is the request role
 * with that `ntp.scope_path`; undefined is the owner, as connected; UNKNOWN after a switch whose outcome is not
 * known (its batch failed, which undoes it), so the next user switches again.
 */
const SESSION = 'ntpSession'; // a plain property: the benchmark's statement capture reads it (packages/bench/peers/count-sql.cjs)
const UNKNOWN = Symbol('unknown');
type Switched = PgConnection & { [SESSION]?: string | typeof UNKNOWN };

/** A statement sent in front of another, in the same round trip (`PrefixedQuery` below). */
interface PrefixStatement {
  text: string;
  values: string[];
}

const BEGIN: PrefixStatement = { text: 'BEGIN', values: [] };
/**
 * Whether the transaction changed who a caller is: the triggers that notify every server of such a change
 * mark their transaction (Migration20261127020000_auth_changed_mark).
 */
const CALLERS_CHANGED: PrefixStatement = { text: "SELECT current_setting('ntp.auth_changed', true) AS changed", values: [] };
/** Into the request role with a scope: for the session (`local` false) or until the transaction ends. */
const toRequestRole = (scope: string, local: boolean): PrefixStatement => ({
  text: `SELECT set_config('role', '${REQUEST_ROLE}', ${local}), set_config('ntp.scope_path', $1, ${local})`,
  values: [scope],
});
/** Back to the owner, the connection's own role ('-': no scope, should anything read it). */
const toOwner = (local: boolean): PrefixStatement => ({
  text: `SELECT set_config('role', 'none', ${local}), set_config('ntp.scope_path', '-', ${local})`,
  values: [],
});

/**
 * A connection from the pool for work that is not a request's (start-up, jobs, file downloads, tests): switched
 * back to the owner first if a request left it in the request role (one statement, only then).
 */
export async function acquireAsOwner(pool: PoolClient, acquire: () => Promise<PgConnection>): Promise<PgConnection> {
  const connection = (await acquire()) as Switched;
  if (connection[SESSION] === undefined) return connection;
  try {
    const reset = toOwner(false);
    await connection.query(reset.text, reset.values);
    connection[SESSION] = undefined;
    return connection;
  } catch (e) {
    connection[SESSION] = UNKNOWN;
    pool.releaseConnection(connection);
    throw e;
  }
}

/**
 * What a GraphQL request's statements run on: one pooled connection, as its entity manager's transaction context.
 *
 * **No transaction unless one is needed** (issue 11). A query only reads, and under READ COMMITTED, the isolation
 * every request runs at, each statement sees what was committed when it started, in a transaction or not. So a
 * query's statements run on their own, and the role and scope row-level security reads are set for the
 * connection's session, not per transaction: the connection remembers what it was switched to, and the switch is
 * sent (in front of the first statement, in the same round trip) only when it differs from what the request
 * needs. A lookup by id that PostGraphile answers with one statement took four of ours (BEGIN, the session lookup,
 * the lookup, COMMIT); it is one again (packages/bench/results/ANALYSIS.md, item 29).
 * A transaction is begun when a mutation runs (`requireTransaction`, graphql/executor.ts) or a savepoint is asked
 * for: its BEGIN goes out in front of the next statement, with the switch made transaction-local; it ends with the
 * request (`end`), which commits it before the answer goes out (db/rls.ts `endBeforeAnswer`).
 *
 * Switching is safe under failure: a batch that fails is undone by PostgreSQL as a whole (the switch with it), so
 * the connection is then marked UNKNOWN and switched again by the next statement; and while a batch carrying a
 * switch is under way no other statement of the request is sent (`settling`), so none can run on the state it may
 * undo. Work that is not a request's gets the owner back first (`acquireAsOwner`).
 *
 * Why not a knex transaction: knex builds one (`makeTransactor`) as a whole new knex instance, about a hundred
 * methods defined one by one, and sends its COMMIT through its query runner; for a lookup by id that was a fifth
 * of the server's CPU per request (ANALYSIS.md, item 26). This object is what knex and MikroORM read of a
 * transaction:
 * - `client`: a knex transaction client bound to the connection, as knex makes one (`makeTxClient`), which is all
 *   that `.transacting(trx)` and knex's runner use; so ORM queries run on the connection, switched as the request's;
 * - `transaction()`: a `Savepoint` (below) under this transaction (MikroORM's nested
 *   `transactional`, every mutation's savepoint), ordered by `_lastChild` as knex orders its nested ones;
 * - `isCompleted()`, `commit()`, `rollback()`, `executionPromise`, `isTransaction`, `userParams`.
 */
export class RequestTransaction {
  readonly isTransaction = true;
  readonly userParams = {};
  /** The knex client every ORM query of the request runs through; never releases the connection. */
  readonly client: PoolClient & { transacting: true };
  /** Savepoints under this transaction: each starts once the one before it has ended (`openSavepoint`). */
  _lastChild: Promise<unknown> = Promise.resolve();
  /** How many savepoints this transaction has opened: each has a name of its own. */
  private savepoints = 0;
  /**
   * Emptied once a transaction of this request that changed who a caller is has committed, before the answer
   * goes out (auth/caller-cache.ts), so this server refuses a sign-out's session on the very next request.
   */
  callerCache: { invalidate(): void } | undefined;
  /**
   * Who the statements run as: null for the owner (the credential lookup, before the caller is known), else the
   * request role with this scope (db/rls.ts `scopeSetting`).
   */
  private target: string | null = null;
  private transactionWanted = false;
  private begun = false;
  /** While a batch carrying a switch or a BEGIN is under way: other statements wait for it. */
  private settling: Promise<unknown> | undefined;
  private completed = false;
  private ended: Promise<void> | undefined;

  constructor(
    private readonly pool: PoolClient,
    readonly connection: PgConnection,
  ) {
    this.client = transactionClient(pool, connection, this);
  }

  isCompleted(): boolean {
    return this.completed;
  }

  /** From the next statement on, the request role with `scope` ('' unscoped, '-' none: db/rls.ts `scopeSetting`). */
  runAs(scope: string): void {
    if (this.begun) throw new Error('The request scope is set before its transaction begins');
    this.target = scope;
  }

  /** From the next statement on, the request's statements run in one transaction, committed when it ends. */
  requireTransaction(): void {
    this.transactionWanted = true;
  }

  /**
   * Claims what must go out in front of the next statement: the BEGIN if a transaction is wanted and not begun,
   * and the switch of role and scope if the connection is not already as the request needs. The claim is made as
   * if the batch succeeded; its `settle` corrects it if it failed, and until then (`settle` below) others wait.
   */
  private claimPrefix(): { statements: PrefixStatement[]; settle: (ok: boolean) => void } | undefined {
    const connection = this.connection as Switched;
    const current = connection[SESSION];
    const target = this.target ?? undefined;
    if (this.transactionWanted && !this.begun) {
      this.begun = true;
      const statements = [BEGIN];
      // Transaction-local: the session keeps what it had, which stays what `SESSION` says.
      if (current !== target) statements.push(target === undefined ? toOwner(true) : toRequestRole(target, true));
      // A failed BEGIN batch leaves the transaction aborted (or not begun): either way `end` rolls back.
      return { statements, settle: () => undefined };
    }
    if (this.begun || current === target) return undefined;
    connection[SESSION] = target;
    return {
      statements: [target === undefined ? toOwner(false) : toRequestRole(target, false)],
      settle: (ok) => {
        if (!ok) connection[SESSION] = UNKNOWN;
      },
    };
  }

  /** Waits while a batch carrying a switch or a BEGIN is under way. */
  private async waitForSettled(): Promise<void> {
    while (this.settling) await this.settling;
  }

  /**
   * Runs one statement on the connection, with what the request must send first (`claimPrefix`) in front of it,
   * in the same round trip (db/sql.ts sends every request statement through here).
   */
  async statement(text: string, values: unknown[], name: string | undefined): Promise<unknown[]> {
    await this.waitForSettled();
    if (this.completed) throw new Error(`Transaction query already complete: ${text.slice(0, 100)}`);
    const prefix = this.claimPrefix();
    if (!prefix) return send(this.connection, NO_PREFIX, text, values, name);
    return this.settle(prefix, send(this.connection, prefix.statements, text, values, name));
  }

  /** Sends what `claimPrefix` claims on its own, in one round trip (before an ORM statement, which cannot carry it). */
  async sendPrefix(): Promise<void> {
    await this.waitForSettled();
    const prefix = this.claimPrefix();
    if (!prefix) return;
    const last = prefix.statements[prefix.statements.length - 1];
    await this.settle(prefix, send(this.connection, prefix.statements.slice(0, -1), last.text, last.values, undefined));
  }

  /** Holds back the request's other statements until `batch`, carrying a claimed prefix, has settled; then settles the claim. */
  private async settle<T>(prefix: { settle: (ok: boolean) => void }, batch: Promise<T>): Promise<T> {
    const settled = batch.then(
      () => undefined,
      () => undefined,
    );
    this.settling = settled;
    void settled.then(() => {
      if (this.settling === settled) this.settling = undefined;
    });
    try {
      const result = await batch;
      prefix.settle(true);
      return result;
    } catch (e) {
      prefix.settle(false);
      throw e;
    }
  }

  /**
   * A savepoint, as MikroORM's nested `transactional` asks for one (`transaction()`; every mutation runs in one, so
   * a refused mutation is undone alone). Our own, not knex's nested transaction: knex makes each of those as a whole
   * new knex instance (a hundred properties, getters among them), which was half of what a mutation left for the
   * old generation (packages/bench/results/ANALYSIS.md, item 33).
   */
  transaction(): Promise<Savepoint> {
    return this.openSavepoint(this);
  }

  /** Opens a savepoint under `parent` (this transaction or a savepoint) once the one opened there before it has ended, as knex orders them. */
  async openSavepoint(parent: RequestTransaction | Savepoint): Promise<Savepoint> {
    this.requireTransaction();
    const previous = parent._lastChild;
    const savepoint = new Savepoint(this, parent, `ntp_savepoint_${++this.savepoints}`);
    parent._lastChild = savepoint.whenEnded;
    await previous;
    try {
      // With the BEGIN and the switch in front of it if it is the transaction's first statement.
      await this.statement(`SAVEPOINT ${savepoint.name}`, [], undefined);
    } catch (e) {
      savepoint.abandon();
      throw e;
    }
    return savepoint;
  }

  /** As a knex transactor's: ends the request; `executionPromise` settles with the outcome. */
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
   * Ends the request's use of the connection: a begun transaction is committed (an aborted one commits as a
   * rollback; a COMMIT that fails is followed by a ROLLBACK) or rolled back, then the connection goes back to the
   * pool, in whatever role and scope its session was switched to (see `SESSION`). Only the first call does
   * anything: the others get its outcome.
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
      await this.waitForSettled();
      if (!this.begun) return;
      if (!commit) {
        await this.connection.query('ROLLBACK');
        return;
      }
      let callersChanged: boolean;
      try {
        // Read in the COMMIT's round trip, before it ends the transaction the mark belongs to.
        callersChanged = await sendBatch(this.connection, [CALLERS_CHANGED], 'COMMIT', [], undefined, (all) => {
          return (all[0].rows[0] as { changed: string | null }).changed === 'on';
        });
      } catch (e) {
        await this.connection.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      if (callersChanged) this.callerCache?.invalidate();
    } finally {
      this.pool.releaseConnection(this.connection);
    }
  }
}

/**
 * A savepoint of a request's transaction, with what MikroORM and knex read of a nested transaction: `client` (the
 * request's, so queries made `.transacting(savepoint)` run on its connection), `commit()` (RELEASE, settling
 * `executionPromise`), `rollback()` (ROLLBACK TO), `isCompleted()`, and `transaction()` for one nested under it.
 */
export class Savepoint {
  readonly isTransaction = true;
  readonly userParams = {};
  readonly client: RequestTransaction['client'];
  /** Savepoints under this one, ordered as under the transaction. */
  _lastChild: Promise<unknown> = Promise.resolve();
  /** Settles (never rejects) once this savepoint is released, rolled back or abandoned. */
  readonly whenEnded: Promise<void>;
  private markEnded!: () => void;
  private ended: Promise<void> | undefined;

  constructor(
    private readonly root: RequestTransaction,
    private readonly parent: RequestTransaction | Savepoint,
    readonly name: string,
  ) {
    this.client = root.client;
    this.whenEnded = new Promise<void>((resolve) => (this.markEnded = resolve));
  }

  isCompleted(): boolean {
    return this.ended !== undefined || this.parent.isCompleted();
  }

  transaction(): Promise<Savepoint> {
    return this.root.openSavepoint(this);
  }

  /** Runs a statement on the request's connection (db/sql.ts), as the transaction does. */
  statement(text: string, values: unknown[], name: string | undefined): Promise<unknown[]> {
    return this.root.statement(text, values, name);
  }

  commit(): Promise<void> {
    return this.end(`RELEASE SAVEPOINT ${this.name}`);
  }

  rollback(): Promise<void> {
    return this.end(`ROLLBACK TO SAVEPOINT ${this.name}`);
  }

  get executionPromise(): Promise<void> | undefined {
    return this.ended;
  }

  /** Its SAVEPOINT failed: it never existed; the ones waiting behind it go on. */
  abandon(): void {
    this.ended = Promise.resolve();
    this.markEnded();
  }

  private end(text: string): Promise<void> {
    if (!this.ended) {
      this.ended = this.root.statement(text, [], undefined).then(() => undefined);
      void this.ended.finally(() => this.markEnded()).catch(() => undefined);
    }
    return this.ended;
  }
}

/**
 * A knex client that runs every query on `connection`, after what `trx` must send first, refuses once it has completed,
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
        // The switch (and BEGIN) the request needs go out first, on their own: knex sends its own statement.
        trx
          .sendPrefix()
          .then(() => {
            if (trx.isCompleted()) throw new Error('Transaction query already complete');
            return run.call(client, conn, ...rest);
          })
          .then(resolve, reject);
      });
  client.query = checked(pool.query as (conn: unknown, obj: unknown) => Promise<unknown>);
  client.stream = checked(pool.stream as (conn: unknown, obj: unknown, stream: unknown, options: unknown) => Promise<unknown>);
  client.acquireConnection = () => Promise.resolve(connection);
  client.releaseConnection = () => Promise.resolve();
  return client;
}

/**
 * A statement sent in one round trip with others before it (a BEGIN, a switch of role and scope): each in the
 * extended protocol, all under a single Sync, so PostgreSQL answers them at once (pg's Query collects one result
 * per statement; the last is this one's). Each round trip costs both processes a socket write, a read and a
 * wake-up, on the same 2 cores (packages/bench/results/ANALYSIS.md, item 23).
 * If any fails, PostgreSQL skips the rest up to the Sync and the whole batch fails; outside a transaction block
 * the batch is one implicit transaction, so what the ones before did is undone too.
 */
class PrefixedQuery extends Query {
  /** Read by the statement counters of the tests and the benchmark: the statements this query object carries before its own. */
  readonly prefix: readonly PrefixStatement[];
  /** ParseComplete messages seen while a named statement not yet parsed on the connection goes behind a prefix. */
  private parses = 0;
  private watched: { connection: PgProtocolConnection; count: () => void } | undefined;

  constructor(config: ConstructorParameters<typeof Query>[0], prefix: readonly PrefixStatement[]) {
    super(config);
    this.prefix = prefix;
  }

  /** Called by pg when this query becomes the connection's active one: every message from then on is its own. */
  prepare(connection: PgProtocolConnection): void {
    const name = (this as unknown as { name?: string }).name;
    if (name && this.prefix.length && !connection.parsedStatements[name]) {
      this.watched = { connection, count: () => void this.parses++ };
      connection.on('parseComplete', this.watched.count);
    }
    for (const statement of this.prefix) {
      connection.parse({ text: statement.text, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: statement.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
    }
    (Query.prototype as unknown as { prepare(c: unknown): void }).prepare.call(this, connection);
  }

  /**
   * Once the batch is over. pg marks a named statement as parsed on the first ParseComplete of its query, which
   * behind a prefix is another statement's: if the batch failed before this statement's own Parse completed,
   * the mark is wrong and is taken back, so the next use sends the Parse. (If its Parse completed and a later
   * step failed, the statement exists in the session, prepared statements not being transactional: the mark stays.)
   */
  settleParse(failed: boolean): void {
    if (!this.watched) return;
    const { connection, count } = this.watched;
    connection.off('parseComplete', count);
    if (failed && this.parses <= this.prefix.length) delete connection.parsedStatements[(this as unknown as { name: string }).name];
    this.watched = undefined;
  }
}

const NO_PREFIX: readonly PrefixStatement[] = [];

/**
 * Runs `text` on the connection, after `prefix` in the same round trip, and resolves with its rows.
 * The query object is built here with its callback, rather than by pg's promise form of `query()`, which gives
 * the query its callback after building it: with that, V8 kept each request's query, its rows and whatever
 * awaited them alive past young collections (tests/api/request-lifetime.test.ts).
 */
function send(
  connection: PgConnection,
  prefix: readonly PrefixStatement[],
  text: string,
  values: unknown[],
  name: string | undefined,
): Promise<unknown[]> {
  return sendBatch(connection, prefix, text, values, name, lastRows);
}

const lastRows = (all: { rows: unknown[] }[]) => all[all.length - 1].rows;

/** `send`, answering what `pick` takes of every statement's result (the prefix's first). */
function sendBatch<T>(
  connection: PgConnection,
  prefix: readonly PrefixStatement[],
  text: string,
  values: unknown[],
  name: string | undefined,
  pick: (all: { rows: unknown[] }[]) => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const query: PrefixedQuery = new PrefixedQuery(
      {
        text,
        values,
        name,
        queryMode: 'extended',
        callback: (error: Error | null, results?: unknown) => {
          query.settleParse(!!error);
          if (error) return reject(error);
          resolve(pick((Array.isArray(results) ? results : [results]) as { rows: unknown[] }[]));
        },
      } as ConstructorParameters<typeof Query>[0],
      prefix,
    );
    connection.query(query);
  });
}
