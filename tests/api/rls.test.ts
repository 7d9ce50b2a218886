import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { codeOf, useTestApp } from '../support/app';
import { authenticate } from '../../packages/server/src/auth/tokens';
import { callerCacheFor } from '../../packages/server/src/auth/caller-cache';
import { beginScopedTransaction, openAuthenticatedRequest, endScopedTransaction, scopeSetting } from '../../packages/server/src/db/rls';
import { sql } from '../../packages/server/src/db/sql';
import type { Caller } from '../../packages/server/src/auth/roles';
import { planList } from '../../packages/server/src/modules/monitoring/monitoring.list';
import { allocationList } from '../../packages/server/src/modules/funding/funding.list';

/**
 * Defense in depth (issue 8): below the services, PostgreSQL row-level security keeps every request
 * inside its caller's scope. Here the service-level filter is bypassed on purpose and the request role
 * must still see and write nothing outside the scope.
 */
const t = useTestApp();

/** Unit-tied tables and the SQL (as owner) of each row's units, mirroring the policies and the lists' unitLink. */
const TABLE_UNITS: Record<string, string> = {
  app_user: 'SELECT x.unit_id',
  api_key: 'SELECT x.unit_id',
  funding_allocation: 'SELECT x.unit_id',
  disbursement: 'SELECT x.unit_id',
  funding_revision: 'SELECT a.unit_id FROM funding_allocation a WHERE a.id = x.allocation_id',
  monitoring_plan: 'SELECT x.unit_id',
  indicator_target: 'SELECT x.unit_id',
  indicator_value: 'SELECT x.unit_id',
  mission: 'SELECT x.lead_unit_id UNION ALL SELECT m.unit_id FROM mission_target_unit m WHERE m.mission_id = x.id',
  finding: 'SELECT x.unit_id UNION ALL SELECT m.lead_unit_id FROM mission m WHERE m.id = x.mission_id',
  recommendation: `SELECT x.addressee_id UNION ALL SELECT m.lead_unit_id FROM mission m WHERE m.id = x.mission_id
    UNION ALL SELECT mt.unit_id FROM mission_target_unit mt WHERE mt.mission_id = x.mission_id`,
  reporting_obligation:
    'SELECT x.submitter_id UNION ALL SELECT r.unit_id FROM reporting_obligation_recipient r WHERE r.obligation_id = x.id',
  report: `SELECT o.submitter_id FROM reporting_obligation o WHERE o.id = x.obligation_id
    UNION ALL SELECT r.unit_id FROM reporting_obligation_recipient r WHERE r.obligation_id = x.obligation_id`,
  // A person's rows: the person's home unit.
  user_session: 'SELECT a.unit_id FROM app_user a WHERE a.id = x.user_id',
  disbursement_idempotency: 'SELECT a.unit_id FROM app_user a WHERE a.id = x.user_id',
  // A file: its unit, and for an attachment the units that see its report (submitter and recipients).
  stored_file: `SELECT x.unit_id
    UNION ALL SELECT o.submitter_id FROM report_attachment ra JOIN report r ON r.id = ra.report_id
      JOIN reporting_obligation o ON o.id = r.obligation_id WHERE ra.file_id = x.id
    UNION ALL SELECT rr.unit_id FROM report_attachment ra JOIN report r ON r.id = ra.report_id
      JOIN reporting_obligation_recipient rr ON rr.obligation_id = r.obligation_id WHERE ra.file_id = x.id`,
};

let district = '';
let muongte = '';
let banbo = '';
let binhlu = '';
let outsidePlanId = '';
let outsideAllocationId = '';
let coordinator: Caller;
let communeOfficer: Caller;
let adminCaller: Caller;

async function callerOf(username: string): Promise<Caller> {
  const token = await t.token(username);
  const { caller } = await authenticate(t.orm.em.fork() as EntityManager, `Bearer ${token}`);
  if (!caller) throw new Error(`no caller for ${username}`);
  return caller;
}

/** Runs `fn` on a request-shaped transaction: the role and scope set exactly as the GraphQL context does; always rolled back. */
async function asRequest<T>(caller: Caller | undefined, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const em = t.orm.em.fork() as EntityManager;
  await beginScopedTransaction(em, caller);
  try {
    return await fn(em);
  } finally {
    await endScopedTransaction(em, false);
  }
}

