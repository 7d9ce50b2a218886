import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp, type GqlResult } from '../support/app';

const t = useTestApp();

/**
 * The overlap rule in every shape. Dates are in March 2023; the base mission A visits Bản Bo
 * Mon 6/3 – Fri 10/3.
 */
let banBo = '';
let binhLu = '';
let labour = '';
let agriculture = '';

const CREATE = `mutation($input: CreateMissionInput!) { createMission(input: $input) { id version title startDate endDate status overlapJustification leadUnit { id name } targetUnits { code } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateMissionInput!) { updateMission(id: $id, version: $v, input: $input) { id version startDate endDate overlapJustification targetUnits { code } } }`;

function input(title: string, startDate: string, endDate: string, targetUnitIds: string[], extra: Record<string, unknown> = {}) {
  return {
    title,
    leadUnitId: labour,
    decisionRef: 'QĐ 15/QĐ-BCĐ',
    startDate,
    endDate,
    targetUnitIds,
    members: [{ name: 'Nguyễn Văn An', position: 'Phó Trưởng phòng', organizationId: labour, role: 'HEAD' }],
    ...extra,
  };
}

async function create(
  title: string,
  startDate: string,
  endDate: string,
  targets: string[],
  extra: Record<string, unknown> = {},
): Promise<GqlResult> {
  return t.as('COORDINATOR', CREATE, { input: input(title, startDate, endDate, targets, extra) });
}

async function mustCreate(title: string, startDate: string, endDate: string, targets: string[], extra: Record<string, unknown> = {}) {
  const r = await create(title, startDate, endDate, targets, extra);
  expect(r.errors).toBeUndefined();
  return r.data.createMission as { id: string; version: number; title: string };
}

const overlapIds = (r: GqlResult) => (r.errors?.[0]?.extensions?.missions ?? []).map((m: any) => m.id);

