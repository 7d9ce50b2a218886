import { describe, expect, it } from 'vitest';
import { GraphQLInputObjectType, GraphQLNonNull, getIntrospectionQuery, getNamedType, type GraphQLObjectType } from 'graphql';
import { codeOf, useTestApp, type RoleName } from '../support/app';
import { buildAppSchema } from '../../packages/server/src/graphql/schema';
import { accessRules } from '../../packages/server/src/auth/policy';
import { authenticate } from '../../packages/server/src/auth/tokens';

const t = useTestApp();

const ROLES: RoleName[] = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'];

async function programId(): Promise<string> {
  return (await t.db<{ id: string }>("SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'"))[0].id;
}
async function componentId(code: string): Promise<string> {
  return (await t.db<{ id: string }>('SELECT id::text FROM program_component WHERE code = $1', [code]))[0].id;
}
async function createApiKey(unitCode: string): Promise<{ secret: string; id: string; serviceUserId: string }> {
  const r = await t.as(
    'ADMIN',
    `mutation($u: ID!) { createApiKey(input: { name: "Khóa kiểm thử", unitId: $u }) { secret apiKey { id } } }`,
    {
      u: await t.unitId(unitCode),
    },
  );
  expect(r.errors).toBeUndefined();
  const id = r.data.createApiKey.apiKey.id;
  const [row] = await t.db<{ u: string }>('SELECT service_user_id::text u FROM api_key WHERE id = $1', [id]);
  return { secret: r.data.createApiKey.secret, id, serviceUserId: row.u };
}
/** Creates a user through the API (ADMIN) and signs in as it. */
async function userAt(username: string, role: string, unitCode: string): Promise<{ id: string; token: string }> {
  const r = await t.as('ADMIN', `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
    i: { username, password: 'Secret#2025', displayName: `Người dùng ${username}`, role, unitId: await t.unitId(unitCode) },
  });
  expect(r.errors).toBeUndefined();
  return { id: r.data.createUser.id, token: await t.token(username, 'Secret#2025') };
}

describe('deny by default', () => {
  it('every Query and Mutation field of the built schema has an access rule', async () => {
    const schema = await buildAppSchema();
    const fields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(fields.length).toBeGreaterThan(30);
    const missing = fields.filter((f) => !accessRules.has(f));
    expect(missing).toEqual([]);
    // Only `login` is open to anonymous callers; no mutation is open to API keys through its rule.
    expect(fields.filter((f) => accessRules.get(f)!.roles === 'PUBLIC')).toEqual(['login']);
  });

  it('a root field whose rule is missing is refused, even for ADMIN', async () => {
    const rule = accessRules.get('programs')!;
    accessRules.delete('programs');
    try {
      const r = await t.as('ADMIN', '{ programs { totalCount } }');
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.data?.programs ?? null).toBeNull();
    } finally {
      accessRules.set('programs', rule);
    }
    expect((await t.as('ADMIN', '{ programs { totalCount } }')).data.programs.totalCount).toBe(1);
  });
});

describe('anonymous callers', () => {
  it('get UNAUTHENTICATED on every root field but login and __typename', async () => {
    const d = await t.unitId('LAICHAU.TAMDUONG');
    const queries: [string, Record<string, unknown>?][] = [
      ['{ units { totalCount } }'],
      ['query($id: ID!) { unit(id: $id) { name } }', { id: d }],
      ['{ unitByCode(code: "LAICHAU") { name } }'],
      ['{ programs { totalCount } }'],
      ['{ programComponents { totalCount } }'],
      ['{ me { username } }'],
      ['{ users { totalCount } }'],
      ['{ auditEvents { totalCount } }'],
      ['{ apiKeys { totalCount } }'],
      ['mutation { createUnit(input: { code: "ANON.X", name: "X", kind: PROVINCE }) { id } }'],
      ['mutation { logout }'],
      ['mutation { changePassword(currentPassword: "a", newPassword: "bbbbbbbbbb") }'],
    ];
    for (const [q, v] of queries) {
      const r = await t.gql(q, v);
      expect(codeOf(r), q).toBe('UNAUTHENTICATED');
      expect(r.errors![0].message).toBe('Cần đăng nhập');
    }
    expect((await t.gql('{ units { totalCount } }', {}, { lang: 'en' })).errors![0].message).toBe('Authentication required');
    expect((await t.db("SELECT 1 FROM unit WHERE code = 'ANON.X'")).length).toBe(0);
    const health = await t.gql('{ __typename }');
    expect(health.errors).toBeUndefined();
    expect(health.data).toEqual({ __typename: 'Query' });
    const login = await t.gql('mutation { login(username: "td.viewer", password: "Demo@2025") { user { username role } } }');
    expect(login.data.login.user).toEqual({ username: 'td.viewer', role: 'VIEWER' });
  });

  it('a bad or malformed token is UNAUTHENTICATED, not anonymous', async () => {
    for (const token of ['garbage', 'v1.eyJzIjoiMSJ9.bad', 'ntpk_1_aaaaaaaaaaaaaaaaaaaaaaaaa']) {
      const r = await t.gql('{ __typename units { totalCount } }', {}, { token });
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
    }
    const res = await t.http.post('/graphql').set('authorization', 'Basic abc').send({ query: '{ units { totalCount } }' });
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('may introspect outside production', async () => {
    const r = await t.gql(getIntrospectionQuery());
    expect(r.errors).toBeUndefined();
    expect(r.data.__schema.queryType.name).toBe('Query');
  });
});

describe('reference data: every role reads units and programs; only ADMIN writes them', () => {
  it('reads', async () => {
    const key = await createApiKey('TAMDUONG.BANBO');
    const callers: (RoleName | { token: string })[] = [...ROLES, { token: key.secret }];
    const sinho = await t.unitId('LAICHAU.SINHO');
    for (const c of callers) {
      const label = typeof c === 'string' ? c : 'API key';
      const r = await t.as(
        c,
        `query($s: ID!) {
          units(filter: { kind: { eq: DISTRICT } }) { totalCount }
          unit(id: $s) { code }
          unitByCode(code: "TAMDUONG.BINHLU") { name parent { code } }
          programs { nodes { code components { code } } }
          programComponents(filter: { code: { eq: "DA3.TDA2" } }) { nodes { code } }
        }`,
        { s: sinho },
      );
      expect(r.errors, label).toBeUndefined();
      // 8 districts of Lai Châu before the 2025 reform, whatever the caller's scope.
      expect(r.data.units.totalCount, label).toBe(8);
      expect(r.data.unit, label).toEqual({ code: 'LAICHAU.SINHO' });
      expect(r.data.unitByCode, label).toEqual({ name: 'Xã Bình Lư', parent: { code: 'LAICHAU.TAMDUONG' } });
      expect(r.data.programs.nodes, label).toHaveLength(1);
      expect(r.data.programs.nodes[0].code).toBe('GNBV-2021-2025');
      expect(r.data.programs.nodes[0].components.length).toBeGreaterThanOrEqual(18);
      expect(r.data.programComponents.nodes, label).toEqual([{ code: 'DA3.TDA2' }]);
    }
  });

  it('writes: ADMIN anywhere; every other role FORBIDDEN and nothing changes', async () => {
    const key = await createApiKey('LAICHAU.TAMDUONG');
    const callers: (RoleName | { token: string })[] = ['COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER', { token: key.secret }];
    const banbo = await t.db<{ id: string; version: number }>("SELECT id::text, version FROM unit WHERE code = 'TAMDUONG.BANBO'");
    const pid = await programId();
    const prog = (await t.db<{ version: number }>('SELECT version FROM program WHERE id = $1', [pid]))[0];
    for (const c of callers) {
      const label = typeof c === 'string' ? c : 'API key';
      const writes: [string, Record<string, unknown>][] = [
        ['mutation { createUnit(input: { code: "X.NEW", name: "X", kind: PROVINCE }) { id } }', {}],
        [
          'mutation($id: ID!, $v: Int!) { updateUnit(id: $id, version: $v, input: { name: "Đổi tên" }) { id } }',
          { id: banbo[0].id, v: banbo[0].version },
        ],
        ['mutation($id: ID!, $v: Int!) { archiveUnit(id: $id, version: $v) { id } }', { id: banbo[0].id, v: banbo[0].version }],
        ['mutation { createProgram(input: { code: "P.X", name: "X", startYear: 2026, endYear: 2030 }) { id } }', {}],
        [
          'mutation($id: ID!, $v: Int!) { updateProgram(id: $id, version: $v, input: { name: "Đổi tên" }) { id } }',
          { id: pid, v: prog.version },
        ],
        [
          'mutation($p: ID!) { createProgramComponent(input: { programId: $p, code: "DA9", name: "X", kind: PROJECT }) { id } }',
          { p: pid },
        ],
      ];
      for (const [q, v] of writes) {
        const r = await t.as(c, q, v);
        expect(codeOf(r), `${label}: ${q}`).toBe('FORBIDDEN');
      }
    }
    expect(await t.db("SELECT code FROM unit WHERE code = 'X.NEW' OR name = 'Đổi tên' OR archived_at IS NOT NULL")).toEqual([]);
    expect(await t.db("SELECT code FROM program WHERE code = 'P.X' OR name = 'Đổi tên'")).toEqual([]);
    expect(await t.db("SELECT code FROM program_component WHERE code = 'DA9'")).toEqual([]);

    // ADMIN reads and writes every unit, in any district and at the province.
    const sinho = await t.unitId('LAICHAU.SINHO');
    const c = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "SINHO.XTEST", name: "Xã Thử", kind: COMMUNE, parentId: $p, validTo: "2025-06-30" }) { id level parent { code } } }`,
      { p: sinho },
    );
    expect(c.errors).toBeUndefined();
    expect(c.data.createUnit).toMatchObject({ level: 2, parent: { code: 'LAICHAU.SINHO' } });
    const u = await t.as(
      'ADMIN',
      `mutation($id: ID!, $v: Int!) { updateUnit(id: $id, version: $v, input: { name: "Xã Bản Bo (mới)" }) { name version } }`,
      {
        id: banbo[0].id,
        v: banbo[0].version,
      },
    );
    expect(u.data.updateUnit).toEqual({ name: 'Xã Bản Bo (mới)', version: banbo[0].version + 1 });
    const province = (await t.db<{ id: string; version: number }>("SELECT id::text, version FROM unit WHERE code = 'LAICHAU'"))[0];
    const p = await t.as(
      'ADMIN',
      `mutation($id: ID!, $v: Int!) { updateUnit(id: $id, version: $v, input: { name: "Tỉnh Lai Châu" }) { version } }`,
      { id: province.id, v: province.version },
    );
    expect(p.data.updateUnit.version).toBe(province.version + 1);
  });
});