/** Rows of `table` the owner counts in the subtree of `path` ('' = all rows). */
async function ownerCount(table: string, path: string): Promise<number> {
  const rows = await t.db<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} x
      WHERE $1 = '' OR EXISTS (SELECT 1 FROM unit u WHERE u.path LIKE $1 || '%' AND u.id IN (${TABLE_UNITS[table]}))`,
    [path],
  );
  return rows[0].n;
}

beforeAll(async () => {
  district = await t.unitId('LAICHAU.TAMDUONG');
  muongte = await t.unitId('LAICHAU.MUONGTE');
  banbo = await t.unitId('TAMDUONG.BANBO');
  binhlu = await t.unitId('TAMDUONG.BINHLU');
  // Records outside Tam Đường, made by ADMIN: Mường Tè is a sibling district.
  const plan = await t.as(
    'ADMIN',
    'mutation($u: ID!) { createMonitoringPlan(input: { unitId: $u, year: 2025, title: "Kế hoạch Mường Tè" }) { id } }',
    { u: muongte },
  );
  expect(plan.errors).toBeUndefined();
  outsidePlanId = plan.data.createMonitoringPlan.id;
  const [component] = await t.db<{ id: string }>("SELECT id::text FROM program_component WHERE code = 'DA2'");
  const alloc = await t.as(
    'ADMIN',
    `mutation($c: ID!, $u: ID!) { createFundingAllocation(input: { componentId: $c, unitId: $u, year: 2025, source: LOCAL_BUDGET,
      plannedAmount: "700000000", allocatedAmount: "600000000" }) { id } }`,
    { c: component.id, u: muongte },
  );
  expect(alloc.errors).toBeUndefined();
  outsideAllocationId = alloc.data.createFundingAllocation.id;
  const user = await t.as(
    'ADMIN',
    'mutation($u: ID!) { createUser(input: { username: "mt.officer", password: "Mat-khau-dai-2025!", displayName: "Cán bộ Mường Tè", role: COMMUNE_OFFICER, unitId: $u }) { id } }',
    { u: muongte },
  );
  expect(user.errors).toBeUndefined();
  // A plan of each Tam Đường commune, so the commune officer's scope is not trivially empty.
  for (const u of [banbo, binhlu]) {
    const r = await t.as(
      'ADMIN',
      'mutation($u: ID!) { createMonitoringPlan(input: { unitId: $u, year: 2025, title: "Kế hoạch xã" }) { id } }',
      { u },
    );
    expect(r.errors).toBeUndefined();
  }
  // Rows of a person outside Tam Đường: a session of the Mường Tè officer, and a file of Mường Tè.
  await t.token('mt.officer', 'Mat-khau-dai-2025!');
  await t.db(
    "INSERT INTO stored_file (name, size, content_type, sha256, unit_id) VALUES ('bao-cao-muong-te.pdf', 10, 'application/pdf', repeat('a', 64), $1)",
    [muongte],
  );
  coordinator = await callerOf('td.coordinator');
  communeOfficer = await callerOf('td.banbo');
  adminCaller = await callerOf('admin');
});

describe('RLS backstop below the services', () => {
  it('sets the role and the scope the way the request context does', async () => {
    expect(scopeSetting(undefined)).toBe('-');
    expect(scopeSetting(adminCaller)).toBe('');
    const [d] = await t.db<{ path: string }>('SELECT path FROM unit WHERE id = $1', [district]);
    expect(scopeSetting(coordinator)).toBe(d.path); // an agency user's scope root is its district
    const row = await asRequest(coordinator, (em) =>
      sql<{ who: string; scope: string; bypass: boolean }>(
        em,
        "SELECT current_user AS who, current_setting('ntp.scope_path') AS scope, (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user) AS bypass",
      ),
    );
    expect(row[0]).toEqual({ who: 'ntp_request', scope: d.path, bypass: false });
    // Transaction-local: once the transaction ends, the pooled connection is the owner again.
    const em = t.orm.em.fork() as EntityManager;
    const after = await sql<{ who: string }>(em, 'SELECT current_user AS who');
    expect(after[0].who).not.toBe('ntp_request');
  });

  it('a request runs as exactly scopeSetting(caller): looked up once as the owner, then from the caller cache', async () => {
    const keyRes = await t.as('ADMIN', 'mutation($u: ID!) { createApiKey(input: { name: "Khóa RLS", unitId: $u }) { secret } }', {
      u: district,
    });
    expect(keyRes.errors).toBeUndefined();
    const revokedToken = await t.token('td.health');
    const revoke = await t.as({ token: revokedToken }, 'mutation { logout }');
    expect(revoke.errors).toBeUndefined();
    // Statements to authenticate: the first time, one lookup of the session or key (as the owner; a refused one
    // each time, since refusals are not kept); then none, from the caller cache. Anonymous: none.
    const cases: [string, string | undefined, number, number][] = [
      ['admin', `Bearer ${await t.tokenOf('ADMIN')}`, 1, 0],
      ['agency officer', `Bearer ${await t.tokenOf('COORDINATOR')}`, 1, 0],
      ['commune officer', `Bearer ${await t.tokenOf('COMMUNE_OFFICER')}`, 1, 0],
      ['revoked session', `Bearer ${revokedToken}`, 1, 1],
      ['API key', `Bearer ${keyRes.data.createApiKey.secret}`, 1, 0],
      ['anonymous', undefined, 0, 0],
    ];
    // Counted by text: an API key's use is recorded off the request's path (not part of it), and a switch of the
    // connection's role (to the owner for a lookup) depends on what the pool hands out, not on the caller.
    let counted = 0;
    t.onStatement((text) => {
      if (!/UPDATE api_key SET last_used_at|^SELECT set_config\('role'/.test(text)) counted++;
    });
    // The notifications of the sign-out and the key's creation have reached the cache (they empty it).
    await callerCacheFor(t.dbUrl)!.sync();
    for (const pass of [0, 1]) {
      for (const [who, header, first, later] of cases) {
        const em = t.orm.em.fork() as EntityManager;
        const before = counted;
        const result = await openAuthenticatedRequest(em, header);
        const n = counted - before;
        try {
          // The first statement after it switches the connection (if it is not already) to the request role and scope.
          const [row] = await sql<{ who: string; scope: string }>(
            em,
            "SELECT current_user AS who, current_setting('ntp.scope_path') AS scope",
          );
          expect({ who, role: row.who, scope: row.scope }).toEqual({ who, role: 'ntp_request', scope: scopeSetting(result.caller) });
          expect({ who, pass, statements: n }).toEqual({ who, pass, statements: pass === 0 ? first : later });
          expect({ who, signedIn: !!result.caller }).toEqual({ who, signedIn: who !== 'revoked session' && who !== 'anonymous' });
        } finally {
          await endScopedTransaction(em, false);
        }
      }
    }
    expect(scopeSetting(undefined)).toBe('-');
  });

  it('refuses any statement sent after the request transaction ended, instead of running it outside', async () => {
    const em = t.orm.em.fork() as EntityManager;
    await beginScopedTransaction(em, coordinator);
    await sql(em, 'SELECT 1');
    await endScopedTransaction(em, false);
    await expect(sql(em, 'SELECT 1')).rejects.toThrow(/already complete/);
    await expect(em.getConnection().execute('SELECT 1', [], 'all', em.getTransactionContext())).rejects.toThrow();
    await endScopedTransaction(em); // a second end is a no-op
  });

  it('a SELECT with no filter at all reads exactly the rows of the caller scope, table by table', async () => {
    const [d] = await t.db<{ path: string }>('SELECT path FROM unit WHERE id = $1', [district]);
    const [c] = await t.db<{ path: string }>('SELECT path FROM unit WHERE id = $1', [banbo]);
    let outsideSomewhere = 0;
    for (const table of Object.keys(TABLE_UNITS)) {
      const total = await ownerCount(table, '');
      const inDistrict = await ownerCount(table, d.path);
      const inCommune = await ownerCount(table, c.path);
      const seen = async (caller: Caller | undefined) =>
        (await asRequest(caller, (em) => sql<{ n: number }>(em, `SELECT count(*)::int AS n FROM ${table}`)))[0].n;
      expect({ table, n: await seen(adminCaller) }).toEqual({ table, n: total });
      expect({ table, n: await seen(coordinator) }).toEqual({ table, n: inDistrict });
      expect({ table, n: await seen(communeOfficer) }).toEqual({ table, n: inCommune });
      // Anonymous: nothing, except that sign-in may look up people's accounts (never service accounts).
      const [people] = await t.db<{ n: number }>('SELECT count(*)::int AS n FROM app_user WHERE NOT service_account');
      expect({ table, n: await seen(undefined) }).toEqual({ table, n: table === 'app_user' ? people.n : 0 });
      outsideSomewhere += total - inDistrict;
    }
    // The fixture does put rows outside Tam Đường (a plan, an allocation, a user; the allocation's revision;
    // the admin's and the Mường Tè officer's sessions, a file).
    expect(outsideSomewhere).toBeGreaterThanOrEqual(7);
  });

  it('golden: the Mường Tè rows are invisible to the Tam Đường coordinator, visible to ADMIN', async () => {
    const q = (em: EntityManager) =>
      sql<{ plans: number; allocs: number; revisions: number; users: number }>(
        em,
        `SELECT (SELECT count(*)::int FROM monitoring_plan WHERE id = ?) AS plans,
                (SELECT count(*)::int FROM funding_allocation WHERE id = ?) AS allocs,
                (SELECT count(*)::int FROM funding_revision WHERE allocation_id = ?) AS revisions,
                (SELECT count(*)::int FROM app_user WHERE username = 'mt.officer') AS users`,
        [outsidePlanId, outsideAllocationId, outsideAllocationId],
      );
    expect((await asRequest(coordinator, q))[0]).toEqual({ plans: 0, allocs: 0, revisions: 0, users: 0 });
    expect((await asRequest(communeOfficer, q))[0]).toEqual({ plans: 0, allocs: 0, revisions: 0, users: 0 });
    expect((await asRequest(adminCaller, q))[0]).toEqual({ plans: 1, allocs: 1, revisions: 1, users: 1 });
  });

  it('refuses an INSERT outside the scope, allows one inside; an UPDATE outside touches nothing', async () => {
    const insertPlan = (unitId: string) => (em: EntityManager) =>
      sql(em, "INSERT INTO monitoring_plan (unit_id, year, title) VALUES (?, 2026, 'ngoài phạm vi')", [unitId]);
    const err = await asRequest(coordinator, insertPlan(muongte)).catch((e: { code?: string; message: string }) => e);
    expect(err).toMatchObject({ code: '42501' });
    expect(String((err as Error).message)).toMatch(/row-level security/);
    // Inside the scope the same statement works (rolled back afterwards).
    await expect(asRequest(coordinator, insertPlan(banbo))).resolves.toBeDefined();
    // A commune officer may not write into its sibling commune either.
    expect(await asRequest(communeOfficer, insertPlan(binhlu)).catch((e: { code?: string }) => e.code)).toBe('42501');
    // Moving a visible row out of scope is refused (WITH CHECK), updating an invisible one finds no row.
    const [own] = await t.db<{ id: string }>('SELECT id::text FROM monitoring_plan WHERE unit_id = $1 LIMIT 1', [banbo]);
    const moved = await asRequest(coordinator, (em) =>
      sql(em, 'UPDATE monitoring_plan SET unit_id = ? WHERE id = ?', [muongte, own.id]),
    ).catch((e: { code?: string }) => e.code);
    expect(moved).toBe('42501');
    const touched = await asRequest(coordinator, (em) =>
      sql<{ id: string }>(em, "UPDATE monitoring_plan SET title = 'đổi' WHERE id = ? RETURNING id", [outsidePlanId]),
    );
    expect(touched).toEqual([]);
    const [still] = await t.db<{ title: string }>('SELECT title FROM monitoring_plan WHERE id = $1', [outsidePlanId]);
    expect(still.title).toBe('Kế hoạch Mường Tè');
    // And nothing is deleted by a request, outside configuration tables.
    const del = await asRequest(adminCaller, (em) => sql(em, 'DELETE FROM monitoring_plan WHERE id = ?', [outsidePlanId])).catch(
      (e: { code?: string }) => e.code,
    );
    expect(del).toBe('42501');
  });

  it('a recommendation addressed beyond the scope (the province) stays visible and writable through its mission', async () => {
    const province = await t.unitId('LAICHAU');
    const [m] = await t.db<{ id: string }>(
      `SELECT m.id::text FROM mission m JOIN unit u ON u.id = m.lead_unit_id WHERE u.path LIKE (SELECT path FROM unit WHERE id = $1) || '%' ORDER BY m.id LIMIT 1`,
      [district],
    );
    const insert = (em: EntityManager) =>
      sql<{ id: string }>(
        em,
        "INSERT INTO recommendation (mission_id, addressee_id, content, status) VALUES (?, ?, 'Đề nghị tỉnh bổ sung vốn', 'OPEN') RETURNING id::text",
        [m.id, province],
      );
    // The Tam Đường coordinator may write it (its mission) and reads it back in the same transaction.
    const seen = await asRequest(coordinator, async (em) => {
      const [r] = await insert(em);
      return (await sql<{ n: number }>(em, 'SELECT count(*)::int AS n FROM recommendation WHERE id = ?', [r.id]))[0].n;
    });
    expect(seen).toBe(1);
    // A Mường Tè mission cannot carry one for it.
    const [mt] = await t.db<{ id: string }>(
      "INSERT INTO mission (program_id, title, lead_unit_id, start_date, end_date, status) SELECT program_id, 'Đoàn Mường Tè', $1, start_date, end_date, 'PLANNED' FROM mission WHERE id = $2 RETURNING id::text",
      [muongte, m.id],
    );
    const refused = await asRequest(coordinator, (em) =>
      sql(em, "INSERT INTO recommendation (mission_id, addressee_id, content, status) VALUES (?, ?, 'x', 'OPEN')", [mt.id, province]),
    ).catch((e: { code?: string }) => e.code);
    expect(refused).toBe('42501');
  });

  it('through GraphQL: with the list and lookup filters removed, a request still gets only its scope', async () => {
    const plans = '{ monitoringPlans(limit: 500) { totalCount nodes { id unit { code } } } }';
    const before = await t.as('COORDINATOR', plans);
    expect(before.errors).toBeUndefined();
    const saved = { plan: planList.opts.unitLink, alloc: allocationList.opts.unitLink };
    // Simulate a forgotten filter: without a unitLink the list layer applies no scope at all.
    planList.opts.unitLink = undefined;
    allocationList.opts.unitLink = undefined;
    try {
      const coord = await t.as('COORDINATOR', plans);
      expect(coord.errors).toBeUndefined();
      const codes = coord.data.monitoringPlans.nodes.map((n: any) => n.unit.code);
      expect(codes).not.toContain('LAICHAU.MUONGTE');
      expect(coord.data.monitoringPlans.totalCount).toBe(before.data.monitoringPlans.totalCount);
      const commune = await t.as('COMMUNE_OFFICER', plans);
      expect(commune.data.monitoringPlans.nodes.map((n: any) => n.unit.code)).toEqual(['TAMDUONG.BANBO']);
      // The lookup goes through the same (now unfiltered) list SQL: RLS still answers null.
      const one = await t.as('COORDINATOR', 'query($id: ID!) { monitoringPlan(id: $id) { id } }', { id: outsidePlanId });
      expect(one.errors).toBeUndefined();
      expect(one.data.monitoringPlan).toBeNull();
      const alloc = await t.as('COORDINATOR', 'query($id: ID!) { fundingAllocation(id: $id) { id } }', { id: outsideAllocationId });
      expect(alloc.data.fundingAllocation).toBeNull();
      const allocs = await t.as('COORDINATOR', '{ fundingAllocations(limit: 500) { nodes { unit { code } } } }');
      expect(allocs.data.fundingAllocations.nodes.map((n: any) => n.unit.code)).not.toContain('LAICHAU.MUONGTE');
      // ADMIN is unscoped: it still sees Mường Tè.
      const admin = await t.as('ADMIN', plans);
      expect(admin.data.monitoringPlans.nodes.map((n: any) => n.unit.code)).toContain('LAICHAU.MUONGTE');
    } finally {
      planList.opts.unitLink = saved.plan;
      allocationList.opts.unitLink = saved.alloc;
    }
  });

  it('every answer ends its transaction: refused and malformed requests leave no connection idle in a transaction', async () => {
    const token = await t.tokenOf('COORDINATOR');
    const auth = { authorization: `Bearer ${token}` };
    // More requests than the pool (10) has connections: a leaked transaction would hang the last ones.
    for (let i = 0; i < 4; i++) {
      const batched = await t.http
        .post('/graphql')
        .set(auth)
        .send([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
      expect(batched.status).toBe(400);
      expect((await t.as('COORDINATOR', '{ me { id ')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect((await t.as('COORDINATOR', '{ nope }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const viaGet = await t.http.get('/graphql').query({ query: 'mutation { logout }' }).set(auth).set('apollo-require-preflight', '1');
      expect(viaGet.status).toBeGreaterThanOrEqual(400);
    }
    const ok = await t.as('COORDINATOR', '{ me { username } }');
    expect(ok.data.me.username).toBe('td.coordinator');
    const [db] = await t.db<{ name: string }>('SELECT current_database() AS name');
    const stuck = await t.db<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'",
      [db.name],
    );
    expect(stuck[0].n).toBe(0);
  });

  it('a refused mutation is still audited, and sign-in still works for an anonymous caller', async () => {
    const r = await t.as(
      'COORDINATOR',
      'mutation($u: ID!) { createMonitoringPlan(input: { unitId: $u, year: 2026, title: "x" }) { id } }',
      { u: muongte },
    );
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(codeOf(r));
    const audit = await t.db<{ outcome: string }>(
      "SELECT outcome FROM audit_event WHERE operation = 'createMonitoringPlan' AND details->'args'->'input'->>'unitId' = $1 ORDER BY id DESC LIMIT 1",
      [muongte],
    );
    expect(audit[0].outcome).toBe(codeOf(r));
    const login = await t.gql('mutation { login(username: "td.banbo", password: "wrong-password") { token } }');
    expect(codeOf(login)).toBe('UNAUTHENTICATED');
    const ok = await t.gql('mutation { login(username: "mt.officer", password: "Mat-khau-dai-2025!") { token user { username } } }');
    expect(ok.errors).toBeUndefined();
    expect(ok.data.login.user.username).toBe('mt.officer');
  });

  it('stores a session in the scope of the person signing in, whatever token the request carries; signs out within it', async () => {
    const coordinatorToken = await t.token('td.coordinator');
    // A Tam Đường coordinator's token on a sign-in as the Mường Tè officer: the request continues as the officer.
    const r = await t.gql(
      'mutation { login(username: "mt.officer", password: "Mat-khau-dai-2025!") { token user { username unit { code } } } }',
      {},
      { token: coordinatorToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.login.user).toEqual({ username: 'mt.officer', unit: { code: 'LAICHAU.MUONGTE' } });
    const me = await t.gql('{ me { username } }', {}, { token: r.data.login.token });
    expect(me.data.me.username).toBe('mt.officer');
    // An agency officer (scope: its district) signs out: every session of theirs is revoked.
    const agency = await t.token('td.agriculture');
    const out = await t.gql('mutation { logout }', {}, { token: agency });
    expect(out.errors).toBeUndefined();
    expect(codeOf(await t.gql('{ me { username } }', {}, { token: agency }))).toBe('UNAUTHENTICATED');
    // A session row of someone outside the scope is neither readable nor revocable by a scoped request.
    const touched = await asRequest(coordinator, (em) =>
      sql<{ id: string }>(
        em,
        "UPDATE user_session s SET revoked_at = now() FROM app_user a WHERE a.id = s.user_id AND a.username = 'mt.officer' RETURNING s.id",
      ),
    );
    expect(touched).toEqual([]);
    const forged = await asRequest(undefined, (em) =>
      sql(
        em,
        "INSERT INTO user_session (id, user_id, expires_at) SELECT gen_random_uuid(), id, now() + interval '1 day' FROM app_user WHERE username = 'admin'",
      ),
    ).catch((e: { code?: string }) => e.code);
    expect(forged).toBe('42501');
  });
});
