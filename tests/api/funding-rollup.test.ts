import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type GqlResult, type RoleName } from '../support/app';

/**
 * The funding roll-up (funding_rollup, kept by triggers) must give exactly the ledger's answers.
 * Two ways to check it: the table equals a from-scratch sum of the live ledger after every kind of
 * write, and every eligible summary answers the same as the same question forced onto the ledger
 * (a filter that removes no line, `plannedAmount >= 0`, is not one the roll-up carries).
 */
const t = useTestApp();

const SUMMARY = `query($f: FundingAllocationFilter, $g: [FundingDimension!]!, $l: Int) {
  fundingSummary(filter: $f, groupBy: $g, unitLevel: $l) {
    year source unit { code } project { code } subProject { code } plannedAmount allocatedAmount disbursedAmount disbursementRate } }`;

const ok = <T = any>(r: GqlResult<T>): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
};

/** The roll-up as it should be: live lines summed to every ancestor of level ≤ 1 found by path prefix. */
const EXPECTED = `
  SELECT anc.id::text AS unit_id, (anc.id = u.id) AS direct, anc.level, a.year, a.source::text AS source, a.component_id::text AS component_id,
         sum(a.planned_amount)::text AS planned, sum(a.allocated_amount)::text AS allocated, sum(a.disbursed_amount)::text AS disbursed, count(*)::int AS lines
  FROM funding_allocation a JOIN unit u ON u.id = a.unit_id JOIN unit anc ON u.path LIKE anc.path || '%' AND anc.level <= 1
  WHERE a.archived_at IS NULL
  GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;
const ACTUAL = `
  SELECT unit_id::text, direct, level, year, source::text AS source, component_id::text, planned_amount::text AS planned,
         allocated_amount::text AS allocated, disbursed_amount::text AS disbursed, lines
  FROM funding_rollup WHERE lines <> 0 OR planned_amount <> 0 OR allocated_amount <> 0 OR disbursed_amount <> 0
  ORDER BY 1, 2, 3, 4, 5, 6`;

async function expectRollupExact() {
  const [expected, actual] = [await t.db(EXPECTED), await t.db(ACTUAL)];
  expect(expected.length).toBeGreaterThan(10);
  expect(actual).toEqual(expected);
}

let province = '';
let district = '';
let banBo = '';
let component = '';
let newDistrict = '';

beforeAll(async () => {
  province = await t.unitId('LAICHAU');
  district = await t.unitId('LAICHAU.TAMDUONG');
  banBo = await t.unitId('TAMDUONG.BANBO');
  component = (await t.db<{ id: string }>(`SELECT id::text FROM program_component WHERE code = 'DA1.TDA1' LIMIT 1`))[0].id;
});

/** Summary shapes a province system or analyst asks, with their variables. */
function shapes(): [string, Record<string, unknown>][] {
  return [
    ['national by province × year', { g: ['UNIT', 'YEAR'], l: 0 }],
    ['province by district × year × source', { g: ['UNIT', 'YEAR', 'SOURCE'], l: 1, f: { underUnit: province } }],
    ['by year only', { g: ['YEAR'] }],
    ['everything in one row', { g: [] }],
    ['by project and district, 2024', { g: ['PROJECT', 'UNIT'], l: 1, f: { year: { eq: 2024 } } }],
    ['by sub-project and source, one component', { g: ['SUB_PROJECT', 'SOURCE'], f: { componentId: { eq: component } } }],
    ['districts under a district (level raised)', { g: ['UNIT', 'YEAR'], l: 0, f: { underUnit: district } }],
    ['by district, two sources', { g: ['UNIT', 'SOURCE'], l: 1, f: { source: { in: ['CENTRAL_INVESTMENT', 'LOCAL_BUDGET'] } } }],
  ];
}

async function expectSameAsLedger(who: RoleName) {
  let rowsCompared = 0;
  for (const [name, v] of shapes()) {
    const fromRollup = ok(await t.as(who, SUMMARY, v)).fundingSummary;
    const f = { ...((v.f as object) ?? {}), plannedAmount: { gte: '0' } };
    const fromLedger = ok(await t.as(who, SUMMARY, { ...v, f })).fundingSummary;
    expect(fromRollup, `${who}: ${name}`).toEqual(fromLedger);
    rowsCompared += fromLedger.length;
  }
  expect(rowsCompared).toBeGreaterThan(20);
}

describe('funding roll-up', () => {
  it('holds exactly the sums of the seeded ledger', async () => {
    await expectRollupExact();
  });

  it('stays exact through every kind of write: create, revise, disburse, correct, import-style bulk update, a unit move', async () => {
    const create = async (unitId: string, year: number, source: string, planned: string, allocated: string) =>
      ok(
        await t.as('ADMIN', `mutation($i: CreateFundingAllocationInput!) { createFundingAllocation(input: $i) { id version } }`, {
          i: { componentId: component, unitId, year, source, plannedAmount: planned, allocatedAmount: allocated },
        }),
      ).createFundingAllocation;
    const a = await create(banBo, 2021, 'MOBILIZED', '5000000', '4000000');
    const b = await create(district, 2021, 'MOBILIZED', '7000000', '6000000');
    await expectRollupExact();

    ok(
      await t.as(
        'ADMIN',
        `mutation($id: ID!, $v: Int!, $i: ReviseFundingAllocationInput!) { reviseFundingAllocation(id: $id, version: $v, input: $i) { id } }`,
        { id: a.id, v: a.version, i: { allocatedAmount: '4500000', reason: 'điều chỉnh' } },
      ),
    );
    const disburse = (allocationId: string, amount: string) =>
      t.as('ADMIN', `mutation($i: RecordDisbursementInput!) { recordDisbursement(input: $i) { id } }`, {
        i: { allocationId, date: '2021-03-01', amount },
      });
    ok(await disburse(a.id, '1200000'));
    ok(await disburse(b.id, '3000000'));
    ok(await disburse(a.id, '-200000'));
    await expectRollupExact();

    // A statement touching many lines at once, and one that changes no amount (nothing to add).
    await t.db(`UPDATE funding_allocation SET planned_amount = planned_amount + 1000 WHERE year = 2024`);
    await t.db(`UPDATE funding_allocation SET decision_ref = 'QĐ bổ sung' WHERE year = 2023`);
    await expectRollupExact();

    // A new district takes Bản Bo: its lines now roll up to the new district.
    const [{ valid_from }] = await t.db<{ valid_from: string }>(`SELECT valid_from::text FROM unit WHERE id = $1`, [district]);
    newDistrict = ok(
      await t.as('ADMIN', `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`, {
        i: { code: 'LAICHAU.ROLLUPTEST', name: 'Huyện Thử', kind: 'DISTRICT', parentId: province, validFrom: valid_from },
      }),
    ).createUnit.id;
    const bb = (await t.db<{ version: number }>('SELECT version FROM unit WHERE id = $1', [banBo]))[0];
    ok(
      await t.as('ADMIN', `mutation($id: ID!, $v: Int!, $i: UpdateUnitInput!) { updateUnit(id: $id, version: $v, input: $i) { id } }`, {
        id: banBo,
        v: bb.version,
        i: { parentId: newDistrict },
      }),
    );
    const moved = await t.db<{ n: number }>(
      `SELECT count(*)::int AS n FROM funding_rollup WHERE unit_id = $1 AND NOT direct AND lines > 0`,
      [newDistrict],
    );
    expect(moved[0].n).toBeGreaterThan(0);
    await expectRollupExact();
  });

  it('answers every eligible summary exactly as the ledger does, for the administrator and for a district officer', async () => {
    await expectSameAsLedger('ADMIN');
    await expectSameAsLedger('COORDINATOR');
  });

  it('is what eligible summaries read, and only those (a tampered roll-up shows through, then is rebuilt)', async () => {
    const national = { g: ['UNIT', 'YEAR'], l: 0 };
    const byCommune = { g: ['UNIT', 'YEAR'], l: 2 };
    const before = ok(await t.as('ADMIN', SUMMARY, national)).fundingSummary;
    const communesBefore = ok(await t.as('ADMIN', SUMMARY, byCommune)).fundingSummary;
    await t.db(`UPDATE funding_rollup SET planned_amount = planned_amount + 1 WHERE unit_id = $1 AND NOT direct`, [province]);
    const tampered = ok(await t.as('ADMIN', SUMMARY, national)).fundingSummary;
    expect(tampered).not.toEqual(before);
    expect(ok(await t.as('ADMIN', SUMMARY, byCommune)).fundingSummary).toEqual(communesBefore);
    await t.db('SELECT ntp_funding_rollup_rebuild()');
    expect(ok(await t.as('ADMIN', SUMMARY, national)).fundingSummary).toEqual(before);
    await expectRollupExact();
  });

  it('is read-only and scoped for requests', async () => {
    const [{ can_write }] = await t.db<{ can_write: boolean }>(
      `SELECT has_table_privilege('ntp_request', 'funding_rollup', 'INSERT') OR has_table_privilege('ntp_request', 'funding_rollup', 'UPDATE') AS can_write`,
    );
    expect(can_write).toBe(false);
    const [{ policies }] = await t.db<{ policies: number }>(
      `SELECT count(*)::int AS policies FROM pg_policies WHERE tablename = 'funding_rollup' AND roles @> ARRAY['ntp_request']::name[]`,
    );
    expect(policies).toBe(1);
  });
});