describe('COORDINATOR writes reference data of its district only', () => {
  it('assignLeadAgency: in its district yes; another district FORBIDDEN; other roles FORBIDDEN', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const culture = await t.unitId('TAMDUONG.PVHTT');
    const da6 = await componentId('DA6');
    const q = `mutation($c: ID!, $u: ID!, $a: ID!) { assignLeadAgency(componentId: $c, unitId: $u, agencyId: $a) { code leadAgency(unitId: $u) { code } } }`;
    for (const role of ['AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as RoleName[]) {
      expect(codeOf(await t.as(role, q, { c: da6, u: district, a: culture })), role).toBe('FORBIDDEN');
    }
    const ok = await t.as('COORDINATOR', q, { c: da6, u: district, a: culture });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.assignLeadAgency).toEqual({ code: 'DA6', leadAgency: { code: 'TAMDUONG.PVHTT' } });

    // Sìn Hồ: ADMIN creates an agency there; the Tam Đường coordinator may read it but not assign it.
    const sinho = await t.unitId('LAICHAU.SINHO');
    const ag = await t.as(
      'ADMIN',
      `mutation($p: ID!) { createUnit(input: { code: "SINHO.PVHTT", name: "Phòng VH-TT Sìn Hồ", kind: AGENCY, parentId: $p, validTo: "2025-06-30" }) { id } }`,
      { p: sinho },
    );
    const sinhoAgency = ag.data.createUnit.id;
    const out = await t.as('COORDINATOR', q, { c: da6, u: sinho, a: sinhoAgency });
    expect(codeOf(out)).toBe('FORBIDDEN');
    expect(await t.db('SELECT 1 FROM lead_agency WHERE unit_id = $1', [sinho])).toEqual([]);
    const admin = await t.as('ADMIN', q, { c: da6, u: sinho, a: sinhoAgency });
    expect(admin.data.assignLeadAgency.leadAgency).toEqual({ code: 'SINHO.PVHTT' });
  });

  it('addReportingUnit / removeReportingUnit: in scope yes, outside FORBIDDEN', async () => {
    const pid = await programId();
    const sinho = await t.unitId('LAICHAU.SINHO');
    const bcd = await t.unitId('TAMDUONG.BCD');
    const add = `mutation($p: ID!, $u: ID!) { addReportingUnit(programId: $p, unitId: $u, validFrom: "2022-01-01", validTo: "2025-06-30") { code } }`;
    const remove = `mutation($p: ID!, $u: ID!) { removeReportingUnit(programId: $p, unitId: $u, validTo: "2024-12-31") { code } }`;
    for (const role of ['AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as RoleName[]) {
      expect(codeOf(await t.as(role, add, { p: pid, u: bcd })), role).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.as('COORDINATOR', add, { p: pid, u: sinho }))).toBe('FORBIDDEN');
    const ok = await t.as('COORDINATOR', add, { p: pid, u: bcd });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.addReportingUnit).toEqual({ code: 'TAMDUONG.BCD' });
    const rm = await t.as('COORDINATOR', remove, { p: pid, u: bcd });
    expect(rm.data.removeReportingUnit).toEqual({ code: 'TAMDUONG.BCD' });
    expect(await t.db('SELECT valid_to::text FROM reporting_unit WHERE unit_id = $1 AND archived_at IS NULL', [bcd])).toEqual([
      { valid_to: '2024-12-31' },
    ]);
    // ADMIN may add Sìn Hồ; the coordinator may not remove it.
    expect((await t.as('ADMIN', add, { p: pid, u: sinho })).errors).toBeUndefined();
    expect(codeOf(await t.as('COORDINATOR', remove, { p: pid, u: sinho }))).toBe('FORBIDDEN');
    expect(await t.db('SELECT valid_to::text FROM reporting_unit WHERE unit_id = $1', [sinho])).toEqual([{ valid_to: '2025-06-30' }]);
  });
});

