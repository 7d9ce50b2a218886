import type { Ctx } from '../../graphql/context';
import { Validation } from '../../common/errors';
import { isCalendarDate } from '../../graphql/scalars';
import { sql } from '../../db/sql';
import { fundingSummary } from '../funding/funding.service';
import { FundingDimension } from '../funding/funding.enums';
import { indicatorProgress } from '../indicators/indicator.service';
import { IndicatorDimension } from '../indicators/indicator.enums';
import type { IndicatorProgressFilter } from '../indicators/indicator.inputs';
import { reportingCompleteness } from '../reporting/completeness.service';
import { CompletenessDimension } from '../reporting/reporting.enums';
import type { CompletenessFilter } from '../reporting/reporting.inputs';
import { SOURCE_NAMES } from '../imports/import.funding';
import type { SheetColumn, SheetValue } from './export.write';

export interface SummaryTable {
  sheet: string;
  fileBase: string;
  columns: SheetColumn[];
  rows: SheetValue[][];
}

type Args = Record<string, unknown>;

/** The summary's arguments arrive as JSON, past GraphQL's checks: the same checks here. */
function readArgs<D extends string>(
  args: Args,
  dims: Record<string, D>,
  dateArg: string,
): { filter: Args | null; groupBy: D[]; unitLevel: number | null; date: string | null } {
  const v = new Validation();
  const groupBy = args.groupBy;
  const okGroup = Array.isArray(groupBy) && groupBy.every((g) => typeof g === 'string' && g in dims);
  v.check(
    okGroup,
    'filter.groupBy',
    `groupBy phải là danh sách trong: ${Object.keys(dims).join(', ')}`,
    `groupBy must list values of: ${Object.keys(dims).join(', ')}`,
  );
  const unitLevel = args.unitLevel ?? null;
  v.check(
    unitLevel === null || Number.isInteger(unitLevel),
    'filter.unitLevel',
    'Cấp đơn vị phải là số nguyên',
    'unitLevel must be an integer',
  );
  const date = args[dateArg] ?? null;
  v.check(date === null || (typeof date === 'string' && isCalendarDate(date)), `filter.${dateArg}`, 'Ngày không hợp lệ', 'Invalid date');
  const filter = args.filter ?? null;
  v.check(
    filter === null || (typeof filter === 'object' && !Array.isArray(filter)),
    'filter.filter',
    'Bộ lọc phải là một đối tượng',
    'The filter must be an object',
  );
  for (const k of Object.keys(args)) {
    if (!['filter', 'groupBy', 'unitLevel', dateArg].includes(k)) v.add(`filter.${k}`, 'Tham số không hợp lệ', 'Unknown argument');
  }
  v.throwIfAny();
  return { filter: filter as Args | null, groupBy: groupBy as D[], unitLevel: unitLevel as number | null, date: date as string | null };
}

