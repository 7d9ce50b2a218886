import { Role } from '../../auth/roles';
import { sql } from '../../db/sql';
import { Aggregation, Measure, Period } from '../indicators/indicator.enums';
import { enumLookup, flagDuplicates, type ImportHandler } from './import.core';
import { unitsByCode, withUnitsChecked } from './import.lookup';
import { ImportAction } from './import.types';

const PERIODS = enumLookup<Period>({
  YEAR: ['Năm', 'Cả năm'],
  H1: ['6 tháng đầu năm', '6 tháng đầu'],
  H2: ['6 tháng cuối năm', '6 tháng cuối'],
});

interface ValueItem {
  row: number;
  indicatorCode: string;
  unitCode: string;
  year: number;
  period: Period;
  value: string | null;
  textValue: string | null;
  numerator: string | null;
  denominator: string | null;
  indicatorId?: string;
  unitId?: string;
}

const isNeg = (s: string | null) => !!s && s.startsWith('-') && /[1-9]/.test(s);
/** Whether a decimal text lies in 0..100. */
const inPercentRange = (s: string) => !isNeg(s) && (Number(s.split('.')[0]) < 100 || /^100(\.0*)?$/.test(s));

/**
 * INDICATOR_VALUES: upsert by (indicator, unit, year, period) with recordIndicatorValue's rules
 * (qualitative text only, ratio by numerator/denominator, percentages 0–100, locked years refused).
 */
