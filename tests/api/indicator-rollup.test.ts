import { Client } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type GqlResult, type RoleName } from '../support/app';

/**
 * The indicator roll-up (indicator_rollup, kept by triggers) must give exactly the values' answers.
 * Checked two ways: the table equals a from-scratch computation (written differently from the trigger's:
 * one join per period) after every kind of write, and every eligible indicatorProgress question answers
 * the same with the roll-ups switched off (`summaryRollups`, SUMMARY_ROLLUPS=off).
 */
const t = useTestApp();

const PROGRESS = `query($f: IndicatorProgressFilter, $g: [IndicatorDimension!]!, $l: Int) {
  indicatorProgress(filter: $f, groupBy: $g, unitLevel: $l) { indicator { code } unit { code } year actual baseline target achievement } }`;
const VALUE = `mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { id } }`;
const CREATE = `mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { id version } }`;

const ok = <T = any>(r: GqlResult<T>): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
};

/** Each leaf's figures picked period by period with one join each, summed to every ancestor of level ≤ 1. */
const EXPECTED = `
  WITH k AS (SELECT DISTINCT indicator_id, unit_id, year FROM indicator_value WHERE archived_at IS NULL),
  p AS (
    SELECT k.*, i.aggregation AS agg, y.id IS NOT NULL AS has_year, h2.id IS NOT NULL AS has_h2,
      y.value AS y_v, h1.value AS h1_v, h2.value AS h2_v, y.numerator AS y_n, h1.numerator AS h1_n, h2.numerator AS h2_n,
      y.denominator AS y_d, h1.denominator AS h1_d, h2.denominator AS h2_d
    FROM k JOIN indicator i ON i.id = k.indicator_id
      LEFT JOIN indicator_value y ON y.indicator_id = k.indicator_id AND y.unit_id = k.unit_id AND y.year = k.year AND y.period = 'YEAR' AND y.archived_at IS NULL
      LEFT JOIN indicator_value h1 ON h1.indicator_id = k.indicator_id AND h1.unit_id = k.unit_id AND h1.year = k.year AND h1.period = 'H1' AND h1.archived_at IS NULL
      LEFT JOIN indicator_value h2 ON h2.indicator_id = k.indicator_id AND h2.unit_id = k.unit_id AND h2.year = k.year AND h2.period = 'H2' AND h2.archived_at IS NULL
  ),
  l AS (
    SELECT indicator_id, unit_id, year,
      CASE WHEN has_year THEN y_v WHEN agg = 'SUM' AND (h1_v IS NOT NULL OR h2_v IS NOT NULL) THEN coalesce(h1_v, 0) + coalesce(h2_v, 0)
        WHEN agg = 'SUM' THEN NULL WHEN has_h2 THEN h2_v ELSE h1_v END AS v,
      CASE WHEN has_year THEN y_n WHEN agg = 'SUM' AND (h1_n IS NOT NULL OR h2_n IS NOT NULL) THEN coalesce(h1_n, 0) + coalesce(h2_n, 0)
        WHEN agg = 'SUM' THEN NULL WHEN has_h2 THEN h2_n ELSE h1_n END AS n,
      CASE WHEN has_year THEN y_d WHEN agg = 'SUM' AND (h1_d IS NOT NULL OR h2_d IS NOT NULL) THEN coalesce(h1_d, 0) + coalesce(h2_d, 0)
        WHEN agg = 'SUM' THEN NULL WHEN has_h2 THEN h2_d ELSE h1_d END AS d
    FROM p
  )
  SELECT anc.id::text AS unit_id, l.indicator_id::text AS indicator_id, (anc.id = u.id) AS direct, l.year, anc.level,
    count(*)::int AS leaves, sum(v)::text AS value_sum, count(v)::int AS value_count, sum(n)::text AS numerator_sum,
    count(n)::int AS numerator_count, sum(d)::text AS denominator_sum, count(d)::int AS denominator_count
  FROM l JOIN unit u ON u.id = l.unit_id JOIN unit anc ON u.path LIKE anc.path || '%' AND anc.level <= 1
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4`;
const ACTUAL = `
  SELECT unit_id::text, indicator_id::text, direct, year, level, leaves, value_sum::text, value_count, numerator_sum::text,
    numerator_count, denominator_sum::text, denominator_count
  FROM indicator_rollup WHERE leaves > 0 ORDER BY 1, 2, 3, 4`;

async function expectRollupExact() {
  const [expected, actual] = [await t.db(EXPECTED), await t.db(ACTUAL)];
  expect(expected.length).toBeGreaterThan(10);
  expect(actual).toEqual(expected);
  // Rows left at zero leaves hold nothing.
  const [{ stale }] = await t.db<{ stale: number }>(
    `SELECT count(*)::int AS stale FROM indicator_rollup WHERE leaves = 0 AND (value_sum IS NOT NULL OR value_count <> 0 OR numerator_count <> 0 OR denominator_count <> 0)`,
  );
  expect(stale).toBe(0);
}

let province = '';
let district = '';
let banBo = '';
let binhLu = '';
let sumId = '';
let avgId = '';
let ratioId = '';

