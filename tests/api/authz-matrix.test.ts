import { beforeAll, describe, expect, it } from 'vitest';
import { isNonNullType, type GraphQLSchema } from 'graphql';
import { useTestApp, type GqlResult } from '../support/app';
import { ExcelJS, upload } from '../support/files';
import { buildAppSchema } from '../../packages/server/src/graphql/schema';
import { authorize } from '../../packages/server/src/auth/policy';
import { Role, type Caller } from '../../packages/server/src/auth/roles';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';
import { CALLERS, POLICY, POSITIONS, expectedOutcome, type CallerName, type Outcome, type UnitPosition } from '../support/policy-table';

/**
 * The authorization matrix (issue 8): every Query and Mutation field of the built schema × every caller
 * (five roles, an API key, anonymous) × the caller's own unit, a child unit and a sibling unit, checked
 * against tests/support/policy-table.ts. An operation without a policy entry or without an argument
 * builder fails. Operations that take no unit (reference data, the caller's own account) answer alike
 * on the three units: they run once per caller, on `own` (declared by the table: no `outOfScope`).
 */
const t = useTestApp({ rateLimit: false });

/** Scope root / child / sibling of each caller (unit codes). Bản Bo has no units below it: its child is itself. */
const UNITS: Record<CallerName, Record<UnitPosition, string>> = {
  ADMIN: { own: 'LAICHAU', child: 'LAICHAU.TAMDUONG', sibling: 'LAICHAU.MUONGTE' },
  COORDINATOR: { own: 'LAICHAU.TAMDUONG', child: 'TAMDUONG.BANBO', sibling: 'LAICHAU.MUONGTE' },
  AGENCY_OFFICER: { own: 'LAICHAU.TAMDUONG', child: 'TAMDUONG.BANBO', sibling: 'LAICHAU.MUONGTE' },
  COMMUNE_OFFICER: { own: 'TAMDUONG.BANBO', child: 'TAMDUONG.BANBO', sibling: 'TAMDUONG.BINHLU' },
  VIEWER: { own: 'LAICHAU.TAMDUONG', child: 'TAMDUONG.BANBO', sibling: 'LAICHAU.MUONGTE' },
  API_KEY: { own: 'LAICHAU.TAMDUONG', child: 'TAMDUONG.BANBO', sibling: 'LAICHAU.MUONGTE' },
  ANONYMOUS: { own: 'LAICHAU.TAMDUONG', child: 'TAMDUONG.BANBO', sibling: 'LAICHAU.MUONGTE' },
};
const FIXTURE_UNITS = ['LAICHAU', 'LAICHAU.TAMDUONG', 'TAMDUONG.BANBO', 'LAICHAU.MUONGTE', 'TAMDUONG.BINHLU'];

/** Records made for the matrix in each fixture unit (ids). */
interface UnitFixture {
  unit: string;
  code: string;
  plan: string;
  allocation: string;
  user: string;
  apiKey: string;
  target: string;
  value: string;
  mission: string;
  finding: string;
  recommendation: string;
  obligation: string;
  report: string;
  archivableUnit: string;
}
const fx: Record<string, UnitFixture> = {};
const ref = { program: '', da2: '', indicator: '', rule: '', labour: '', agriculture: '' };
/** An uploaded workbook per caller (files are readable by their uploader); refused callers get ADMIN's. */
const files: Partial<Record<CallerName, string>> = {};
const tokens: Partial<Record<CallerName, string>> = {};
let seq = 0;

const q = (v: unknown) => JSON.stringify(v);

interface Call {
  /** The field with its arguments, e.g. `unit(id: "3")`. */
  call: string;
  /** Selection set, when the field returns an object. */
  select?: string;
}
type Builder = (f: UnitFixture, caller: CallerName, pos: UnitPosition) => Call;