describe('scope of unit-tied records', () => {
  it('the scope root: home unit, the district for an agency, none for ADMIN, the key unit for an API key', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const cases: [string, string | null][] = [
      ['td.agriculture', district],
      ['td.health', district],
      ['td.coordinator', district],
      ['td.viewer', district],
      ['td.banbo', banbo],
      ['admin', null],
    ];
    for (const [username, root] of cases) {
      const { caller } = await authenticate(t.orm.em.fork(), `Bearer ${await t.token(username)}`);
      expect(caller?.scopeRootId, username).toBe(root);
    }
    const key = await createApiKey('TAMDUONG.BANBO');
    const { caller } = await authenticate(t.orm.em.fork(), `Bearer ${key.secret}`);
    expect(caller).toMatchObject({ kind: 'apiKey', scopeRootId: banbo, userId: key.serviceUserId, role: 'VIEWER' });
  });

  it('COORDINATOR (an agency user) sees the users of its whole district and no others', async () => {
    await userAt('sh.officer', 'COMMUNE_OFFICER', 'LAICHAU.SINHO');
    const r = await t.as('COORDINATOR', '{ users(limit: 500) { totalCount nodes { username } } }');
    // Tam Đường demo users (td.*); not admin (province) nor sh.officer (Sìn Hồ); service users are never listed.
    expect(r.data.users.nodes.map((n: any) => n.username)).toEqual([
      'td.agriculture',
      'td.banbo',
      'td.binhlu',
      'td.coordinator',
      'td.health',
      'td.viewer',
    ]);
    const all = await t.as('ADMIN', '{ users(limit: 500) { nodes { username } } }');
    expect(all.data.users.nodes.map((n: any) => n.username)).toEqual(
      expect.arrayContaining([
        'admin',
        'sh.officer',
        'td.agriculture',
        'td.banbo',
        'td.binhlu',
        'td.coordinator',
        'td.health',
        'td.viewer',
      ]),
    );
    const admin = (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'admin'"))[0].id;
    const sh = (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'sh.officer'"))[0].id;
    const lookup = await t.as('COORDINATOR', 'query($a: ID!, $b: ID!) { a: user(id: $a) { username } b: user(id: $b) { username } }', {
      a: admin,
      b: sh,
    });
    expect(lookup.errors).toBeUndefined();
    expect(lookup.data).toEqual({ a: null, b: null });
    // underUnit beyond the scope is narrowed, not refused.
    const province = await t.unitId('LAICHAU');
    const narrowed = await t.as('COORDINATOR', 'query($p: ID!) { users(filter: { underUnit: $p }) { totalCount } }', { p: province });
    expect(narrowed.data.users.totalCount).toBe(6);
    const sinho = await t.unitId('LAICHAU.SINHO');
    const other = await t.as('COORDINATOR', 'query($p: ID!) { users(filter: { underUnit: $p }) { totalCount } }', { p: sinho });
    expect(other.data.users.totalCount).toBe(0);
    // COORDINATOR may read but not manage users.
    expect(
      codeOf(
        await t.as('COORDINATOR', 'mutation($id: ID!) { updateUser(id: $id, version: 1, input: { disabled: true }) { id } }', { id: sh }),
      ),
    ).toBe('FORBIDDEN');
  });

  it("a commune-scoped caller never sees a sibling commune's records: lists, lookups, underUnit, id filters", async () => {
    // A coordinator whose home unit is Xã Bản Bo has the commune as scope root.
    const bb = await userAt('bb.coordinator', 'COORDINATOR', 'TAMDUONG.BANBO');
    const binhlu = await t.unitId('TAMDUONG.BINHLU');
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const tdBinhlu = (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'td.binhlu'"))[0].id;
    const tdBanbo = (await t.db<{ id: string }>("SELECT id::text FROM app_user WHERE username = 'td.banbo'"))[0].id;
    // An audited change about Bình Lư, and one about Bản Bo.
    const pid = await programId();
    await t.as('ADMIN', `mutation($p: ID!, $u: ID!) { removeReportingUnit(programId: $p, unitId: $u, validTo: "2025-01-31") { code } }`, {
      p: pid,
      u: binhlu,
    });
    await t.as('ADMIN', `mutation($p: ID!, $u: ID!) { removeReportingUnit(programId: $p, unitId: $u, validTo: "2025-02-28") { code } }`, {
      p: pid,
      u: banbo,
    });
    const me = { token: bb.token };
    const users = await t.as(me, '{ users { nodes { username } } }');
    expect(users.data.users.nodes.map((n: any) => n.username)).toEqual(['bb.coordinator', 'td.banbo']);
    const look = await t.as(me, 'query($a: ID!, $b: ID!) { a: user(id: $a) { username } b: user(id: $b) { username } }', {
      a: tdBinhlu,
      b: tdBanbo,
    });
    expect(look.data).toEqual({ a: null, b: { username: 'td.banbo' } });
    const byId = await t.as(me, 'query($a: ID!) { users(filter: { id: { eq: $a } }) { totalCount } }', { a: tdBinhlu });
    expect(byId.data.users.totalCount).toBe(0);
    const under = await t.as(
      me,
      'query($u: ID!) { users(filter: { underUnit: $u }) { totalCount } auditEvents(filter: { underUnit: $u }) { totalCount } }',
      { u: binhlu },
    );
    expect(under.data).toEqual({ users: { totalCount: 0 }, auditEvents: { totalCount: 0 } });
    const audit = await t.as(me, '{ auditEvents(filter: { operation: { eq: "removeReportingUnit" } }) { nodes { details } } }');
    expect(audit.data.auditEvents.nodes.map((n: any) => n.details.args.unitId)).toEqual([banbo]);
    const byUnit = await t.as(me, '{ auditEvents(filter: { entityType: { eq: "ReportingUnit" } }) { totalCount } }');
    expect(byUnit.data.auditEvents.totalCount).toBe(1);
    // The real commune officer may not list users or audit events at all.
    for (const q of ['{ users { totalCount } }', '{ auditEvents { totalCount } }', '{ apiKeys { totalCount } }']) {
      expect(codeOf(await t.as('COMMUNE_OFFICER', q)), q).toBe('FORBIDDEN');
    }
    const lookup = await t.as('COMMUNE_OFFICER', 'query($a: ID!) { user(id: $a) { username } }', { a: tdBinhlu });
    expect(codeOf(lookup)).toBe('FORBIDDEN');
  });

  /**
   * Every list whose filter has underUnit (units themselves aside: reference data), every lookup of its records and
   * every connection nested in Unit: the caller sees exactly what ADMIN finds under its scope root, and a record found
   * only under `otherCode` is never visible.
   */
  async function checkScope(caller: RoleName | { token: string }, rootCode: string, otherCode: string): Promise<string[]> {
    const schema = await buildAppSchema();
    const root = await t.unitId(rootCode);
    const other = await t.unitId(otherCode);
    const query = schema.getQueryType()!.getFields();
    const ids = (r: any, f: string): string[] => r.data[f].nodes.map((n: any) => n.id);
    const label = typeof caller === 'string' ? caller : 'API key';
    const checked: string[] = [];
    const lists = Object.values(query).filter((f) => {
      const filter = f.args.find((a) => a.name === 'filter');
      const filterType = filter && getNamedType(filter.type);
      return (
        f.name !== 'units' &&
        getNamedType(f.type).name.endsWith('Connection') &&
        filterType instanceof GraphQLInputObjectType &&
        'underUnit' in filterType.getFields() &&
        f.args.every((a) => a.name === 'filter' || !(a.type instanceof GraphQLNonNull))
      );
    });
    expect(lists.map((f) => f.name)).toEqual(expect.arrayContaining(['users', 'auditEvents', 'apiKeys']));
    const inScope = new Map<string, Set<string>>();
    for (const f of lists) {
      const q = `query($u: ID) { ${f.name}(filter: { underUnit: $u }, limit: 500) { totalCount nodes { id } } }`;
      const admin = await t.as('ADMIN', q, { u: root });
      expect(admin.errors, f.name).toBeUndefined();
      const allowed = new Set(ids(admin, f.name));
      inScope.set(getNamedType(f.type).name, allowed);
      const own = await t.as(caller, q, { u: null });
      const outside = await t.as(caller, q, { u: other });
      if (codeOf(own) === 'FORBIDDEN') {
        expect(codeOf(outside), `${label} ${f.name}`).toBe('FORBIDDEN');
        continue;
      }
      expect(own.errors, `${label} ${f.name}`).toBeUndefined();
      expect(new Set(ids(own, f.name)), `${label} ${f.name}`).toEqual(allowed);
      for (const id of ids(outside, f.name)) expect(allowed.has(id), `${label} ${f.name} ${id}`).toBe(true);
      // Lookups of records found only outside answer null.
      const nodeName = getNamedType((getNamedType(f.type) as GraphQLObjectType).getFields().nodes.type).name;
      const lookup = Object.values(query).find(
        (l) => getNamedType(l.type).name === nodeName && l.args.length === 1 && l.args[0].name === 'id',
      );
      const adminOutside = await t.as('ADMIN', q, { u: other });
      const hidden = ids(adminOutside, f.name)
        .filter((id) => !allowed.has(id))
        .slice(0, 5);
      if (lookup) {
        for (const id of hidden) {
          const r = await t.as(caller, `query($id: ID!) { ${lookup.name}(id: $id) { id } }`, { id });
          expect(r.data?.[lookup.name] ?? null, `${label} ${lookup.name} ${id}`).toBeNull();
        }
      }
      checked.push(`${f.name}: ${allowed.size} visible, ${hidden.length} hidden`);
    }
    // Connections nested in Unit (children aside: units are reference data), opened on the outside unit.
    const unitType = schema.getType('Unit') as GraphQLObjectType;
    for (const nf of Object.values(unitType.getFields())) {
      const typeName = getNamedType(nf.type).name;
      if (nf.name === 'children' || !typeName.endsWith('Connection') || nf.args.some((a) => a.type instanceof GraphQLNonNull)) continue;
      const r = await t.as(caller, `query($u: ID!) { unit(id: $u) { ${nf.name}(limit: 500) { nodes { id } } } }`, { u: other });
      if (codeOf(r) === 'FORBIDDEN') continue;
      expect(r.errors, `${label} Unit.${nf.name}`).toBeUndefined();
      const allowed = inScope.get(typeName) ?? new Set();
      for (const n of r.data.unit[nf.name].nodes) expect(allowed.has(n.id), `${label} Unit.${nf.name} ${n.id}`).toBe(true);
      checked.push(`Unit.${nf.name}`);
    }
    return checked;
  }

  it('every unit-tied list, lookup and nested connection: a commune officer sees its commune, never its sibling', async () => {
    expect((await checkScope('COMMUNE_OFFICER', 'TAMDUONG.BANBO', 'TAMDUONG.BINHLU')).length).toBeGreaterThan(0);
    expect((await checkScope({ token: await t.token('td.binhlu') }, 'TAMDUONG.BINHLU', 'TAMDUONG.BANBO')).length).toBeGreaterThan(0);
  });

  it('the same for an agency officer, a viewer and a coordinator: their district, never another', async () => {
    await checkScope('AGENCY_OFFICER', 'LAICHAU.TAMDUONG', 'LAICHAU.SINHO');
    await checkScope('VIEWER', 'LAICHAU.TAMDUONG', 'LAICHAU.SINHO');
    // The coordinator also sees users and audit events, so those lists are compared too.
    await checkScope('COORDINATOR', 'LAICHAU.TAMDUONG', 'LAICHAU.SINHO');
  });

  it('the same for an API key: its unit subtree', async () => {
    const key = await createApiKey('TAMDUONG.BANBO');
    await checkScope({ token: key.secret }, 'TAMDUONG.BANBO', 'TAMDUONG.BINHLU');
  });

  it('AGENCY_OFFICER, VIEWER and API keys may not read users, audit events or API keys', async () => {
    const key = await createApiKey('LAICHAU.TAMDUONG');
    for (const c of ['AGENCY_OFFICER', 'VIEWER', { token: key.secret }] as (RoleName | { token: string })[]) {
      for (const q of ['{ users { totalCount } }', '{ auditEvents { totalCount } }', '{ apiKeys { totalCount } }']) {
        expect(codeOf(await t.as(c, q)), `${JSON.stringify(c)} ${q}`).toBe('FORBIDDEN');
      }
    }
  });
});

describe('production', () => {
  const p = useTestApp({ nodeEnv: 'production' });

  it('refuses introspection without a token and allows it with one', async () => {
    const anon = await p.gql(getIntrospectionQuery());
    expect(codeOf(anon)).toBe('UNAUTHENTICATED');
    expect(anon.data?.__schema).toBeUndefined();
    const typeQuery = await p.gql('{ __type(name: "User") { fields { name } } }');
    expect(codeOf(typeQuery)).toBe('UNAUTHENTICATED');
    const signed = await p.gql(getIntrospectionQuery(), {}, { token: await p.token('td.viewer') });
    expect(signed.errors).toBeUndefined();
    expect(signed.data.__schema.types.some((x: any) => x.name === 'AuditEvent')).toBe(true);
    const health = await p.gql('{ __typename }');
    expect(health.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a NUL character in any string argument with BAD_USER_INPUT, before anything runs', async () => {
    const token = await p.token('td.viewer');
    const viaVariable = await p.gql(
      'query($q: String!) { units(filter: { name: { contains: $q } }) { totalCount } }',
      { q: 'a\u0000b' },
      { token },
    );
    const nested = await p.gql(
      'query($f: FundingAllocationFilter) { units(limit: 1) { nodes { fundingAllocations(filter: $f) { totalCount } } } }',
      { f: { decisionRef: { contains: ['x', '\u0000'].join('') } } },
      { token },
    );
    const inQuery = await p.gql('{ units(filter: { name: { eq: "a\\u0000b" } }) { totalCount } }', {}, { token });
    for (const r of [viaVariable, nested, inQuery]) {
      expect(r.status).toBe(400);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toBe('Chuỗi ký tự không được chứa ký tự NUL (\\u0000)');
      expect(r.data).toBeUndefined();
    }
    const english = await p.gql('{ units(filter: { name: { eq: "\\u0000" } }) { totalCount } }', {}, { token, lang: 'en' });
    expect(english.errors![0].message).toBe('Strings must not contain the NUL character (\\u0000)');
    // An escaped backslash followed by "u0000" is no NUL character.
    const plain = await p.gql('{ units(filter: { name: { eq: "a\\\\u0000" } }) { totalCount } }', {}, { token });
    expect(plain.errors).toBeUndefined();
  });

  it('sends no stack traces or SQL in errors', async () => {
    const token = await p.token('td.viewer');
    const results = [
      await p.gql('{ units { totalCount } }'),
      await p.gql('mutation { createUnit(input: { code: "Z", name: "Z", kind: PROVINCE }) { id } }', {}, { token }),
      await p.gql('{ units(limit: 9999) { totalCount } }', {}, { token }),
      // A statement PostgreSQL refuses (a column renamed under the running server): an internal error, masked.
      await (async () => {
        await p.db('ALTER TABLE unit RENAME COLUMN name TO name_renamed');
        try {
          return await p.gql('{ units { totalCount } }', {}, { token });
        } finally {
          await p.db('ALTER TABLE unit RENAME COLUMN name_renamed TO name');
        }
      })(),
      await p.gql('{ units { nope } }', {}, { token }),
    ];
    const codes = results.map(codeOf);
    expect(codes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR', 'GRAPHQL_VALIDATION_FAILED']);
    for (const r of results) {
      const text = JSON.stringify(r.errors);
      expect(text).not.toMatch(/stacktrace|at .*\.(ts|js):\d+|SELECT|select |node_modules/);
    }
    expect(results[3].errors![0]).toEqual({
      message: 'Lỗi máy chủ nội bộ',
      locations: [{ line: 1, column: 3 }],
      path: ['units'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