beforeAll(async () => {
  province = await t.unitId('LAICHAU');
  district = await t.unitId('LAICHAU.TAMDUONG');
  banBo = await t.unitId('TAMDUONG.BANBO');
  binhLu = await t.unitId('TAMDUONG.BINHLU');
  const create = async (code: string, measure: string, aggregation: string) =>
    ok(await t.as('ADMIN', CREATE, { i: { code, name: code, measure, direction: 'INCREASE', aggregation } })).createIndicator.id as string;
  sumId = await create('R.SUM', 'NUMBER', 'SUM');
  avgId = await create('R.AVG', 'NUMBER', 'AVERAGE');
  ratioId = await create('R.RATIO', 'PERCENT', 'RATIO');
});

const record = (indicatorId: string, unitId: string, year: number, period: string, figures: Record<string, string | null>) =>
  t.as('ADMIN', VALUE, { i: { indicatorId, unitId, year, period, ...figures } });

/** indicatorProgress shapes the roll-up answers, with their variables. */
function shapes(): [string, Record<string, unknown>][] {
  return [
    ['national by indicator × province × year', { g: ['INDICATOR', 'UNIT', 'YEAR'], l: 0 }],
    ['province by indicator × district × year', { g: ['INDICATOR', 'UNIT', 'YEAR'], l: 1, f: { underUnit: province } }],
    [
      'three indicators, one year, by district',
      { g: ['INDICATOR', 'UNIT', 'YEAR'], l: 1, f: { indicatorIds: [sumId, avgId, ratioId], year: 2024 } },
    ],
    ['under a district, grouped at the province (level raised)', { g: ['INDICATOR', 'UNIT', 'YEAR'], l: 0, f: { underUnit: district } }],
  ];
}

async function expectSameAsValues(who: RoleName) {
  let rowsCompared = 0;
  let withActual = 0;
  for (const [name, v] of shapes()) {
    t.config.summaryRollups = true;
    const fromRollup = ok(await t.as(who, PROGRESS, v)).indicatorProgress;
    t.config.summaryRollups = false;
    const fromValues = ok(await t.as(who, PROGRESS, v)).indicatorProgress;
    t.config.summaryRollups = true;
    expect(fromRollup, `${who}: ${name}`).toEqual(fromValues);
    rowsCompared += fromValues.length;
    withActual += fromValues.filter((r: { actual: string | null }) => r.actual != null).length;
  }
  expect(rowsCompared).toBeGreaterThan(10);
  expect(withActual).toBeGreaterThan(5);
}

