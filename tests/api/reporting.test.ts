import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp } from '../support/app';
import { createEventObligation, isAnnualEvaluationAccepted } from '../../packages/server/src/modules/reporting/obligation.service';
import { ReportType } from '../../packages/server/src/modules/programs/program.enums';

const t = useTestApp();

const OBL =
  'id version type title year dueDate status daysLate submitter { code } recipients { code } component { code } report { id version status }';
const GEN = `mutation($p: ID!, $y: Int!, $u: ID) { generateObligations(programId: $p, year: $y, underUnit: $u) { ${OBL} } }`;
const REPORT =
  'id version title status submittedAt returnReason reviewedAt sections { key title body } submittedBy { username } history { status at reason actor { username } } obligation { id status }';
const SAVE = `mutation($i: SaveReportInput!) { saveReport(input: $i) { ${REPORT} } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!) { submitReport(id: $id, version: $v) { ${REPORT} } }`;
const RETURN = `mutation($id: ID!, $v: Int!, $r: String!) { returnReport(id: $id, version: $v, reason: $r) { ${REPORT} } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptReport(id: $id, version: $v) { ${REPORT} } }`;
const CREATE = `mutation($i: CreateObligationInput!) { createObligation(input: $i) { ${OBL} } }`;
const CANCEL = `mutation($id: ID!, $v: Int!, $r: String!) { cancelObligation(id: $id, version: $v, reason: $r) { id version status daysLate cancelReason } }`;

const LAB = 'TAMDUONG.PLDTBXH';
const FIN = 'TAMDUONG.PTCKH';
const AGRI = 'TAMDUONG.PNNPTNT';
const CULT = 'TAMDUONG.PVHTT';
const HEALTH = 'TAMDUONG.TTYT';
const ALL_RECIPIENTS = [AGRI, LAB, CULT, FIN, HEALTH].sort();

let programId = '';
let gen2024: any[] = [];
const token = (u: string) => t.token(u);
const asUser = async (u: string, q: string, v?: Record<string, unknown>) => t.as({ token: await token(u) }, q, v);
const find = (type: string, code: string) => gen2024.find((o) => o.type === type && o.submitter.code === code);
/** Today in Vietnam (UTC+7) as YYYY-MM-DD. */
const vnToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

beforeAll(async () => {
  programId = (await t.db<{ id: string }>(`SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'`))[0].id;
});