const list =
  (name: string, filter = true): Builder =>
  (f) => ({ call: `${name}(${filter ? `filter: { underUnit: ${q(f.unit)} }, ` : ''}limit: 1)`, select: '{ totalCount }' });
const lookup =
  (name: string, key: keyof UnitFixture): Builder =>
  (f) => ({ call: `${name}(id: ${q(f[key])})`, select: '{ id }' });
const uniq = (caller: CallerName, pos: UnitPosition) => `${caller}_${pos}_${++seq}`.toLowerCase();

/** One argument builder per operation: minimal valid arguments aimed at the target unit's fixture records. */
const BUILDERS: Record<string, Builder> = {
  // Queries
  units: list('units'),
  unit: (f) => ({ call: `unit(id: ${q(f.unit)})`, select: '{ id }' }),
  unitByCode: (f) => ({ call: `unitByCode(code: ${q(f.code)})`, select: '{ id }' }),
  programs: () => ({ call: 'programs(limit: 1)', select: '{ totalCount }' }),
  program: () => ({ call: `program(id: ${q(ref.program)})`, select: '{ id }' }),
  reportingUnits: () => ({ call: `reportingUnits(programId: ${q(ref.program)})`, select: '{ id }' }),
  deadlineRules: () => ({ call: `deadlineRules(programId: ${q(ref.program)})`, select: '{ id }' }),
  programComponents: () => ({ call: 'programComponents(limit: 1)', select: '{ totalCount }' }),
  programComponent: () => ({ call: `programComponent(id: ${q(ref.da2)})`, select: '{ id }' }),
  me: () => ({ call: 'me', select: '{ id }' }),
  users: list('users'),
  user: lookup('user', 'user'),
  apiKeys: () => ({ call: 'apiKeys(limit: 1)', select: '{ totalCount }' }),
  auditEvents: () => ({ call: 'auditEvents(limit: 1)', select: '{ totalCount }' }),
  calendarDays: () => ({ call: 'calendarDays(year: 2031)', select: '{ date }' }),
  workingDaysAfter: () => ({ call: 'workingDaysAfter(date: "2031-03-02", days: 3)' }),
  reportingObligations: list('reportingObligations'),
  reportingObligation: lookup('reportingObligation', 'obligation'),
  myDeadlines: () => ({ call: 'myDeadlines(limit: 1)', select: '{ id }' }),
  reportingCompleteness: (f) => ({
    call: `reportingCompleteness(filter: { underUnit: ${q(f.unit)} }, groupBy: [UNIT])`,
    select: '{ expected }',
  }),
  reports: list('reports'),
  report: lookup('report', 'report'),
  fundingAllocations: list('fundingAllocations'),
  fundingAllocation: lookup('fundingAllocation', 'allocation'),
  fundingSummary: (f) => ({ call: `fundingSummary(filter: { underUnit: ${q(f.unit)} }, groupBy: [YEAR])`, select: '{ plannedAmount }' }),
  disbursements: list('disbursements'),
  indicators: () => ({ call: 'indicators(limit: 1)', select: '{ totalCount }' }),
  indicator: () => ({ call: `indicator(id: ${q(ref.indicator)})`, select: '{ id }' }),
  indicatorProgress: (f) => ({ call: `indicatorProgress(filter: { underUnit: ${q(f.unit)} }, groupBy: [UNIT])`, select: '{ actual }' }),
  indicatorTargets: list('indicatorTargets'),
  indicatorTarget: lookup('indicatorTarget', 'target'),
  indicatorValues: list('indicatorValues'),
  indicatorValue: lookup('indicatorValue', 'value'),
  monitoringPlans: list('monitoringPlans'),
  monitoringPlan: lookup('monitoringPlan', 'plan'),
  missions: list('missions'),
  mission: lookup('mission', 'mission'),
  plannedMissions: (f) => ({ call: `plannedMissions(unitId: ${q(f.unit)}, from: "2031-01-01", to: "2031-12-31")`, select: '{ id }' }),
  findings: list('findings'),
  finding: lookup('finding', 'finding'),
  recommendations: list('recommendations'),
  recommendation: lookup('recommendation', 'recommendation'),

  // Mutations on reference data; updates and archives carry a stale version so nothing changes
  createUnit: (f, c, p) => ({
    call: `createUnit(input: { code: ${q(`MX.${uniq(c, p)}`)}, name: "Đơn vị thử", kind: COMMUNE, parentId: ${q(f.unit)}, validFrom: "2024-01-01", validTo: "2025-01-01" })`,
    select: '{ id }',
  }),
  updateUnit: (f) => ({ call: `updateUnit(id: ${q(f.archivableUnit)}, version: 999, input: { name: "Đổi tên" })`, select: '{ id }' }),
  archiveUnit: (f) => ({ call: `archiveUnit(id: ${q(f.archivableUnit)}, version: 999)`, select: '{ id }' }),
  setDistrictAgency: () => ({
    call: `setDistrictAgency(unitId: ${q(fx['LAICHAU.TAMDUONG'].unit)}, role: STANDING_AGENCY, agencyId: ${q(ref.labour)})`,
    select: '{ id }',
  }),
  createProgram: (_f, c, p) => ({
    call: `createProgram(input: { code: ${q(`MX-${uniq(c, p)}`)}, name: "Chương trình thử", startYear: 2031, endYear: 2035 })`,
    select: '{ id }',
  }),
  updateProgram: () => ({ call: `updateProgram(id: ${q(ref.program)}, version: 999, input: { name: "Đổi" })`, select: '{ id }' }),
  archiveProgram: () => ({ call: `archiveProgram(id: ${q(ref.program)}, version: 999)`, select: '{ id }' }),
  addReportingUnit: (f) => ({
    call: `addReportingUnit(programId: ${q(ref.program)}, unitId: ${q(f.unit)}, validFrom: "2031-01-01")`,
    select: '{ id }',
  }),
  removeReportingUnit: (f) => ({
    call: `removeReportingUnit(programId: ${q(ref.program)}, unitId: ${q(f.unit)}, validTo: "2031-12-31")`,
    select: '{ id }',
  }),
  createDeadlineRule: () => ({
    call: `createDeadlineRule(input: { programId: ${q(ref.program)}, reportType: MONITORING_ADHOC, kind: ON_REQUEST })`,
    select: '{ id }',
  }),
  updateDeadlineRule: () => ({ call: `updateDeadlineRule(id: ${q(ref.rule)}, version: 999, input: { before: false })`, select: '{ id }' }),
  archiveDeadlineRule: () => ({ call: `archiveDeadlineRule(id: ${q(ref.rule)}, version: 999)`, select: '{ id }' }),
  createProgramComponent: (_f, c, p) => ({
    call: `createProgramComponent(input: { programId: ${q(ref.program)}, code: ${q(`MX${uniq(c, p)}`)}, name: "Thử", kind: PROJECT })`,
    select: '{ id }',
  }),
  updateProgramComponent: () => ({
    call: `updateProgramComponent(id: ${q(ref.da2)}, version: 999, input: { name: "Đổi" })`,
    select: '{ id }',
  }),
  archiveProgramComponent: () => ({ call: `archiveProgramComponent(id: ${q(ref.da2)}, version: 999)`, select: '{ id }' }),
  assignLeadAgency: (f) => ({
    call: `assignLeadAgency(componentId: ${q(ref.da2)}, unitId: ${q(f.unit)}, agencyId: ${q(ref.agriculture)})`,
    select: '{ id }',
  }),
  setCalendarDay: (_f, _c, p) => ({
    call: `setCalendarDay(input: { date: "2031-05-1${POSITIONS.indexOf(p)}", kind: DAY_OFF, name: "Nghỉ bù" })`,
    select: '{ date }',
  }),
  removeCalendarDay: (_f, _c, p) => ({ call: `removeCalendarDay(date: "2031-04-1${POSITIONS.indexOf(p)}")` }),
  createIndicator: (_f, c, p) => ({
    call: `createIndicator(input: { code: ${q(`MX.${uniq(c, p)}`)}, name: "Chỉ tiêu thử", measure: NUMBER, direction: INCREASE, aggregation: SUM })`,
    select: '{ id }',
  }),
  updateIndicator: () => ({ call: `updateIndicator(id: ${q(ref.indicator)}, version: 999, input: { name: "Đổi" })`, select: '{ id }' }),
  archiveIndicator: () => ({ call: `archiveIndicator(id: ${q(ref.indicator)}, version: 999)`, select: '{ id }' }),

  // Identity
  login: () => ({ call: `login(username: "td.viewer", password: ${q(DEMO_PASSWORD)})`, select: '{ expiresAt }' }), // whoever carries a token
  logout: () => ({ call: 'logout' }),
  changePassword: () => ({ call: 'changePassword(currentPassword: "not-the-password", newPassword: "Mot-mat-khau-moi-2031!")' }), // BAD_USER_INPUT when allowed
  resetPassword: (f) => ({ call: `resetPassword(userId: ${q(f.user)}, newPassword: "Mat-khau-dat-lai-2031!")` }),
  createUser: (f, c, p) => ({
    call: `createUser(input: { username: ${q(`mx.${uniq(c, p)}`)}, password: "Mat-khau-dai-2031!", displayName: "Người thử", role: VIEWER, unitId: ${q(f.unit)} })`,
    select: '{ id }',
  }),
  updateUser: (f) => ({ call: `updateUser(id: ${q(f.user)}, version: 999, input: { displayName: "Đổi" })`, select: '{ id }' }),
  createApiKey: (f) => ({ call: `createApiKey(input: { name: "Khóa thử", unitId: ${q(f.unit)} })`, select: '{ secret }' }),
  revokeApiKey: (f) => ({ call: `revokeApiKey(id: ${q(f.apiKey)})`, select: '{ id }' }),

  // Reporting
  generateObligations: (f) => ({
    call: `generateObligations(programId: ${q(ref.program)}, year: 2031, underUnit: ${q(f.unit)})`,
    select: '{ id }',
  }),
  createObligation: (f) => ({
    call: `createObligation(input: { programId: ${q(ref.program)}, type: MONITORING_ADHOC, submitterId: ${q(f.unit)}, componentId: ${q(ref.da2)}, dueDate: "2031-09-30" })`,
    select: '{ id }',
  }),
  cancelObligation: (f) => ({ call: `cancelObligation(id: ${q(f.obligation)}, version: 999, reason: "Thử")`, select: '{ id }' }),
  saveReport: (f) => ({
    call: `saveReport(input: { obligationId: ${q(f.obligation)}, version: 999, title: "Báo cáo" })`,
    select: '{ id }',
  }),
  submitReport: (f) => ({ call: `submitReport(id: ${q(f.report)}, version: 999)`, select: '{ id }' }),
  returnReport: (f) => ({ call: `returnReport(id: ${q(f.report)}, version: 999, reason: "Thiếu số liệu")`, select: '{ id }' }),
  acceptReport: (f) => ({ call: `acceptReport(id: ${q(f.report)}, version: 999)`, select: '{ id }' }),

  // Funding
  createFundingAllocation: (f, c, p) => ({
    call: `createFundingAllocation(input: { componentId: ${q(ref.da2)}, unitId: ${q(f.unit)}, year: 2024, source: ${['CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED'][(CALLERS.indexOf(c) + POSITIONS.indexOf(p)) % 6]}, plannedAmount: "1000", allocatedAmount: "1000" })`,
    select: '{ id }',
  }),
  reviseFundingAllocation: (f) => ({
    call: `reviseFundingAllocation(id: ${q(f.allocation)}, version: 999, input: { reason: "Thử" })`,
    select: '{ id }',
  }),
  recordDisbursement: (f, c, p) => ({
    call: `recordDisbursement(input: { allocationId: ${q(f.allocation)}, date: "2031-03-02", amount: "1", idempotencyKey: ${q(uniq(c, p))} })`,
    select: '{ id }',
  }),

  // Indicators
  setIndicatorTarget: (f) => ({
    call: `setIndicatorTarget(input: { indicatorId: ${q(ref.indicator)}, unitId: ${q(f.unit)}, year: 2024, baseline: "1", target: "2" })`,
    select: '{ id }',
  }),
  recordIndicatorValue: (f) => ({
    call: `recordIndicatorValue(input: { indicatorId: ${q(ref.indicator)}, unitId: ${q(f.unit)}, year: 2024, period: YEAR, value: "1" })`,
    select: '{ id }',
  }),

  // Monitoring
  createMonitoringPlan: (f) => ({
    call: `createMonitoringPlan(input: { unitId: ${q(f.unit)}, year: 2031, title: "Kế hoạch thử" })`,
    select: '{ id }',
  }),
  createMission: (f, c, p) => {
    // The lead is the caller's own agency (an agency officer leads its agency's missions); ADMIN leads from the target.
    // On the sibling unit the mission is led from there (a valid mission, only outside the scope).
    const lead = p === 'sibling' ? f.unit : c === 'COORDINATOR' ? ref.labour : c === 'AGENCY_OFFICER' ? ref.agriculture : f.unit;
    const day = 10 + CALLERS.indexOf(c) * 3 + POSITIONS.indexOf(p);
    return {
      call: `createMission(input: { programId: ${q(ref.program)}, leadUnitId: ${q(lead)}, title: "Đoàn thử", startDate: "2025-03-${day}", endDate: "2025-03-${day}",
        targetUnitIds: [${q(f.unit)}], componentIds: [${q(ref.da2)}], members: [{ name: "Trưởng đoàn", role: HEAD }], overlapJustification: "Thử ma trận" })`,
      select: '{ id }',
    };
  },
  updateMission: (f) => ({ call: `updateMission(id: ${q(f.mission)}, version: 999, input: { title: "Đổi" })`, select: '{ id }' }),
  startMission: (f) => ({ call: `startMission(id: ${q(f.mission)}, version: 999)`, select: '{ id }' }),
  cancelMission: (f) => ({ call: `cancelMission(id: ${q(f.mission)}, version: 999, reason: "Thử")`, select: '{ id }' }),
  completeMission: (f) => ({ call: `completeMission(id: ${q(f.mission)}, version: 999)`, select: '{ id }' }),
  createFinding: (f) => ({
    call: `createFinding(input: { missionId: ${q(f.mission)}, unitId: ${q(f.unit)}, kind: DIFFICULTY, description: "Phát hiện thử" })`,
    select: '{ id }',
  }),
  createRecommendation: (f) => ({
    call: `createRecommendation(input: { missionId: ${q(f.mission)}, addresseeId: ${q(f.unit)}, content: "Kiến nghị thử" })`,
    select: '{ id }',
  }),
  updateRecommendation: (f) => ({
    call: `updateRecommendation(id: ${q(f.recommendation)}, version: 999, input: { status: IN_PROGRESS })`,
    select: '{ id }',
  }),

  // Import and export
  // Each writer imports a kind it may write (units are ADMIN's; allocations and disbursements the funding writers').
  importFile: (_f, c) => ({
    call: `importFile(fileId: ${q(files[c] ?? files.ADMIN)}, kind: ${({ COORDINATOR: 'INDICATOR_VALUES', COMMUNE_OFFICER: 'INDICATOR_VALUES', AGENCY_OFFICER: 'DISBURSEMENTS' } as Record<string, string>)[c] ?? 'UNITS'}, dryRun: true)`,
    select: '{ committed }',
  }),
  exportList: (f) => ({ call: `exportList(list: "monitoringPlans", filter: { underUnit: ${q(f.unit)} }, format: CSV)`, select: '{ id }' }),
  exportReport: (f) => ({ call: `exportReport(reportId: ${q(f.report)}, format: DOCX)`, select: '{ id }' }),
};

