import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

/**
 * Golden tables for indicatorProgress (API.md, Indicators). Fixed data created here on
 * Tam Đường (district D, level 1) and three of its communes (level 2): A = Bản Bo, B = Bình Lư,
 * C = Nà Tăm. Every expected row is computed by hand in the comments.
 */
const t = useTestApp();

const ROW = 'indicator { code } unit { code } year baseline target actual achievement';
const ids: Record<string, string> = {};
let D = '';
let A = '';
let B = '';
let C = '';

async function ok(r: any) {
  expect(r.errors).toBeUndefined();
  return r.data;
}

async function indicator(code: string, measure: string, direction: string, aggregation: string) {
  const d = await ok(
    await t.as('ADMIN', `mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { id } }`, {
      i: { code, name: `Chỉ tiêu thử ${code}`, unitOfMeasure: measure === 'PERCENT' ? '%' : 'hộ', measure, direction, aggregation },
    }),
  );
  ids[code] = d.createIndicator.id;
}

async function value(code: string, unitId: string, year: number, period: string, v: Record<string, string | null>) {
  const d = await ok(
    await t.as('COORDINATOR', `mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { value } }`, {
      i: { indicatorId: ids[code], unitId, year, period, ...v },
    }),
  );
  return d.recordIndicatorValue.value as string | null;
}

async function target(code: string, unitId: string, year: number | null, baseline: string, tgt: string) {
  await ok(
    await t.as('COORDINATOR', `mutation($i: SetIndicatorTargetInput!) { setIndicatorTarget(input: $i) { id } }`, {
      i: { indicatorId: ids[code], unitId, year, baseline, target: tgt },
    }),
  );
}

async function progress(
  codes: string[],
  groupBy: string[],
  opts: { unitLevel?: number; underUnit?: string; year?: number; role?: any } = {},
) {
  const r = await t.as(
    opts.role ?? 'COORDINATOR',
    `query($f: IndicatorProgressFilter, $g: [IndicatorDimension!]!, $l: Int) { indicatorProgress(filter: $f, groupBy: $g, unitLevel: $l) { ${ROW} } }`,
    { f: { indicatorIds: codes.map((c) => ids[c]), underUnit: opts.underUnit, year: opts.year }, g: groupBy, l: opts.unitLevel },
  );
  expect(r.errors).toBeUndefined();
  return r.data.indicatorProgress.map((x: any) => ({ ...x, indicator: x.indicator.code, unit: x.unit?.code ?? null }));
}

beforeAll(async () => {
  D = await t.unitId('LAICHAU.TAMDUONG');
  A = await t.unitId('TAMDUONG.BANBO');
  B = await t.unitId('TAMDUONG.BINHLU');
  C = await t.unitId('TAMDUONG.NATAM');
  await indicator('T.SUM', 'NUMBER', 'INCREASE', 'SUM');
  await indicator('T.RATE', 'PERCENT', 'DECREASE', 'RATIO');
  await indicator('T.AVG', 'NUMBER', 'INCREASE', 'AVERAGE');
  await indicator('T.LAST', 'NUMBER', 'DECREASE', 'LAST');
  await indicator('T.QUAL', 'QUALITATIVE', 'INCREASE', 'LAST');
  await indicator('T.ZERO', 'PERCENT', 'DECREASE', 'RATIO');
});

