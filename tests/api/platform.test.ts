import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../packages/server/src/config';
import { codeOf, useTestApp } from '../support/app';

const t = useTestApp();

describe('HTTP surface', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.http.get('/healthz')).status).toBe(200);
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('answers { __typename } without a token, and nothing else', async () => {
    const r = await t.gql('{ __typename }');
    expect(r.data).toEqual({ __typename: 'Query' });
    const units = await t.gql('{ units { totalCount } }');
    expect(codeOf(units)).toBe('UNAUTHENTICATED');
    expect(units.data).toBeNull();
  });

  it('allows introspection outside production', async () => {
    const r = await t.gql('{ __schema { queryType { name } } }');
    expect(r.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a bad token with UNAUTHENTICATED and a clear message', async () => {
    const r = await t.gql('{ units { totalCount } }', {}, { token: 'v1.bad.token' });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors![0].message).toMatch(/không hợp lệ/);
  });
});

describe('scalars', () => {
  it('rejects a malformed Date with BAD_USER_INPUT', async () => {
    const r = await t.as('VIEWER', 'query($d: Date) { units(filter: { validOn: $d }) { totalCount } }', { d: '2025-02-30' });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, adminUsername: 'admin', seedDemo: true, nodeEnv: 'development' });
    expect(c.dataDir.endsWith('.data')).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });
});

describe('seeded reference data', () => {
  it('has Lai Châu, its 8 districts, the program with its components and lead agencies', async () => {
    const r = await t.as(
      'VIEWER',
      `{ unitByCode(code: "LAICHAU") { children(filter: { kind: { eq: DISTRICT } }) { totalCount nodes { validTo } } }
         programs { nodes { code startYear endYear components { code kind children { code } } } } }`,
    );
    expect(r.data.unitByCode.children.totalCount).toBe(8);
    expect(r.data.unitByCode.children.nodes.every((n: any) => n.validTo === '2025-06-30')).toBe(true);
    const program = r.data.programs.nodes[0];
    expect(program).toMatchObject({ startYear: 2021, endYear: 2025 });
    const codes = program.components.map((c: any) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['DA1', 'DA3', 'DA3.TDA1', 'DA3.TDA2', 'DA7.TDA2']));
    expect(program.components.find((c: any) => c.code === 'DA3').children.map((c: any) => c.code)).toEqual(['DA3.TDA1', 'DA3.TDA2']);
  });

  it('names lead agencies and district agencies for Tam Đường', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const r = await t.as(
      'VIEWER',
      `query($d: ID!) { programComponents(filter: { code: { in: ["DA3.TDA2", "DA4"] } }) { nodes { code leadAgency(unitId: $d) { code } } }
        unit(id: $d) { standing: agency(role: STANDING_AGENCY) { code } finance: agency(role: FINANCE_PLANNING) { code } } }`,
      { d: district },
    );
    expect(r.data.programComponents.nodes).toEqual([
      { code: 'DA3.TDA2', leadAgency: { code: 'TAMDUONG.TTYT' } },
      { code: 'DA4', leadAgency: { code: 'TAMDUONG.PLDTBXH' } },
    ]);
    expect(r.data.unit).toEqual({ standing: { code: 'TAMDUONG.PLDTBXH' }, finance: { code: 'TAMDUONG.PTCKH' } });
  });

  it('has the reporting units and the district plan deadline rules', async () => {
    const p = await t.as('VIEWER', '{ programs { nodes { id } } }');
    const id = p.data.programs.nodes[0].id;
    const r = await t.as(
      'VIEWER',
      `query($p: ID!) { before: reportingUnits(programId: $p, validOn: "2024-06-01") { code } after: reportingUnits(programId: $p, validOn: "2025-08-01") { code }
        deadlineRules(programId: $p) { reportType kind level date month day workingDays before } }`,
      { p: id },
    );
    expect(r.data.before).toHaveLength(18); // 13 communes + 5 member agencies
    expect(r.data.after.map((u: any) => u.code).sort()).toEqual(['LAICHAU.BANBO', 'LAICHAU.BINHLU', 'LAICHAU.KHUNHA', 'LAICHAU.TALENG']);
    const rules = r.data.deadlineRules;
    expect(rules).toContainEqual({
      reportType: 'MONITORING_SEMIANNUAL',
      kind: 'YEARLY',
      level: null,
      date: null,
      month: 5,
      day: 15,
      workingDays: null,
      before: true,
    });
    expect(rules).toContainEqual({
      reportType: 'EVALUATION_MIDTERM',
      kind: 'FIXED_DATE',
      level: null,
      date: '2023-08-15',
      month: null,
      day: null,
      workingDays: null,
      before: true,
    });
    expect(rules).toContainEqual({
      reportType: 'MONITORING_MISSION',
      kind: 'WORKING_DAYS_AFTER_EVENT',
      level: null,
      date: null,
      month: null,
      day: null,
      workingDays: 10,
      before: false,
    });
  });
});

