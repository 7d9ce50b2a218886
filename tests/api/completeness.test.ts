import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

const t = useTestApp();

const GEN = `mutation($p: ID!, $y: Int!) { generateObligations(programId: $p, year: $y) { id version type dueDate submitter { code } } }`;
const COMPLETENESS = `query($f: CompletenessFilter, $g: [CompletenessDimension!]!, $l: Int, $a: Date) {
  reportingCompleteness(filter: $f, groupBy: $g, unitLevel: $l, asOf: $a) { unit { code } type year expected actual onTime reportingRate onTimeRate } }`;

let programId = '';
let obligations: any[] = [];
const semiannual = (code: string) => obligations.find((o) => o.type === 'MONITORING_SEMIANNUAL' && o.submitter.code === code);

type Step = ['SUBMIT' | 'RETURN' | 'ACCEPT', string];

/** Runs a report through the API as ADMIN, then pins each status change to the given Vietnam time. */
async function report(code: string, steps: Step[]) {
  const o = semiannual(code);
  let r = (await t.as('ADMIN', `mutation($i: SaveReportInput!) { saveReport(input: $i) { id version } }`, { i: { obligationId: o.id } }))
    .data.saveReport;
  for (const [action] of steps) {
    const q =
      action === 'SUBMIT'
        ? `mutation($id: ID!, $v: Int!) { x: submitReport(id: $id, version: $v) { id version } }`
        : action === 'RETURN'
          ? `mutation($id: ID!, $v: Int!) { x: returnReport(id: $id, version: $v, reason: "Bổ sung số liệu") { id version } }`
          : `mutation($id: ID!, $v: Int!) { x: acceptReport(id: $id, version: $v) { id version } }`;
    const res = await t.as('ADMIN', q, { id: r.id, v: r.version });
    expect(res.errors).toBeUndefined();
    r = res.data.x;
  }
  const events = (await t.db<{ eid: string }>('SELECT id::text AS eid FROM report_event WHERE report_id = $1 ORDER BY id', [r.id])).map(
    (e) => ({ id: e.eid }),
  );
  expect(events).toHaveLength(steps.length + 1);
  await t.db('UPDATE report_event SET at = $2 WHERE id = $1', [events[0].id, '2024-05-01T08:00:00+07:00']);
  for (let i = 0; i < steps.length; i++) await t.db('UPDATE report_event SET at = $2 WHERE id = $1', [events[i + 1].id, steps[i][1]]);
  await t.db(
    `UPDATE report SET submitted_at = (SELECT max(at) FROM report_event WHERE report_id = $1 AND status = 'SUBMITTED'),
       reviewed_at = (SELECT max(at) FROM report_event WHERE report_id = $1 AND status IN ('RETURNED', 'ACCEPTED')) WHERE id = $1`,
    [r.id],
  );
  return r;
}

const VN = (s: string) => `${s}+07:00`;

beforeAll(async () => {
  programId = (await t.db<{ id: string }>(`SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'`))[0].id;
  const g = await t.as('COORDINATOR', GEN, { p: programId, y: 2024 });
  expect(g.errors).toBeUndefined();
  obligations = g.data.generateObligations;
  expect(obligations).toHaveLength(54);
  // The semiannual monitoring report of 2024 is due 14/5/2024 (before 15/5). 13 communes and 5 agencies owe it.
  await report('TAMDUONG.BANBO', [['SUBMIT', VN('2024-05-14T23:59:00')]]); // last minute of the due day: on time
  await report('TAMDUONG.BINHLU', [['SUBMIT', VN('2024-05-15T00:01:00')]]); // one minute late
  await report('TAMDUONG.BANGIANG', [
    ['SUBMIT', VN('2024-05-10T09:00:00')],
    ['RETURN', VN('2024-05-12T09:00:00')],
    ['SUBMIT', VN('2024-05-20T09:00:00')], // resubmitted after the due day: late
  ]);
  await report('TAMDUONG.BANHON', [
    ['SUBMIT', VN('2024-05-13T10:00:00')],
    ['ACCEPT', VN('2024-05-16T10:00:00')],
  ]);
  await report('TAMDUONG.GIANGMA', [['SUBMIT', VN('2024-06-05T10:00:00')]]); // after asOf 31/5
  await report('TAMDUONG.KHUNHA', [
    ['SUBMIT', VN('2024-05-10T10:00:00')],
    ['RETURN', VN('2024-05-20T10:00:00')], // returned, never resubmitted
  ]);
  await report('TAMDUONG.PLDTBXH', [['SUBMIT', VN('2024-05-14T10:00:00')]]);
  // Hồ Thầu's obligation is cancelled: not expected.
  const hothau = semiannual('TAMDUONG.HOTHAU');
  const c = await t.as(
    'COORDINATOR',
    `mutation($id: ID!, $v: Int!) { cancelObligation(id: $id, version: $v, reason: "Sáp nhập báo cáo") { status } }`,
    { id: hothau.id, v: hothau.version },
  );
  expect(c.data.cancelObligation.status).toBe('CANCELLED');
});

