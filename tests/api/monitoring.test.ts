import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp, type GqlResult } from '../support/app';

const t = useTestApp();

const MISSION_FIELDS = `id version title decisionRef startDate endDate status cancelReason reportDueDate
  program { code } plan { id title } leadUnit { code }
  members { name position role organization { code } }
  targetUnits { code } components { code }
  obligation { id type dueDate title }`;
const CREATE = `mutation($input: CreateMissionInput!) { createMission(input: $input) { ${MISSION_FIELDS} } }`;
const GET = `query($id: ID!) { mission(id: $id) { ${MISSION_FIELDS} } }`;
const move = (op: string) =>
  `mutation($id: ID!, $v: Int!) { ${op}(id: $id, version: $v) { id version status reportDueDate obligation { id type dueDate } } }`;

const u: Record<string, string> = {};
const c: Record<string, string> = {};
let head: { name: string; position: string; organizationId: string; role: string };

function missionInput(extra: Record<string, unknown>) {
  return {
    title: 'Giám sát thực hiện DA3 tại các xã',
    leadUnitId: u.labour,
    decisionRef: 'QĐ 25/QĐ-UBND',
    targetUnitIds: [u.banBo],
    members: [head],
    ...extra,
  };
}

async function createMission(role: Parameters<typeof t.as>[0], extra: Record<string, unknown>): Promise<GqlResult> {
  return t.as(role, CREATE, { input: missionInput(extra) });
}

async function mustCreate(extra: Record<string, unknown>, role: Parameters<typeof t.as>[0] = 'COORDINATOR') {
  const r = await createMission(role, extra);
  expect(r.errors).toBeUndefined();
  return r.data.createMission;
}

async function version(id: string) {
  return (await t.db<{ version: number }>('SELECT version FROM mission WHERE id = $1', [id]))[0].version;
}

async function runThrough(id: string) {
  const s = await t.as('COORDINATOR', move('startMission'), { id, v: await version(id) });
  expect(s.errors).toBeUndefined();
  const done = await t.as('COORDINATOR', move('completeMission'), { id, v: await version(id) });
  expect(done.errors).toBeUndefined();
  return done.data.completeMission;
}

beforeAll(async () => {
  for (const [k, code] of Object.entries({
    province: 'LAICHAU',
    district: 'LAICHAU.TAMDUONG',
    banBo: 'TAMDUONG.BANBO',
    binhLu: 'TAMDUONG.BINHLU',
    giangMa: 'TAMDUONG.GIANGMA',
    sonBinh: 'TAMDUONG.SONBINH',
    labour: 'TAMDUONG.PLDTBXH',
    finance: 'TAMDUONG.PTCKH',
    agriculture: 'TAMDUONG.PNNPTNT',
    health: 'TAMDUONG.TTYT',
    newBanBo: 'LAICHAU.BANBO',
  })) {
    u[k] = await t.unitId(code);
  }
  for (const row of await t.db<{ id: string; code: string }>('SELECT id::text, code FROM program_component')) c[row.code] = row.id;
  head = { name: 'Lò Văn Bình', position: 'Trưởng phòng', organizationId: u.labour, role: 'HEAD' };
});

