import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { useTestApp, type GqlResult } from '../support/app';
import { beginDeferred, sql, sqlOne } from '../../packages/server/src/db/sql';
import type { RequestTransaction } from '../../packages/server/src/db/request-transaction';
import { endScopedTransaction } from '../../packages/server/src/db/rls';
import { transactional } from '../../packages/server/src/db/transactional';
import { Unit } from '../../packages/server/src/modules/units/unit.entity';
import { LoginThrottle } from '../../packages/server/src/auth/login-throttle.entity';

/**
 * How a request's transaction reaches PostgreSQL (ANALYSIS.md, item 23): its BEGIN travels with its first
 * statement in one round trip (db/sql.ts `beginDeferred`), its connection goes back to the pool when it ends,
 * and mutations run in savepoints made without an AsyncLocalStorage context (db/transactional.ts).
 */
const t = useTestApp();

const ALLOCATION = `query($id: ID!) { fundingAllocation(id: $id) { id year plannedAmount component { code } unit { code } } }`;

const poolInUse = () => (t.orm.em.getKnex().client as unknown as { pool: { numUsed(): number } }).pool.numUsed();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('request transaction', () => {
  it('a signed-in lookup by id: 4 statements in 3 round trips, the connection back in the pool after', async () => {
    const [{ id }] = await t.db<{ id: string }>('SELECT id::text FROM funding_allocation ORDER BY id LIMIT 1');
    const token = await t.tokenOf('ADMIN');
    await t.as({ token }, ALLOCATION, { id }); // named statements parsed on some connection; the counts below do not depend on it
    let answer: GqlResult | undefined;
    let statements = 0;
    const roundTrips = await t.countRoundTrips(async () => {
      statements = await t.countStatements(async () => {
        answer = await t.as({ token }, ALLOCATION, { id });
      });
    });
    expect(answer?.errors).toBeUndefined();
    expect(answer?.data.fundingAllocation.id).toBe(id);
    // BEGIN + session lookup (one round trip), the allocation with its links, COMMIT.
    expect({ statements, roundTrips }).toEqual({ statements: 4, roundTrips: 3 });
    expect(poolInUse()).toBe(0);
  });

  it('many requests, successful, refused and failing, leave no connection taken (more requests than the pool holds)', async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    const runs = [];
    for (let i = 0; i < 25; i++) {
      runs.push(t.as({ token }, '{ me { username } }'));
      runs.push(t.as({ token }, 'mutation { createUnit(input: { code: "X", name: "X", kind: PROVINCE }) { id } }')); // refused
      runs.push(t.gql('{ me { username } }', {}, { token: 'v1.not.valid' }));
    }
    const answers = await Promise.all(runs);
    expect(answers.filter((a, i) => i % 3 === 0 && !a.errors)).toHaveLength(25);
    expect(answers.filter((a, i) => i % 3 === 1 && a.errors?.[0]?.extensions?.code === 'FORBIDDEN')).toHaveLength(25);
    expect(answers.filter((a, i) => i % 3 === 2 && a.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED')).toHaveLength(25);
    expect(poolInUse()).toBe(0);
  });

  it('a named statement whose batch with BEGIN failed is parsed again next time, and its connection is released once', async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginDeferred(em);
    const trx = em.getTransactionContext<RequestTransaction>()!;
    const connection = trx.connection;
    await expect(sql(em, 'SELEC 1 FROM unit WHERE id = ?', [1], { prepared: true })).rejects.toThrow(/syntax error/);
    expect(Object.values(connection.connection.parsedStatements)).not.toContain('SELEC 1 FROM unit WHERE id = $1');
    await endScopedTransaction(em, false);
    expect(poolInUse()).toBe(0);
    await trx.end(false); // a second end gives nothing back twice
    expect(poolInUse()).toBe(0);
  });

  it('the first statement opens the transaction: what it sets lasts until the end, and a rollback undoes its writes', async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginDeferred(em);
    await sql(em, "SELECT set_config('ntp.test_marker', 'kept', true)");
    await sql(em, "INSERT INTO app_setting (key, value) VALUES ('rt_test', 'x')");
    const row = await sqlOne<{ marker: string; in_tx: boolean }>(
      em,
      "SELECT current_setting('ntp.test_marker') AS marker, now() = statement_timestamp() AS in_tx",
    );
    // In one transaction, now() is its start, earlier than this statement's own timestamp.
    expect(row).toEqual({ marker: 'kept', in_tx: false });
    await endScopedTransaction(em, false);
    expect(await t.db("SELECT 1 FROM app_setting WHERE key = 'rt_test'")).toHaveLength(0);
  });
});

