import { describe, expect, it } from 'vitest';
import { codeOf, useTestApp, type GqlResult } from '../support/app';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';

const t = useTestApp();

/** A GraphQL request carrying an X-Request-Id. */
async function send(requestId: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult> {
  let req = t.http.post('/graphql').set('content-type', 'application/json').set('x-request-id', requestId);
  if (token) req = req.set('authorization', `Bearer ${token}`);
  const res = await req.send({ query, variables });
  return { status: res.status, ...res.body };
}

interface AuditRow {
  request_id: string;
  operation: string;
  outcome: string;
  actor: string | null;
  entity_type: string | null;
  entity_id: string | null;
  before: any;
  after: any;
  details: any;
  message: string | null;
}
const auditOf = (prefix: string) =>
  t.db<AuditRow>(
    `SELECT a.request_id, a.operation, a.outcome, u.username AS actor, a.entity_type, a.entity_id, a.before, a.after, a.details, a.message
     FROM audit_event a LEFT JOIN app_user u ON u.id = a.actor_id WHERE a.request_id LIKE $1 ORDER BY a.id`,
    [`${prefix}%`],
  );

describe('one audit event per mutation that reaches execution', () => {
  it('done, refused by a role, by validation, by a stale version, by a missing record, unauthenticated', async () => {
    const admin = await t.tokenOf('ADMIN');
    const coord = await t.tokenOf('COORDINATOR');
    const natam = (await t.db<{ id: string; version: number }>("SELECT id::text, version FROM unit WHERE code = 'TAMDUONG.NATAM'"))[0];
    const upd = 'mutation($id: ID!, $v: Int!, $n: String!) { updateUnit(id: $id, version: $v, input: { name: $n }) { name version } }';

    const r1 = await send('e1-ok', upd, { id: natam.id, v: natam.version, n: 'Xã Nà Tăm (đổi)' }, admin);
    expect(r1.data.updateUnit).toEqual({ name: 'Xã Nà Tăm (đổi)', version: natam.version + 1 });
    const r2 = await send('e1-forbidden', upd, { id: natam.id, v: natam.version + 1, n: 'Không được' }, coord);
    const r3 = await send('e1-stale', upd, { id: natam.id, v: natam.version, n: 'Cũ' }, admin);
    const r4 = await send('e1-bad', upd, { id: natam.id, v: natam.version + 1, n: '   ' }, admin);
    const r5 = await send('e1-missing', upd, { id: '987654321', v: 1, n: 'X' }, admin);
    const r6 = await send('e1-anon', upd, { id: natam.id, v: natam.version + 1, n: 'Ẩn danh' });
    const r7 = await send('e1-login-unknown', 'mutation { login(username: "ghost", password: "whatever-1") { token } }');
    const r8 = await send('e1-login-wrong', `mutation { login(username: "td.banbo", password: "wrong-pass") { token } }`);
    const r9 = await send('e1-login-ok', `mutation { login(username: "td.banbo", password: "${DEMO_PASSWORD}") { token } }`);
    expect([r2, r3, r4, r5, r6, r7, r8].map(codeOf)).toEqual([
      'FORBIDDEN',
      'CONFLICT',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(r9.data.login.token).toBeTruthy();
    // Queries and documents that never execute write nothing.
    await send('e1-query', '{ units { totalCount } }', {}, admin);
    await send('e1-invalid', 'mutation { updateUnit(id: 1) { name } }', {}, admin);
    await send('e1-unparsable', 'mutation { ', {}, admin);

    const rows = await auditOf('e1-');
    const banbo = (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'td.banbo'"))[0].id;
    // request id          operation     outcome            actor             entity type  entity id
    expect(rows.map((r) => [r.request_id, r.operation, r.outcome, r.actor, r.entity_type, r.entity_id])).toEqual([
      ['e1-ok', 'updateUnit', 'SUCCESS', 'admin', 'Unit', natam.id],
      ['e1-forbidden', 'updateUnit', 'FORBIDDEN', 'td.coordinator', 'Unit', natam.id],
      ['e1-stale', 'updateUnit', 'CONFLICT', 'admin', 'Unit', natam.id],
      ['e1-bad', 'updateUnit', 'BAD_USER_INPUT', 'admin', 'Unit', natam.id],
      ['e1-missing', 'updateUnit', 'NOT_FOUND', 'admin', 'Unit', '987654321'],
      ['e1-anon', 'updateUnit', 'UNAUTHENTICATED', null, 'Unit', natam.id],
      ['e1-login-unknown', 'login', 'UNAUTHENTICATED', null, 'User', null],
      ['e1-login-wrong', 'login', 'UNAUTHENTICATED', null, 'User', banbo],
      ['e1-login-ok', 'login', 'SUCCESS', 'td.banbo', 'User', banbo],
    ]);
    const ok = rows[0];
    expect(ok.before).toMatchObject({ id: natam.id, name: 'Xã Nà Tăm', version: natam.version });
    expect(ok.after).toMatchObject({ id: natam.id, name: 'Xã Nà Tăm (đổi)', version: natam.version + 1 });
    expect(ok.details.args).toEqual({ id: natam.id, version: natam.version, input: { name: 'Xã Nà Tăm (đổi)' } });
    expect(ok.message).toBeNull();
    // A refusal keeps what was known before it and says why; nothing after.
    expect(rows[2].before).toMatchObject({ name: 'Xã Nà Tăm (đổi)', version: natam.version + 1 });
    expect(rows[2].after).toBeNull();
    expect(rows[2].message).toBe('Bản ghi đã bị người khác thay đổi; hãy tải lại và thử lại');
    expect(rows[1].details.args.input).toEqual({ name: 'Không được' });
    // Passwords never reach the trail.
    for (const r of rows.slice(6)) expect(r.details.args.password).toBe('[redacted]');
    expect(JSON.stringify(rows)).not.toContain('wrong-pass');
    expect(JSON.stringify(rows)).not.toContain(DEMO_PASSWORD);
    // The refusals changed nothing.
    expect((await t.db('SELECT name, version FROM unit WHERE id = $1', [natam.id]))[0]).toEqual({
      name: 'Xã Nà Tăm (đổi)',
      version: natam.version + 1,
    });
  });

  it('two mutations in one request write two events with the same request id; the second may fail alone', async () => {
    const admin = await t.tokenOf('ADMIN');
    const r = await send(
      'e2-multi',
      `mutation {
        a: createProgram(input: { code: "GNBV-2026-2030", name: "Chương trình giai đoạn 2026-2030", startYear: 2026, endYear: 2030 }) { id code }
        b: createProgram(input: { code: "GNBV-2026-2030", name: "Trùng mã", startYear: 2026, endYear: 2030 }) { id }
      }`,
      {},
      admin,
    );
    // createProgram returns Program!, so the second failure nulls the whole answer; the first still committed.
    expect(r.data).toBeNull();
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors![0].path).toEqual(['b']);
    const [created] = await t.db<{ id: string }>("SELECT id::text FROM program WHERE code = 'GNBV-2026-2030'");
    const rows = await auditOf('e2-');
    expect(rows.map((x) => [x.operation, x.outcome, x.entity_type, x.entity_id])).toEqual([
      ['createProgram', 'SUCCESS', 'Program', created.id],
      ['createProgram', 'CONFLICT', 'Program', null],
    ]);
    expect(await t.db("SELECT name FROM program WHERE code = 'GNBV-2026-2030'")).toEqual([{ name: 'Chương trình giai đoạn 2026-2030' }]);
  });

  it('user management, passwords and API keys are audited without secrets', async () => {
    const admin = await t.tokenOf('ADMIN');
    const c = await send(
      'e3-create',
      'mutation($u: ID!) { createUser(input: { username: "au.user", password: "Bi-mat-2025", displayName: "Người kiểm tra", role: VIEWER, unitId: $u }) { id } }',
      { u: await t.unitId('TAMDUONG.HOTHAU') },
      admin,
    );
    const id = c.data.createUser.id;
    const tok = (await t.gql('mutation { login(username: "au.user", password: "Bi-mat-2025") { token } }')).data.login.token;
    await send('e3-change', 'mutation { changePassword(currentPassword: "Bi-mat-2025", newPassword: "Bi-mat-2026") }', {}, tok);
    await send('e3-reset', 'mutation($id: ID!) { resetPassword(userId: $id, newPassword: "Bi-mat-2027") }', { id }, admin);
    const k = await send(
      'e3-key',
      'mutation($u: ID!) { createApiKey(input: { name: "Khóa", unitId: $u }) { secret apiKey { id } } }',
      { u: await t.unitId('LAICHAU') },
      admin,
    );
    await send('e3-logout', 'mutation { logout }', {}, await t.token('td.binhlu'));
    const rows = await auditOf('e3-');
    expect(rows.map((x) => [x.request_id, x.operation, x.outcome, x.actor, x.entity_type, x.entity_id])).toEqual([
      ['e3-create', 'createUser', 'SUCCESS', 'admin', 'User', id],
      ['e3-change', 'changePassword', 'SUCCESS', 'au.user', 'User', id],
      ['e3-reset', 'resetPassword', 'SUCCESS', 'admin', 'User', id],
      ['e3-key', 'createApiKey', 'SUCCESS', 'admin', 'ApiKey', k.data.createApiKey.apiKey.id],
      [
        'e3-logout',
        'logout',
        'SUCCESS',
        'td.binhlu',
        'User',
        (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'td.binhlu'"))[0].id,
      ],
    ]);
    expect(rows[0].after).toMatchObject({ username: 'au.user', role: 'VIEWER', displayName: 'Người kiểm tra' });
    expect(rows[0].after.passwordHash).toBeUndefined();
    const text = JSON.stringify(rows);
    for (const secret of ['Bi-mat-2025', 'Bi-mat-2026', 'Bi-mat-2027', 'scrypt$', k.data.createApiKey.secret.slice(12)])
      expect(text).not.toContain(secret);
    expect(rows[3].after).toMatchObject({
      id: k.data.createApiKey.apiKey.id,
      name: 'Khóa',
      prefix: k.data.createApiKey.secret.slice(0, 12),
    });
    expect(rows[3].after.secretHash).toBeUndefined();
  });
});

describe('transaction and append-only trail', () => {
  it('a successful change and its audit event commit in the same transaction', async () => {
    const admin = await t.tokenOf('ADMIN');
    const r = await send(
      'e4-tx',
      'mutation { createProgram(input: { code: "TX.ONE", name: "Một giao dịch", startYear: 2026, endYear: 2030 }) { id } }',
      {},
      admin,
    );
    const [prog] = await t.db<{ xmin: string }>("SELECT xmin::text FROM program WHERE code = 'TX.ONE'");
    const [ev] = await t.db<{ xmin: string; entity_id: string }>(
      "SELECT xmin::text, entity_id FROM audit_event WHERE request_id = 'e4-tx'",
    );
    expect(ev.entity_id).toBe(r.data.createProgram.id);
    expect(ev.xmin).toBe(prog.xmin);
  });

  it('when the audit event cannot be written, the change is rolled back too', async () => {
    await t.db(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.outcome = 'SUCCESS' AND NEW.request_id = 'e5-fail' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END $$`);
    await t.db('CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()');
    try {
      const r = await send(
        'e5-fail',
        'mutation { createProgram(input: { code: "TX.LOST", name: "Không lưu", startYear: 2026, endYear: 2030 }) { id } }',
        {},
        await t.tokenOf('ADMIN'),
      );
      expect(codeOf(r)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(r.errors)).not.toContain('audit store unavailable');
    } finally {
      await t.db('DROP TRIGGER test_refuse_audit ON audit_event');
      await t.db('DROP FUNCTION test_refuse_audit()');
    }
    expect(await t.db("SELECT 1 FROM program WHERE code = 'TX.LOST'")).toEqual([]);
    // The failure itself is still on record, after the rollback.
    expect((await auditOf('e5-')).map((x) => [x.operation, x.outcome])).toEqual([['createProgram', 'INTERNAL_SERVER_ERROR']]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, from the application connection and as the owner', async () => {
    await send('e6-row', 'mutation { logout }', {}, await t.token('td.health'));
    const [before] = await t.db<{ n: string }>('SELECT count(*)::text n FROM audit_event');
    expect(Number(before.n)).toBeGreaterThan(0);
    const conn = t.orm.em.getConnection();
    const attempts = [
      "UPDATE audit_event SET outcome = 'SUCCESS' WHERE request_id = 'e6-row'",
      "UPDATE audit_event SET request_id = 'x'",
      "DELETE FROM audit_event WHERE request_id = 'e6-row'",
      'DELETE FROM audit_event',
      'TRUNCATE audit_event',
    ];
    for (const q of attempts) {
      await expect(conn.execute(q), q).rejects.toThrow(/append-only/);
      await expect(t.db(q), q).rejects.toThrow(/append-only/);
    }
    const [after] = await t.db<{ n: string }>('SELECT count(*)::text n FROM audit_event');
    expect(after.n).toBe(before.n);
    expect((await auditOf('e6-')).map((x) => [x.operation, x.outcome, x.actor])).toEqual([['logout', 'SUCCESS', 'td.health']]);
  });
});

describe('auditEvents', () => {
  it('filters by entity, actor, operation and time, newest first: the history of a record', async () => {
    const admin = await t.tokenOf('ADMIN');
    const c = await send(
      'e7-1',
      'mutation { createProgram(input: { code: "HIS.P", name: "Lịch sử", startYear: 2026, endYear: 2030 }) { id } }',
      {},
      admin,
    );
    const id = c.data.createProgram.id;
    await send('e7-2', 'mutation($id: ID!) { updateProgram(id: $id, version: 1, input: { name: "Lịch sử 2" }) { id } }', { id }, admin);
    await send('e7-3', 'mutation($id: ID!) { updateProgram(id: $id, version: 1, input: { name: "Trễ" }) { id } }', { id }, admin);
    await send('e7-4', 'mutation($id: ID!) { archiveProgram(id: $id, version: 2) { id } }', { id }, admin);
    const q = `query($f: AuditEventFilter) { auditEvents(filter: $f) { totalCount nodes { operation outcome entityType entityId requestId at before after actor { username } } } }`;
    const h = await t.as('ADMIN', q, { f: { entityType: { eq: 'Program' }, entityId: { eq: id } } });
    expect(h.errors).toBeUndefined();
    const nodes = h.data.auditEvents.nodes;
    expect(nodes.map((n: any) => [n.requestId, n.operation, n.outcome, n.actor.username])).toEqual([
      ['e7-4', 'archiveProgram', 'SUCCESS', 'admin'],
      ['e7-3', 'updateProgram', 'CONFLICT', 'admin'],
      ['e7-2', 'updateProgram', 'SUCCESS', 'admin'],
      ['e7-1', 'createProgram', 'SUCCESS', 'admin'],
    ]);
    expect(nodes[2].before).toMatchObject({ name: 'Lịch sử', version: 1 });
    expect(nodes[2].after).toMatchObject({ name: 'Lịch sử 2', version: 2 });
    expect(nodes[0].after.archivedAt).toBeTruthy();
    expect(nodes[3].before).toBeNull();

    // Time window: everything at or after the update, before the archive.
    const times = nodes.map((n: any) => n.at);
    const win = await t.as('ADMIN', q, { f: { entityType: { eq: 'Program' }, entityId: { eq: id }, at: { gte: times[2], lt: times[0] } } });
    expect(win.data.auditEvents.nodes.map((n: any) => n.requestId)).toEqual(['e7-3', 'e7-2']);
    const outcomes = await t.as('ADMIN', q, { f: { entityType: { eq: 'Program' }, entityId: { eq: id }, outcome: { ne: 'SUCCESS' } } });
    expect(outcomes.data.auditEvents.nodes.map((n: any) => n.requestId)).toEqual(['e7-3']);
    const byActor = await t.as('ADMIN', q, {
      f: {
        actorId: { eq: (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'admin'"))[0].id },
        operation: { in: ['archiveProgram'] },
      },
    });
    expect(byActor.data.auditEvents.nodes.map((n: any) => n.requestId)).toEqual(['e7-4']);
    const asc = await t.as(
      'ADMIN',
      `query($id: ID!) { auditEvents(filter: { entityType: { eq: "Program" }, entityId: { eq: $id } }, orderBy: [{ field: AT, direction: ASC }], limit: 2) { totalCount pageInfo { hasNextPage } nodes { requestId } } }`,
      { id },
    );
    expect(asc.data.auditEvents).toEqual({
      totalCount: 4,
      pageInfo: { hasNextPage: true },
      nodes: [{ requestId: 'e7-1' }, { requestId: 'e7-2' }],
    });
  });

  it('ADMIN reads all; COORDINATOR only events about units in its district; nobody else', async () => {
    const admin = await t.tokenOf('ADMIN');
    const sinho = await t.db<{ id: string; version: number }>("SELECT id::text, version FROM unit WHERE code = 'LAICHAU.SINHO'");
    const hothau = await t.db<{ id: string; version: number }>("SELECT id::text, version FROM unit WHERE code = 'TAMDUONG.HOTHAU'");
    const upd = 'mutation($id: ID!, $v: Int!) { updateUnit(id: $id, version: $v, input: { validFrom: "2000-01-01" }) { id } }';
    await send('e8-sinho', upd, { id: sinho[0].id, v: sinho[0].version }, admin);
    await send('e8-hothau', upd, { id: hothau[0].id, v: hothau[0].version }, admin);
    await send('e8-coord', upd, { id: hothau[0].id, v: 1 }, await t.tokenOf('COORDINATOR'));
    const q =
      '{ auditEvents(filter: { requestId: { startsWith: "e8-" } }, orderBy: [{ field: AT, direction: ASC }]) { nodes { requestId outcome } } }';
    expect((await t.as('ADMIN', q)).data.auditEvents.nodes).toEqual([
      { requestId: 'e8-sinho', outcome: 'SUCCESS' },
      { requestId: 'e8-hothau', outcome: 'SUCCESS' },
      { requestId: 'e8-coord', outcome: 'FORBIDDEN' },
    ]);
    // The coordinator's own refused attempt is about its home unit's district; Sìn Hồ is outside.
    expect((await t.as('COORDINATOR', q)).data.auditEvents.nodes).toEqual([
      { requestId: 'e8-hothau', outcome: 'SUCCESS' },
      { requestId: 'e8-coord', outcome: 'FORBIDDEN' },
    ]);
    for (const role of ['AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const)
      expect(codeOf(await t.as(role, q)), role).toBe('FORBIDDEN');
    const total = await t.as('COORDINATOR', '{ auditEvents(limit: 500) { totalCount } }');
    const [inScope] = await t.db<{ n: string }>(
      `SELECT count(*)::text n FROM audit_event a JOIN unit u ON u.id = a.unit_id WHERE u.path LIKE (SELECT path FROM unit WHERE code = 'LAICHAU.TAMDUONG') || '%'`,
    );
    expect(total.data.auditEvents.totalCount).toBe(Number(inScope.n));
  });
});