describe('monitoring plans and missions', () => {
  it('plans the year and creates a mission in the plan, defaulting to the program running on the start date', async () => {
    const p = await t.as(
      'COORDINATOR',
      `mutation($u: ID!) { createMonitoringPlan(input: { unitId: $u, year: 2023, title: " Kế hoạch giám sát năm 2023 ", documentRef: "KH 12/KH-UBND" }) { id unit { code } year title documentRef } }`,
      {
        u: u.district,
      },
    );
    expect(p.errors).toBeUndefined();
    expect(p.data.createMonitoringPlan).toMatchObject({
      unit: { code: 'LAICHAU.TAMDUONG' },
      year: 2023,
      title: 'Kế hoạch giám sát năm 2023',
      documentRef: 'KH 12/KH-UBND',
    });
    const planId = p.data.createMonitoringPlan.id;

    const m = await mustCreate({
      planId,
      startDate: '2023-06-05',
      endDate: '2023-06-09',
      targetUnitIds: [u.giangMa, u.banBo],
      componentIds: [c['DA3.TDA1'], c['DA3']],
      members: [
        { name: 'Tráng A Sử', position: 'Chuyên viên', organizationId: u.agriculture, role: 'MEMBER' },
        head,
        { name: 'Lê Thị Hoa', role: 'SECRETARY' },
      ],
    });
    expect(m).toMatchObject({
      version: 1,
      title: 'Giám sát thực hiện DA3 tại các xã',
      decisionRef: 'QĐ 25/QĐ-UBND',
      startDate: '2023-06-05',
      endDate: '2023-06-09',
      status: 'PLANNED',
      reportDueDate: null,
      obligation: null,
      program: { code: 'GNBV-2021-2025' },
      plan: { id: planId, title: 'Kế hoạch giám sát năm 2023' },
      leadUnit: { code: 'TAMDUONG.PLDTBXH' },
      // Vietnamese order: Bản Bo before Giang Ma.
      targetUnits: [{ code: 'TAMDUONG.BANBO' }, { code: 'TAMDUONG.GIANGMA' }],
      components: [{ code: 'DA3' }, { code: 'DA3.TDA1' }],
    });
    // The head first, then the order given.
    expect(m.members).toEqual([
      { name: 'Lò Văn Bình', position: 'Trưởng phòng', role: 'HEAD', organization: { code: 'TAMDUONG.PLDTBXH' } },
      { name: 'Tráng A Sử', position: 'Chuyên viên', role: 'MEMBER', organization: { code: 'TAMDUONG.PNNPTNT' } },
      { name: 'Lê Thị Hoa', position: null, role: 'SECRETARY', organization: null },
    ]);
    const plans = await t.as(
      'VIEWER',
      `{ monitoringPlans(filter: { year: { eq: 2023 } }) { totalCount nodes { title missions { totalCount nodes { id } } } } }`,
    );
    expect(plans.data.monitoringPlans).toEqual({
      totalCount: 1,
      nodes: [{ title: 'Kế hoạch giám sát năm 2023', missions: { totalCount: 1, nodes: [{ id: m.id }] } }],
    });
    const [audit] = await t.db<any>(
      `SELECT outcome, entity_type, unit_id::text, details FROM audit_event WHERE operation = 'createMission' AND entity_id = $1`,
      [m.id],
    );
    expect(audit).toMatchObject({ outcome: 'SUCCESS', entity_type: 'Mission', unit_id: u.labour });
    expect(audit.details.targetUnitIds).toEqual([u.giangMa, u.banBo]);
  });

  it('validates members (exactly one HEAD), dates, target units and components', async () => {
    const fields = (r: GqlResult) => r.errors?.[0]?.extensions?.fields?.map((f: any) => f.field) ?? [];
    const noHead = await createMission('COORDINATOR', {
      startDate: '2023-07-03',
      endDate: '2023-07-04',
      members: [{ name: 'A', role: 'MEMBER' }],
    });
    expect(codeOf(noHead)).toBe('BAD_USER_INPUT');
    expect(fields(noHead)).toEqual(['members']);
    const twoHeads = await createMission('COORDINATOR', {
      startDate: '2023-07-03',
      endDate: '2023-07-04',
      members: [head, { ...head, name: 'B' }],
    });
    expect(fields(twoHeads)).toEqual(['members']);
    const reversed = await createMission('COORDINATOR', { startDate: '2023-07-04', endDate: '2023-07-03' });
    expect(codeOf(reversed)).toBe('BAD_USER_INPUT');
    expect(fields(reversed)).toEqual(['endDate']);
    // Tam Đường's Bản Bo ended on 30/6/2025.
    const expired = await createMission('COORDINATOR', { startDate: '2025-06-30', endDate: '2025-07-02' });
    expect(fields(expired)).toEqual(['targetUnitIds']);
    // The new Bản Bo (from 1/7/2025) hangs under the province: outside the district's scope root.
    const outside = await createMission('ADMIN', { startDate: '2025-08-04', endDate: '2025-08-05', targetUnitIds: [u.newBanBo] });
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    expect(outside.errors![0].extensions.fields.map((f: any) => f.message)).toContain(
      'Đơn vị ' + u.newBanBo + ' nằm ngoài phạm vi của đơn vị chủ trì',
    );
    // A province-led mission may visit it.
    const provincial = await createMission('ADMIN', {
      leadUnitId: u.province,
      startDate: '2025-08-04',
      endDate: '2025-08-05',
      targetUnitIds: [u.newBanBo],
    });
    expect(provincial.errors).toBeUndefined();
    const noProgram = await createMission('COORDINATOR', { startDate: '2030-01-07', endDate: '2030-01-08' });
    expect(fields(noProgram)).toContain('programId');
    const foreignComponent = await createMission('COORDINATOR', {
      startDate: '2023-07-03',
      endDate: '2023-07-04',
      componentIds: ['999999'],
    });
    expect(fields(foreignComponent)).toEqual(['componentIds']);
  });

  it('lets an agency officer write only the missions its agency leads; commune officers and viewers none', async () => {
    const own = await mustCreate(
      { leadUnitId: u.agriculture, startDate: '2023-08-07', endDate: '2023-08-08', targetUnitIds: [u.sonBinh] },
      'AGENCY_OFFICER',
    );
    expect(own.leadUnit.code).toBe('TAMDUONG.PNNPTNT');
    const other = await createMission('AGENCY_OFFICER', { startDate: '2023-08-14', endDate: '2023-08-15' });
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(codeOf(await createMission('COMMUNE_OFFICER', { startDate: '2023-08-14', endDate: '2023-08-15' }))).toBe('FORBIDDEN');
    expect(codeOf(await createMission('VIEWER', { startDate: '2023-08-14', endDate: '2023-08-15' }))).toBe('FORBIDDEN');
    const health = { token: await t.token('td.health') };
    const notHis = await t.as(health, move('startMission'), { id: own.id, v: 1 });
    expect(codeOf(notHis)).toBe('FORBIDDEN');
    const started = await t.as('AGENCY_OFFICER', move('startMission'), { id: own.id, v: 1 });
    expect(started.data.startMission.status).toBe('IN_PROGRESS');
  });
});