describe('generating obligations', () => {
  it('refuses roles other than COORDINATOR and ADMIN, and years outside the program', async () => {
    for (const role of ['AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) {
      expect(codeOf(await t.as(role, GEN, { p: programId, y: 2024 }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.as('COORDINATOR', GEN, { p: programId, y: 2030 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.as('COORDINATOR', GEN, { p: '999999', y: 2024 }))).toBe('NOT_FOUND');
  });

  it("creates the year's obligations for Tam Đường once, with default recipients", async () => {
    const r = await t.as('COORDINATOR', GEN, { p: programId, y: 2024 });
    expect(r.errors).toBeUndefined();
    gen2024 = r.data.generateObligations;
    // 13 communes + 5 member agencies report in 2024; yearly rules falling in 2024: semiannual (before 15/5),
    // annual monitoring (before 15/11), annual evaluation (before 20/11); no fixed date falls in 2024. 18 × 3 = 54.
    expect(gen2024).toHaveLength(54);
    const byType = (type: string) => gen2024.filter((o) => o.type === type);
    expect(byType('MONITORING_SEMIANNUAL').map((o) => o.dueDate)).toEqual(Array(18).fill('2024-05-14'));
    expect(byType('MONITORING_ANNUAL').map((o) => o.dueDate)).toEqual(Array(18).fill('2024-11-14'));
    expect(byType('EVALUATION_ANNUAL').map((o) => o.dueDate)).toEqual(Array(18).fill('2024-11-19'));
    // Soonest first.
    expect(gen2024[0].dueDate).toBe('2024-05-14');
    expect(gen2024[53].dueDate).toBe('2024-11-19');

    const banbo = find('MONITORING_SEMIANNUAL', 'TAMDUONG.BANBO');
    expect(banbo).toMatchObject({
      title: 'Báo cáo giám sát 6 tháng năm 2024 – Xã Bản Bo',
      year: 2024,
      status: 'OVERDUE',
      report: null,
      component: null,
    });
    // A commune reports to the standing agency, the finance-planning office and every lead agency of the district.
    expect(banbo.recipients.map((u: any) => u.code).sort()).toEqual(ALL_RECIPIENTS);
    // Never to itself: the standing agency's own obligation goes to the other four.
    const labour = find('MONITORING_SEMIANNUAL', LAB);
    expect(labour.recipients.map((u: any) => u.code).sort()).toEqual(ALL_RECIPIENTS.filter((c) => c !== LAB));
    // daysLate while unsubmitted counts to today (Vietnam time).
    expect(banbo.daysLate).toBe(daysBetween('2024-05-14', vnToday()));

    const again = await t.as('COORDINATOR', GEN, { p: programId, y: 2024 });
    expect(again.data.generateObligations).toEqual([]);
    const audit = await t.db<{ after: any }>(
      `SELECT after FROM audit_event WHERE operation = 'generateObligations' AND outcome = 'SUCCESS' ORDER BY id`,
    );
    expect(audit.map((a) => a.after.created)).toEqual([54, 0]);
  });

  it('skips units abolished before the due date and creates their successors’ obligations', async () => {
    // The coordinator's scope is former Tam Đường: in 2025 only the semiannual report (before 15/5) falls
    // before the district was abolished (30/6/2025); the annual ones and the final evaluation fall after it.
    const coord = await t.as('COORDINATOR', GEN, { p: programId, y: 2025 });
    expect(coord.data.generateObligations).toHaveLength(18);
    expect(new Set(coord.data.generateObligations.map((o: any) => o.dueDate))).toEqual(new Set(['2025-05-14']));
    // ADMIN (unscoped) adds the four successor communes' annual monitoring, annual evaluation and final evaluation.
    const admin = await t.as('ADMIN', GEN, { p: programId, y: 2025 });
    const created = admin.data.generateObligations;
    expect(created).toHaveLength(12);
    expect(new Set(created.map((o: any) => o.submitter.code))).toEqual(
      new Set(['LAICHAU.BINHLU', 'LAICHAU.BANBO', 'LAICHAU.TALENG', 'LAICHAU.KHUNHA']),
    );
    expect(created.filter((o: any) => o.type === 'EVALUATION_FINAL').map((o: any) => o.dueDate)).toEqual(Array(4).fill('2025-08-14'));
    // Post-2025 communes have no district: they report to the nearest unit above that names a standing agency
    // and a finance-planning office, the province (seeded: its departments of agriculture and environment, and finance).
    expect(created.map((o: any) => o.recipients.map((u: any) => u.code).sort())).toEqual(Array(12).fill(['LAICHAU.SNNMT', 'LAICHAU.STC']));
    // underUnit narrows: nothing new under one commune.
    const under = await t.as('ADMIN', GEN, { p: programId, y: 2025, u: await t.unitId('LAICHAU.BANBO') });
    expect(under.data.generateObligations).toEqual([]);
  });

  it("expresses the province's rules (15 working days, before 1/6, before 1/12) as data", async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const RULE = `mutation($i: CreateDeadlineRuleInput!) { createDeadlineRule(input: $i) { id level kind } }`;
    for (const i of [
      { reportType: 'MONITORING_SEMIANNUAL', level: 'DISTRICT', kind: 'YEARLY', month: 6, day: 1, before: true },
      { reportType: 'MONITORING_ANNUAL', level: 'DISTRICT', kind: 'YEARLY', month: 12, day: 1, before: true },
      { reportType: 'MONITORING_MISSION', level: 'DISTRICT', kind: 'WORKING_DAYS_AFTER_EVENT', workingDays: 15 },
    ]) {
      const r = await t.as('ADMIN', RULE, { i: { programId, ...i } });
      expect(r.errors).toBeUndefined();
    }
    const add = await t.as(
      'COORDINATOR',
      `mutation($p: ID!, $u: ID!) { addReportingUnit(programId: $p, unitId: $u, validTo: "2025-06-30") { code } }`,
      { p: programId, u: district },
    );
    expect(add.errors).toBeUndefined();
    const r = await t.as('COORDINATOR', GEN, { p: programId, y: 2024, u: district });
    // Only the district is new: its level's rules win (31/5, 30/11); the annual evaluation keeps the any-level rule (19/11).
    const rows = r.data.generateObligations.map((o: any) => [o.type, o.submitter.code, o.dueDate]);
    expect(rows).toEqual([
      ['MONITORING_SEMIANNUAL', 'LAICHAU.TAMDUONG', '2024-05-31'],
      ['EVALUATION_ANNUAL', 'LAICHAU.TAMDUONG', '2024-11-19'],
      ['MONITORING_ANNUAL', 'LAICHAU.TAMDUONG', '2024-11-30'],
    ]);
    expect(r.data.generateObligations[0].recipients.map((u: any) => u.code).sort()).toEqual(ALL_RECIPIENTS);

    // Event obligations (a mission's report): 15 working days for the district, 10 for a commune (any-level rule).
    const em = t.orm.em.fork();
    const admin = (await t.db<{ id: string }>(`SELECT id::text FROM app_user WHERE username = 'admin'`))[0].id;
    const ctx: any = {
      em,
      caller: { kind: 'user', userId: admin, role: 'ADMIN', homeUnitId: district, scopeRootId: null, scopePath: null },
      audit: {},
    };
    const base = {
      programId,
      type: ReportType.MONITORING_MISSION,
      eventDate: '2024-04-26',
      missionId: '42',
      title: 'Báo cáo sau đợt giám sát tháng 4/2024',
    };
    const forDistrict = await createEventObligation(ctx, { ...base, submitterId: district });
    // From Fri 26/4/2024: 2/5 = 1, 3/5 = 2, Sat 4/5 (make-up) = 3, 6–10/5 = 4–8, 13–17/5 = 9–13, 20/5 = 14, 21/5 = 15.
    expect(forDistrict.dueDate).toBe('2024-05-21');
    const forCommune = await createEventObligation(ctx, { ...base, submitterId: await t.unitId('TAMDUONG.NATAM') });
    expect(forCommune.dueDate).toBe('2024-05-14');
    const stored = await t.as(
      'COORDINATOR',
      `query($id: ID!) { reportingObligation(id: $id) { type missionId dueDate year recipients { code } } }`,
      { id: forCommune.id },
    );
    expect(stored.data.reportingObligation).toMatchObject({
      type: 'MONITORING_MISSION',
      missionId: '42',
      dueDate: '2024-05-14',
      year: 2024,
    });
    expect(stored.data.reportingObligation.recipients.map((u: any) => u.code).sort()).toEqual(ALL_RECIPIENTS);
    // No working-days rule for the type: refused.
    await expect(createEventObligation(ctx, { ...base, type: ReportType.EVALUATION_ANNUAL, submitterId: district })).rejects.toMatchObject({
      extensions: { code: 'RULE_VIOLATION', rule: 'NO_DEADLINE_RULE' },
    });
  });
});

describe('ad hoc obligations', () => {
  it('lets a COORDINATOR request one with default or explicit recipients, and an AGENCY_OFFICER only for components it leads', async () => {
    const binhlu = await t.unitId('TAMDUONG.BINHLU');
    const comp = async (code: string) =>
      (await t.db<{ id: string }>('SELECT id::text FROM program_component WHERE code = $1', [code]))[0].id;
    const base = { programId, type: 'MONITORING_ADHOC', submitterId: binhlu, dueDate: '2024-07-10' };
    const c = await t.as('COORDINATOR', CREATE, { i: base });
    expect(c.errors).toBeUndefined();
    expect(c.data.createObligation).toMatchObject({
      title: 'Báo cáo giám sát đột xuất năm 2024 – Xã Bình Lư',
      year: 2024,
      dueDate: '2024-07-10',
    });
    expect(c.data.createObligation.recipients.map((u: any) => u.code).sort()).toEqual(ALL_RECIPIENTS);

    const explicit = await t.as('COORDINATOR', CREATE, { i: { ...base, title: 'Báo cáo nhanh', recipientIds: [await t.unitId(LAB)] } });
    expect(explicit.data.createObligation.recipients.map((u: any) => u.code)).toEqual([LAB]);
    expect(codeOf(await t.as('COORDINATOR', CREATE, { i: { ...base, recipientIds: [binhlu] } }))).toBe('BAD_USER_INPUT');
    // Outside the coordinator's scope (another district's unit).
    const other = await t.unitId('LAICHAU.SINHO');
    expect(codeOf(await t.as('COORDINATOR', CREATE, { i: { ...base, submitterId: other } }))).toBe('FORBIDDEN');

    const agri = await t.as('AGENCY_OFFICER', CREATE, { i: { ...base, type: 'EVALUATION_ADHOC', componentId: await comp('DA3.TDA1') } });
    expect(agri.errors).toBeUndefined();
    // Tied to a component: its lead agency (not all of them), with the standing agency and the finance office.
    expect(agri.data.createObligation.recipients.map((u: any) => u.code).sort()).toEqual([AGRI, LAB, FIN].sort());
    expect(agri.data.createObligation.component.code).toBe('DA3.TDA1');
    expect(codeOf(await t.as('AGENCY_OFFICER', CREATE, { i: { ...base, componentId: await comp('DA3.TDA2') } }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('AGENCY_OFFICER', CREATE, { i: base }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('COMMUNE_OFFICER', CREATE, { i: base }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('VIEWER', CREATE, { i: base }))).toBe('FORBIDDEN');

    // Cancelling needs a reason and the current version; cancelled is final.
    const o = c.data.createObligation;
    expect(codeOf(await t.as('COORDINATOR', CANCEL, { id: o.id, v: o.version, r: '  ' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.as('COORDINATOR', CANCEL, { id: o.id, v: o.version + 5, r: 'Trùng yêu cầu' }))).toBe('CONFLICT');
    expect(codeOf(await t.as('COMMUNE_OFFICER', CANCEL, { id: o.id, v: o.version, r: 'x' }))).toBe('FORBIDDEN');
    // The agency did not request it and it is not tied to a component it leads.
    expect(codeOf(await t.as('AGENCY_OFFICER', CANCEL, { id: o.id, v: o.version, r: 'x' }))).toBe('FORBIDDEN');
    const cancelled = await t.as('COORDINATOR', CANCEL, { id: o.id, v: o.version, r: 'Trùng yêu cầu' });
    expect(cancelled.data.cancelObligation).toMatchObject({ status: 'CANCELLED', daysLate: null, cancelReason: 'Trùng yêu cầu' });
    const again = await t.as('COORDINATOR', CANCEL, { id: o.id, v: cancelled.data.cancelObligation.version, r: 'lại' });
    expect(codeOf(again)).toBe('RULE_VIOLATION');
    expect(again.errors![0].extensions.rule).toBe('INVALID_TRANSITION');
    const agriCancel = await t.as('AGENCY_OFFICER', CANCEL, {
      id: agri.data.createObligation.id,
      v: agri.data.createObligation.version,
      r: 'Không cần nữa',
    });
    expect(agriCancel.data.cancelObligation.status).toBe('CANCELLED');
    // Saving a report of a cancelled obligation is a refused transition.
    const s = await asUser('td.binhlu', SAVE, { i: { obligationId: o.id } });
    expect(s.errors![0].extensions.rule).toBe('INVALID_TRANSITION');
  });

  it("sends a post-2025 commune's ad hoc obligation to the province's departments and the component's lead agency there", async () => {
    const province = await t.unitId('LAICHAU');
    const comp = (await t.db<{ id: string }>("SELECT id::text FROM program_component WHERE code = 'DA4.TDA1'"))[0].id;
    const agency = await t.as('ADMIN', `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`, {
      i: { code: 'LAICHAU.SNV', name: 'Sở Nội vụ tỉnh Lai Châu', kind: 'AGENCY', parentId: province },
    });
    expect(agency.errors).toBeUndefined();
    const lead = await t.as(
      'ADMIN',
      `mutation($c: ID!, $u: ID!, $a: ID!) { assignLeadAgency(componentId: $c, unitId: $u, agencyId: $a) { id } }`,
      {
        c: comp,
        u: province,
        a: agency.data.createUnit.id,
      },
    );
    expect(lead.errors).toBeUndefined();
    const base = { programId, type: 'MONITORING_ADHOC', submitterId: await t.unitId('LAICHAU.KHUNHA'), dueDate: '2025-09-10' };
    const plain = await t.as('ADMIN', CREATE, { i: base });
    expect(plain.errors).toBeUndefined();
    // Not tied to a component: the standing agency, the finance office and every lead agency named at the province.
    expect(plain.data.createObligation.recipients.map((u: any) => u.code).sort()).toEqual(['LAICHAU.SNNMT', 'LAICHAU.SNV', 'LAICHAU.STC']);
    const tied = await t.as('ADMIN', CREATE, { i: { ...base, type: 'EVALUATION_ADHOC', componentId: comp } });
    expect(tied.data.createObligation.recipients.map((u: any) => u.code).sort()).toEqual(['LAICHAU.SNNMT', 'LAICHAU.SNV', 'LAICHAU.STC']);
    // A component led by nobody at the province: only the two departments.
    const other = (await t.db<{ id: string }>("SELECT id::text FROM program_component WHERE code = 'DA6'"))[0].id;
    const untied = await t.as('ADMIN', CREATE, { i: { ...base, type: 'EVALUATION_ADHOC', componentId: other } });
    expect(untied.data.createObligation.recipients.map((u: any) => u.code).sort()).toEqual(['LAICHAU.SNNMT', 'LAICHAU.STC']);
  });
});

describe('reports', () => {
  it('runs draft → submitted → returned → resubmitted → accepted, with every refusal on the way', async () => {
    const o = find('MONITORING_SEMIANNUAL', 'TAMDUONG.BANBO');
    // Reading is scoped: another commune cannot even see it; a recipient agency can read but not write.
    expect(codeOf(await asUser('td.binhlu', SAVE, { i: { obligationId: o.id } }))).toBe('NOT_FOUND');
    expect(codeOf(await asUser('td.agriculture', SAVE, { i: { obligationId: o.id } }))).toBe('FORBIDDEN');
    expect(codeOf(await asUser('td.coordinator', SAVE, { i: { obligationId: o.id } }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('VIEWER', SAVE, { i: { obligationId: o.id } }))).toBe('FORBIDDEN');

    const draft = await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id } });
    expect(draft.errors).toBeUndefined();
    let rep = draft.data.saveReport;
    expect(rep.status).toBe('DRAFT');
    expect(rep.title).toBe(o.title);
    // Default headings of a monitoring report (DOMAIN.md §4, seed §III.1), empty bodies.
    expect(rep.sections.map((s: any) => s.title)).toEqual([
      'Công tác lãnh đạo, chỉ đạo, hướng dẫn của các cơ quan',
      'Tiến độ, kết quả thực hiện so với mục tiêu, chỉ tiêu',
      'Tình hình huy động, phân bổ và sử dụng nguồn vốn',
      'Việc rà soát, bình xét, lựa chọn đối tượng thụ hưởng',
      'Việc phân công nhiệm vụ thành viên Ban Chỉ đạo cấp xã',
      'Khó khăn, vướng mắc',
      'Đề xuất, kiến nghị với cấp tỉnh',
    ]);
    expect(rep.sections.every((s: any) => s.body === '')).toBe(true);

    const sections = rep.sections.map((s: any) => ({ ...s, body: `Nội dung ${s.key}` }));
    expect(codeOf(await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, sections } }))).toBe('BAD_USER_INPUT'); // version needed now
    expect(codeOf(await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version + 1, sections } }))).toBe('CONFLICT');
    const dup = [...sections, sections[0]];
    expect(codeOf(await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version, sections: dup } }))).toBe(
      'BAD_USER_INPUT',
    );
    rep = (await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version, sections } })).data.saveReport;
    expect(rep.sections[1].body).toBe('Nội dung progress');

    // A client-supplied submittedAt is never read: the server stamps the time.
    const before = Date.now();
    const sub = await t.gql(
      `mutation($id: ID!, $v: Int!) { submitReport(id: $id, version: $v) { ${REPORT} } }`,
      { id: rep.id, v: rep.version, submittedAt: '2024-05-01T00:00:00+07:00' },
      { token: await t.tokenOf('COMMUNE_OFFICER') },
    );
    expect(sub.errors).toBeUndefined();
    rep = sub.data.submitReport;
    expect(rep.status).toBe('SUBMITTED');
    expect(Date.parse(rep.submittedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(rep.submittedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(rep.submittedBy.username).toBe('td.banbo');
    expect(rep.obligation.status).toBe('SUBMITTED');
    // An input field for it does not even exist.
    expect(
      codeOf(await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version, submittedAt: '2024-05-01T00:00:00Z' } })),
    ).toBeDefined();

    // Wrong transitions while submitted.
    expect((await t.as('COMMUNE_OFFICER', SUBMIT, { id: rep.id, v: rep.version })).errors![0].extensions.rule).toBe('INVALID_TRANSITION');
    expect(
      (await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version, title: 'x' } })).errors![0].extensions.rule,
    ).toBe('INVALID_TRANSITION');
    // Only officers of a recipient unit review: not the submitter, not another commune, not a viewer.
    expect(codeOf(await t.as('COMMUNE_OFFICER', ACCEPT, { id: rep.id, v: rep.version }))).toBe('FORBIDDEN');
    expect(codeOf(await asUser('td.binhlu', ACCEPT, { id: rep.id, v: rep.version }))).toBe('NOT_FOUND');
    expect(codeOf(await t.as('VIEWER', ACCEPT, { id: rep.id, v: rep.version }))).toBe('FORBIDDEN');
    expect(codeOf(await asUser('td.health', RETURN, { id: rep.id, v: rep.version, r: ' ' }))).toBe('BAD_USER_INPUT');

    const submittedVersion = rep.version;
    const ret = await asUser('td.health', RETURN, { id: rep.id, v: rep.version, r: 'Thiếu số liệu nguồn vốn' });
    expect(ret.errors).toBeUndefined();
    rep = ret.data.returnReport;
    expect(rep).toMatchObject({ status: 'RETURNED', returnReason: 'Thiếu số liệu nguồn vốn' });
    expect(rep.obligation.status).toBe('RETURNED');
    // First decision wins: a second reviewer with the old version conflicts, with the new one it is no longer submitted.
    expect(codeOf(await asUser('td.agriculture', ACCEPT, { id: rep.id, v: submittedVersion }))).toBe('CONFLICT');
    expect((await asUser('td.agriculture', ACCEPT, { id: rep.id, v: rep.version })).errors![0].extensions.rule).toBe('INVALID_TRANSITION');

    rep = (await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id, version: rep.version, title: 'Báo cáo 6 tháng (bổ sung)' } }))
      .data.saveReport;
    expect(rep.status).toBe('RETURNED');
    rep = (await t.as('COMMUNE_OFFICER', SUBMIT, { id: rep.id, v: rep.version })).data.submitReport;
    expect(rep.status).toBe('SUBMITTED');
    expect(rep.returnReason).toBeNull();
    const acc = await asUser('td.agriculture', ACCEPT, { id: rep.id, v: rep.version });
    expect(acc.errors).toBeUndefined();
    rep = acc.data.acceptReport;
    expect(rep.status).toBe('ACCEPTED');
    expect(rep.obligation.status).toBe('ACCEPTED');

    // Accepted = locked, for everyone.
    for (const [user, q, v] of [
      ['td.health', RETURN, { id: rep.id, v: rep.version, r: 'muộn' }],
      ['td.health', ACCEPT, { id: rep.id, v: rep.version }],
      ['td.banbo', SUBMIT, { id: rep.id, v: rep.version }],
      ['td.banbo', SAVE, { i: { obligationId: o.id, version: rep.version, title: 'sửa' } }],
      ['td.coordinator', CANCEL, { id: o.id, v: o.version, r: 'hủy' }],
    ] as const) {
      const r = await asUser(user, q, v as never);
      expect([user, r.errors?.[0]?.extensions?.rule]).toEqual([user, 'REPORT_LOCKED']);
    }

    // History: every status change with who, when and why.
    const h = await t.as('COORDINATOR', `query($id: ID!) { report(id: $id) { history { status reason actor { username } } } }`, {
      id: rep.id,
    });
    expect(h.data.report.history).toEqual([
      { status: 'DRAFT', reason: null, actor: { username: 'td.banbo' } },
      { status: 'SUBMITTED', reason: null, actor: { username: 'td.banbo' } },
      { status: 'RETURNED', reason: 'Thiếu số liệu nguồn vốn', actor: { username: 'td.health' } },
      { status: 'SUBMITTED', reason: null, actor: { username: 'td.banbo' } },
      { status: 'ACCEPTED', reason: null, actor: { username: 'td.agriculture' } },
    ]);
    // Submitted today, due 14/5/2024: late by the calendar days between.
    const view = await t.as(
      'COMMUNE_OFFICER',
      `query($id: ID!) { reportingObligation(id: $id) { status daysLate report { title status } } }`,
      { id: o.id },
    );
    expect(view.data.reportingObligation).toEqual({
      status: 'ACCEPTED',
      daysLate: daysBetween('2024-05-14', vnToday()),
      report: { title: 'Báo cáo 6 tháng (bổ sung)', status: 'ACCEPTED' },
    });

    // Every mutation above was audited, refusals included.
    const audit = await t.db<{ outcome: string; n: string }>(
      `SELECT outcome, count(*) AS n FROM audit_event WHERE operation IN ('saveReport', 'submitReport', 'returnReport', 'acceptReport') GROUP BY outcome`,
    );
    const byOutcome = Object.fromEntries(audit.map((a) => [a.outcome, Number(a.n)]));
    expect(byOutcome.SUCCESS).toBe(7); // draft, save, submit, return, save, submit, accept
    expect(byOutcome.RULE_VIOLATION).toBeGreaterThanOrEqual(6);
  });

  it('decides concurrent reviews one after the other: the first decision wins', async () => {
    const o = find('MONITORING_SEMIANNUAL', 'TAMDUONG.BINHLU');
    const binhlu = { token: await token('td.binhlu') };
    let rep = (await t.as(binhlu, SAVE, { i: { obligationId: o.id } })).data.saveReport;
    rep = (await t.as(binhlu, SUBMIT, { id: rep.id, v: rep.version })).data.submitReport;
    const [a, b] = await Promise.all([
      asUser('td.health', RETURN, { id: rep.id, v: rep.version, r: 'Thiếu phụ lục' }),
      asUser('td.agriculture', ACCEPT, { id: rep.id, v: rep.version }),
    ]);
    const won = [a, b].filter((r) => !r.errors);
    const lost = [a, b].filter((r) => r.errors);
    expect([won.length, lost.length]).toEqual([1, 1]);
    expect(codeOf(lost[0])).toBe('CONFLICT');
    const final = await t.as('COORDINATOR', `query($id: ID!) { report(id: $id) { status history { status } } }`, { id: rep.id });
    const decided = (won[0].data.returnReport ?? won[0].data.acceptReport).status;
    expect(final.data.report.status).toBe(decided);
    expect(final.data.report.history.map((h: any) => h.status)).toEqual(['DRAFT', 'SUBMITTED', decided]);
  });

  it("lets a district's coordinators write the district's report, and uses evaluation headings", async () => {
    const o = (
      await t.as(
        'COORDINATOR',
        `{ reportingObligations(filter: { submitterId: { in: ["${await t.unitId('LAICHAU.TAMDUONG')}"] }, type: { eq: EVALUATION_ANNUAL } }) { nodes { id } } }`,
      )
    ).data.reportingObligations.nodes[0];
    expect(codeOf(await t.as('AGENCY_OFFICER', SAVE, { i: { obligationId: o.id } }))).toBe('FORBIDDEN');
    const r = await t.as('COORDINATOR', SAVE, { i: { obligationId: o.id } });
    expect(r.errors).toBeUndefined();
    expect(r.data.saveReport.sections.map((s: any) => s.key)).toEqual([
      'policy',
      'coordination',
      'funds',
      'achievement',
      'problems',
      'direction',
    ]);
  });

  it('knows when an annual evaluation is accepted (indicator values lock on it)', async () => {
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const o = find('EVALUATION_ANNUAL', 'TAMDUONG.BANBO');
    const em = () => t.orm.em.fork() as never;
    expect(await isAnnualEvaluationAccepted(em(), banbo, 2024)).toBe(false);
    let rep = (await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: o.id } })).data.saveReport;
    rep = (await t.as('COMMUNE_OFFICER', SUBMIT, { id: rep.id, v: rep.version })).data.submitReport;
    expect(await isAnnualEvaluationAccepted(em(), banbo, 2024)).toBe(false);
    rep = (await t.as('COORDINATOR', ACCEPT, { id: rep.id, v: rep.version })).data.acceptReport;
    expect(rep.status).toBe('ACCEPTED');
    expect(await isAnnualEvaluationAccepted(em(), banbo, 2024)).toBe(true);
    expect(await isAnnualEvaluationAccepted(em(), banbo, 2023)).toBe(false);
    expect(await isAnnualEvaluationAccepted(em(), await t.unitId('TAMDUONG.BINHLU'), 2024)).toBe(false);
  });
});