describe('the request transaction under the ORM (db/request-transaction.ts)', () => {
  /** A request transaction as a request has it: begun, with a transaction-local marker set by its first statement. */
  const begun = async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginDeferred(em);
    await sql(em, "SELECT set_config('ntp.test_marker', 'in-request', true)");
    return em;
  };
  const throttleKeys = async () =>
    (await t.db<{ key: string }>("SELECT key FROM login_throttle WHERE key LIKE 'rtx:%' ORDER BY key")).map((r) => r.key);

  it('ORM reads and writes run on the request connection, inside its transaction, and a rollback undoes them', async () => {
    const em = await begun();
    // MikroORM's own raw execution and its entity queries go through the transaction client.
    expect(await em.execute("SELECT current_setting('ntp.test_marker', true) AS m", [], 'get')).toEqual({ m: 'in-request' });
    expect((await em.findOneOrFail(Unit, { code: 'LAICHAU' })).code).toBe('LAICHAU');
    em.create(LoginThrottle, { key: 'rtx:orm', failures: 1, lastFailureAt: new Date() });
    await em.flush();
    expect(await sql(em, "SELECT key FROM login_throttle WHERE key = 'rtx:orm'")).toHaveLength(1);
    expect(await throttleKeys()).toEqual([]); // not committed: another connection does not see it
    await endScopedTransaction(em, false);
    expect(await throttleKeys()).toEqual([]);
    expect(poolInUse()).toBe(0);
  });

  it('savepoints in turn: a failed one is undone alone, the others commit with the request', async () => {
    const em = await begun();
    const insert = (tx: EntityManager, key: string) => {
      tx.create(LoginThrottle, { key, failures: 1, lastFailureAt: new Date() });
      return tx.flush();
    };
    await transactional(em, (tx) => insert(tx, 'rtx:first'));
    const failed = await transactional(em, async (tx) => {
      await insert(tx, 'rtx:undone');
      throw new Error('second fails');
    }).catch((e: Error) => e.message);
    // Started together: knex runs sibling savepoints one after the other on the one connection.
    await Promise.all([transactional(em, (tx) => insert(tx, 'rtx:third')), transactional(em, (tx) => insert(tx, 'rtx:fourth'))]);
    expect(failed).toBe('second fails');
    expect(await em.execute("SELECT current_setting('ntp.test_marker', true) AS m", [], 'get')).toEqual({ m: 'in-request' });
    await endScopedTransaction(em, true);
    expect(await throttleKeys()).toEqual(['rtx:first', 'rtx:fourth', 'rtx:third']);
    expect(poolInUse()).toBe(0);
    await t.db("DELETE FROM login_throttle WHERE key LIKE 'rtx:%'");
  });

  it('once ended, ORM and raw statements on it are refused instead of running on a connection back in the pool', async () => {
    const em = await begun();
    await endScopedTransaction(em, true);
    await expect(em.findOne(Unit, { code: 'LAICHAU' })).rejects.toThrow(/already complete/);
    await expect(em.execute('SELECT 1')).rejects.toThrow(/already complete/);
    await expect(sql(em, 'SELECT 1')).rejects.toThrow(/already complete/);
    await endScopedTransaction(em, false); // a second end changes nothing
    expect(poolInUse()).toBe(0);
  });

  it('an ORM statement before the first sql() one (which carries the BEGIN) is refused: it would run outside the transaction', async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginDeferred(em);
    await expect(em.findOne(Unit, { code: 'LAICHAU' })).rejects.toThrow(/has not begun/);
    await sql(em, "SELECT set_config('ntp.test_marker', 'begun', true)");
    expect((await em.findOneOrFail(Unit, { code: 'LAICHAU' })).code).toBe('LAICHAU');
    await endScopedTransaction(em, true);
    expect(poolInUse()).toBe(0);
  });

  it('a transaction that never sent a statement ends without one, and gives its connection back', async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginDeferred(em);
    expect(poolInUse()).toBe(1);
    const sent = vi.spyOn(em.getTransactionContext<RequestTransaction>()!.connection, 'query');
    await endScopedTransaction(em, true);
    expect(sent).not.toHaveBeenCalled();
    expect(poolInUse()).toBe(0);
  });
});

describe('transactional without AsyncLocalStorage', () => {
  it('a mutation over HTTP enters no AsyncLocalStorage (on Node 20 the first one slows every later promise)', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    const token = await t.tokenOf('ADMIN');
    const created = await t.as(
      { token },
      'mutation { createUnit(input: { code: "ALS.FREE", name: "Tỉnh thử", kind: PROVINCE }) { id code } }',
    );
    expect(created.errors).toBeUndefined();
    const login = await t.gql('mutation { login(username: "nobody", password: "wrong-password") { token } }');
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(run).not.toHaveBeenCalled();
    expect(enterWith).not.toHaveBeenCalled();
  });

  it('nested: an inner failure rolls back only its savepoint; the outer commit keeps the rest and merges entities up', async () => {
    const em = t.orm.em.fork() as EntityManager;
    const outcome = await transactional(em, async (tx) => {
      await tx.findOneOrFail(Unit, { code: 'LAICHAU' });
      await sql(tx, "INSERT INTO app_setting (key, value) VALUES ('tx_outer', 'kept')");
      const inner = await transactional(tx, async (inner) => {
        await sql(inner, "INSERT INTO app_setting (key, value) VALUES ('tx_inner', 'undone')");
        throw new Error('inner fails');
      }).catch((e: Error) => e.message);
      const seen = await sql<{ key: string }>(tx, "SELECT key FROM app_setting WHERE key LIKE 'tx\\_%' ORDER BY key");
      return { inner, seen: seen.map((r) => r.key) };
    });
    expect(outcome).toEqual({ inner: 'inner fails', seen: ['tx_outer'] });
    // As MikroORM's own em.transactional: what the transaction loaded is known to the entity manager it ran on.
    expect(em.getUnitOfWork().getById<Unit>(Unit.name, (await t.unitId('LAICHAU')) as never)?.code).toBe('LAICHAU');
    expect((await t.db<{ key: string }>("SELECT key FROM app_setting WHERE key LIKE 'tx\\_%'")).map((r) => r.key)).toEqual(['tx_outer']);
    await expect(transactional(em, async () => Promise.reject(new Error('outer fails')))).rejects.toThrow('outer fails');
  });
});