describe('mission status transitions', () => {
  it('moves PLANNED → IN_PROGRESS → COMPLETED; every other move is INVALID_TRANSITION', async () => {
    const m = await mustCreate({ startDate: '2023-09-11', endDate: '2023-09-12', targetUnitIds: [u.binhLu] });
    const completeEarly = await t.as('COORDINATOR', move('completeMission'), { id: m.id, v: 1 });
    expect(codeOf(completeEarly)).toBe('RULE_VIOLATION');
    expect(completeEarly.errors![0].extensions).toMatchObject({ rule: 'INVALID_TRANSITION', from: 'PLANNED', to: 'COMPLETED' });
    const stale = await t.as('COORDINATOR', move('startMission'), { id: m.id, v: 7 });
    expect(codeOf(stale)).toBe('CONFLICT');
    const started = await t.as('COORDINATOR', move('startMission'), { id: m.id, v: 1 });
    expect(started.data.startMission).toMatchObject({ version: 2, status: 'IN_PROGRESS', reportDueDate: null, obligation: null });
    const again = await t.as('COORDINATOR', move('startMission'), { id: m.id, v: 2 });
    expect(again.errors![0].extensions.rule).toBe('INVALID_TRANSITION');
    const done = await t.as('COORDINATOR', move('completeMission'), { id: m.id, v: 2 });
    expect(done.errors).toBeUndefined();
    expect(done.data.completeMission).toMatchObject({ version: 3, status: 'COMPLETED' });
    const cancelDone = await t.as('COORDINATOR', `mutation($id: ID!) { cancelMission(id: $id, version: 3, reason: "x") { status } }`, {
      id: m.id,
    });
    expect(cancelDone.errors![0].extensions.rule).toBe('INVALID_TRANSITION');
    const edit = await t.as(
      'COORDINATOR',
      `mutation($id: ID!) { updateMission(id: $id, version: 3, input: { endDate: "2023-09-13" }) { id } }`,
      { id: m.id },
    );
    expect(codeOf(edit)).toBe('RULE_VIOLATION');
    expect(edit.errors![0].extensions.rule).toBe('MISSION_CLOSED');
  });

  it('cancels PLANNED or IN_PROGRESS missions with a reason, then nothing moves', async () => {
    const m = await mustCreate({ startDate: '2023-09-18', endDate: '2023-09-19', targetUnitIds: [u.binhLu] });
    const noReason = await t.as('COORDINATOR', `mutation($id: ID!) { cancelMission(id: $id, version: 1, reason: "  ") { status } }`, {
      id: m.id,
    });
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    const c1 = await t.as(
      'COORDINATOR',
      `mutation($id: ID!) { cancelMission(id: $id, version: 1, reason: " Trùng lịch họp HĐND ") { status cancelReason version } }`,
      { id: m.id },
    );
    expect(c1.data.cancelMission).toEqual({ status: 'CANCELLED', cancelReason: 'Trùng lịch họp HĐND', version: 2 });
    for (const op of ['startMission', 'completeMission']) {
      const r = await t.as('COORDINATOR', move(op), { id: m.id, v: 2 });
      expect(r.errors![0].extensions).toMatchObject({ rule: 'INVALID_TRANSITION', from: 'CANCELLED' });
    }
    const m2 = await mustCreate({ startDate: '2023-09-25', endDate: '2023-09-26', targetUnitIds: [u.binhLu] });
    await t.as('COORDINATOR', move('startMission'), { id: m2.id, v: 1 });
    const c2 = await t.as('COORDINATOR', `mutation($id: ID!) { cancelMission(id: $id, version: 2, reason: "Thiên tai") { status } }`, {
      id: m2.id,
    });
    expect(c2.data.cancelMission.status).toBe('CANCELLED');
  });
});