/** Classifies one field's answer. */
function outcomeOf(r: GqlResult, field: string, nullable: boolean): { outcome: Outcome; code?: string } {
  const err = r.errors?.find((e) => e.path?.[0] === field) ?? r.errors?.find((e) => !e.path);
  const code = err?.extensions?.code as string | undefined;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || code === 'NOT_FOUND') return { outcome: code, code };
  if (!err && nullable) return { outcome: r.data?.[field] == null ? 'NULL' : 'VALUE' };
  return { outcome: 'OK', code };
}

const matches = (expected: Outcome, actual: Outcome) =>
  expected === actual || (expected === 'OK' && (actual === 'VALUE' || actual === 'NULL'));

let schema: GraphQLSchema;
const ops: { name: string; kind: 'query' | 'mutation'; nullable: boolean }[] = [];

beforeAll(async () => {
  schema = await buildAppSchema();
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const f of Object.values(type!.getFields())) ops.push({ name: f.name, kind, nullable: !isNonNullType(f.type) });
  }

  const admin = await t.tokenOf('ADMIN');
  const one = async (text: string, vars?: Record<string, unknown>) => {
    const r = await t.gql(text, vars, { token: admin });
    if (r.errors) throw new Error(`${text.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data;
  };
  const id = async (sqlText: string, params: unknown[] = []) => (await t.db<{ id: string }>(sqlText, params))[0].id;
  ref.program = await id("SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'");
  ref.da2 = await id("SELECT id::text FROM program_component WHERE code = 'DA2'");
  ref.indicator = await id("SELECT id::text FROM indicator WHERE measure = 'NUMBER' AND aggregation = 'SUM' ORDER BY id LIMIT 1");
  ref.rule = await id('SELECT id::text FROM deadline_rule ORDER BY id LIMIT 1');
  ref.labour = await t.unitId('TAMDUONG.PLDTBXH');
  ref.agriculture = await t.unitId('TAMDUONG.PNNPTNT');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('data').addRow(['code', 'name']);
  const workbook = Buffer.from(await wb.xlsx.writeBuffer());
  for (const c of ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER'] as const) {
    const file = await upload(t, await t.tokenOf(c), `${c}.xlsx`, workbook);
    if (!file.body?.id) throw new Error(`upload failed: ${JSON.stringify(file)}`);
    files[c] = file.body.id;
  }
  // Calendar days the removals find (ADMIN removes one per position).
  for (const d of ['2031-04-10', '2031-04-11', '2031-04-12'])
    await one(`mutation { setCalendarDay(input: { date: "${d}", kind: DAY_OFF, name: "Nghỉ" }) { date } }`);

  for (const [i, code] of FIXTURE_UNITS.entries()) {
    const unit = await t.unitId(code);
    const d = await one(
      `mutation($u: ID!, $c: ID!, $p: ID!, $i: ID!, $name: String!, $unit: String!) {
        plan: createMonitoringPlan(input: { unitId: $u, year: 2031, title: "Kế hoạch ma trận" }) { id }
        allocation: createFundingAllocation(input: { componentId: $c, unitId: $u, year: 2025, source: MOBILIZED, plannedAmount: "5000", allocatedAmount: "5000" }) { id }
        user: createUser(input: { username: $name, password: "Mat-khau-dai-2031!", displayName: "Người ma trận", role: VIEWER, unitId: $u }) { id }
        apiKey: createApiKey(input: { name: "Khóa ma trận", unitId: $u }) { apiKey { id } }
        target: setIndicatorTarget(input: { indicatorId: $i, unitId: $u, year: 2025, baseline: "1", target: "5" }) { id }
        value: recordIndicatorValue(input: { indicatorId: $i, unitId: $u, year: 2025, period: YEAR, value: "3" }) { id }
        obligation: createObligation(input: { programId: $p, type: MONITORING_ADHOC, submitterId: $u, componentId: $c, dueDate: "2025-06-30" }) { id }
        archivableUnit: createUnit(input: { code: $unit, name: "Đơn vị lưu trữ", kind: COMMUNE, parentId: $u, validFrom: "2024-01-01", validTo: "2025-01-01" }) { id }
      }`,
      { u: unit, c: ref.da2, p: ref.program, i: ref.indicator, name: `mx.fixture${i}`, unit: `MXU.${i}` },
    );
    const mission = await id(
      `INSERT INTO mission (program_id, title, lead_unit_id, start_date, end_date, status) VALUES ($1, 'Đoàn ma trận', $2, $3, $3, 'PLANNED') RETURNING id::text`,
      // Inside Tam Đường the agriculture office (lead of DA2) leads the mission: its officer may act on it.
      [ref.program, code.startsWith('TAMDUONG.') || code === 'LAICHAU.TAMDUONG' ? ref.agriculture : unit, `2025-02-1${i}`],
    );
    await t.db('INSERT INTO mission_target_unit (mission_id, unit_id) VALUES ($1, $2)', [mission, unit]);
    await t.db("INSERT INTO mission_member (mission_id, name, role, sort_order) VALUES ($1, 'Trưởng đoàn', 'HEAD', 0)", [mission]);
    const finding = await id(
      "INSERT INTO finding (mission_id, unit_id, kind, description) VALUES ($1, $2, 'DIFFICULTY', 'Phát hiện') RETURNING id::text",
      [mission, unit],
    );
    const recommendation = await id(
      "INSERT INTO recommendation (mission_id, finding_id, addressee_id, content, due_date, status) VALUES ($1, $2, $3, 'Kiến nghị', '2031-12-31', 'OPEN') RETURNING id::text",
      [mission, finding, unit],
    );
    const report = await id(
      `INSERT INTO report (obligation_id, title, sections, status) VALUES ($1, 'Báo cáo ma trận', '[]'::jsonb, 'SUBMITTED') RETURNING id::text`,
      [d.obligation.id],
    );
    fx[code] = {
      unit,
      code,
      plan: d.plan.id,
      allocation: d.allocation.id,
      user: d.user.id,
      apiKey: d.apiKey.apiKey.id,
      target: d.target.id,
      value: d.value.id,
      mission,
      finding,
      recommendation,
      obligation: d.obligation.id,
      report,
      archivableUnit: d.archivableUnit.id,
    };
  }

  for (const c of ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) tokens[c] = await t.tokenOf(c);
  const key = await one('mutation($u: ID!) { createApiKey(input: { name: "Cổng tỉnh (ma trận)", unitId: $u }) { secret } }', {
    u: fx['LAICHAU.TAMDUONG'].unit,
  });
  tokens.API_KEY = key.createApiKey.secret;
}, 120_000);

describe('authorization matrix', () => {
  it('every operation of the schema has a policy entry and an argument builder, and nothing else does', () => {
    const names = ops.map((o) => o.name).sort();
    expect(names.filter((n) => !POLICY[n])).toEqual([]);
    expect(names.filter((n) => !BUILDERS[n])).toEqual([]);
    expect(Object.keys(POLICY).filter((n) => !names.includes(n))).toEqual([]);
    expect(Object.keys(BUILDERS).filter((n) => !names.includes(n))).toEqual([]);
    for (const o of ops) expect({ op: o.name, kind: POLICY[o.name].kind }).toEqual({ op: o.name, kind: o.kind });
  });

  it("the table never allows what the resolvers' access decorators refuse (deny by default stays the floor)", () => {
    const fake = (c: CallerName): Caller | undefined =>
      c === 'ANONYMOUS'
        ? undefined
        : {
            kind: c === 'API_KEY' ? 'apiKey' : 'user',
            userId: '1',
            username: 'x',
            role: c === 'API_KEY' ? Role.VIEWER : Role[c],
            homeUnitId: '1',
            homeUnitKind: 'DISTRICT',
            scopeRootId: '1',
            scopePath: '/1/',
          };
    const wrong: string[] = [];
    for (const o of ops) {
      for (const c of CALLERS) {
        if (expectedOutcome(POLICY[o.name], c, 'own') === 'UNAUTHENTICATED' || expectedOutcome(POLICY[o.name], c, 'own') === 'FORBIDDEN')
          continue;
        try {
          authorize(o.name, o.kind === 'mutation', fake(c));
        } catch {
          wrong.push(`${o.name} for ${c}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every operation × caller × unit answers as the policy table says', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    let requests = 0;
    // ADMIN last, logout after everything else (it ends the caller's sessions).
    const order: CallerName[] = ['ANONYMOUS', 'API_KEY', 'VIEWER', 'COMMUNE_OFFICER', 'AGENCY_OFFICER', 'COORDINATOR', 'ADMIN'];
    const phases = [ops.filter((o) => o.name !== 'logout'), ops.filter((o) => o.name === 'logout')];
    for (const phase of phases) {
      for (const caller of order) {
        for (const pos of POSITIONS) {
          const f = fx[UNITS[caller][pos]];
          const due = phase.filter((o) => pos === 'own' || POLICY[o.name].outOfScope !== undefined);
          const run = async (kind: 'query' | 'mutation', batch: typeof due, fallback = false): Promise<void> => {
            if (!batch.length) return;
            const text = `${kind} { ${batch
              .map((o) => {
                const b = BUILDERS[o.name](f, caller, pos);
                return `${b.call} ${b.select ?? ''}`;
              })
              .join('\n')} }`;
            requests++;
            const r = await t.gql(text, undefined, { token: tokens[caller] });
            // graphql-js reports only the first failing non-null root field: then ask each field alone.
            if (fallback && r.errors?.length && batch.length > 1) {
              for (const o of batch) await run(kind, [o]);
              return;
            }
            for (const o of batch) {
              calls++;
              const want = expectedOutcome(POLICY[o.name], caller, pos);
              const got = outcomeOf(r, o.name, o.nullable);
              if (!matches(want, got.outcome)) {
                const err = r.errors?.find((e) => e.path?.[0] === o.name) ?? r.errors?.find((e) => !e.path);
                mismatches.push(
                  `${o.name} as ${caller} on ${pos}: expected ${want}, got ${got.outcome}${got.code ? ` (${got.code}: ${err?.message})` : ''}`,
                );
              }
            }
          };
          // Queries batch: nullable lookups report each error on their own, so they go in one request. A
          // failing non-null field nulls the whole answer and hides the other failures, so the non-null
          // fields expected to answer go in one request (asked field by field if it fails anyway) and
          // those expected to be refused one per request. Mutations run one per request (serial execution
          // stops at the first failing non-null field).
          const refused = (o: (typeof due)[number]) =>
            ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(expectedOutcome(POLICY[o.name], caller, pos));
          await run(
            'query',
            due.filter((o) => o.kind === 'query' && o.nullable),
          );
          await run(
            'query',
            due.filter((o) => o.kind === 'query' && !o.nullable && !refused(o)),
            true,
          );
          for (const o of due.filter((m) => m.kind === 'query' && !m.nullable && refused(m))) await run('query', [o]);
          for (const o of due.filter((m) => m.kind === 'mutation')) await run('mutation', [o]);
        }
      }
    }
    console.log(`authorization matrix: ${ops.length} operations × ${CALLERS.length} callers; ${calls} checks in ${requests} requests`);
    expect(mismatches).toEqual([]);
  }, 300_000);
});