describe('reporting units and lead agencies are editable by a coordinator in scope', () => {
  it('adds and ends a reporting unit, and refuses another district', async () => {
    const p = (await t.as('VIEWER', '{ programs { nodes { id } } }')).data.programs.nodes[0].id;
    const culture = await t.unitId('TAMDUONG.BCD');
    const add = await t.as(
      'COORDINATOR',
      `mutation($p: ID!, $u: ID!) { addReportingUnit(programId: $p, unitId: $u, validFrom: "2024-01-01", validTo: "2025-06-30") { code } }`,
      { p, u: culture },
    );
    expect(add.errors).toBeUndefined();
    const dup = await t.as('COORDINATOR', `mutation($p: ID!, $u: ID!) { addReportingUnit(programId: $p, unitId: $u) { code } }`, {
      p,
      u: culture,
    });
    expect(codeOf(dup)).toBe('CONFLICT');
    const end = await t.as(
      'COORDINATOR',
      `mutation($p: ID!, $u: ID!) { removeReportingUnit(programId: $p, unitId: $u, validTo: "2024-12-31") { code } }`,
      { p, u: culture },
    );
    expect(end.errors).toBeUndefined();
    const on = await t.as(
      'VIEWER',
      `query($p: ID!) { a: reportingUnits(programId: $p, validOn: "2024-12-31") { code } b: reportingUnits(programId: $p, validOn: "2025-01-01") { code } }`,
      { p },
    );
    expect(on.data.a.map((u: any) => u.code)).toContain('TAMDUONG.BCD');
    expect(on.data.b.map((u: any) => u.code)).not.toContain('TAMDUONG.BCD');
    const other = await t.unitId('LAICHAU.SINHO');
    const refused = await t.as('COORDINATOR', `mutation($p: ID!, $u: ID!) { addReportingUnit(programId: $p, unitId: $u) { code } }`, {
      p,
      u: other,
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });

  it('reassigns a lead agency', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const culture = await t.unitId('TAMDUONG.PVHTT');
    const comp = (await t.as('VIEWER', '{ programComponents(filter: { code: { eq: "DA5" } }) { nodes { id } } }')).data.programComponents
      .nodes[0].id;
    const r = await t.as(
      'COORDINATOR',
      `mutation($c: ID!, $d: ID!, $a: ID!) { assignLeadAgency(componentId: $c, unitId: $d, agencyId: $a) { code leadAgency(unitId: $d) { code } } }`,
      {
        c: comp,
        d: district,
        a: culture,
      },
    );
    expect(r.data.assignLeadAgency).toEqual({ code: 'DA5', leadAgency: { code: 'TAMDUONG.PVHTT' } });
    const commune = await t.unitId('TAMDUONG.BANBO');
    const notAgency = await t.as(
      'COORDINATOR',
      `mutation($c: ID!, $d: ID!, $a: ID!) { assignLeadAgency(componentId: $c, unitId: $d, agencyId: $a) { code } }`,
      {
        c: comp,
        d: district,
        a: commune,
      },
    );
    expect(codeOf(notAgency)).toBe('BAD_USER_INPUT');
  });
});