async function names(ctx: Ctx, table: 'unit' | 'program_component' | 'indicator', ids: (string | null | undefined)[]) {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = list.length
    ? await sql<{ id: string; code: string; name: string }>(
        ctx.em,
        `SELECT id::text, code, name FROM ${table} WHERE id = ANY(?::bigint[])`,
        [list],
      )
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

const money = (key: string, label: string): SheetColumn => ({ key, label, kind: 'money', width: 20 });
const text = (key: string, label: string, width = 16): SheetColumn => ({ key, label, kind: 'text', width });

/** Summaries exportable by exportList: the argument object of the summary query is the `filter` JSON. */
export const SUMMARY_EXPORTS: Record<string, (ctx: Ctx, args: Args) => Promise<SummaryTable>> = {
  async fundingSummary(ctx, raw) {
    const a = readArgs(raw, FundingDimension, 'disbursedUntil');
    const rows = await fundingSummary(ctx, { filter: a.filter, groupBy: a.groupBy, unitLevel: a.unitLevel, disbursedUntil: a.date });
    const dims = new Set(a.groupBy);
    const units = await names(
      ctx,
      'unit',
      rows.map((r) => r.unitId),
    );
    const comps = await names(
      ctx,
      'program_component',
      rows.flatMap((r) => [r.projectId, r.subProjectId]),
    );
    const cols: [SheetColumn, (r: (typeof rows)[number]) => SheetValue][] = [];
    if (dims.has(FundingDimension.YEAR)) cols.push([{ key: 'year', label: 'Năm', kind: 'int', width: 8 }, (r) => r.year]);
    if (dims.has(FundingDimension.SOURCE))
      cols.push([text('source', 'Nguồn vốn', 24), (r) => (r.source ? SOURCE_NAMES[r.source][0] : null)]);
    if (dims.has(FundingDimension.UNIT)) {
      cols.push([text('unitCode', 'Mã đơn vị', 22), (r) => units.get(r.unitId ?? '')?.code]);
      cols.push([text('unitName', 'Đơn vị', 30), (r) => units.get(r.unitId ?? '')?.name]);
    }
    if (dims.has(FundingDimension.PROJECT)) {
      cols.push([text('projectCode', 'Mã dự án', 10), (r) => comps.get(r.projectId ?? '')?.code]);
      cols.push([text('projectName', 'Dự án', 40), (r) => comps.get(r.projectId ?? '')?.name]);
    }
    if (dims.has(FundingDimension.SUB_PROJECT)) {
      cols.push([text('subProjectCode', 'Mã tiểu dự án', 12), (r) => comps.get(r.subProjectId ?? '')?.code]);
      cols.push([text('subProjectName', 'Tiểu dự án', 40), (r) => comps.get(r.subProjectId ?? '')?.name]);
    }
    cols.push([money('plannedAmount', 'Kế hoạch vốn'), (r) => r.plannedAmount]);
    cols.push([money('allocatedAmount', 'Vốn được giao'), (r) => r.allocatedAmount]);
    cols.push([money('disbursedAmount', 'Đã giải ngân'), (r) => r.disbursedAmount]);
    cols.push([{ key: 'disbursementRate', label: 'Tỷ lệ giải ngân', kind: 'decimal', width: 14 }, (r) => r.disbursementRate]);
    return {
      sheet: 'Tổng hợp vốn',
      fileBase: 'tong-hop-von',
      columns: cols.map((c) => c[0]),
      rows: rows.map((r) => cols.map((c) => c[1](r))),
    };
  },

  async indicatorProgress(ctx, raw) {
    const a = readArgs(raw, IndicatorDimension, '__none');
    const rows = await indicatorProgress(ctx, a.filter as IndicatorProgressFilter | null, a.groupBy, a.unitLevel);
    const inds = await names(
      ctx,
      'indicator',
      rows.map((r) => r.indicatorId),
    );
    const units = await names(
      ctx,
      'unit',
      rows.map((r) => r.unitId),
    );
    const cols: [SheetColumn, (r: (typeof rows)[number]) => SheetValue][] = [
      [text('indicatorCode', 'Mã chỉ tiêu', 16), (r) => inds.get(r.indicatorId)?.code],
      [text('indicatorName', 'Chỉ tiêu', 40), (r) => inds.get(r.indicatorId)?.name],
    ];
    if (a.groupBy.includes(IndicatorDimension.UNIT)) {
      cols.push([text('unitCode', 'Mã đơn vị', 22), (r) => units.get(r.unitId ?? '')?.code]);
      cols.push([text('unitName', 'Đơn vị', 30), (r) => units.get(r.unitId ?? '')?.name]);
    }
    if (a.groupBy.includes(IndicatorDimension.YEAR)) cols.push([{ key: 'year', label: 'Năm', kind: 'int', width: 8 }, (r) => r.year]);
    for (const [key, label] of [
      ['baseline', 'Cơ sở'],
      ['target', 'Mục tiêu'],
      ['actual', 'Thực hiện'],
      ['achievement', 'Mức đạt'],
    ] as const) {
      cols.push([{ key, label, kind: 'decimal', width: 14 }, (r) => r[key]]);
    }
    return {
      sheet: 'Tiến độ chỉ tiêu',
      fileBase: 'tien-do-chi-tieu',
      columns: cols.map((c) => c[0]),
      rows: rows.map((r) => cols.map((c) => c[1](r))),
    };
  },

  async reportingCompleteness(ctx, raw) {
    const a = readArgs(raw, CompletenessDimension, 'asOf');
    const rows = await reportingCompleteness(ctx, a.filter as CompletenessFilter | null, a.groupBy, a.unitLevel, a.date);
    const units = await names(
      ctx,
      'unit',
      rows.map((r) => r.unitId),
    );
    const cols: [SheetColumn, (r: (typeof rows)[number]) => SheetValue][] = [];
    if (a.groupBy.includes(CompletenessDimension.UNIT)) {
      cols.push([text('unitCode', 'Mã đơn vị', 22), (r) => units.get(r.unitId ?? '')?.code]);
      cols.push([text('unitName', 'Đơn vị', 30), (r) => units.get(r.unitId ?? '')?.name]);
    }
    if (a.groupBy.includes(CompletenessDimension.TYPE)) cols.push([text('type', 'Loại báo cáo', 24), (r) => r.type]);
    if (a.groupBy.includes(CompletenessDimension.YEAR)) cols.push([{ key: 'year', label: 'Năm', kind: 'int', width: 8 }, (r) => r.year]);
    cols.push([{ key: 'expected', label: 'Phải gửi', kind: 'int' }, (r) => r.expected]);
    cols.push([{ key: 'actual', label: 'Đã gửi', kind: 'int' }, (r) => r.actual]);
    cols.push([{ key: 'onTime', label: 'Đúng hạn', kind: 'int' }, (r) => r.onTime]);
    cols.push([{ key: 'reportingRate', label: 'Tỷ lệ gửi', kind: 'decimal' }, (r) => r.reportingRate]);
    cols.push([{ key: 'onTimeRate', label: 'Tỷ lệ đúng hạn', kind: 'decimal' }, (r) => r.onTimeRate]);
    return {
      sheet: 'Tình hình báo cáo',
      fileBase: 'tinh-hinh-bao-cao',
      columns: cols.map((c) => c[0]),
      rows: rows.map((r) => cols.map((c) => c[1](r))),
    };
  },
};
