import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { useTestApp, type GqlResult } from '../support/app';
import { beginDeferred, openRequestConnection, sql, sqlOne } from '../../packages/server/src/db/sql';
import type { RequestTransaction } from '../../packages/server/src/db/request-transaction';
import { endScopedTransaction } from '../../packages/server/src/db/rls';
import { transactional } from '../../packages/server/src/db/transactional';
import { Unit } from '../../packages/server/src/modules/units/unit.entity';
import { LoginThrottle } from '../../packages/server/src/auth/login-throttle.entity';

/**
 * How a request's statements reach PostgreSQL (ANALYSIS.md, items 23 and 29): a query's run on their own, as the
 * request role with the caller's scope set for the connection's session and switched only when it differs; a
 * mutation's in one transaction whose BEGIN travels with its first statement; the connection goes back to the
 * pool when the request ends; mutations run in savepoints made without an AsyncLocalStorage (db/transactional.ts).
 */
const t = useTestApp();

const ALLOCATION = `query($id: ID!) { fundingAllocation(id: $id) { id year plannedAmount component { code } unit { code } } }`;

const poolInUse = () => (t.orm.em.getKnex().client as unknown as { pool: { numUsed(): number } }).pool.numUsed();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('request transaction', () => {
  it('a signed-in lookup by id: one statement in one round trip once the connection is switched, no transaction', async () => {
    const [{ id }] = await t.db<{ id: string }>('SELECT id::text FROM funding_allocation ORDER BY id LIMIT 1');
    const token = await t.tokenOf('ADMIN');
    await t.as({ token }, ALLOCATION, { id }); // the session looked up once (signing in emptied the caller cache)
    const texts: string[] = [];
    t.onStatement((text) => texts.push(text));
    // Sequential requests take the pool's free connections in turn: after the first round each one is switched
    // to ADMIN's role and scope, and from then on nothing is sent but the lookup itself.
    const perRequest: { statements: number; roundTrips: number; texts: string[] }[] = [];
    for (let i = 0; i < 12; i++) {
      let answer: GqlResult | undefined;
      let statements = 0;
      const from = texts.length;
      const roundTrips = await t.countRoundTrips(async () => {
        statements = await t.countStatements(async () => {
          answer = await t.as({ token }, ALLOCATION, { id });
        });
      });
      expect(answer?.errors).toBeUndefined();
      expect(answer?.data.fundingAllocation.id).toBe(id);
      perRequest.push({ statements, roundTrips, texts: texts.slice(from) });
    }
    for (const r of perRequest) {
      // The switch, when the connection needs it, travels in the lookup's round trip; never a BEGIN or COMMIT.
      expect(r.roundTrips).toBe(1);
      expect(r.statements).toBe(1);
      expect(r.texts.some((x) => /^(BEGIN|COMMIT|ROLLBACK)/.test(x))).toBe(false);
      if (r.texts.length === 2)
        expect(r.texts[0]).toMatch(/set_config\('role', 'ntp_request', false\), set_config\('ntp.scope_path', \$1, false\)/);
      else expect(r.texts).toHaveLength(1);
    }
    expect(perRequest.slice(-2).map((r) => r.texts.length)).toEqual([1, 1]);
    expect(poolInUse()).toBe(0);
  });

  it('requests of callers with different scopes, interleaved on few connections, each see exactly their own scope', async () => {
    // More concurrent requests than connections, alternating three scopes: a connection switched for one caller
    // is switched again before it serves another.
    const ids = await t.db<{ id: string; path: string }>(
      `SELECT a.id::text, u.path FROM funding_allocation a JOIN unit u ON u.id = a.unit_id ORDER BY a.id LIMIT 40`,
    );
    const scopeOf = async (username: string) =>
      (
        await t.db<{ path: string }>(
          `SELECT CASE WHEN hu.kind::text = 'AGENCY' AND pu.id IS NOT NULL THEN pu.path ELSE hu.path END AS path
             FROM app_user u JOIN unit hu ON hu.id = u.unit_id LEFT JOIN unit pu ON pu.id = hu.parent_id WHERE u.username = $1`,
          [username],
        )
      )[0].path;
    const communePath = await scopeOf('td.banbo');
    const districtPath = await scopeOf('td.coordinator');
    const callers = [
      { token: await t.tokenOf('ADMIN'), sees: () => true },
      { token: await t.tokenOf('COMMUNE_OFFICER'), sees: (path: string) => path.startsWith(communePath) },
      { token: await t.tokenOf('COORDINATOR'), sees: (path: string) => path.startsWith(districtPath) },
    ];
    const runs = [];
    for (let round = 0; round < 3; round++)
      for (const [i, row] of ids.entries()) {
        const caller = callers[(i + round) % callers.length];
        runs.push(t.as({ token: caller.token }, ALLOCATION, { id: row.id }).then((a) => ({ a, expected: caller.sees(row.path) })));
      }
    const answers = await Promise.all(runs);
    for (const { a, expected } of answers) {
      expect(a.errors).toBeUndefined();
      expect(!!a.data.fundingAllocation).toBe(expected);
    }
    expect(answers.filter((x) => x.expected).length).toBeGreaterThan(answers.filter((x) => !x.expected).length / 4);
    expect(answers.some((x) => !x.expected)).toBe(true);
    expect(poolInUse()).toBe(0);
  });

  it('a mutation is one transaction: BEGIN and the switch go out together, and it commits before the answer', async () => {
    const token = await t.tokenOf('ADMIN');
    const texts: string[] = [];
    t.onStatement((text) => texts.push(text));
    const from = texts.length;
    const answer = await t.as(
      { token },
      'mutation { createUnit(input: { code: "RT.TX", name: "Tỉnh thử giao dịch", kind: PROVINCE }) { id } }',
    );
    expect(answer.errors).toBeUndefined();
    const sent = texts.slice(from);
    expect(sent[0]).toBe('BEGIN');
    expect(sent[sent.length - 1]).toBe('COMMIT');
    expect(sent.filter((x) => x === 'BEGIN')).toHaveLength(1);
    // Answered after the commit: another connection sees the unit at once.
    expect(await t.db("SELECT 1 FROM unit WHERE code = 'RT.TX'")).toHaveLength(1);
  });

  it('a mutation whose COMMIT fails is answered 503, masked, and leaves nothing behind', async () => {
    // A check PostgreSQL runs only at COMMIT: the mutation itself succeeds, its transaction cannot be committed.
    await t.db(`CREATE FUNCTION rt_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused at commit (test)'; END $$`);
    await t.db(`CREATE CONSTRAINT TRIGGER rt_refuse_at_commit AFTER INSERT ON unit DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.code = 'RT.COMMIT') EXECUTE FUNCTION rt_refuse_at_commit()`);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const token = await t.tokenOf('ADMIN');
      const res = await t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${token}`)
        .send({ query: 'mutation { createUnit(input: { code: "RT.COMMIT", name: "Tỉnh thử cam kết", kind: PROVINCE }) { id code } }' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      // Never the success the resolver had built, and nothing of the database's own message.
      expect(res.body).toEqual({
        data: null,
        errors: [
          {
            message: 'Máy chủ tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      expect(logged).toHaveBeenCalledWith('[request transaction]', expect.objectContaining({ message: 'refused at commit (test)' }));
      expect(await t.db("SELECT 1 FROM unit WHERE code = 'RT.COMMIT'")).toEqual([]);
      expect(
        await t.db("SELECT 1 FROM audit_event WHERE operation = 'createUnit' AND details->'args'->'input'->>'code' = 'RT.COMMIT'"),
      ).toEqual([]);
      // The connection went back to the pool, and the next mutation commits.
      expect(poolInUse()).toBe(0);
      const next = await t.as(
        { token },
        'mutation { createUnit(input: { code: "RT.AFTER", name: "Tỉnh thử sau", kind: PROVINCE }) { code } }',
      );
      expect(next.data.createUnit).toEqual({ code: 'RT.AFTER' });
    } finally {
      await t.db('DROP TRIGGER rt_refuse_at_commit ON unit');
      await t.db('DROP FUNCTION rt_refuse_at_commit()');
    }
  });

  it('a connection a request left in the request role is the owner again for other work', async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    // Take every connection of the pool through requests, so each is left switched to the officer's scope.
    await Promise.all(Array.from({ length: 20 }, () => t.as({ token }, '{ me { username } }')));
    const em = t.orm.em.fork() as EntityManager;
    // Outside a request: the ORM and sql() run as the owner, unscoped (the officer's scope would hide most units).
    const [row] = await Promise.all(
      Array.from({ length: 10 }, () =>
        sqlOne<{ who: string; n: number }>(em, 'SELECT current_user AS who, (SELECT count(*)::int FROM unit) AS n'),
      ),
    );
    const [{ n }] = await t.db<{ n: number }>('SELECT count(*)::int AS n FROM unit');
    expect(row).toEqual({ who: 'postgres', n });
    expect(await em.count(Unit, {})).toBe(n);
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
    const texts: string[] = [];
    t.onStatement((text) => texts.push(text));
    const insert = (tx: EntityManager, key: string) => {
      tx.create(LoginThrottle, { key, failures: 1, lastFailureAt: new Date() });
      return tx.flush();
    };
    await transactional(em, (tx) => insert(tx, 'rtx:first'));
    const failed = await transactional(em, async (tx) => {
      await insert(tx, 'rtx:undone');
      throw new Error('second fails');
    }).catch((e: Error) => e.message);
    // Started together: sibling savepoints run one after the other on the one connection.
    await Promise.all([transactional(em, (tx) => insert(tx, 'rtx:third')), transactional(em, (tx) => insert(tx, 'rtx:fourth'))]);
    expect(failed).toBe('second fails');
    // The request connection's own savepoints (db/request-transaction.ts `Savepoint`), not knex's nested transactions.
    expect(texts.filter((text) => /SAVEPOINT/.test(text))).toEqual([
      'SAVEPOINT ntp_savepoint_1',
      'RELEASE SAVEPOINT ntp_savepoint_1',
      'SAVEPOINT ntp_savepoint_2',
      'ROLLBACK TO SAVEPOINT ntp_savepoint_2',
      'SAVEPOINT ntp_savepoint_3',
      'RELEASE SAVEPOINT ntp_savepoint_3',
      'SAVEPOINT ntp_savepoint_4',
      'RELEASE SAVEPOINT ntp_savepoint_4',
    ]);
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

  it('an ORM statement as the first one sends the BEGIN and the switch before it, in their own round trip', async () => {
    const em = t.orm.em.fork() as EntityManager;
    const trx = await beginDeferred(em);
    trx.runAs('');
    const texts: string[] = [];
    t.onStatement((text) => texts.push(text));
    const from = texts.length;
    const row = await em.execute("SELECT current_user AS who, set_config('ntp.test_marker', 'orm', true) AS m", [], 'get');
    expect(row).toEqual({ who: 'ntp_request', m: 'orm' });
    expect(texts.slice(from, from + 2)).toEqual([
      'BEGIN',
      "SELECT set_config('role', 'ntp_request', true), set_config('ntp.scope_path', $1, true)",
    ]);
    // The ORM statement ran inside the transaction: what it set for the transaction is still set.
    expect(await sqlOne(em, "SELECT current_setting('ntp.test_marker') AS m")).toEqual({ m: 'orm' });
    await endScopedTransaction(em, true);
    expect(poolInUse()).toBe(0);
  });

  it('outside a transaction, a failed batch undoes its switch: the next statement switches again', async () => {
    const em = t.orm.em.fork() as EntityManager;
    const trx = await openRequestConnection(em);
    trx.runAs('/nowhere/');
    await expect(sql(em, 'SELEC 1')).rejects.toThrow(/syntax error/);
    // The batch (switch + statement) failed as a whole: the session was not switched, and the next one switches.
    const [row] = await sql<{ who: string; scope: string }>(
      em,
      "SELECT current_user AS who, current_setting('ntp.scope_path') AS scope, set_config('ntp.test_marker', 'gone', true)",
    );
    expect(row).toMatchObject({ who: 'ntp_request', scope: '/nowhere/' });
    // Not in a transaction: what a statement sets for its transaction is gone by the next one.
    expect(await sqlOne(em, "SELECT current_setting('ntp.test_marker', true) AS m")).not.toEqual({ m: 'gone' });
    await endScopedTransaction(em, true);
    expect(poolInUse()).toBe(0);
  });

  it('a named statement whose first batch, behind a switch, failed after its Parse is still usable on that connection', async () => {
    const em = t.orm.em.fork() as EntityManager;
    const trx = await openRequestConnection(em);
    // A scope of its own, so the connection must be switched, and a statement this connection has never prepared.
    trx.runAs(`/named-${Date.now()}/`);
    const text = `SELECT 10 / $1::int AS q, ${Date.now()} AS n`;
    await expect(sql(em, text, [0], { prepared: true })).rejects.toThrow(/division by zero/);
    // Had it gone out named, PostgreSQL would keep the prepared statement (it is not transactional) while pg,
    // which marks it on the switch's ParseComplete, forgot it: the next Parse would fail with 42P05.
    for (const divisor of [2, 5, 10]) {
      expect((await sqlOne<{ q: number }>(em, text, [divisor], { prepared: true }))?.q).toBe(10 / divisor);
    }
    await endScopedTransaction(em, true);
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