describe('the report obligation of a completed mission', () => {
  it('is due 10 working days after the end, across 30/4–1/5 and a make-up Saturday (2024)', async () => {
    // Ends Fri 26/4/2024. Not counted: Sat 27, Sun 28, Mon 29/4 (DAY_OFF, swapped), Tue 30/4, Wed 1/5 (HOLIDAY).
    // Counted: Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 make-up WORKING_DAY (3), Mon 6 – Fri 10/5 (4–8), Mon 13 (9), Tue 14/5 (10).
    // (Weekends alone would give Fri 10/5.)
    const m = await mustCreate({ startDate: '2024-04-22', endDate: '2024-04-26', targetUnitIds: [u.sonBinh] });
    const done = await runThrough(m.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.reportDueDate).toBe('2024-05-14');
    expect(done.obligation).toMatchObject({ type: 'MONITORING_MISSION', dueDate: '2024-05-14' });
    const again = await t.as(
      'VIEWER',
      `query($id: ID!) { mission(id: $id) { reportDueDate obligation { dueDate mission { id title } } } }`,
      { id: m.id },
    );
    expect(again.errors).toBeUndefined();
    expect(again.data.mission).toEqual({
      reportDueDate: '2024-05-14',
      obligation: { dueDate: '2024-05-14', mission: { id: m.id, title: m.title } },
    });
    const [o] = await t.db<any>(
      `SELECT o.type, o.submitter_id::text, o.mission_id::text, o.due_date::text, array(SELECT r.unit_id::text FROM reporting_obligation_recipient r WHERE r.obligation_id = o.id ORDER BY r.unit_id) AS recipients
       FROM reporting_obligation o WHERE o.mission_id = $1`,
      [m.id],
    );
    expect(o).toMatchObject({ type: 'MONITORING_MISSION', submitter_id: u.labour, mission_id: m.id, due_date: '2024-05-14' });
    // Recipients: the district's finance office and the lead agencies, never the submitter itself.
    expect(o.recipients).not.toContain(u.labour);
    expect(o.recipients).toContain(u.finance);
    const [audit] = await t.db<any>(`SELECT details FROM audit_event WHERE operation = 'completeMission' AND entity_id = $1`, [m.id]);
    expect(audit.details).toMatchObject({ obligationId: done.obligation.id, reportDueDate: '2024-05-14' });
  });

  it('is due across Tết 2024', async () => {
    // Ends Wed 7/2/2024. Not counted: Thu 8, Fri 9 (HOLIDAY), Sat 10, Sun 11, Mon 12 (HOLIDAY), Tue 13, Wed 14 (DAY_OFF).
    // Counted: Thu 15 (1), Fri 16 (2), Mon 19 – Fri 23 (3–7), Mon 26 (8), Tue 27 (9), Wed 28/2 (10).
    const m = await mustCreate({ startDate: '2024-02-05', endDate: '2024-02-07', targetUnitIds: [u.sonBinh] });
    const done = await runThrough(m.id);
    expect(done.reportDueDate).toBe('2024-02-28');
  });
});