describe('mission overlap (MISSION_OVERLAP)', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    banBo = await t.unitId('TAMDUONG.BANBO');
    binhLu = await t.unitId('TAMDUONG.BINHLU');
    labour = await t.unitId('TAMDUONG.PLDTBXH');
    agriculture = await t.unitId('TAMDUONG.PNNPTNT');
    ids.A = (await mustCreate('A: giám sát Bản Bo', '2023-03-06', '2023-03-10', [banBo])).id;
  });

  it('refuses the same unit on the same dates, listing the other mission in the API.md shape', async () => {
    const r = await create('Trùng hoàn toàn', '2023-03-06', '2023-03-10', [banBo]);
    expect(codeOf(r)).toBe('RULE_VIOLATION');
    expect(r.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(r.errors![0].extensions.missions).toEqual([
      {
        id: ids.A,
        title: 'A: giám sát Bản Bo',
        startDate: '2023-03-06',
        endDate: '2023-03-10',
        leadUnit: { id: labour, name: 'Phòng Lao động - Thương binh và Xã hội huyện Tam Đường' },
      },
    ]);
    expect(r.errors![0].message).toMatch(/Trùng lịch/);
    const en = await t.gql(
      CREATE,
      { input: input('Trùng', '2023-03-06', '2023-03-10', [banBo]) },
      { token: await t.tokenOf('COORDINATOR'), lang: 'en' },
    );
    expect(en.errors![0].message).toMatch(/Overlaps other missions/);
  });

  it('refuses ranges that share only their first or last day', async () => {
    // B starts on A's last day; C ends on A's first day.
    const b = await create('B', '2023-03-10', '2023-03-14', [banBo]);
    expect(b.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(overlapIds(b)).toEqual([ids.A]);
    const c = await create('C', '2023-03-01', '2023-03-06', [banBo]);
    expect(c.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(overlapIds(c)).toEqual([ids.A]);
    // A one-day mission inside A.
    const inside = await create('Trong', '2023-03-08', '2023-03-08', [banBo]);
    expect(overlapIds(inside)).toEqual([ids.A]);
  });

  it('accepts adjacent ranges and other units', async () => {
    ids.D = (await mustCreate('D: ngay sau A', '2023-03-11', '2023-03-15', [banBo])).id;
    ids.E = (await mustCreate('E: ngay trước A', '2023-03-01', '2023-03-05', [banBo])).id;
    ids.F = (await mustCreate('F: Bình Lư cùng ngày', '2023-03-06', '2023-03-10', [binhLu])).id;
  });

  it('lists every mission a multi-unit mission would overlap, by start date then id', async () => {
    // G visits Bình Lư and Bản Bo 8/3–12/3: A (Bản Bo 6–10), F (Bình Lư 6–10), D (Bản Bo 11–15); not E (1–5).
    const g = await create('G', '2023-03-08', '2023-03-12', [binhLu, banBo]);
    expect(g.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(overlapIds(g)).toEqual([ids.A, ids.F, ids.D]);
  });

  it('shows planners what is already there (plannedMissions), cancelled missions left out', async () => {
    const r = await t.as(
      'COORDINATOR',
      `query($u: ID!) { plannedMissions(unitId: $u, from: "2023-03-05", to: "2023-03-11") { id title } }`,
      { u: banBo },
    );
    expect(r.errors).toBeUndefined();
    // E ends on 5/3 (shares the first day), A inside, D starts on 11/3 (shares the last day).
    expect(r.data.plannedMissions.map((m: any) => m.id)).toEqual([ids.E, ids.A, ids.D]);
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const all = await t.as('COORDINATOR', `query($u: ID!) { plannedMissions(unitId: $u, from: "2023-03-01", to: "2023-03-31") { id } }`, {
      u: district,
    });
    // The district's subtree: E (1/3), A and F (6/3, by id), D (11/3).
    expect(all.data.plannedMissions.map((m: any) => m.id)).toEqual([ids.E, ids.A, ids.F, ids.D]);
    const bad = await t.as('COORDINATOR', `query($u: ID!) { plannedMissions(unitId: $u, from: "2023-03-11", to: "2023-03-05") { id } }`, {
      u: banBo,
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('ignores cancelled missions', async () => {
    const a = await t.as('COORDINATOR', `query($id: ID!) { mission(id: $id) { version } }`, { id: ids.A });
    const c = await t.as(
      'COORDINATOR',
      `mutation($id: ID!, $v: Int!) { cancelMission(id: $id, version: $v, reason: "Hoãn do mưa lũ") { status } }`,
      {
        id: ids.A,
        v: a.data.mission.version,
      },
    );
    expect(c.data.cancelMission.status).toBe('CANCELLED');
    // Same unit, same dates as the cancelled A: fine now (E ends 5/3, D starts 11/3).
    ids.H = (await mustCreate('H: thay cho A', '2023-03-06', '2023-03-10', [banBo])).id;
    const planned = await t.as(
      'COORDINATOR',
      `query($u: ID!) { plannedMissions(unitId: $u, from: "2023-03-06", to: "2023-03-10") { id } }`,
      { u: banBo },
    );
    expect(planned.data.plannedMissions.map((m: any) => m.id)).toEqual([ids.H]);
  });

  it('refuses an update that creates an overlap (moving dates, adding units) and changes nothing', async () => {
    // D (Bản Bo 11–15) moved to start 10/3 shares a day with H (6–10).
    const moved = await t.as('COORDINATOR', UPDATE, { id: ids.D, v: 1, input: { startDate: '2023-03-10' } });
    expect(codeOf(moved)).toBe('RULE_VIOLATION');
    expect(moved.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(overlapIds(moved)).toEqual([ids.H]);
    // F (Bình Lư 6–10) adding Bản Bo overlaps H.
    const added = await t.as('COORDINATOR', UPDATE, { id: ids.F, v: 1, input: { targetUnitIds: [binhLu, banBo] } });
    expect(added.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    expect(overlapIds(added)).toEqual([ids.H]);
    const f = await t.as('COORDINATOR', `query($id: ID!) { mission(id: $id) { version targetUnits { code } } }`, { id: ids.F });
    expect(f.data.mission).toEqual({ version: 1, targetUnits: [{ code: 'TAMDUONG.BINHLU' }] });
    // Moving F within Bình Lư without touching others is fine.
    const ok = await t.as('COORDINATOR', UPDATE, { id: ids.F, v: 1, input: { startDate: '2023-03-07', title: 'F: Bình Lư' } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateMission).toMatchObject({ version: 2, startDate: '2023-03-07', endDate: '2023-03-10' });
  });

  it('lets a justified overlap through, records it on the mission and in the audit trail', async () => {
    const why = 'Đoàn liên ngành phối hợp với đoàn của huyện theo chỉ đạo của UBND huyện';
    const r = await t.as('COORDINATOR', UPDATE, { id: ids.D, v: 1, input: { startDate: '2023-03-10', overlapJustification: why } });
    expect(r.errors).toBeUndefined();
    expect(r.data.updateMission).toMatchObject({ version: 2, startDate: '2023-03-10', overlapJustification: why });
    const [audit] = await t.db<any>(
      `SELECT outcome, entity_type, entity_id, details FROM audit_event WHERE operation = 'updateMission' AND entity_id = $1 AND outcome = 'SUCCESS'`,
      [ids.D],
    );
    expect(audit).toMatchObject({ outcome: 'SUCCESS', entity_type: 'Mission', entity_id: ids.D });
    expect(audit.details.overlapJustification).toBe(why);
    expect(audit.details.overlappingMissions.map((m: any) => m.id)).toEqual([ids.H]);

    // An overlap already accepted stays accepted: extending D needs no new justification.
    const renamed = await t.as('COORDINATOR', UPDATE, { id: ids.D, v: 2, input: { endDate: '2023-03-16' } });
    expect(renamed.errors).toBeUndefined();

    // On create as well.
    const created = await create('I: đoàn của tỉnh cùng ngày với H', '2023-03-06', '2023-03-10', [banBo], { overlapJustification: why });
    expect(created.errors).toBeUndefined();
    expect(created.data.createMission.overlapJustification).toBe(why);
    const [c] = await t.db<any>(`SELECT details FROM audit_event WHERE operation = 'createMission' AND entity_id = $1`, [
      created.data.createMission.id,
    ]);
    expect(c.details.overlapJustification).toBe(why);
    expect(c.details.overlappingMissions.map((m: any) => m.id).sort()).toEqual([ids.D, ids.H].sort());
  });

  it('audits refusals too: one event per mutation', async () => {
    const before = (await t.db<{ n: string }>(`SELECT count(*) n FROM audit_event`))[0].n;
    const r = await create('Trùng với H', '2023-03-07', '2023-03-07', [banBo]);
    expect(r.errors![0].extensions.rule).toBe('MISSION_OVERLAP');
    const after = await t.db<any>(`SELECT operation, outcome FROM audit_event ORDER BY id DESC LIMIT 1`);
    expect(Number((await t.db<{ n: string }>(`SELECT count(*) n FROM audit_event`))[0].n)).toBe(Number(before) + 1);
    expect(after[0]).toEqual({ operation: 'createMission', outcome: 'RULE_VIOLATION' });
    expect((await t.db(`SELECT 1 FROM mission WHERE title = 'Trùng với H'`)).length).toBe(0);
  });

  it('lets exactly one of two concurrent overlapping missions through', async () => {
    const targets = [await t.unitId('TAMDUONG.NATAM'), await t.unitId('TAMDUONG.HOTHAU')];
    const admin = await t.tokenOf('ADMIN');
    const coord = await t.tokenOf('COORDINATOR');
    const results = await Promise.all([
      t.gql(CREATE, { input: input('Đồng thời 1', '2023-05-08', '2023-05-12', targets) }, { token: coord }),
      t.gql(
        CREATE,
        { input: { ...input('Đồng thời 2', '2023-05-10', '2023-05-15', [targets[1], targets[0]]), leadUnitId: agriculture } },
        { token: admin },
      ),
      t.gql(CREATE, { input: input('Đồng thời 3', '2023-05-12', '2023-05-12', [targets[1]]) }, { token: coord }),
    ]);
    const ok = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(refused.map((r) => r.errors![0].extensions.rule)).toEqual(['MISSION_OVERLAP', 'MISSION_OVERLAP']);
    const n = await t.db<{ n: string }>(`SELECT count(*) n FROM mission WHERE title LIKE 'Đồng thời%'`);
    expect(Number(n[0].n)).toBe(1);
  });
});