export const indicatorValuesImport: ImportHandler = {
  entityType: 'IndicatorValue',
  roles: [Role.ADMIN, Role.COORDINATOR, Role.COMMUNE_OFFICER],
  columns: [
    { key: 'indicatorCode', labels: ['Mã chỉ tiêu', 'Chỉ tiêu'], required: true },
    { key: 'indicatorName', labels: ['Tên chỉ tiêu'], ignored: true },
    { key: 'unitCode', labels: ['Mã đơn vị', 'Đơn vị'], required: true },
    { key: 'unitName', labels: ['Tên đơn vị'], ignored: true },
    { key: 'year', labels: ['Năm'], required: true },
    { key: 'period', labels: ['Kỳ'], required: true },
    { key: 'value', labels: ['Giá trị'] },
    { key: 'textValue', labels: ['Nội dung', 'Giá trị định tính'] },
    { key: 'numerator', labels: ['Tử số'] },
    { key: 'denominator', labels: ['Mẫu số'] },
    { key: 'id', labels: ['ID'], ignored: true },
  ],
  async run(run, rows) {
    const parsed: ValueItem[] = [];
    for (const [n, r] of rows.entries()) {
      run.tick('parse', n, rows.length);
      const indicatorCode = r.text('indicatorCode', true, 64);
      const unitCode = r.text('unitCode', true, 64);
      const year = r.int('year', true, 2000, 2100);
      const period = r.oneOf('period', PERIODS);
      const value = r.decimal('value');
      const textValue = r.text('textValue', false, 4000);
      const numerator = r.decimal('numerator');
      const denominator = r.decimal('denominator');
      if (indicatorCode && unitCode && year !== null && period && !run.isBad(r.row)) {
        parsed.push({ row: r.row, indicatorCode, unitCode, year, period, value, textValue, numerator, denominator });
      }
    }
    const unique = flagDuplicates(
      run,
      parsed,
      (i) => i.row,
      (i) => `${i.indicatorCode}\u0000${i.unitCode}\u0000${i.year}\u0000${i.period}`,
      'indicatorCode',
      (i) => i.indicatorCode,
    );
    const units = await unitsByCode(
      run,
      unique.map((i) => i.unitCode),
    );
    const indicators = new Map(
      (
        await sql<{ id: string; code: string; measure: Measure; aggregation: Aggregation }>(
          run.em,
          'SELECT id::text, code, measure::text AS measure, aggregation::text AS aggregation FROM indicator WHERE code = ANY(?) AND archived_at IS NULL',
          [[...new Set(unique.map((i) => i.indicatorCode))]],
        )
      ).map((r) => [r.code, r]),
    );
    const items: ValueItem[] = [];
    for (const it of unique) {
      const u = units.get(it.unitCode);
      const ind = indicators.get(it.indicatorCode);
      const before = run.errors.length;
      if (!ind) run.error(it.row, 'indicatorCode', it.indicatorCode, 'Mã chỉ tiêu không tồn tại', 'Unknown indicator code');
      if (!u || u.archived) run.error(it.row, 'unitCode', it.unitCode, 'Mã đơn vị không tồn tại', 'Unknown unit code');
      else if (!u.inScope)
        run.error(it.row, 'unitCode', it.unitCode, 'Đơn vị ngoài phạm vi của bạn', "The unit is outside the caller's scope");
      if (ind) {
        if (ind.measure === Measure.QUALITATIVE) {
          if (it.value !== null || it.numerator !== null || it.denominator !== null)
            run.error(it.row, 'value', it.value, 'Chỉ tiêu định tính chỉ nhận nội dung', 'A qualitative indicator takes textValue only');
          if (!it.textValue) run.error(it.row, 'textValue', null, 'Bắt buộc nhập', 'Required');
        } else if (ind.aggregation === Aggregation.RATIO) {
          if (it.numerator === null)
            run.error(it.row, 'numerator', null, 'Chỉ tiêu tỷ lệ cần tử số', 'A ratio indicator needs a numerator');
          if (it.denominator === null)
            run.error(it.row, 'denominator', null, 'Chỉ tiêu tỷ lệ cần mẫu số', 'A ratio indicator needs a denominator');
        } else {
          if (it.value === null) run.error(it.row, 'value', null, 'Bắt buộc nhập giá trị', 'A value is required');
          else if (ind.measure === Measure.PERCENT && !inPercentRange(it.value))
            run.error(
              it.row,
              'value',
              it.value,
              'Tỷ lệ phải từ 0 đến 100 (điểm phần trăm)',
              'A percentage must be between 0 and 100 (points)',
            );
        }
        if (isNeg(it.numerator)) run.error(it.row, 'numerator', it.numerator, 'Không được âm', 'Must not be negative');
        if (isNeg(it.denominator)) run.error(it.row, 'denominator', it.denominator, 'Không được âm', 'Must not be negative');
      }
      if (run.errors.length === before) items.push({ ...it, indicatorId: ind!.id, unitId: u!.id });
    }
    // Ratio values are computed in SQL (numeric), as recordIndicatorValue does; then compared with what is stored.
    await withUnitsChecked(
      run,
      items.map((i) => i.unitId!),
      async () => {
        const lockable = (
          await sql<{ ok: boolean }>(
            run.em,
            "SELECT to_regclass('report') IS NOT NULL AND to_regclass('reporting_obligation') IS NOT NULL AS ok",
          )
        )[0].ok;
        const rowsSql = await sql<{ i: number; value: string | null; over: boolean; existing: boolean; same: boolean; locked: boolean }>(
          run.em,
          `WITH x AS (
         SELECT x.*, ind.measure, ind.aggregation,
           CASE WHEN ind.measure <> 'QUALITATIVE' AND ind.aggregation = 'RATIO'
             THEN CASE WHEN x.den = 0 THEN NULL ELSE round(x.num * (CASE WHEN ind.measure = 'PERCENT' THEN 100 ELSE 1 END) / x.den, 4) END
             ELSE x.val END AS v
         FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::numeric[], ?::text[], ?::numeric[], ?::numeric[]) x(i, ind_id, unit_id, year, period, val, txt, num, den)
         JOIN indicator ind ON ind.id = x.ind_id)
       SELECT x.i, x.v::text AS value, (x.measure = 'PERCENT' AND x.aggregation = 'RATIO' AND x.num > x.den) AS over,
         iv.id IS NOT NULL AS existing,
         (iv.id IS NOT NULL AND iv.archived_at IS NULL AND iv.value IS NOT DISTINCT FROM x.v AND iv.text_value IS NOT DISTINCT FROM x.txt
           AND iv.numerator IS NOT DISTINCT FROM x.num AND iv.denominator IS NOT DISTINCT FROM x.den) AS same,
         ${
           lockable
             ? `EXISTS (SELECT 1 FROM reporting_obligation o JOIN report r ON r.obligation_id = o.id
                 WHERE o.type = 'EVALUATION_ANNUAL' AND o.submitter_id = x.unit_id AND o.year = x.year AND r.status = 'ACCEPTED')`
             : 'FALSE'
         } AS locked
       FROM x LEFT JOIN indicator_value iv ON iv.indicator_id = x.ind_id AND iv.unit_id = x.unit_id AND iv.year = x.year AND iv.period::text = x.period`,
          [
            items.map((_, i) => i),
            items.map((i) => i.indicatorId),
            items.map((i) => i.unitId),
            items.map((i) => i.year),
            items.map((i) => i.period),
            items.map((i) => i.value),
            items.map((i) => i.textValue),
            items.map((i) => i.numerator),
            items.map((i) => i.denominator),
          ],
        );
        const writes: (ValueItem & { computed: string | null })[] = [];
        for (const r of rowsSql) {
          const it = items[r.i];
          if (r.over) {
            run.error(
              it.row,
              'numerator',
              it.numerator,
              'Tử số không được lớn hơn mẫu số',
              'The numerator must not exceed the denominator',
            );
            continue;
          }
          if (r.same) {
            run.act(it.row, ImportAction.UNCHANGED);
            continue;
          }
          if (r.locked) {
            run.error(
              it.row,
              'year',
              it.year,
              `Số liệu năm ${it.year} của đơn vị đã khóa vì báo cáo đánh giá hằng năm đã được chấp nhận`,
              `The unit's values for ${it.year} are locked`,
            );
            continue;
          }
          run.act(it.row, r.existing ? ImportAction.UPDATE : ImportAction.CREATE);
          writes.push({ ...it, computed: r.value });
        }
        if (!run.writable || !writes.length) return;
        const who = run.userId;
        await sql(
          run.em,
          `INSERT INTO indicator_value AS iv (indicator_id, unit_id, year, period, value, text_value, numerator, denominator, created_by, updated_by)
       SELECT x.ind, x.u, x.y, x.p::indicator_period, x.v, x.t, x.n, x.d, ?::bigint, ?::bigint
       FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::numeric[], ?::text[], ?::numeric[], ?::numeric[]) x(ind, u, y, p, v, t, n, d)
       ON CONFLICT (indicator_id, unit_id, year, period) DO UPDATE SET value = excluded.value, text_value = excluded.text_value,
         numerator = excluded.numerator, denominator = excluded.denominator, archived_at = NULL,
         version = iv.version + 1, updated_at = now(), updated_by = excluded.updated_by`,
          [
            who,
            who,
            writes.map((w) => w.indicatorId),
            writes.map((w) => w.unitId),
            writes.map((w) => w.year),
            writes.map((w) => w.period),
            writes.map((w) => w.computed),
            writes.map((w) => w.textValue),
            writes.map((w) => w.numerator),
            writes.map((w) => w.denominator),
          ],
        );
      },
      'indicator_rollup',
    );
  },
};