describe('reading obligations', () => {
  it("myDeadlines lists what the caller's unit still owes, soonest first, overdue marked", async () => {
    const r = await t.as('COMMUNE_OFFICER', `{ myDeadlines(limit: 10) { type dueDate status submitter { code } } }`);
    expect(r.errors).toBeUndefined();
    // Bản Bo: semiannual 2024 and annual evaluation 2024 are accepted; left: annual monitoring 2024, semiannual 2025.
    expect(r.data.myDeadlines).toEqual([
      { type: 'MONITORING_ANNUAL', dueDate: '2024-11-14', status: 'OVERDUE', submitter: { code: 'TAMDUONG.BANBO' } },
      { type: 'MONITORING_SEMIANNUAL', dueDate: '2025-05-14', status: 'OVERDUE', submitter: { code: 'TAMDUONG.BANBO' } },
    ]);
    const one = await t.as('COMMUNE_OFFICER', `{ myDeadlines(limit: 1) { dueDate } }`);
    expect(one.data.myDeadlines).toEqual([{ dueDate: '2024-11-14' }]);
    expect(codeOf(await t.gql(`{ myDeadlines { id } }`))).toBe('UNAUTHENTICATED');
  });

  it('scopes lists to the submitter and recipients, filters by status, and batches nested fields', async () => {
    const mine = await asUser('td.binhlu', `{ reportingObligations(limit: 100) { totalCount nodes { submitter { code } } } }`);
    // Bình Lư: 3 in 2024, 1 in 2025, 3 ad hoc (two of them cancelled, still listed).
    expect(mine.data.reportingObligations.totalCount).toBe(7);
    expect(new Set(mine.data.reportingObligations.nodes.map((n: any) => n.submitter.code))).toEqual(new Set(['TAMDUONG.BINHLU']));
    const cancelled = await asUser('td.binhlu', `{ reportingObligations(filter: { status: { eq: CANCELLED } }) { totalCount } }`);
    expect(cancelled.data.reportingObligations.totalCount).toBe(2);
    // A recipient agency sees what it receives.
    const health = await asUser(
      'td.health',
      `query($r: ID!) { reportingObligations(filter: { recipientId: $r, year: { eq: 2024 }, type: { eq: MONITORING_SEMIANNUAL } }) { totalCount } }`,
      { r: await t.unitId(HEALTH) },
    );
    expect(health.data.reportingObligations.totalCount).toBe(18); // 13 communes, 4 other agencies, the district
    const accepted = await t.as(
      'COORDINATOR',
      `query($u: ID!) { reportingObligations(filter: { status: { in: [ACCEPTED] }, submitterId: { eq: $u } }) { nodes { type submitter { code } } } }`,
      { u: await t.unitId('TAMDUONG.BANBO') },
    );
    expect(accepted.data.reportingObligations.nodes).toEqual([
      { type: 'MONITORING_SEMIANNUAL', submitter: { code: 'TAMDUONG.BANBO' } },
      { type: 'EVALUATION_ANNUAL', submitter: { code: 'TAMDUONG.BANBO' } },
    ]);
    // Bình Lư sees its one report (the concurrently reviewed one), not Bản Bo's.
    const reports = await asUser('td.binhlu', `{ reports { totalCount nodes { obligation { submitter { code } } } } }`);
    expect(reports.data.reports.totalCount).toBe(1);
    expect(reports.data.reports.nodes[0].obligation.submitter.code).toBe('TAMDUONG.BINHLU');
    const q = (n: number) =>
      `{ reportingObligations(limit: ${n}) { nodes { id status daysLate program { code } submitter { name } recipients { code } component { code } report { status history { status actor { username } } submittedBy { username } attachments { id } obligation { id } } } } }`;
    // Both pages hold reports (with history, submitter, attachments) and a component-tied obligation.
    const small = await t.countStatements(() => t.as('COORDINATOR', q(40)));
    const large = await t.countStatements(() => t.as('COORDINATOR', q(200)));
    expect(large).toBe(small);
  });
});
