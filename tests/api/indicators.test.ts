import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp } from '../support/app';

const t = useTestApp();

const CREATE = `mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { id code name unitOfMeasure measure direction aggregation version archived component { code } } }`;
const TARGET = `mutation($i: SetIndicatorTargetInput!) { setIndicatorTarget(input: $i) { id version year baseline target indicator { code } unit { code } } }`;
const VALUE = `mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { id version year period value textValue numerator denominator indicator { code } unit { code } } }`;

const audits = (entityType: string, entityId: string) =>
  t.db<{ operation: string; outcome: string }>(
    'SELECT operation, outcome FROM audit_event WHERE entity_type = $1 AND entity_id = $2 ORDER BY id',
    [entityType, entityId],
  );
const auditCount = async () => Number((await t.db<{ n: string }>('SELECT count(*) n FROM audit_event'))[0].n);

let rate = '';
let count = '';
let qual = '';
let banbo = '';
let binhlu = '';
let district = '';

beforeAll(async () => {
  banbo = await t.unitId('TAMDUONG.BANBO');
  binhlu = await t.unitId('TAMDUONG.BINHLU');
  district = await t.unitId('LAICHAU.TAMDUONG');
  const component = (await t.db<{ id: string }>("SELECT id::text FROM program_component WHERE code = 'DA3.TDA1'"))[0].id;
  const r = await t.as('ADMIN', CREATE, {
    i: { code: 'X.RATE', name: 'Tỷ lệ thử', unitOfMeasure: '%', measure: 'PERCENT', direction: 'DECREASE', aggregation: 'RATIO' },
  });
  rate = r.data.createIndicator.id;
  const c = await t.as('ADMIN', CREATE, {
    i: {
      code: 'X.COUNT',
      name: 'Số hộ được hỗ trợ (thử)',
      unitOfMeasure: 'hộ',
      measure: 'NUMBER',
      direction: 'INCREASE',
      aggregation: 'SUM',
      componentId: component,
    },
  });
  count = c.data.createIndicator.id;
  expect(c.data.createIndicator).toMatchObject({
    code: 'X.COUNT',
    measure: 'NUMBER',
    aggregation: 'SUM',
    version: 1,
    archived: false,
    component: { code: 'DA3.TDA1' },
  });
  const q = await t.as('ADMIN', CREATE, {
    i: { code: 'X.QUAL', name: 'Nhận xét', measure: 'QUALITATIVE', direction: 'INCREASE', aggregation: 'LAST' },
  });
  qual = q.data.createIndicator.id;
});