describe('indicator roll-up', () => {
  it('holds exactly the leaves of the seeded values', async () => {
    await expectRollupExact();
  });

  it('stays exact through every kind of write: periods that replace each other, corrections, bulk updates, an aggregation change, a unit move', async () => {
    // SUM: H1 alone, then H1 + H2, then a YEAR figure that replaces both.
    ok(await record(sumId, banBo, 2024, 'H1', { value: '10.5' }));
    ok(await record(sumId, binhLu, 2024, 'H1', { value: '4' }));
    await expectRollupExact();
    ok(await record(sumId, banBo, 2024, 'H2', { value: '7' }));
    ok(await record(sumId, banBo, 2024, 'YEAR', { value: '20' }));
    ok(await record(sumId, district, 2024, 'YEAR', { value: '3' }));
    // AVERAGE and RATIO, with a correction of an already recorded figure.
    ok(await record(avgId, banBo, 2024, 'YEAR', { value: '2' }));
    ok(await record(avgId, binhLu, 2024, 'YEAR', { value: '3' }));
    ok(await record(avgId, binhLu, 2024, 'YEAR', { value: '4.25' }));
    ok(await record(ratioId, banBo, 2024, 'H1', { numerator: '3', denominator: '40' }));
    ok(await record(ratioId, banBo, 2024, 'H2', { numerator: '5', denominator: '40' }));
    ok(await record(ratioId, binhLu, 2023, 'YEAR', { numerator: '1', denominator: '8' }));
    await expectRollupExact();

    // A statement touching many values at once, one that changes no figure, and one that archives a figure.
    await t.db(`UPDATE indicator_value SET value = value + 1 WHERE year = 2024 AND value IS NOT NULL`);
    await t.db(`UPDATE indicator_value SET version = version + 1 WHERE year = 2023`);
    await t.db(`UPDATE indicator_value SET archived_at = now() WHERE indicator_id = $1 AND unit_id = $2 AND period = 'YEAR'`, [
      sumId,
      banBo,
    ]);
    await expectRollupExact();

    // SUM picks H1 + H2 where other aggregations pick H2: changing the aggregation moves the figures.
    await t.db(`UPDATE indicator SET aggregation = 'LAST' WHERE id = $1`, [sumId]);
    await expectRollupExact();
    await t.db(`UPDATE indicator SET aggregation = 'SUM' WHERE id = $1`, [sumId]);

    // Bản Bo moves to a new district: its leaves now roll up there.
    const [{ valid_from }] = await t.db<{ valid_from: string }>(`SELECT valid_from::text FROM unit WHERE id = $1`, [district]);
    const newDistrict = ok(
      await t.as('ADMIN', `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`, {
        i: { code: 'LAICHAU.INDROLLUP', name: 'Huyện Thử Chỉ Tiêu', kind: 'DISTRICT', parentId: province, validFrom: valid_from },
      }),
    ).createUnit.id;
    const [bb] = await t.db<{ version: number }>('SELECT version FROM unit WHERE id = $1', [banBo]);
    ok(
      await t.as('ADMIN', `mutation($id: ID!, $v: Int!, $i: UpdateUnitInput!) { updateUnit(id: $id, version: $v, input: $i) { id } }`, {
        id: banBo,
        v: bb.version,
        i: { parentId: newDistrict },
      }),
    );
    const [{ n }] = await t.db<{ n: number }>(
      `SELECT count(*)::int AS n FROM indicator_rollup WHERE unit_id = $1 AND NOT direct AND leaves > 0`,
      [newDistrict],
    );
    expect(n).toBeGreaterThan(0);
    await expectRollupExact();
  });

  it('stays exact when two writers change leaves of the same district at once', async () => {
    const [other] = await t.db<{ id: string }>(
      `SELECT u.id::text FROM unit u JOIN unit d ON d.id = $1 WHERE u.path LIKE d.path || '%' AND u.level = 2 AND u.id <> $2 ORDER BY u.code LIMIT 1`,
      [district, binhLu],
    );
    ok(await record(sumId, binhLu, 2022, 'YEAR', { value: '1' }));
    const [w1, w2] = [new Client({ connectionString: t.dbUrl }), new Client({ connectionString: t.dbUrl })];
    await Promise.all([w1.connect(), w2.connect()]);
    try {
      const insert = `INSERT INTO indicator_value (indicator_id, unit_id, year, period, value) VALUES ($1, $2, 2022, $3, $4)`;
      await w1.query('BEGIN');
      await w1.query(insert, [sumId, other.id, 'H1', '6']);
      await w2.query('BEGIN');
      // Both count in the same (existing) district and province rows: w2's trigger waits for w1's locks,
      // then recomputes with w1's figure in view instead of writing a sum that lacks it.
      const second = w2.query(`UPDATE indicator_value SET value = 9 WHERE indicator_id = $1 AND unit_id = $2 AND year = 2022`, [
        sumId,
        binhLu,
      ]);
      await new Promise((r) => setTimeout(r, 300));
      await w1.query('COMMIT');
      await second;
      await w2.query('COMMIT');
    } finally {
      await Promise.all([w1.end(), w2.end()]);
    }
    const [row] = await t.db<{ value_sum: string }>(
      `SELECT value_sum::text FROM indicator_rollup WHERE unit_id = $1 AND indicator_id = $2 AND year = 2022 AND NOT direct`,
      [district, sumId],
    );
    expect(row.value_sum).toBe('15');
    await expectRollupExact();
  });

  it('answers every eligible question exactly as the values do, for the administrator and for a district officer', async () => {
    await expectSameAsValues('ADMIN');
    await expectSameAsValues('COORDINATOR');
  });

  it('is what eligible questions read, and only those', async () => {
    const texts: string[] = [];
    t.onStatement((text) => texts.push(text));
    const readsRollup = async (v: Record<string, unknown>) => {
      texts.length = 0;
      ok(await t.as('ADMIN', PROGRESS, v));
      return texts.some((x) => x.includes('indicator_rollup'));
    };
    expect(await readsRollup({ g: ['INDICATOR', 'UNIT', 'YEAR'], l: 1, f: { underUnit: province } })).toBe(true);
    // Communes, no year grouping (the latest year per unit), or a commune below the grouping level: the values.
    expect(await readsRollup({ g: ['INDICATOR', 'UNIT', 'YEAR'], l: 2 })).toBe(false);
    expect(await readsRollup({ g: ['INDICATOR', 'UNIT'], l: 1 })).toBe(false);
    expect(await readsRollup({ g: ['INDICATOR', 'UNIT', 'YEAR'], l: 1, f: { underUnit: binhLu } })).toBe(false);
    t.config.summaryRollups = false;
    expect(await readsRollup({ g: ['INDICATOR', 'UNIT', 'YEAR'], l: 1, f: { underUnit: province } })).toBe(false);
    t.config.summaryRollups = true;
  });

  it('is read-only and scoped for requests', async () => {
    const [{ can_write }] = await t.db<{ can_write: boolean }>(
      `SELECT has_table_privilege('ntp_request', 'indicator_rollup', 'INSERT') OR has_table_privilege('ntp_request', 'indicator_rollup', 'UPDATE')
         OR has_table_privilege('ntp_request', 'indicator_rollup', 'DELETE') AS can_write`,
    );
    expect(can_write).toBe(false);
    const [{ policies }] = await t.db<{ policies: number }>(
      `SELECT count(*)::int AS policies FROM pg_policies WHERE tablename = 'indicator_rollup' AND roles @> ARRAY['ntp_request']::name[]`,
    );
    expect(policies).toBe(1);
  });
});
