import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, conflict, ruleViolation } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { findInScope } from '../../graphql/list';
import { sql, sqlOne } from '../../db/sql';
import { requireUnitsWritable } from '../../auth/scope';
import { isAdmin } from '../../auth/roles';
import { ProgramComponent } from '../programs/program.entity';
import { Unit } from '../units/unit.entity';
import { Aggregation, IndicatorDimension, Measure } from './indicator.enums';
import { Indicator, IndicatorTarget, IndicatorValue } from './indicator.entity';
import { indicatorList } from './indicator.list';
import { valuesLocked } from './indicator.lock';
import type {
  CreateIndicatorInput,
  IndicatorProgressFilter,
  IndicatorProgressRow,
  RecordIndicatorValueInput,
  SetIndicatorTargetInput,
  UpdateIndicatorInput,
} from './indicator.inputs';

const CODE_RE = /^[\p{L}\p{N}._-]{1,64}$/u;
const idOk = (id: string | null | undefined): id is string => !!id && /^\d{1,18}$/.test(id);

/** "007.50" → "7.50", "-0" → "0": the canonical text of a Decimal as PostgreSQL stores it. */
export function normDecimal(s: string): string {
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const i = int.replace(/^0+(?=\d)/, '');
  const out = frac !== undefined ? `${i}.${frac}` : i;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

const isNegative = (s: string) => s.startsWith('-') && /[1-9]/.test(s);

export const getIndicator = (ctx: Ctx, id: string) => findInScope(ctx, indicatorList, id);

async function liveIndicator(ctx: Ctx, id: string): Promise<Indicator> {
  const found = idOk(id) ? await ctx.em.findOne(Indicator, { id, archivedAt: null }) : null;
  if (!found) throw badInput([{ field: 'indicatorId', vi: 'Chỉ tiêu không tồn tại', en: 'Indicator does not exist' }]);
  return found;
}

async function existingUnit(ctx: Ctx, id: string): Promise<Unit> {
  const found = idOk(id) ? await ctx.em.findOne(Unit, { id }) : null;
  if (!found) throw badInput([{ field: 'unitId', vi: 'Đơn vị không tồn tại', en: 'Unit does not exist' }]);
  return found;
}

async function componentOf(ctx: Ctx, id: string | null | undefined): Promise<ProgramComponent | null> {
  if (!id) return null;
  const found = idOk(id) ? await ctx.em.findOne(ProgramComponent, { id }) : null;
  if (!found) throw badInput([{ field: 'componentId', vi: 'Dự án không tồn tại', en: 'Component does not exist' }]);
  return found;
}

function checkYear(v: Validation, year: number | null | undefined, field = 'year') {
  if (year === null || year === undefined) return;
  v.check(Number.isInteger(year) && year >= 2000 && year <= 2100, field, 'Năm không hợp lệ (2000–2100)', 'Invalid year (2000–2100)');
}

async function ensureCodeFree(ctx: Ctx, code: string, exceptId?: string) {
  if (await sqlOne(ctx.em, 'SELECT 1 FROM indicator WHERE code = ? AND id IS DISTINCT FROM ?', [code, exceptId ?? null])) {
    throw conflict({ vi: `Mã chỉ tiêu ${code} đã được dùng`, en: `Indicator code ${code} is already used` });
  }
}

export async function createIndicator(ctx: Ctx, input: CreateIndicatorInput): Promise<Indicator> {
  const v = new Validation();
  checkText(v, 'code', input.code, 64);
  if (input.code && !CODE_RE.test(clean(input.code)))
    v.add('code', 'Mã chỉ gồm chữ, số, dấu chấm, gạch', 'Code may hold letters, digits, dots and dashes only');
  checkText(v, 'name', input.name, 500);
  checkText(v, 'unitOfMeasure', input.unitOfMeasure, 100, false);
  v.throwIfAny();
  const component = await componentOf(ctx, input.componentId);
  await ensureCodeFree(ctx, clean(input.code));
  const indicator = ctx.em.create(Indicator, {
    code: clean(input.code),
    name: clean(input.name),
    unitOfMeasure: input.unitOfMeasure ? clean(input.unitOfMeasure) : null,
    measure: input.measure,
    direction: input.direction,
    aggregation: input.aggregation,
    component: component ? ref(component) : null,
  });
  stamp(ctx, indicator, true);
  ctx.audit = { entityType: 'Indicator' };
  return indicator;
}

export async function updateIndicator(ctx: Ctx, id: string, version: number, input: UpdateIndicatorInput): Promise<Indicator> {
  const indicator = requireFound(await getIndicator(ctx, id));
  ctx.audit = { entityType: 'Indicator', entityId: indicator.id, before: snapshot(indicator) };
  checkVersion(indicator, version);
  const v = new Validation();
  if (input.code !== undefined) {
    checkText(v, 'code', input.code, 64);
    if (input.code && !CODE_RE.test(clean(input.code)))
      v.add('code', 'Mã chỉ gồm chữ, số, dấu chấm, gạch', 'Code may hold letters, digits, dots and dashes only');
  }
  if (input.name !== undefined) checkText(v, 'name', input.name, 500);
  checkText(v, 'unitOfMeasure', input.unitOfMeasure, 100, false);
  const reshaped =
    (input.measure != null && input.measure !== indicator.measure) ||
    (input.aggregation != null && input.aggregation !== indicator.aggregation);
  if (reshaped && (await sqlOne(ctx.em, 'SELECT 1 FROM indicator_value WHERE indicator_id = ? LIMIT 1', [indicator.id]))) {
    v.add(
      'measure',
      'Không đổi cách đo hoặc cách tổng hợp khi đã có số liệu',
      'Measure and aggregation cannot change once values are recorded',
    );
  }
  v.throwIfAny();
  if (input.code != null) {
    await ensureCodeFree(ctx, clean(input.code), indicator.id);
    indicator.code = clean(input.code);
  }
  if (input.name != null) indicator.name = clean(input.name);
  if (input.unitOfMeasure !== undefined) indicator.unitOfMeasure = input.unitOfMeasure ? clean(input.unitOfMeasure) : null;
  if (input.measure != null) indicator.measure = input.measure;
  if (input.direction != null) indicator.direction = input.direction;
  if (input.aggregation != null) indicator.aggregation = input.aggregation;
  if (input.componentId !== undefined) {
    const component = await componentOf(ctx, input.componentId);
    indicator.component = component ? ref(component) : null;
  }
  stamp(ctx, indicator);
  return indicator;
}

export async function archiveIndicator(ctx: Ctx, id: string, version: number): Promise<Indicator> {
  const indicator = requireFound(await getIndicator(ctx, id));
  ctx.audit = { entityType: 'Indicator', entityId: indicator.id, before: snapshot(indicator) };
  checkVersion(indicator, version);
  indicator.archivedAt = new Date();
  stamp(ctx, indicator);
  return indicator;
}

function checkPercent(v: Validation, field: string, value: string | null | undefined) {
  if (value == null) return;
  const n = normDecimal(value);
  const int = n.replace(/^-/, '').split('.')[0];
  const over = Number(int) > 100 || (Number(int) === 100 && /\.\d*[1-9]/.test(n));
  v.check(!isNegative(n) && !over, field, 'Tỷ lệ phải từ 0 đến 100 (điểm phần trăm)', 'A percentage must be between 0 and 100 (points)');
}

/** Upserts the baseline and target of an indicator for a unit and year (year null: the phase target). */
export async function setIndicatorTarget(ctx: Ctx, input: SetIndicatorTargetInput): Promise<IndicatorTarget> {
  ctx.audit = { entityType: 'IndicatorTarget', unitId: idOk(input.unitId) ? input.unitId : null };
  const indicator = await liveIndicator(ctx, input.indicatorId);
  const unit = await existingUnit(ctx, input.unitId);
  await requireUnitsWritable(ctx, [unit.id], true);
  const v = new Validation();
  checkYear(v, input.year);
  if (indicator.measure === Measure.QUALITATIVE) {
    v.check(
      input.baseline == null && input.target == null,
      'target',
      'Chỉ tiêu định tính không có mức số',
      'A qualitative indicator has no numeric levels',
    );
  } else {
    v.check(input.baseline != null || input.target != null, 'target', 'Cần mức cơ sở hoặc mục tiêu', 'A baseline or a target is required');
  }
  if (indicator.measure === Measure.PERCENT) {
    checkPercent(v, 'baseline', input.baseline);
    checkPercent(v, 'target', input.target);
  }
  v.throwIfAny();
  const year = input.year ?? null;
  let target = await ctx.em.findOne(IndicatorTarget, { indicator: indicator.id, unit: unit.id, year });
  ctx.audit = { entityType: 'IndicatorTarget', entityId: target?.id ?? null, unitId: unit.id, before: snapshot(target) };
  if (!target) {
    target = ctx.em.create(IndicatorTarget, { indicator: ref(indicator), unit: ref(unit), year });
    stamp(ctx, target, true);
  }
  target.baseline = input.baseline != null ? normDecimal(input.baseline) : null;
  target.target = input.target != null ? normDecimal(input.target) : null;
  target.archivedAt = null;
  stamp(ctx, target);
  return target;
}

/** Upserts the value of an indicator for a unit, year and period; refused once the year is locked. */
export async function recordIndicatorValue(ctx: Ctx, input: RecordIndicatorValueInput): Promise<IndicatorValue> {
  ctx.audit = { entityType: 'IndicatorValue', unitId: idOk(input.unitId) ? input.unitId : null };
  const indicator = await liveIndicator(ctx, input.indicatorId);
  const unit = await existingUnit(ctx, input.unitId);
  await requireUnitsWritable(ctx, [unit.id], true);
  const v = new Validation();
  checkYear(v, input.year);
  v.check(input.year != null, 'year', 'Bắt buộc nhập', 'Required');
  checkText(v, 'textValue', input.textValue, 4000, indicator.measure === Measure.QUALITATIVE);
  let value: string | null = input.value != null ? normDecimal(input.value) : null;
  const numerator = input.numerator != null ? normDecimal(input.numerator) : null;
  const denominator = input.denominator != null ? normDecimal(input.denominator) : null;
  if (indicator.measure === Measure.QUALITATIVE) {
    v.check(
      value == null && numerator == null && denominator == null,
      'value',
      'Chỉ tiêu định tính chỉ nhận nội dung (textValue)',
      'A qualitative indicator takes textValue only',
    );
  } else if (indicator.aggregation === Aggregation.RATIO) {
    v.check(numerator != null, 'numerator', 'Chỉ tiêu tỷ lệ cần tử số', 'A ratio indicator needs a numerator');
    v.check(denominator != null, 'denominator', 'Chỉ tiêu tỷ lệ cần mẫu số', 'A ratio indicator needs a denominator');
    if (numerator != null) v.check(!isNegative(numerator), 'numerator', 'Không được âm', 'Must not be negative');
    if (denominator != null) v.check(!isNegative(denominator), 'denominator', 'Không được âm', 'Must not be negative');
  } else {
    v.check(value != null, 'value', 'Bắt buộc nhập giá trị', 'A value is required');
    if (indicator.measure === Measure.PERCENT) checkPercent(v, 'value', value);
    if (numerator != null) v.check(!isNegative(numerator), 'numerator', 'Không được âm', 'Must not be negative');
    if (denominator != null) v.check(!isNegative(denominator), 'denominator', 'Không được âm', 'Must not be negative');
  }
  v.throwIfAny();
  if (indicator.measure !== Measure.QUALITATIVE && indicator.aggregation === Aggregation.RATIO) {
    const row = await sqlOne<{ value: string | null; over: boolean }>(
      ctx.em,
      `SELECT CASE WHEN ?::numeric = 0 THEN NULL ELSE round(?::numeric * ? / ?::numeric, 4)::text END AS value, ?::numeric > ?::numeric AS over`,
      [denominator, numerator, indicator.measure === Measure.PERCENT ? 100 : 1, denominator, numerator, denominator],
    );
    if (indicator.measure === Measure.PERCENT && row!.over) {
      throw badInput([{ field: 'numerator', vi: 'Tử số không được lớn hơn mẫu số', en: 'The numerator must not exceed the denominator' }]);
    }
    value = row!.value;
  }
  let record = await ctx.em.findOne(IndicatorValue, { indicator: indicator.id, unit: unit.id, year: input.year, period: input.period });
  ctx.audit = { entityType: 'IndicatorValue', entityId: record?.id ?? null, unitId: unit.id, before: snapshot(record) };
  if (await valuesLocked(ctx.em, unit.id, input.year)) {
    throw ruleViolation('VALUE_LOCKED', {
      vi: `Số liệu năm ${input.year} của đơn vị đã khóa vì báo cáo đánh giá hằng năm đã được chấp nhận`,
      en: `The unit's values for ${input.year} are locked: its annual evaluation report was accepted`,
    });
  }
  if (!record) {
    record = ctx.em.create(IndicatorValue, { indicator: ref(indicator), unit: ref(unit), year: input.year, period: input.period });
    stamp(ctx, record, true);
  }
  record.value = value;
  record.textValue = input.textValue != null && clean(input.textValue) ? clean(input.textValue) : null;
  record.numerator = numerator;
  record.denominator = denominator;
  record.archivedAt = null;
  stamp(ctx, record);
  return record;
}

/**
 * Picks one figure per indicator, unit and year from the per-period columns of `pv`: a YEAR value
 * stands, else H1 + H2 (SUM indicators) or the latest half.
 */
const pick = (col: string) => `CASE
      WHEN pv.has_year THEN pv.${col}_year
      WHEN i.aggregation = 'SUM' THEN CASE WHEN pv.${col}_h1 IS NULL AND pv.${col}_h2 IS NULL THEN NULL
        ELSE COALESCE(pv.${col}_h1, 0) + COALESCE(pv.${col}_h2, 0) END
      WHEN pv.has_h2 THEN pv.${col}_h2
      ELSE pv.${col}_h1 END`;

/**
 * indicatorProgress's filter over `t` (indicator_value or indicator_rollup: both key on indicator, unit and
 * year), onto `where` and `params`. Units under a path are found by id first (an InitPlan), then through
 * the (unit, year) index, instead of joining units to a scan of every value in the country.
 */
function filterProgress(
  t: string,
  f: IndicatorProgressFilter,
  underPath: string | null,
  scopePath: string | null,
  where: string[],
  params: unknown[],
) {
  const unitsUnder = `${t}.unit_id = ANY(ARRAY(SELECT su.id FROM unit su WHERE su.path LIKE ?))`;
  if (f.indicatorIds) {
    params.push(f.indicatorIds.filter(idOk));
    where.push(`${t}.indicator_id = ANY(?)`);
  }
  if (f.year != null) {
    params.push(f.year);
    where.push(`${t}.year = ?`);
  }
  for (const path of [underPath, scopePath]) {
    if (!path) continue;
    params.push(`${path}%`);
    where.push(unitsUnder);
  }
}

/** Units of this level and above have their leaves summed in indicator_rollup (its migration keeps it). */
const INDICATOR_ROLLUP_MAX_LEVEL = 1;

/**
 * The `a` rows of indicatorProgress (indicator, unit at `level`, year, its actual) from indicator_rollup:
 * the rows of units at `level` (their own leaf and those below) and the own leaves of units above it, as
 * the values' query groups them; sums and counts added, then each aggregation finished exactly as
 * `avg` / `sum` finish it over the leaves. Pushes its parameters onto `params`.
 */
function rollupAggregates(
  f: IndicatorProgressFilter,
  underPath: string | null,
  scopePath: string | null,
  level: number,
  params: unknown[],
) {
  const where = ['r.leaves > 0', `(r.level = ${level} OR (r.level < ${level} AND r.direct))`, 'i.archived_at IS NULL'];
  filterProgress('r', f, underPath, scopePath, where, params);
  return `
    WITH a AS (
      SELECT r.indicator_id, r.unit_id, r.year, i.aggregation AS agg,
        CASE WHEN i.measure = 'QUALITATIVE' THEN NULL
          WHEN i.aggregation IN ('SUM', 'LAST') THEN sum(r.value_sum)
          WHEN i.aggregation = 'AVERAGE' THEN sum(r.value_sum) / NULLIF(sum(r.value_count), 0)
          ELSE sum(r.numerator_sum) * (CASE WHEN i.measure = 'PERCENT' THEN 100 ELSE 1 END) / NULLIF(sum(r.denominator_sum), 0)
        END AS actual
      FROM indicator_rollup r JOIN indicator i ON i.id = r.indicator_id
      WHERE ${where.join(' AND ')}
      GROUP BY r.indicator_id, r.unit_id, r.year, i.aggregation, i.measure
    )`;
}

/**
 * One period's figure of a column: at most one live row per indicator, unit, year and period (a unique
 * index), so `min` is that row's figure; it keeps a plain value as its state, where `sum` over numeric
 * keeps an accumulator of kilobytes per group (the pivot ran four times slower with it).
 */
const period = (col: string, p: string) => `min(${col}) FILTER (WHERE period = '${p}') AS ${col}_${p.toLowerCase()}`;

/**
 * indicatorProgress (API.md, Indicators), in one SQL statement. Rows are grouped by indicator always,
 * and by unit (rolled up to `unitLevel`, never above the caller's scope root) and year when asked.
 */
export async function indicatorProgress(
  ctx: Ctx,
  filter: IndicatorProgressFilter | null | undefined,
  groupBy: IndicatorDimension[],
  unitLevel: number | null | undefined,
): Promise<IndicatorProgressRow[]> {
  const caller = ctx.caller;
  if (!caller) return [];
  if (unitLevel != null && (!Number.isInteger(unitLevel) || unitLevel < 0 || unitLevel > 50)) {
    throw badInput([{ field: 'unitLevel', vi: 'Cấp đơn vị không hợp lệ', en: 'Invalid unit level' }]);
  }
  const admin = isAdmin(caller);
  if (!admin && !caller.scopePath) return [];
  const byUnit = groupBy.includes(IndicatorDimension.UNIT);
  const byYear = groupBy.includes(IndicatorDimension.YEAR);
  const f = filter ?? {};
  const params: unknown[] = [];
  let underPath: string | null = null;
  if (f.underUnit) {
    const u = idOk(f.underUnit) ? await sqlOne<{ path: string }>(ctx.em, 'SELECT path FROM unit WHERE id = ?', [f.underUnit]) : undefined;
    if (!u) return [];
    underPath = u.path;
  }
  const where = ['iv.archived_at IS NULL', 'i.archived_at IS NULL'];
  filterProgress('iv', f, underPath, admin ? null : caller.scopePath!, where, params);
  // The unit a group's baseline and target come from when units are not a grouping.
  let fixedUnit: string | null = admin ? null : caller.scopeRootId;
  if (underPath) {
    const underId = underPath.split('/').filter(Boolean).pop()!;
    if (admin || underPath.startsWith(caller.scopePath!)) fixedUnit = underId;
  }
  const scopeLevel = admin ? 0 : caller.scopePath!.split('/').filter(Boolean).length - 1;
  const level = unitLevel == null ? null : Math.max(unitLevel, scopeLevel);
  const groupUnit =
    level == null
      ? 'u.id'
      : `CASE WHEN u.level <= ${level} THEN u.id ELSE (string_to_array(btrim(u.path, '/'), '/'))[${level + 1}]::bigint END`;
  const unitKey = byUnit ? 'g_unit' : '?::bigint';
  const underLevel = underPath ? underPath.split('/').filter(Boolean).length - 1 : 0;
  // The roll-up holds leaves summed per unit of level ≤ 1 and year: it answers by-unit-and-year questions
  // at those levels, when `underUnit` (and the scope root, always) sits at or above the grouping level.
  const fromRollup =
    ctx.config.summaryRollups && byUnit && byYear && level != null && level <= INDICATOR_ROLLUP_MAX_LEVEL && underLevel <= level;
  const rollupParams: unknown[] = [];
  const aggregated = fromRollup
    ? rollupAggregates(f, underPath, admin ? null : caller.scopePath!, level!, rollupParams)
    : `
    WITH v AS (
      SELECT iv.indicator_id, iv.unit_id, iv.year, iv.period, iv.value, iv.numerator, iv.denominator
      FROM indicator_value iv JOIN indicator i ON i.id = iv.indicator_id
      WHERE ${where.join(' AND ')}
    ), pv AS (
      SELECT indicator_id, unit_id, year, bool_or(period = 'YEAR') AS has_year, bool_or(period = 'H2') AS has_h2,
        ${['value', 'numerator', 'denominator'].flatMap((c) => ['YEAR', 'H1', 'H2'].map((p) => period(c, p))).join(', ')}
      FROM v GROUP BY indicator_id, unit_id, year
    ), g AS (
      SELECT pv.indicator_id, pv.unit_id, pv.year, ${pick('value')} AS value, ${pick('numerator')} AS numerator,
        ${pick('denominator')} AS denominator, i.aggregation AS agg, i.measure AS measure, ${groupUnit} AS g_unit,
        ${byYear ? 'TRUE' : 'pv.year = max(pv.year) OVER (PARTITION BY pv.indicator_id, pv.unit_id)'} AS latest
      FROM pv JOIN indicator i ON i.id = pv.indicator_id JOIN unit u ON u.id = pv.unit_id
    ), a AS (
      SELECT indicator_id, ${unitKey} AS unit_id, ${byYear ? 'year' : 'NULL::int'} AS year, agg,
        CASE WHEN measure = 'QUALITATIVE' THEN NULL
          WHEN agg = 'SUM' THEN sum(value)
          WHEN agg = 'AVERAGE' THEN avg(value)
          WHEN agg = 'LAST' THEN sum(value) FILTER (WHERE latest)
          ELSE sum(numerator) FILTER (WHERE latest) * (CASE WHEN measure = 'PERCENT' THEN 100 ELSE 1 END)
               / NULLIF(sum(denominator) FILTER (WHERE latest), 0)
        END AS actual
      FROM g GROUP BY indicator_id, agg, measure${byUnit ? ', g_unit' : ''}${byYear ? ', year' : ''}
    )`;
  const text = `${aggregated}
    SELECT a.indicator_id::text AS indicator_id, a.unit_id::text AS unit_id, a.year,
      (CASE WHEN a.agg IN ('AVERAGE', 'RATIO') THEN round(a.actual, 4) ELSE a.actual END)::text AS actual,
      t.baseline::text AS baseline, t.target::text AS target,
      (CASE WHEN a.actual IS NULL OR t.baseline IS NULL OR t.target IS NULL OR t.target = t.baseline THEN NULL
        ELSE round((a.actual - t.baseline) / (t.target - t.baseline), 4) END)::text AS achievement
    FROM a JOIN indicator i ON i.id = a.indicator_id
    LEFT JOIN unit gu ON gu.id = a.unit_id
    -- One lookup in the (indicator, unit, year) key per row: a join would hash every target of the country.
    LEFT JOIN LATERAL (
      SELECT t.baseline, t.target FROM indicator_target t
      WHERE t.indicator_id = a.indicator_id AND t.unit_id = a.unit_id AND coalesce(t.year, -1) = coalesce(a.year, -1) AND t.archived_at IS NULL
      LIMIT 1
    ) t ON TRUE
    ORDER BY i.code, gu.name COLLATE "vi-VN-x-icu" NULLS FIRST, a.unit_id NULLS FIRST, a.year NULLS FIRST`;
  if (!byUnit) params.push(fixedUnit);
  const rows = await sql<{
    indicator_id: string;
    unit_id: string | null;
    year: number | null;
    actual: string | null;
    baseline: string | null;
    target: string | null;
    achievement: string | null;
  }>(ctx.em, text, fromRollup ? rollupParams : params);
  return rows.map(
    (r) =>
      ({
        indicatorId: r.indicator_id,
        unitId: byUnit ? r.unit_id : null,
        year: byYear ? r.year : null,
        baseline: r.baseline,
        target: r.target,
        actual: r.actual,
        achievement: r.achievement,
      }) as IndicatorProgressRow,
  );
}