describe('SUM (NUMBER, INCREASE): a YEAR value stands, else H1 + H2; sums across units and years', () => {
  beforeAll(async () => {
    await value('T.SUM', A, 2023, 'H1', { value: '10' });
    await value('T.SUM', A, 2023, 'H2', { value: '15' }); // A 2023 = 10 + 15 = 25
    await value('T.SUM', A, 2024, 'YEAR', { value: '40' });
    await value('T.SUM', A, 2024, 'H1', { value: '5' }); // the YEAR value stands: A 2024 = 40
    await value('T.SUM', B, 2023, 'YEAR', { value: '20' }); // B 2023 = 20
    await value('T.SUM', B, 2024, 'H1', { value: '7.5' }); // B 2024 = 7.5 (H2 not yet reported)
    await target('T.SUM', D, 2023, '0', '60');
    await target('T.SUM', D, 2024, '0', '50');
    await target('T.SUM', A, null, '0', '100');
  });

  it('rolls communes up to the district per year', async () => {
    // D 2023 = 25 + 20 = 45, achievement (45 − 0)/(60 − 0) = 0.75
    // D 2024 = 40 + 7.5 = 47.5, achievement 47.5/50 = 0.95
    expect(await progress(['T.SUM'], ['UNIT', 'YEAR'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.SUM', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: '0', target: '60', actual: '45', achievement: '0.7500' },
      { indicator: 'T.SUM', unit: 'LAICHAU.TAMDUONG', year: 2024, baseline: '0', target: '50', actual: '47.5', achievement: '0.9500' },
    ]);
  });

  it('sums over the years per unit against the phase target (year null)', async () => {
    // A = 25 + 40 = 65 against A's phase target 0 → 100: 0.65; B = 20 + 7.5 = 27.5, no target
    expect(await progress(['T.SUM'], ['UNIT'])).toEqual([
      { indicator: 'T.SUM', unit: 'TAMDUONG.BANBO', year: null, baseline: '0', target: '100', actual: '65', achievement: '0.6500' },
      { indicator: 'T.SUM', unit: 'TAMDUONG.BINHLU', year: null, baseline: null, target: null, actual: '27.5', achievement: null },
    ]);
  });

  it('groups by year only, with the targets of the underUnit', async () => {
    expect(await progress(['T.SUM'], ['YEAR'], { underUnit: D })).toEqual([
      { indicator: 'T.SUM', unit: null, year: 2023, baseline: '0', target: '60', actual: '45', achievement: '0.7500' },
      { indicator: 'T.SUM', unit: null, year: 2024, baseline: '0', target: '50', actual: '47.5', achievement: '0.9500' },
    ]);
    // the year filter keeps 2024 only
    expect(await progress(['T.SUM'], ['UNIT', 'YEAR'], { unitLevel: 1, year: 2024 })).toHaveLength(1);
  });
});

describe('RATIO (PERCENT, DECREASE): Σnumerator/Σdenominator × 100, never an average of rates', () => {
  beforeAll(async () => {
    // the stored value is the unit's own rate in points, 4 decimals
    expect(await value('T.RATE', A, 2023, 'YEAR', { numerator: '50', denominator: '100' })).toBe('50.0000');
    expect(await value('T.RATE', B, 2023, 'YEAR', { numerator: '30', denominator: '900' })).toBe('3.3333'); // 3.3333…
    await value('T.RATE', A, 2024, 'YEAR', { numerator: '40', denominator: '100' });
    await value('T.RATE', B, 2024, 'YEAR', { numerator: '18', denominator: '900' });
    await value('T.RATE', C, 2024, 'H1', { numerator: '10', denominator: '100' });
    await value('T.RATE', C, 2024, 'H2', { numerator: '5', denominator: '100' }); // a rate is a level: C 2024 = H2 = 5/100
    await target('T.RATE', D, 2023, '10', '8.5');
    await target('T.RATE', D, 2024, '8.5', '7');
    await target('T.RATE', D, null, '10', '4');
  });

  it('rolls up to the district from households, not from rates', async () => {
    // D 2023 = (50 + 30)/(100 + 900) × 100 = 8 points (the mean of the rates, (50 + 3.3333)/2 = 26.67, would be wrong)
    //   achievement = (8 − 10)/(8.5 − 10) = 1.3333… → 1.3333 (DECREASE: (10 − 8)/(10 − 8.5), the same)
    // D 2024 = (40 + 18 + 5)/(100 + 900 + 100) × 100 = 63/1100 × 100 = 5.727272… → 5.7273
    //   achievement = (5.727272… − 8.5)/(7 − 8.5) = 2.772727…/1.5 = 1.848484… → 1.8485
    expect(await progress(['T.RATE'], ['UNIT', 'YEAR'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.RATE', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: '10', target: '8.5', actual: '8.0000', achievement: '1.3333' },
      { indicator: 'T.RATE', unit: 'LAICHAU.TAMDUONG', year: 2024, baseline: '8.5', target: '7', actual: '5.7273', achievement: '1.8485' },
    ]);
  });

  it('lists each commune at level 2 in points', async () => {
    // A 2023 = 50/100 = 50; B 2023 = 30/900 = 3.3333…; no commune targets
    expect(await progress(['T.RATE'], ['UNIT', 'YEAR'], { unitLevel: 2, year: 2023 })).toEqual([
      { indicator: 'T.RATE', unit: 'TAMDUONG.BANBO', year: 2023, baseline: null, target: null, actual: '50.0000', achievement: null },
      { indicator: 'T.RATE', unit: 'TAMDUONG.BINHLU', year: 2023, baseline: null, target: null, actual: '3.3333', achievement: null },
    ]);
  });

  it('takes each unit latest year against the phase target when YEAR is not a grouping', async () => {
    // latest: A 2024 40/100, B 2024 18/900, C 2024 5/100 → 63/1100 × 100 = 5.7273
    // achievement against D's phase target (10 → 4): (5.727272… − 10)/(4 − 10) = 4.272727…/6 = 0.712121… → 0.7121
    expect(await progress(['T.RATE'], [], { underUnit: D })).toEqual([
      { indicator: 'T.RATE', unit: null, year: null, baseline: '10', target: '4', actual: '5.7273', achievement: '0.7121' },
    ]);
  });
});

describe('AVERAGE (NUMBER, INCREASE): the mean of the recorded values', () => {
  beforeAll(async () => {
    await value('T.AVG', A, 2023, 'YEAR', { value: '12.5' });
    await value('T.AVG', B, 2023, 'YEAR', { value: '15' });
    await value('T.AVG', C, 2023, 'H1', { value: '10' });
    await value('T.AVG', C, 2023, 'H2', { value: '11' }); // C 2023 = its latest half, 11
    await target('T.AVG', D, 2023, '12', '14');
    await target('T.AVG', D, null, '5', '5'); // target = baseline: achievement undefined
  });

  it('averages unit values and guards a zero spread', async () => {
    // D 2023 = (12.5 + 15 + 11)/3 = 12.8333…; achievement (12.8333… − 12)/(14 − 12) = 0.416666… → 0.4167
    expect(await progress(['T.AVG'], ['UNIT', 'YEAR'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.AVG', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: '12', target: '14', actual: '12.8333', achievement: '0.4167' },
    ]);
    // phase: the same mean against 5 → 5: division by zero → null
    expect(await progress(['T.AVG'], ['UNIT'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.AVG', unit: 'LAICHAU.TAMDUONG', year: null, baseline: '5', target: '5', actual: '12.8333', achievement: null },
    ]);
  });
});

describe('LAST (NUMBER, DECREASE): H2 of a year, then the sum of each unit latest value', () => {
  beforeAll(async () => {
    await value('T.LAST', A, 2022, 'YEAR', { value: '120' });
    await value('T.LAST', A, 2023, 'H1', { value: '110' });
    await value('T.LAST', A, 2023, 'H2', { value: '100' }); // A 2023 = H2 = 100, not 210
    await value('T.LAST', B, 2022, 'YEAR', { value: '80' }); // B has nothing for 2023
    await target('T.LAST', D, null, '200', '100');
    await target('T.LAST', D, 2023, '200', '150');
  });

  it('per year and over the phase', async () => {
    // D 2022 = 120 + 80 = 200; D 2023 = 100 (only A reported); achievement 2023 = (100 − 200)/(150 − 200) = 2
    expect(await progress(['T.LAST'], ['UNIT', 'YEAR'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.LAST', unit: 'LAICHAU.TAMDUONG', year: 2022, baseline: null, target: null, actual: '200', achievement: null },
      { indicator: 'T.LAST', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: '200', target: '150', actual: '100', achievement: '2.0000' },
    ]);
    // phase: A latest (2023) 100 + B latest (2022) 80 = 180; (180 − 200)/(100 − 200) = 0.2
    expect(await progress(['T.LAST'], ['UNIT'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.LAST', unit: 'LAICHAU.TAMDUONG', year: null, baseline: '200', target: '100', actual: '180', achievement: '0.2000' },
    ]);
  });
});

describe('qualitative indicators and undefined ratios', () => {
  beforeAll(async () => {
    await value('T.QUAL', A, 2023, 'YEAR', { textValue: 'Chuyển biến tốt' });
    expect(await value('T.ZERO', A, 2023, 'YEAR', { numerator: '0', denominator: '0' })).toBeNull(); // 0/0: no rate
    await target('T.ZERO', D, 2023, '5', '3');
  });

  it('lists a qualitative indicator without aggregating it, and answers null for 0/0', async () => {
    expect(await progress(['T.QUAL', 'T.ZERO'], ['UNIT', 'YEAR'], { unitLevel: 1 })).toEqual([
      { indicator: 'T.QUAL', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: null, target: null, actual: null, achievement: null },
      { indicator: 'T.ZERO', unit: 'LAICHAU.TAMDUONG', year: 2023, baseline: '5', target: '3', actual: null, achievement: null },
    ]);
  });
});

describe('scope and cost', () => {
  it('never rolls up above the caller scope root', async () => {
    // td.banbo's scope is Bản Bo (level 2): unitLevel 1 stays at Bản Bo, and only its own values count
    expect(await progress(['T.RATE'], ['UNIT', 'YEAR'], { unitLevel: 1, role: 'COMMUNE_OFFICER' })).toEqual([
      { indicator: 'T.RATE', unit: 'TAMDUONG.BANBO', year: 2023, baseline: null, target: null, actual: '50.0000', achievement: null },
      { indicator: 'T.RATE', unit: 'TAMDUONG.BANBO', year: 2024, baseline: null, target: null, actual: '40.0000', achievement: null },
    ]);
    // the coordinator (scope: the district, level 1) asking for level 0 gets the district
    const rows = await progress(['T.SUM'], ['UNIT', 'YEAR'], { unitLevel: 0 });
    expect(rows.map((r: any) => [r.unit, r.year, r.actual])).toEqual([
      ['LAICHAU.TAMDUONG', 2023, '45'],
      ['LAICHAU.TAMDUONG', 2024, '47.5'],
    ]);
    // ADMIN is unscoped: level 0 is the province, with no target row there
    const admin = await progress(['T.SUM'], ['UNIT'], { unitLevel: 0, role: 'ADMIN' });
    expect(admin).toEqual([
      { indicator: 'T.SUM', unit: 'LAICHAU', year: null, baseline: null, target: null, actual: '92.5', achievement: null },
    ]);
  });

  it('costs the same number of statements whatever the number of rows', async () => {
    const q = (l: number) =>
      t.as(
        'COORDINATOR',
        `query($f: IndicatorProgressFilter, $l: Int) { indicatorProgress(filter: $f, groupBy: [UNIT, YEAR], unitLevel: $l) { indicator { code component { code } } unit { name parent { name } } actual } }`,
        {
          f: { indicatorIds: Object.values(ids) },
          l,
        },
      );
    await q(1); // sign-in cached
    const few = await t.countStatements(() => q(1));
    const many = await t.countStatements(() => q(2));
    expect(many).toBe(few);
  });
});

describe('seeded demo: the poverty rate of Tam Đường 2022–2024 per commune and in total', () => {
  it('answers in one query, against the −1.5 points a year targets', async () => {
    const r = await t.as(
      'VIEWER',
      `query($ids: [ID!]) {
        communes: indicatorProgress(filter: { indicatorIds: $ids }, groupBy: [UNIT, YEAR], unitLevel: 2) { unit { code } year baseline target actual achievement }
        total: indicatorProgress(filter: { indicatorIds: $ids }, groupBy: [UNIT, YEAR], unitLevel: 1) { unit { code } year baseline target actual achievement }
      }`,
      { ids: [(await t.db<{ id: string }>("SELECT id::text FROM indicator WHERE code = 'CT.HN.TYLE'"))[0].id] },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.communes).toHaveLength(13 * 3);
    // Bản Bo (demo commune #1): 2021: 148 poor of 560 households = 26.428571… → 26.4286 (the yearly levels' start)
    // 2022: 141 poor of 568 = 24.823943… → 24.8239; target level 2022: 26.4286 → 24.9286
    //   achievement (24.823943… − 26.4286)/(24.9286 − 26.4286) = 1.604657…/1.5 = 1.069771… → 1.0698
    expect(r.data.communes.find((x: any) => x.unit.code === 'TAMDUONG.BANBO' && x.year === 2022)).toEqual({
      unit: { code: 'TAMDUONG.BANBO' },
      year: 2022,
      baseline: '26.4286',
      target: '24.9286',
      actual: '24.8239',
      achievement: '1.0698',
    });
    // the district total comes from household sums, one row per year, with the district's own targets
    expect(r.data.total.map((x: any) => [x.unit.code, x.year])).toEqual([
      ['LAICHAU.TAMDUONG', 2022],
      ['LAICHAU.TAMDUONG', 2023],
      ['LAICHAU.TAMDUONG', 2024],
    ]);
    const sums = await t.db<{ year: number; rate: string }>(
      `SELECT v.year, round(sum(v.numerator) * 100 / sum(v.denominator), 4)::text AS rate FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id
       WHERE i.code = 'CT.HN.TYLE' GROUP BY v.year ORDER BY v.year`,
    );
    expect(r.data.total.map((x: any) => x.actual)).toEqual(sums.map((s) => s.rate));
    expect(r.data.total.every((x: any) => x.target !== null && x.achievement !== null)).toBe(true);
    // yearly change per commune is the difference of consecutive rows, e.g. Bản Bo 2022 → 2023
    // 2023: floor(576 × 233/1000) = 134 poor of 576 = 23.263888… → 23.2639 (−1.5600 points)
    expect(r.data.communes.find((x: any) => x.unit.code === 'TAMDUONG.BANBO' && x.year === 2023).actual).toBe('23.2639');
  });
});
