import {
  TransactionEventBroadcaster,
  TransactionManager,
  UnitOfWork,
  type EntityManager as CoreEntityManager,
  type TransactionOptions,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * MikroORM (6.6.16) without AsyncLocalStorage: its `em.transactional` opens one around the callback, and its
 * flush opens one around every commit of the unit of work. On Node 20 the first `AsyncLocalStorage.run()`
 * installs promise hooks for the rest of the process, so after one mutation every promise of every later
 * request paid for them: 5 % of the server's CPU under Q4 (packages/bench/results/ANALYSIS.md, item 23).
 * tests/api/request-transaction.test.ts checks that mutations (and a refused sign-in) enter none, and that
 * nested savepoints, rollbacks and entity merging behave as MikroORM's own.
 *
 * `transactional` below: the transaction context only lets code inside the callback that calls a *different*
 * entity manager be redirected to the transaction's fork; ours never does: every caller uses the `tx` it is
 * handed (root-middleware.ts sets it as the request's `ctx.em`). Everything else is MikroORM's own transaction
 * manager (propagation, savepoints when nested, flush, merging the fork's entities back into the parent), with
 * only its `processTransaction` step replaced: the same statements as MikroORM's, minus `TransactionContext.create`.
 */
class TransactionManagerWithoutContext extends TransactionManager {}

interface ManagerInternals {
  shouldPropagateToUpperContext(em: CoreEntityManager): boolean;
  executeTransactionFlow<T>(
    fork: CoreEntityManager,
    cb: (em: CoreEntityManager) => Promise<T>,
    propagate: boolean,
    parent: CoreEntityManager,
  ): Promise<T>;
}

Object.defineProperty(TransactionManagerWithoutContext.prototype, 'processTransaction', {
  value: async function processTransaction<T>(
    this: ManagerInternals,
    em: CoreEntityManager,
    fork: CoreEntityManager,
    cb: (em: CoreEntityManager) => Promise<T>,
    options: TransactionOptions,
  ): Promise<T> {
    const propagateToUpperContext = this.shouldPropagateToUpperContext(em);
    const eventBroadcaster = new TransactionEventBroadcaster(fork, undefined, { topLevelTransaction: !options.ctx });
    return fork.getConnection().transactional(
      async (trx) => {
        fork.setTransactionContext(trx);
        return this.executeTransactionFlow(fork, cb, propagateToUpperContext, em);
      },
      { ...options, eventBroadcaster },
    );
  },
});

/** Runs `cb` in a transaction on `em` (a savepoint inside an open one), flushes, and commits; rolls back if it throws. */
export function transactional<T>(em: EntityManager, cb: (tx: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return new TransactionManagerWithoutContext(em).handle(cb as (tx: CoreEntityManager) => Promise<T>, options);
}

interface UnitOfWorkInternals {
  working: boolean;
  flushQueue: (() => Promise<void>)[];
  doCommit(): Promise<void>;
  postCommitCleanup(): void;
}

/**
 * The unit of work's commit (what `em.flush()` runs), as MikroORM 6.6.16 has it but without the
 * AsyncLocalStorage that marks "inside a flush": a flush asked for while one is running waits for it, as
 * before. MikroORM used the mark only to throw, instead of waiting forever, when a flush is asked for from
 * inside a flush, which only an entity lifecycle hook or an event subscriber can do; we have neither
 * (`assertNoFlushHooks` checks at start-up).
 */
Object.defineProperty(UnitOfWork.prototype, 'commit', {
  value: async function commit(this: UnitOfWorkInternals): Promise<void> {
    if (this.working) {
      return new Promise<void>((resolve, reject) => {
        this.flushQueue.push(() => this.doCommit().then(resolve, reject));
      });
    }
    try {
      this.working = true;
      await this.doCommit();
      while (this.flushQueue.length) await this.flushQueue.shift()!();
    } finally {
      this.postCommitCleanup();
      this.working = false;
    }
  },
});

/** Refuses to start with what could flush from inside a flush (see the commit above). */
export function assertNoFlushHooks(orm: {
  config: { get(key: 'subscribers'): Iterable<unknown> };
  getMetadata(): { getAll(): Record<string, { hooks: Record<string, unknown[]> }> };
}): void {
  if ([...orm.config.get('subscribers')].length) throw new Error('MikroORM event subscribers are not supported (db/transactional.ts)');
  for (const [name, meta] of Object.entries(orm.getMetadata().getAll())) {
    if (Object.values(meta.hooks ?? {}).some((hooks) => hooks.length))
      throw new Error(`Entity lifecycle hooks are not supported: ${name} (db/transactional.ts)`);
  }
}