const semi = { type: 'MONITORING_SEMIANNUAL', year: 2024 };
const row = (
  code: string | null,
  expected: number,
  actual: number,
  onTime: number,
  reportingRate: string | null,
  onTimeRate: string | null,
) => ({
  unit: code ? { code } : null,
  type: null,
  year: null,
  expected,
  actual,
  onTime,
  reportingRate,
  onTimeRate,
});

describe('reportingCompleteness', () => {
  it('golden table per unit as of 31/5/2024', async () => {
    const r = await t.as('COORDINATOR', COMPLETENESS, { f: semi, g: ['UNIT'], a: '2024-05-31' });
    expect(r.errors).toBeUndefined();
    // Sorted by unit name (Vietnamese order). Hồ Thầu (cancelled) has no row.
    expect(r.data.reportingCompleteness).toEqual([
      row('TAMDUONG.PLDTBXH', 1, 1, 1, '1.0000', '1.0000'), // Phòng Lao động…: submitted 14/5 10:00
      row('TAMDUONG.PNNPTNT', 1, 0, 0, '0.0000', '0.0000'), // Phòng Nông nghiệp…
      row('TAMDUONG.PTCKH', 1, 0, 0, '0.0000', '0.0000'), // Phòng Tài chính…
      row('TAMDUONG.PVHTT', 1, 0, 0, '0.0000', '0.0000'), // Phòng Văn hóa…
      row('TAMDUONG.TTTAMDUONG', 1, 0, 0, '0.0000', '0.0000'), // Thị trấn Tam Đường
      row('TAMDUONG.TTYT', 1, 0, 0, '0.0000', '0.0000'), // Trung tâm Y tế
      row('TAMDUONG.BANBO', 1, 1, 1, '1.0000', '1.0000'), // 14/5 23:59: on time
      row('TAMDUONG.BANGIANG', 1, 1, 0, '1.0000', '0.0000'), // resubmitted 20/5: late
      row('TAMDUONG.BANHON', 1, 1, 1, '1.0000', '1.0000'), // accepted, submitted 13/5
      row('TAMDUONG.BINHLU', 1, 1, 0, '1.0000', '0.0000'), // 15/5 00:01: late
      row('TAMDUONG.GIANGMA', 1, 0, 0, '0.0000', '0.0000'), // submitted 5/6, after asOf
      row('TAMDUONG.KHUNHA', 1, 0, 0, '0.0000', '0.0000'), // stood RETURNED
      row('TAMDUONG.NATAM', 1, 0, 0, '0.0000', '0.0000'),
      row('TAMDUONG.NUNGNANG', 1, 0, 0, '0.0000', '0.0000'),
      row('TAMDUONG.SONBINH', 1, 0, 0, '0.0000', '0.0000'),
      row('TAMDUONG.TALENG', 1, 0, 0, '0.0000', '0.0000'),
      row('TAMDUONG.THENSIN', 1, 0, 0, '0.0000', '0.0000'),
    ]);
  });

  it('rolls up to the district as the sum of its units', async () => {
    const units = (await t.as('COORDINATOR', COMPLETENESS, { f: semi, g: ['UNIT'], l: 2, a: '2024-05-31' })).data.reportingCompleteness;
    const sum = (k: string) => units.reduce((s: number, u: any) => s + u[k], 0);
    expect([units.length, sum('expected'), sum('actual'), sum('onTime')]).toEqual([17, 17, 5, 3]);
    const district = await t.as('COORDINATOR', COMPLETENESS, { f: semi, g: ['UNIT'], l: 1, a: '2024-05-31' });
    // 5/17 = 0.29411… → 0.2941; 3/17 = 0.17647… → 0.1765 (half-up).
    expect(district.data.reportingCompleteness).toEqual([row('LAICHAU.TAMDUONG', 17, 5, 3, '0.2941', '0.1765')]);
    // Communes only: 12 expected (Hồ Thầu cancelled), 4 actual, 2 on time.
    const communes = units.filter(
      (u: any) => !['TAMDUONG.PLDTBXH', 'TAMDUONG.PNNPTNT', 'TAMDUONG.PTCKH', 'TAMDUONG.PVHTT', 'TAMDUONG.TTYT'].includes(u.unit.code),
    );
    expect([
      communes.length,
      communes.reduce((s: number, u: any) => s + u.actual, 0),
      communes.reduce((s: number, u: any) => s + u.onTime, 0),
    ]).toEqual([12, 4, 2]);
    // ADMIN to the province (level 0): the same counts; nothing else is due by then in 2024.
    const province = await t.as('ADMIN', COMPLETENESS, { f: { year: 2024 }, g: ['UNIT'], l: 0, a: '2024-05-31' });
    expect(province.data.reportingCompleteness).toEqual([row('LAICHAU', 17, 5, 3, '0.2941', '0.1765')]);
  });

  it('answers as of the end of the asOf day (Vietnam time)', async () => {
    const at = async (a: string) => (await t.as('COORDINATOR', COMPLETENESS, { f: semi, g: [], a })).data.reportingCompleteness;
    // 13/5: nothing due yet (the due day is 14/5): expected 0, rates null.
    expect(await at('2024-05-13')).toEqual([row(null, 0, 0, 0, null, null)]);
    // End of 14/5: Bản Bo (23:59), Bản Hon (13/5), Khun Há (10/5, returned only on 20/5), Phòng LĐ-TB&XH; Bản Giang stood RETURNED.
    expect(await at('2024-05-14')).toEqual([row(null, 17, 4, 4, '0.2353', '0.2353')]);
    // 15/5: Bình Lư's 00:01 submission now counts, late.
    expect(await at('2024-05-15')).toEqual([row(null, 17, 5, 4, '0.2941', '0.2353')]);
    // 20/5: Khun Há returned (out), Bản Giang resubmitted late (in): 5 actual, on time Bản Bo, Bản Hon, Phòng LĐ-TB&XH.
    expect(await at('2024-05-20')).toEqual([row(null, 17, 5, 3, '0.2941', '0.1765')]);
    // 30/6: Giang Ma's late submission of 5/6 counts.
    expect(await at('2024-06-30')).toEqual([row(null, 17, 6, 3, '0.3529', '0.1765')]);
  });

  it('groups by type and year and never reaches above the caller scope', async () => {
    const r = await t.as('COORDINATOR', COMPLETENESS, { f: { programId, year: 2024 }, g: ['TYPE', 'YEAR'], a: '2024-12-31' });
    // By 31/12/2024 all three yearly reports are due: 17 semiannual (1 cancelled), 18 annual monitoring, 18 annual evaluation.
    expect(r.data.reportingCompleteness).toEqual([
      {
        unit: null,
        type: 'MONITORING_SEMIANNUAL',
        year: 2024,
        expected: 17,
        actual: 6,
        onTime: 3,
        reportingRate: '0.3529',
        onTimeRate: '0.1765',
      },
      {
        unit: null,
        type: 'MONITORING_ANNUAL',
        year: 2024,
        expected: 18,
        actual: 0,
        onTime: 0,
        reportingRate: '0.0000',
        onTimeRate: '0.0000',
      },
      {
        unit: null,
        type: 'EVALUATION_ANNUAL',
        year: 2024,
        expected: 18,
        actual: 0,
        onTime: 0,
        reportingRate: '0.0000',
        onTimeRate: '0.0000',
      },
    ]);
    // A commune officer rolls up no higher than its commune, and sees only its own obligations.
    const binhlu = await t.as({ token: await t.token('td.binhlu') }, COMPLETENESS, { f: semi, g: ['UNIT'], l: 1, a: '2024-05-31' });
    expect(binhlu.data.reportingCompleteness).toEqual([row('TAMDUONG.BINHLU', 1, 1, 0, '1.0000', '0.0000')]);
    // underUnit narrows.
    const one = await t.as('COORDINATOR', COMPLETENESS, {
      f: { ...semi, underUnit: await t.unitId('TAMDUONG.BANHON') },
      g: ['UNIT'],
      a: '2024-05-31',
    });
    expect(one.data.reportingCompleteness).toEqual([row('TAMDUONG.BANHON', 1, 1, 1, '1.0000', '1.0000')]);
  });

  it('keeps obligation status and daysLate consistent with completeness', async () => {
    const q = `query($id: ID!) { reportingObligation(id: $id) { status daysLate } }`;
    const get = async (code: string) => (await t.as('COORDINATOR', q, { id: semiannual(code).id })).data.reportingObligation;
    expect(await get('TAMDUONG.BANBO')).toEqual({ status: 'SUBMITTED', daysLate: null }); // 14/5 23:59 VN
    expect(await get('TAMDUONG.BINHLU')).toEqual({ status: 'SUBMITTED', daysLate: 1 }); // 15/5 00:01 VN
    expect(await get('TAMDUONG.BANGIANG')).toEqual({ status: 'SUBMITTED', daysLate: 6 }); // resubmitted 20/5
    expect(await get('TAMDUONG.BANHON')).toEqual({ status: 'ACCEPTED', daysLate: null });
    expect(await get('TAMDUONG.GIANGMA')).toEqual({ status: 'SUBMITTED', daysLate: 22 }); // 5/6
    expect(await get('TAMDUONG.HOTHAU')).toEqual({ status: 'CANCELLED', daysLate: null });
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const sinceDue = Math.round((Date.parse(today) - Date.parse('2024-05-14')) / 86_400_000);
    expect(await get('TAMDUONG.KHUNHA')).toEqual({ status: 'RETURNED', daysLate: sinceDue }); // counts to today while unsubmitted
    expect(await get('TAMDUONG.NATAM')).toEqual({ status: 'OVERDUE', daysLate: sinceDue });
  });
});