describe('scope', () => {
  let visitsBanBo = '';
  let visitsBinhLu = '';
  beforeAll(async () => {
    visitsBanBo = (await mustCreate({ title: 'Đoàn tới Bản Bo', startDate: '2022-10-03', endDate: '2022-10-04', targetUnitIds: [u.banBo] }))
      .id;
    visitsBinhLu = (
      await mustCreate({ title: 'Đoàn tới Bình Lư', startDate: '2022-10-03', endDate: '2022-10-04', targetUnitIds: [u.binhLu] })
    ).id;
  });

  it('shows a commune officer the missions that visited its commune, not the others', async () => {
    const q = `{ missions(filter: { startDate: { eq: "2022-10-03" } }) { totalCount nodes { title } } }`;
    const banbo = await t.as('COMMUNE_OFFICER', q);
    expect(banbo.data.missions).toEqual({ totalCount: 1, nodes: [{ title: 'Đoàn tới Bản Bo' }] });
    const binhlu = await t.as({ token: await t.token('td.binhlu') }, q);
    expect(binhlu.data.missions).toEqual({ totalCount: 1, nodes: [{ title: 'Đoàn tới Bình Lư' }] });
    const coordinator = await t.as('COORDINATOR', q);
    expect(coordinator.data.missions.totalCount).toBe(2);
    expect((await t.as('COMMUNE_OFFICER', GET, { id: visitsBinhLu })).data.mission).toBeNull();
    expect((await t.as('COMMUNE_OFFICER', GET, { id: visitsBanBo })).data.mission.title).toBe('Đoàn tới Bản Bo');
    const communeWrites = await t.as(
      'COMMUNE_OFFICER',
      `mutation($id: ID!) { createFinding(input: { missionId: $id, kind: ACHIEVEMENT, description: "x" }) { id } }`,
      { id: visitsBanBo },
    );
    expect(codeOf(communeWrites)).toBe('FORBIDDEN');
  });

  it('gives the per-unit view through Unit.missions', async () => {
    const r = await t.as(
      'COMMUNE_OFFICER',
      `query($u: ID!) { unit(id: $u) { missions(filter: { startDate: { eq: "2022-10-03" } }) { totalCount nodes { title targetUnits { code } } } } }`,
      { u: u.banBo },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.unit.missions).toEqual({
      totalCount: 1,
      nodes: [{ title: 'Đoàn tới Bản Bo', targetUnits: [{ code: 'TAMDUONG.BANBO' }] }],
    });
    // Bình Lư's missions are out of Bản Bo's scope, even asked through Bình Lư...
    const other = await t.as('COMMUNE_OFFICER', `query($u: ID!) { unit(id: $u) { missions { nodes { title targetUnits { code } } } } }`, {
      u: u.binhLu,
    });
    // ...except the demo mission that visited both communes.
    expect(other.data.unit.missions.nodes).toEqual([
      {
        title: 'Giám sát hỗ trợ phát triển sản xuất tại xã Bản Bo, Bình Lư',
        targetUnits: [{ code: 'TAMDUONG.BANBO' }, { code: 'TAMDUONG.BINHLU' }],
      },
    ]);
  });
});