describe('indicator catalog (reference data)', () => {
  it('is seeded with the program targets and output indicators per project, readable by everyone', async () => {
    const r = await t.as(
      'VIEWER',
      `{ indicators(filter: { code: { in: ["CT.HN.TYLE", "CT.HN.DTTS.TYLE", "DA3.TDA1.HO"] } }) { totalCount nodes { code name measure direction aggregation component { code } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.indicators.nodes).toEqual([
      {
        code: 'CT.HN.DTTS.TYLE',
        name: 'Tỷ lệ hộ nghèo dân tộc thiểu số',
        measure: 'PERCENT',
        direction: 'DECREASE',
        aggregation: 'RATIO',
        component: null,
      },
      {
        code: 'CT.HN.TYLE',
        name: 'Tỷ lệ hộ nghèo đa chiều',
        measure: 'PERCENT',
        direction: 'DECREASE',
        aggregation: 'RATIO',
        component: null,
      },
      {
        code: 'DA3.TDA1.HO',
        name: 'Số hộ được hỗ trợ phát triển sản xuất',
        measure: 'NUMBER',
        direction: 'INCREASE',
        aggregation: 'SUM',
        component: { code: 'DA3.TDA1' },
      },
    ]);
    const search = await t.as('COMMUNE_OFFICER', `{ indicators(filter: { name: { contains: "ho ngheo da chieu" } }) { nodes { code } } }`);
    expect(search.data.indicators.nodes).toEqual([{ code: 'CT.HN.TYLE' }]);
    const one = await t.as('AGENCY_OFFICER', `query($id: ID!) { indicator(id: $id) { code } }`, { id: rate });
    expect(one.data.indicator).toEqual({ code: 'X.RATE' });
  });

  it('is edited by ADMIN only, with optimistic locking, and audited once per write', async () => {
    const denied = await t.as('COORDINATOR', CREATE, {
      i: { code: 'X.NO', name: 'Không', measure: 'NUMBER', direction: 'INCREASE', aggregation: 'SUM' },
    });
    expect(codeOf(denied)).toBe('FORBIDDEN');
    const dup = await t.as('ADMIN', CREATE, {
      i: { code: 'X.RATE', name: 'Trùng', measure: 'NUMBER', direction: 'INCREASE', aggregation: 'SUM' },
    });
    expect(codeOf(dup)).toBe('CONFLICT');
    const bad = await t.as('ADMIN', CREATE, {
      i: { code: 'có dấu cách', name: ' ', measure: 'NUMBER', direction: 'INCREASE', aggregation: 'SUM' },
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['code', 'name']);

    const up = await t.as(
      'ADMIN',
      `mutation($id: ID!) { updateIndicator(id: $id, version: 1, input: { name: "  Số hộ được hỗ trợ sản xuất " }) { name version } }`,
      { id: count },
    );
    expect(up.data.updateIndicator).toEqual({ name: 'Số hộ được hỗ trợ sản xuất', version: 2 });
    const stale = await t.as('ADMIN', `mutation($id: ID!) { updateIndicator(id: $id, version: 1, input: { name: "Cũ" }) { name } }`, {
      id: count,
    });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(await audits('Indicator', count)).toEqual([
      { operation: 'createIndicator', outcome: 'SUCCESS' },
      { operation: 'updateIndicator', outcome: 'SUCCESS' },
      { operation: 'updateIndicator', outcome: 'CONFLICT' },
    ]);

    const tmp = await t.as('ADMIN', CREATE, {
      i: { code: 'X.TMP', name: 'Tạm', measure: 'NUMBER', direction: 'INCREASE', aggregation: 'SUM' },
    });
    const a = await t.as('ADMIN', `mutation($id: ID!) { archiveIndicator(id: $id, version: 1) { archived } }`, {
      id: tmp.data.createIndicator.id,
    });
    expect(a.data.archiveIndicator.archived).toBe(true);
    const live = await t.as('VIEWER', `{ indicators(filter: { code: { eq: "X.TMP" } }) { totalCount } }`);
    expect(live.data.indicators.totalCount).toBe(0);
    const archivedUse = await t.as('COORDINATOR', VALUE, {
      i: { indicatorId: tmp.data.createIndicator.id, unitId: banbo, year: 2024, period: 'YEAR', value: '1' },
    });
    expect(codeOf(archivedUse)).toBe('BAD_USER_INPUT');
  });
});

describe('targets', () => {
  it('upserts by indicator, unit and year (year null = phase), for a COORDINATOR in scope', async () => {
    const first = await t.as('COORDINATOR', TARGET, {
      i: { indicatorId: rate, unitId: district, year: 2024, baseline: '20.5', target: '19' },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data.setIndicatorTarget).toMatchObject({
      version: 1,
      year: 2024,
      baseline: '20.5',
      target: '19',
      indicator: { code: 'X.RATE' },
      unit: { code: 'LAICHAU.TAMDUONG' },
    });
    const again = await t.as('COORDINATOR', TARGET, {
      i: { indicatorId: rate, unitId: district, year: 2024, baseline: '20.5', target: '18.5' },
    });
    expect(again.data.setIndicatorTarget).toMatchObject({ id: first.data.setIndicatorTarget.id, version: 2, target: '18.5' });
    const phase = await t.as('COORDINATOR', TARGET, { i: { indicatorId: rate, unitId: district, baseline: '22', target: '16' } });
    expect(phase.data.setIndicatorTarget).toMatchObject({ year: null, baseline: '22', target: '16', version: 1 });
    const phase2 = await t.as('COORDINATOR', TARGET, {
      i: { indicatorId: rate, unitId: district, year: null, baseline: '22', target: '15.5' },
    });
    expect(phase2.data.setIndicatorTarget).toMatchObject({ id: phase.data.setIndicatorTarget.id, version: 2 });
    const rows = await t.db(
      'SELECT year, baseline::text, target::text FROM indicator_target WHERE indicator_id = $1 ORDER BY year NULLS FIRST',
      [rate],
    );
    expect(rows).toEqual([
      { year: null, baseline: '22', target: '15.5' },
      { year: 2024, baseline: '20.5', target: '18.5' },
    ]);
    expect(await audits('IndicatorTarget', first.data.setIndicatorTarget.id)).toEqual([
      { operation: 'setIndicatorTarget', outcome: 'SUCCESS' },
      { operation: 'setIndicatorTarget', outcome: 'SUCCESS' },
    ]);
  });

  it('refuses other roles, units outside the scope and bad levels', async () => {
    const sinho = await t.unitId('LAICHAU.SINHO');
    expect(codeOf(await t.as('COMMUNE_OFFICER', TARGET, { i: { indicatorId: rate, unitId: banbo, year: 2024, target: '1' } }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.as('AGENCY_OFFICER', TARGET, { i: { indicatorId: rate, unitId: banbo, year: 2024, target: '1' } }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.as('COORDINATOR', TARGET, { i: { indicatorId: rate, unitId: sinho, year: 2024, target: '1' } }))).toBe(
      'NOT_FOUND',
    );
    const pct = await t.as('COORDINATOR', TARGET, { i: { indicatorId: rate, unitId: banbo, year: 1990, target: '101' } });
    expect(codeOf(pct)).toBe('BAD_USER_INPUT');
    expect(pct.errors![0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['target', 'year']);
    const admin = await t.as('ADMIN', TARGET, { i: { indicatorId: rate, unitId: sinho, year: 2024, baseline: '30', target: '28.5' } });
    expect(admin.errors).toBeUndefined();
    // the coordinator of Tam Đường does not see Sìn Hồ's target
    const list = await t.as(
      'COORDINATOR',
      `query($i: ID!) { indicatorTargets(filter: { indicatorId: { eq: $i } }) { totalCount nodes { unit { code } year } } }`,
      { i: rate },
    );
    expect(list.data.indicatorTargets.nodes).toEqual([
      { unit: { code: 'LAICHAU.TAMDUONG' }, year: 2024 },
      { unit: { code: 'LAICHAU.TAMDUONG' }, year: null }, // the phase target sorts last (NULLS LAST)
    ]);
    const hidden = await t.as('COORDINATOR', `query($id: ID!) { indicatorTarget(id: $id) { id } }`, {
      id: admin.data.setIndicatorTarget.id,
    });
    expect(hidden.data.indicatorTarget).toBeNull();
  });
});

describe('values', () => {
  it('computes a RATIO value from numerator and denominator (points for PERCENT) and upserts by period', async () => {
    const binhluToken = await t.token('td.binhlu');
    const r = await t.as({ token: binhluToken }, VALUE, {
      i: { indicatorId: rate, unitId: binhlu, year: 2024, period: 'YEAR', numerator: '37', denominator: '300', value: '99' },
    });
    expect(r.errors).toBeUndefined();
    // 37/300 × 100 = 12.333… → 12.3333 (a value sent for a RATIO indicator is ignored)
    expect(r.data.recordIndicatorValue).toMatchObject({
      version: 1,
      value: '12.3333',
      numerator: '37',
      denominator: '300',
      period: 'YEAR',
      unit: { code: 'TAMDUONG.BINHLU' },
    });
    const again = await t.as({ token: binhluToken }, VALUE, {
      i: { indicatorId: rate, unitId: binhlu, year: 2024, period: 'YEAR', numerator: '36', denominator: '300' },
    });
    expect(again.data.recordIndicatorValue).toMatchObject({ id: r.data.recordIndicatorValue.id, version: 2, value: '12.0000' });
    const h1 = await t.as({ token: binhluToken }, VALUE, {
      i: { indicatorId: rate, unitId: binhlu, year: 2024, period: 'H1', numerator: '40', denominator: '300' },
    });
    expect(h1.data.recordIndicatorValue.id).not.toBe(r.data.recordIndicatorValue.id);
    const stored = await t.db(
      'SELECT v.period::text, v.value::text, v.numerator::text, v.denominator::text FROM indicator_value v WHERE v.indicator_id = $1 ORDER BY v.period',
      [rate],
    );
    // 40/300 × 100 = 13.333… → 13.3333
    expect(stored).toEqual([
      { period: 'YEAR', value: '12.0000', numerator: '36', denominator: '300' },
      { period: 'H1', value: '13.3333', numerator: '40', denominator: '300' },
    ]);
    expect(await audits('IndicatorValue', r.data.recordIndicatorValue.id)).toEqual([
      { operation: 'recordIndicatorValue', outcome: 'SUCCESS' },
      { operation: 'recordIndicatorValue', outcome: 'SUCCESS' },
    ]);
  });

  it('validates per indicator kind: RATIO needs numerator and denominator, QUALITATIVE needs text', async () => {
    const noDen = await t.as('COORDINATOR', VALUE, { i: { indicatorId: rate, unitId: banbo, year: 2024, period: 'YEAR', numerator: '3' } });
    expect(codeOf(noDen)).toBe('BAD_USER_INPUT');
    expect(noDen.errors![0].extensions.fields.map((f: any) => f.field)).toEqual(['denominator']);
    const over = await t.as('COORDINATOR', VALUE, {
      i: { indicatorId: rate, unitId: banbo, year: 2024, period: 'YEAR', numerator: '301', denominator: '300' },
    });
    expect(codeOf(over)).toBe('BAD_USER_INPUT');
    const noText = await t.as('COORDINATOR', VALUE, { i: { indicatorId: qual, unitId: banbo, year: 2024, period: 'YEAR', value: '3' } });
    expect(codeOf(noText)).toBe('BAD_USER_INPUT');
    expect(noText.errors![0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['textValue', 'value']);
    const text = await t.as('COORDINATOR', VALUE, {
      i: { indicatorId: qual, unitId: banbo, year: 2024, period: 'YEAR', textValue: ' Tiến bộ rõ rệt ' },
    });
    expect(text.data.recordIndicatorValue).toMatchObject({ value: null, textValue: 'Tiến bộ rõ rệt' });
    const noValue = await t.as('COORDINATOR', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2024, period: 'H1' } });
    expect(codeOf(noValue)).toBe('BAD_USER_INPUT');
    const float = await t.as('COORDINATOR', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2024, period: 'H1', value: '1e3' } });
    expect(codeOf(float)).toBe('BAD_USER_INPUT');
    const exact = await t.as('COORDINATOR', VALUE, {
      i: { indicatorId: count, unitId: banbo, year: 2024, period: 'H1', value: '123456789012345678901234.5' },
    });
    expect(exact.data.recordIndicatorValue.value).toBe('123456789012345678901234.5');
  });

  it('lets a commune officer record only its own commune; the others are not found', async () => {
    const before = await auditCount();
    const own = await t.as('COMMUNE_OFFICER', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2023, period: 'YEAR', value: '12' } });
    expect(own.errors).toBeUndefined();
    const other = await t.as('COMMUNE_OFFICER', VALUE, {
      i: { indicatorId: count, unitId: binhlu, year: 2023, period: 'YEAR', value: '12' },
    });
    expect(codeOf(other)).toBe('NOT_FOUND');
    const up = await t.as('COMMUNE_OFFICER', VALUE, {
      i: { indicatorId: count, unitId: district, year: 2023, period: 'YEAR', value: '12' },
    });
    expect(codeOf(up)).toBe('NOT_FOUND');
    expect(
      codeOf(await t.as('AGENCY_OFFICER', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2023, period: 'YEAR', value: '1' } })),
    ).toBe('FORBIDDEN');
    expect(codeOf(await t.as('VIEWER', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2023, period: 'YEAR', value: '1' } }))).toBe(
      'FORBIDDEN',
    );
    // one audit event per write, refused or not
    expect((await auditCount()) - before).toBe(5);
    const refused = await t.db<{ outcome: string; unit_id: string }>(
      "SELECT outcome, unit_id::text FROM audit_event WHERE operation = 'recordIndicatorValue' ORDER BY id DESC LIMIT 4",
    );
    expect(refused.map((e) => e.outcome)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND']);
    expect(await t.db('SELECT count(*)::int n FROM indicator_value WHERE indicator_id = $1 AND year = 2023', [count])).toEqual([{ n: 1 }]);
  });

  it('lists values inside the caller scope only, with underUnit', async () => {
    const q = `query($i: ID!, $u: ID) { indicatorValues(filter: { indicatorId: { eq: $i }, underUnit: $u }) { totalCount nodes { unit { code } year period } } }`;
    const mine = await t.as('COMMUNE_OFFICER', q, { i: rate });
    expect(mine.data.indicatorValues.totalCount).toBe(0); // Bình Lư's values are outside Bản Bo
    const coord = await t.as('COORDINATOR', q, { i: rate, u: binhlu });
    expect(coord.data.indicatorValues.nodes).toEqual([
      { unit: { code: 'TAMDUONG.BINHLU' }, year: 2024, period: 'YEAR' },
      { unit: { code: 'TAMDUONG.BINHLU' }, year: 2024, period: 'H1' },
    ]);
    const narrowed = await t.as('COMMUNE_OFFICER', q, { i: count, u: district });
    expect(narrowed.data.indicatorValues.nodes.every((n: any) => n.unit.code === 'TAMDUONG.BANBO')).toBe(true);
    const id = (await t.db<{ id: string }>('SELECT id::text FROM indicator_value WHERE indicator_id = $1 LIMIT 1', [rate]))[0].id;
    expect((await t.as('COMMUNE_OFFICER', `query($id: ID!) { indicatorValue(id: $id) { id } }`, { id })).data.indicatorValue).toBeNull();
    expect((await t.as('VIEWER', `query($id: ID!) { indicatorValue(id: $id) { value } }`, { id })).data.indicatorValue).toEqual({
      value: '12.0000',
    });
  });

  it('locks a unit year once its EVALUATION_ANNUAL report is accepted (VALUE_LOCKED)', async () => {
    const ok = await t.as('COMMUNE_OFFICER', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2022, period: 'YEAR', value: '5' } });
    expect(ok.errors).toBeUndefined();
    const program = (await t.db<{ id: string }>('SELECT id::text FROM program LIMIT 1'))[0].id;
    const [ob] = await t.db<{ id: string }>(
      `INSERT INTO reporting_obligation (type, program_id, submitter_id, year, due_date, title)
       VALUES ('EVALUATION_ANNUAL', $1, $2, 2022, '2022-11-19', 'Báo cáo đánh giá năm 2022') RETURNING id::text`,
      [program, banbo],
    );
    await t.db(`INSERT INTO report (obligation_id, title, sections, status) VALUES ($1, 'Báo cáo', '[]'::jsonb, 'ACCEPTED')`, [ob.id]);
    const locked = await t.as('COMMUNE_OFFICER', VALUE, {
      i: { indicatorId: count, unitId: banbo, year: 2022, period: 'YEAR', value: '6' },
    });
    expect(codeOf(locked)).toBe('RULE_VIOLATION');
    expect(locked.errors![0].extensions.rule).toBe('VALUE_LOCKED');
    const lockedCoord = await t.as('COORDINATOR', VALUE, {
      i: { indicatorId: count, unitId: banbo, year: 2022, period: 'H2', value: '6' },
    });
    expect(lockedCoord.errors![0].extensions.rule).toBe('VALUE_LOCKED');
    expect(
      await t.db('SELECT value::text FROM indicator_value WHERE indicator_id = $1 AND unit_id = $2 AND year = 2022', [count, banbo]),
    ).toEqual([{ value: '5' }]);
    // other years and other units stay open
    expect(
      (await t.as('COMMUNE_OFFICER', VALUE, { i: { indicatorId: count, unitId: banbo, year: 2021, period: 'YEAR', value: '6' } })).errors,
    ).toBeUndefined();
    expect(
      (await t.as('COORDINATOR', VALUE, { i: { indicatorId: count, unitId: binhlu, year: 2022, period: 'YEAR', value: '6' } })).errors,
    ).toBeUndefined();
    const audit = await t.db("SELECT outcome FROM audit_event WHERE operation = 'recordIndicatorValue' AND outcome = 'RULE_VIOLATION'");
    expect(audit).toHaveLength(2);
  });
});