/**
 * obligation_standing (kept by triggers on report_event and report) lets completeness skip the history of
 * every obligation whose events all lie before the as-of day. It must change no answer.
 */
describe('obligation standing', () => {
  const EXPECTED = `
    SELECT DISTINCT ON (r.obligation_id) r.obligation_id::text, e.status::text,
      max(e.at) OVER w AS last_event_at, max(e.at) FILTER (WHERE e.status = 'SUBMITTED') OVER w AS last_submitted_at
    FROM report r JOIN report_event e ON e.report_id = r.id
    WINDOW w AS (PARTITION BY r.obligation_id) ORDER BY r.obligation_id, e.at DESC, e.id DESC`;
  const ACTUAL = `
    SELECT obligation_id::text, status::text, last_event_at, last_submitted_at FROM obligation_standing
    WHERE status IS NOT NULL ORDER BY obligation_standing.obligation_id`;
  const expectStandingExact = async () => {
    const [expected, actual] = [await t.db(EXPECTED), await t.db(ACTUAL)];
    expect(expected.length).toBeGreaterThanOrEqual(7);
    expect(actual).toEqual(expected);
  };

  it('equals a from-scratch reading of the events after API transitions and re-dated events', async () => {
    await expectStandingExact();
    // A later transition through the API (an acceptance now), and an event moved back before another.
    const bb = (
      await t.db<{ id: string; version: number }>('SELECT id::text, version FROM report WHERE obligation_id = $1', [
        semiannual('TAMDUONG.BANBO').id,
      ])
    )[0];
    const acc = await t.as('ADMIN', `mutation($id: ID!, $v: Int!) { acceptReport(id: $id, version: $v) { id } }`, {
      id: bb.id,
      v: bb.version,
    });
    expect(acc.errors).toBeUndefined();
    await expectStandingExact();
    await t.db(`UPDATE report_event SET at = at - interval '400 days' WHERE report_id = $1 AND status = 'ACCEPTED'`, [bb.id]);
    await expectStandingExact();
  });

  it('changes no answer: every grouping, as of days before, between and after the events, for the coordinator and the administrator', async () => {
    let compared = 0;
    for (const who of ['COORDINATOR', 'ADMIN'] as const)
      for (const a of ['2024-05-13', '2024-05-14', '2024-05-15', '2024-05-20', '2024-06-30', '2024-12-31', null])
        for (const v of [
          { f: semi, g: ['UNIT'] },
          { f: { programId }, g: ['UNIT', 'TYPE', 'YEAR'], l: 1 },
          { f: { year: 2024 }, g: [] },
        ]) {
          t.config.summaryRollups = true;
          const withStanding = await t.as(who, COMPLETENESS, { ...v, a });
          t.config.summaryRollups = false;
          const fromHistory = await t.as(who, COMPLETENESS, { ...v, a });
          t.config.summaryRollups = true;
          expect(withStanding.errors).toBeUndefined();
          expect(withStanding.data, `${who} ${a} ${JSON.stringify(v)}`).toEqual(fromHistory.data);
          compared += fromHistory.data.reportingCompleteness.length;
        }
    expect(compared).toBeGreaterThan(50);
  });

  it('is read-only and scoped for requests', async () => {
    const [{ can_write }] = await t.db<{ can_write: boolean }>(
      `SELECT has_table_privilege('ntp_request', 'obligation_standing', 'INSERT') OR has_table_privilege('ntp_request', 'obligation_standing', 'UPDATE')
         OR has_table_privilege('ntp_request', 'obligation_standing', 'DELETE') AS can_write`,
    );
    expect(can_write).toBe(false);
    const [{ policies }] = await t.db<{ policies: number }>(
      `SELECT count(*)::int AS policies FROM pg_policies WHERE tablename = 'obligation_standing' AND roles @> ARRAY['ntp_request']::name[]`,
    );
    expect(policies).toBe(1);
  });
});