describe('findings and recommendations', () => {
  let mission = '';
  let finding = '';
  let recBanBo = '';
  let recProvince = '';
  let demoRec = '';

  beforeAll(async () => {
    const m = await mustCreate({
      title: 'Giám sát DA3.TDA1',
      startDate: '2022-11-07',
      endDate: '2022-11-10',
      targetUnitIds: [u.banBo, u.giangMa],
      componentIds: [c['DA3.TDA1']],
    });
    mission = m.id;
    await runThrough(mission);
    demoRec = (await t.db<{ id: string }>(`SELECT id::text FROM recommendation WHERE content LIKE 'Tổ chức tập huấn%'`))[0].id;
  });

  it('records findings at visited units', async () => {
    const f = await t.as(
      'COORDINATOR',
      `mutation($m: ID!, $u: ID!, $c: ID!) { createFinding(input: { missionId: $m, unitId: $u, componentId: $c, kind: SHORTCOMING, description: " Chậm giải ngân vốn hỗ trợ sản xuất " }) { id kind description unit { code } component { code } mission { id } } }`,
      {
        m: mission,
        u: u.banBo,
        c: c['DA3.TDA1'],
      },
    );
    expect(f.errors).toBeUndefined();
    expect(f.data.createFinding).toMatchObject({
      kind: 'SHORTCOMING',
      description: 'Chậm giải ngân vốn hỗ trợ sản xuất',
      unit: { code: 'TAMDUONG.BANBO' },
      component: { code: 'DA3.TDA1' },
      mission: { id: mission },
    });
    finding = f.data.createFinding.id;
    const notVisited = await t.as(
      'COORDINATOR',
      `mutation($m: ID!, $u: ID!) { createFinding(input: { missionId: $m, unitId: $u, kind: VIOLATION, description: "x" }) { id } }`,
      { m: mission, u: u.binhLu },
    );
    expect(codeOf(notVisited)).toBe('BAD_USER_INPUT');
    const a = await t.as(
      'COORDINATOR',
      `mutation($m: ID!, $u: ID!) { createFinding(input: { missionId: $m, unitId: $u, kind: ACHIEVEMENT, description: "Mô hình nuôi gà hiệu quả" }) { id } }`,
      { m: mission, u: u.giangMa },
    );
    expect(a.errors).toBeUndefined();
    // Bản Bo's officer sees the finding about Bản Bo only.
    const seen = await t.as(
      'COMMUNE_OFFICER',
      `query($m: ID!) { findings(filter: { missionId: { eq: $m } }) { nodes { unit { code } } } }`,
      { m: mission },
    );
    expect(seen.data.findings.nodes).toEqual([{ unit: { code: 'TAMDUONG.BANBO' } }]);
  });

  it('addresses recommendations to any unit, the province too, with overdue computed', async () => {
    const create = (addressee: string, due: string, content: string, findingId?: string) =>
      t.as(
        'COORDINATOR',
        `mutation($input: CreateRecommendationInput!) { createRecommendation(input: $input) { id status dueDate overdue addressee { code } finding { id } resolution resolvedAt } }`,
        {
          input: { missionId: mission, findingId, addresseeId: addressee, content, dueDate: due },
        },
      );
    const r1 = await create(u.banBo, '2022-12-31', 'Đẩy nhanh giải ngân vốn DA3.TDA1', finding);
    expect(r1.errors).toBeUndefined();
    expect(r1.data.createRecommendation).toEqual({
      id: r1.data.createRecommendation.id,
      status: 'OPEN',
      dueDate: '2022-12-31',
      overdue: true, // unresolved, due in the past
      addressee: { code: 'TAMDUONG.BANBO' },
      finding: { id: finding },
      resolution: null,
      resolvedAt: null,
    });
    recBanBo = r1.data.createRecommendation.id;
    const r2 = await create(u.province, '2099-12-31', 'Đề nghị tỉnh sửa đổi định mức hỗ trợ');
    expect(r2.data.createRecommendation).toMatchObject({ status: 'OPEN', overdue: false, addressee: { code: 'LAICHAU' } });
    recProvince = r2.data.createRecommendation.id;
    const badFinding = await create(u.banBo, '2022-12-31', 'x', '999999');
    expect(codeOf(badFinding)).toBe('BAD_USER_INPUT');

    const overdue = await t.as(
      'COORDINATOR',
      `query($m: ID!) { recommendations(filter: { missionId: { eq: $m }, overdue: true }) { nodes { id } } }`,
      { m: mission },
    );
    expect(overdue.data.recommendations.nodes.map((n: any) => n.id)).toEqual([recBanBo]);
    const notOverdue = await t.as(
      'COORDINATOR',
      `query($m: ID!) { recommendations(filter: { missionId: { eq: $m }, overdue: false }) { nodes { id } } }`,
      { m: mission },
    );
    expect(notOverdue.data.recommendations.nodes.map((n: any) => n.id)).toEqual([recProvince]);
    // The demo data's recommendation to Bản Bo (due 31/7/2024, IN_PROGRESS) is overdue as well.
    const allOverdue = await t.as('COORDINATOR', `{ recommendations(filter: { overdue: true }) { nodes { id } } }`);
    expect(allOverdue.data.recommendations.nodes.map((n: any) => n.id)).toEqual([recBanBo, demoRec]);
    const toProvince = await t.as('COORDINATOR', `query($a: ID!) { recommendations(filter: { addresseeId: { eq: $a } }) { totalCount } }`, {
      a: u.province,
    });
    expect(toProvince.data.recommendations.totalCount).toBe(1);
    const under = await t.as(
      'COORDINATOR',
      `query($a: ID!) { recommendations(filter: { underUnit: $a, status: { eq: OPEN } }) { nodes { id } } }`,
      { a: u.banBo },
    );
    expect(under.data.recommendations.nodes.map((n: any) => n.id)).toEqual([recBanBo]);
    // Bản Bo's officer sees what is addressed to Bản Bo, not the province's.
    const mine = await t.as('COMMUNE_OFFICER', `{ recommendations { nodes { id } } }`);
    expect(mine.data.recommendations.nodes.map((n: any) => n.id)).toEqual([recBanBo, demoRec]);
    // Soonest due first: ours (31/12/2022), then the demo's (31/7/2024); findings: ours and the demo's.
    const view = await t.as(
      'COMMUNE_OFFICER',
      `query($u: ID!) { unit(id: $u) { openRecommendations { id overdue } findings { totalCount } } }`,
      { u: u.banBo },
    );
    expect(view.data.unit).toEqual({
      openRecommendations: [
        { id: recBanBo, overdue: true },
        { id: demoRec, overdue: true },
      ],
      findings: { totalCount: 2 },
    });
    const nested = await t.as(
      'COORDINATOR',
      `query($id: ID!) { mission(id: $id) { findings { totalCount } recommendations { totalCount nodes { addressee { code } } } } }`,
      { id: mission },
    );
    expect(nested.data.mission).toEqual({
      findings: { totalCount: 2 },
      recommendations: { totalCount: 2, nodes: [{ addressee: { code: 'TAMDUONG.BANBO' } }, { addressee: { code: 'LAICHAU' } }] },
    });
  });

  it('is followed up by the addressee to resolution', async () => {
    const UPD = `mutation($id: ID!, $v: Int!, $input: UpdateRecommendationInput!) { updateRecommendation(id: $id, version: $v, input: $input) { version status resolution resolvedAt overdue } }`;
    const binhlu = { token: await t.token('td.binhlu') };
    const stranger = await t.as(binhlu, UPD, { id: recBanBo, v: 1, input: { status: 'IN_PROGRESS' } });
    expect(codeOf(stranger)).toBe('NOT_FOUND');
    const health = { token: await t.token('td.health') };
    const otherAgency = await t.as(health, UPD, { id: recBanBo, v: 1, input: { status: 'IN_PROGRESS' } });
    expect(codeOf(otherAgency)).toBe('FORBIDDEN');

    const p = await t.as('COMMUNE_OFFICER', UPD, {
      id: recBanBo,
      v: 1,
      input: { status: 'IN_PROGRESS', resolution: 'Đang rà soát hồ sơ' },
    });
    expect(p.data.updateRecommendation).toEqual({
      version: 2,
      status: 'IN_PROGRESS',
      resolution: 'Đang rà soát hồ sơ',
      resolvedAt: null,
      overdue: true,
    });
    const noText = await t.as('COMMUNE_OFFICER', UPD, { id: recBanBo, v: 2, input: { status: 'RESOLVED', resolution: '' } });
    expect(codeOf(noText)).toBe('BAD_USER_INPUT');
    const done = await t.as('COMMUNE_OFFICER', UPD, {
      id: recBanBo,
      v: 2,
      input: { status: 'RESOLVED', resolution: 'Đã giải ngân 100% vốn' },
    });
    expect(done.errors).toBeUndefined();
    expect(done.data.updateRecommendation).toMatchObject({
      version: 3,
      status: 'RESOLVED',
      resolution: 'Đã giải ngân 100% vốn',
      overdue: false,
    });
    expect(done.data.updateRecommendation.resolvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const reopen = await t.as('COMMUNE_OFFICER', UPD, { id: recBanBo, v: 3, input: { status: 'IN_PROGRESS' } });
    expect(reopen.errors![0].extensions).toMatchObject({ rule: 'INVALID_TRANSITION', from: 'RESOLVED', to: 'IN_PROGRESS' });
    const open = await t.as('COMMUNE_OFFICER', `query($u: ID!) { unit(id: $u) { openRecommendations { id } } }`, { u: u.banBo });
    expect(open.data.unit.openRecommendations).toEqual([{ id: demoRec }]);

    // The province's recommendation: the district coordinator whose mission made it records the answer.
    const rejected = await t.as('COORDINATOR', UPD, {
      id: recProvince,
      v: 1,
      input: { status: 'REJECTED', resolution: 'Tỉnh giữ nguyên định mức' },
    });
    expect(rejected.data.updateRecommendation).toMatchObject({ status: 'REJECTED', overdue: false });
    const overdue = await t.as(
      'COORDINATOR',
      `query($m: ID!) { recommendations(filter: { missionId: { eq: $m }, overdue: true }) { totalCount } }`,
      { m: mission },
    );
    expect(overdue.data.recommendations.totalCount).toBe(0);
  });

  it('keeps SQL statements independent of page size for nested mission fields', async () => {
    const q = (limit: number) =>
      t.as(
        'COORDINATOR',
        `{ missions(limit: ${limit}) { nodes { title program { code } plan { title } leadUnit { name } members { name } targetUnits { code } components { code } reportDueDate obligation { dueDate } findings { totalCount nodes { component { code } } } recommendations { nodes { finding { id } overdue } } } } }`,
      );
    await t.tokenOf('COORDINATOR');
    // The first 4 by start date (two scope missions, the mission with findings, the planned one) already reach every nested loader.
    // Each loader is reached from one parent only, so batches cannot merge or split with timing.
    const small = await t.countStatements(() => q(4));
    const large = await t.countStatements(() => q(30));
    const r = await q(30);
    expect(r.errors).toBeUndefined();
    expect(r.data.missions.nodes.length).toBeGreaterThan(5);
    expect(large).toBe(small);
  });
});

describe('audit', () => {
  it('writes exactly one audit event per mutation, refused or not', async () => {
    const count = async () => Number((await t.db<{ n: string }>('SELECT count(*) n FROM audit_event'))[0].n);
    const before = await count();
    const m = await mustCreate({ startDate: '2022-05-09', endDate: '2022-05-10', targetUnitIds: [u.giangMa] }); // 1
    await t.as('COORDINATOR', move('completeMission'), { id: m.id, v: 1 }); // 2, refused
    await t.as('COORDINATOR', move('startMission'), { id: m.id, v: 1 }); // 3
    await t.as('COMMUNE_OFFICER', move('startMission'), { id: m.id, v: 2 }); // 4, refused (role)
    await t.as(
      'COORDINATOR',
      `mutation($m: ID!) { createFinding(input: { missionId: $m, kind: DIFFICULTY, description: "Đường sá khó khăn" }) { id } }`,
      { m: m.id },
    ); // 5
    expect(await count()).toBe(before + 5);
    const rows = await t.db<any>('SELECT operation, outcome FROM audit_event ORDER BY id DESC LIMIT 5');
    expect(rows.reverse()).toEqual([
      { operation: 'createMission', outcome: 'SUCCESS' },
      { operation: 'completeMission', outcome: 'RULE_VIOLATION' },
      { operation: 'startMission', outcome: 'SUCCESS' },
      { operation: 'startMission', outcome: 'FORBIDDEN' },
      { operation: 'createFinding', outcome: 'SUCCESS' },
    ]);
  });
});
