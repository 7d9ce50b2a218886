import ExcelJS from 'exceljs';
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Ctx } from '../../graphql/context';
import { badInput, notFound } from '../../common/errors';
import { sql, sqlOne } from '../../db/sql';
import { getReport } from '../reporting/report.service';
import { reportingCompleteness } from '../reporting/completeness.service';
import { CompletenessDimension } from '../reporting/reporting.enums';
import { REPORT_TYPE_LABEL } from '../reporting/obligation.service';
import { fundingSummary } from '../funding/funding.service';
import { FundingDimension } from '../funding/funding.enums';
import { indicatorProgress } from '../indicators/indicator.service';
import type { IndicatorProgressFilter } from '../indicators/indicator.inputs';
import { IndicatorDimension } from '../indicators/indicator.enums';
import type { ReportType } from '../programs/program.enums';
import type { StoredFile } from '../files/file.entity';
import { SOURCE_NAMES } from '../imports/import.funding';
import { ExportFormat } from './export.types';
import { addSheet, workbookBuffer, type SheetColumn, type SheetValue } from './export.write';
import { saveExport } from './export.service';

/** A table of the report: the same rows go to Word (formatted) and to the results workbook (typed). */
export interface FigureTable {
  key: string;
  /** The report section it belongs under; absent or unknown: the appendix. */
  sections: string[];
  title: string;
  columns: SheetColumn[];
  rows: SheetValue[][];
}

export interface ReportFigures {
  reportId: string;
  title: string;
  typeLabel: string;
  issuerName: string;
  parentName: string | null;
  placeName: string;
  dateVi: string;
  number: string;
  year: number;
  unitName: string;
  sections: { key: string; title: string; body: string }[];
  tables: FigureTable[];
}

const sourceLabel = (s: string) => SOURCE_NAMES[s as keyof typeof SOURCE_NAMES]?.[0] ?? s;

/** The figures of a report for its unit (an agency's figures are its district's) and year, through the caller's scope. */
export async function reportFigures(ctx: Ctx, reportId: string): Promise<ReportFigures> {
  const report = await getReport(ctx, reportId);
  if (!report) throw notFound();
  const o = (await sqlOne<{
    type: ReportType;
    year: number | null;
    due_date: string;
    program_id: string;
    submitter_id: string;
    s_name: string;
    s_kind: string;
    p_id: string | null;
    p_name: string | null;
    p_kind: string | null;
    submitted_at: Date | string | null;
    standing_of: string | null;
  }>(
    ctx.em,
    `SELECT o.type::text AS type, o.year, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.program_id::text AS program_id,
       s.id::text AS submitter_id, s.name AS s_name, s.kind::text AS s_kind, p.id::text AS p_id, p.name AS p_name, p.kind::text AS p_kind,
       r.submitted_at, (SELECT da.unit_id::text FROM district_agency da WHERE da.agency_id = s.id AND da.role = 'STANDING_AGENCY' AND da.archived_at IS NULL LIMIT 1) AS standing_of
     FROM report r JOIN reporting_obligation o ON o.id = r.obligation_id JOIN unit s ON s.id = o.submitter_id LEFT JOIN unit p ON p.id = s.parent_id
     WHERE r.id = ?`,
    [report.id],
  ))!;
  const year = o.year ?? Number(o.due_date.slice(0, 4));
  const unitId = o.s_kind === 'AGENCY' && o.p_id ? o.p_id : o.submitter_id;
  const unitName = o.s_kind === 'AGENCY' && o.p_name ? o.p_name : o.s_name;
  const tables: FigureTable[] = [];

  // Funding by project and source, with a total line.
  const funding = await fundingSummary(ctx, {
    filter: { underUnit: unitId, year: { eq: year } },
    groupBy: [FundingDimension.PROJECT, FundingDimension.SOURCE],
  });
  const total = await fundingSummary(ctx, { filter: { underUnit: unitId, year: { eq: year } }, groupBy: [] });
  const projects = new Map(
    (
      await sql<{ id: string; code: string; name: string }>(
        ctx.em,
        'SELECT id::text, code, name FROM program_component WHERE id = ANY(?::bigint[])',
        [[...new Set(funding.map((f) => f.projectId).filter(Boolean))]],
      )
    ).map((p) => [p.id, p]),
  );
  const moneyCols: SheetColumn[] = [
    { key: 'plannedAmount', label: 'Kế hoạch vốn (đồng)', kind: 'money', width: 20 },
    { key: 'allocatedAmount', label: 'Vốn được giao (đồng)', kind: 'money', width: 20 },
    { key: 'disbursedAmount', label: 'Đã giải ngân (đồng)', kind: 'money', width: 20 },
    { key: 'disbursementRate', label: 'Tỷ lệ giải ngân', kind: 'decimal', width: 14 },
  ];
  const fundingRows: SheetValue[][] = funding
    .sort(
      (a, b) =>
        (projects.get(a.projectId!)?.code ?? '').localeCompare(projects.get(b.projectId!)?.code ?? '') ||
        String(a.source).localeCompare(String(b.source)),
    )
    .map((f) => {
      const p = projects.get(f.projectId!);
      return [
        p?.code ?? '',
        p?.name ?? '',
        sourceLabel(String(f.source)),
        f.plannedAmount,
        f.allocatedAmount,
        f.disbursedAmount,
        f.disbursementRate ?? null,
      ];
    });
  const t = total[0];
  if (t) fundingRows.push(['', 'Tổng cộng', '', t.plannedAmount, t.allocatedAmount, t.disbursedAmount, t.disbursementRate ?? null]);
  tables.push({
    key: 'funding',
    sections: ['funds', 'results'],
    title: `Tổng hợp nguồn vốn năm ${year} theo dự án và nguồn vốn — ${unitName}`,
    columns: [
      { key: 'projectCode', label: 'Mã dự án', kind: 'text', width: 10 },
      { key: 'projectName', label: 'Dự án', kind: 'text', width: 40 },
      { key: 'source', label: 'Nguồn vốn', kind: 'text', width: 24 },
      ...moneyCols,
    ],
    rows: fundingRows,
  });

  // Indicator progress for the unit and year.
  const progress = await indicatorProgress(ctx, { underUnit: unitId, year } as IndicatorProgressFilter, [IndicatorDimension.YEAR], null);
  const indicators = new Map(
    (
      await sql<{ id: string; code: string; name: string; uom: string | null }>(
        ctx.em,
        'SELECT id::text, code, name, unit_of_measure AS uom FROM indicator WHERE id = ANY(?::bigint[])',
        [[...new Set(progress.map((p) => p.indicatorId))]],
      )
    ).map((i) => [i.id, i]),
  );
  tables.push({
    key: 'indicators',
    sections: ['achievement', 'progress', 'targets', 'results'],
    title: `Tiến độ thực hiện các chỉ tiêu năm ${year} — ${unitName}`,
    columns: [
      { key: 'indicatorCode', label: 'Mã chỉ tiêu', kind: 'text', width: 12 },
      { key: 'indicatorName', label: 'Chỉ tiêu', kind: 'text', width: 40 },
      { key: 'unitOfMeasure', label: 'Đơn vị tính', kind: 'text', width: 12 },
      { key: 'baseline', label: 'Cơ sở', kind: 'decimal' },
      { key: 'target', label: 'Mục tiêu', kind: 'decimal' },
      { key: 'actual', label: 'Thực hiện', kind: 'decimal' },
      { key: 'achievement', label: 'Mức đạt', kind: 'decimal' },
    ],
    rows: progress
      .map((p) => ({ p, i: indicators.get(p.indicatorId) }))
      .sort((a, b) => (a.i?.code ?? '').localeCompare(b.i?.code ?? ''))
      .map(({ p, i }) => [
        i?.code ?? '',
        i?.name ?? '',
        i?.uom ?? '',
        p.baseline ?? null,
        p.target ?? null,
        p.actual ?? null,
        p.achievement ?? null,
      ]),
  });

  // The standing agency (or the district itself) consolidates the reporting of the district's units.
  const district = o.standing_of ?? (o.s_kind === 'DISTRICT' ? o.submitter_id : null);
  if (district) {
    const rows = await reportingCompleteness(
      ctx,
      { programId: o.program_id, year, underUnit: district },
      [CompletenessDimension.UNIT],
      null,
      null,
    );
    const names = new Map(
      (
        await sql<{ id: string; code: string; name: string }>(ctx.em, 'SELECT id::text, code, name FROM unit WHERE id = ANY(?::bigint[])', [
          rows.map((r) => r.unitId).filter(Boolean),
        ])
      ).map((u) => [u.id, u]),
    );
    tables.push({
      key: 'completeness',
      sections: ['achievement', 'results', 'progress'],
      title: `Tình hình gửi báo cáo năm ${year} của các đơn vị`,
      columns: [
        { key: 'unitCode', label: 'Mã đơn vị', kind: 'text', width: 22 },
        { key: 'unitName', label: 'Đơn vị', kind: 'text', width: 36 },
        { key: 'expected', label: 'Phải gửi', kind: 'int' },
        { key: 'actual', label: 'Đã gửi', kind: 'int' },
        { key: 'onTime', label: 'Đúng hạn', kind: 'int' },
        { key: 'reportingRate', label: 'Tỷ lệ gửi', kind: 'decimal' },
        { key: 'onTimeRate', label: 'Tỷ lệ đúng hạn', kind: 'decimal' },
      ],
      rows: rows
        .map((r) => ({ r, u: names.get(r.unitId ?? '') }))
        .sort((a, b) => (a.u?.name ?? '').localeCompare(b.u?.name ?? '', 'vi'))
        .map(({ r, u }) => [u?.code ?? '', u?.name ?? '', r.expected, r.actual, r.onTime, r.reportingRate ?? null, r.onTimeRate ?? null]),
    });
  }

  const at = o.submitted_at ? new Date(o.submitted_at) : new Date();
  const vn = new Date(at.getTime() + 7 * 3600_000);
  const district2 = o.p_kind === 'DISTRICT' ? o.p_name : o.s_kind === 'DISTRICT' ? o.s_name : null;
  const placeName = (district2 ?? unitName).replace(/^(Huyện|Thành phố|Thị xã|Quận|Tỉnh|Xã|Phường|Thị trấn)\s+/i, '');
  return {
    reportId: report.id,
    title: report.title,
    typeLabel: REPORT_TYPE_LABEL[o.type] ?? String(o.type),
    issuerName: o.s_name,
    parentName: o.p_name,
    placeName,
    dateVi: `${placeName}, ngày ${String(vn.getUTCDate()).padStart(2, '0')} tháng ${String(vn.getUTCMonth() + 1).padStart(2, '0')} năm ${vn.getUTCFullYear()}`,
    number: `Số: ${report.id}/BC`,
    year,
    unitName,
    sections: report.sections ?? [],
    tables,
  };
}

// ---------------------------------------------------------------------------
// Word
// ---------------------------------------------------------------------------

/** 1250000000 → "1.250.000.000" (Vietnamese grouping), exact at any size. */
export function viNumber(s: string): string {
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** A 4-decimal rate "0.4567" → "45,67%", by moving the decimal point (no floats). */
export function viPercent(s: string): string {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const f = frac.padEnd(4, '0');
  const whole = `${int}${f.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  return `${neg ? '-' : ''}${whole},${f.slice(2, 4)}%`;
}

function formatCell(col: SheetColumn, v: SheetValue): string {
  if (v === null || v === undefined || v === '') return '';
  const s = String(v);
  if (col.kind === 'money' || col.kind === 'int') return viNumber(s);
  if (col.kind === 'decimal') return /rate|achievement/i.test(col.key) ? viPercent(s) : viNumber(s);
  return s;
}

const FONT = 'Times New Roman';
const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; allCaps?: boolean } = {}) =>
  new TextRun({ text, font: FONT, size: (o.size ?? 13) * 2, bold: o.bold, italics: o.italics, allCaps: o.allCaps });
const para = (children: TextRun[], align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT, after = 60) =>
  new Paragraph({ children, alignment: align, spacing: { after } });

const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

function headerBlock(f: ReportFigures): Table {
  const left = [
    ...(f.parentName ? [para([run(f.parentName.toUpperCase(), { size: 12 })], AlignmentType.CENTER, 0)] : []),
    para([run(f.issuerName.toUpperCase(), { bold: true, size: 12 })], AlignmentType.CENTER, 120),
    para([run(f.number, { size: 13 })], AlignmentType.CENTER),
  ];
  const right = [
    para([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 12 })], AlignmentType.CENTER, 0),
    para([run('Độc lập - Tự do - Hạnh phúc', { bold: true, size: 13 })], AlignmentType.CENTER, 120),
    para([run(f.dateVi, { italics: true, size: 13 })], AlignmentType.CENTER),
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          new TableCell({ width: { size: 40, type: WidthType.PERCENTAGE }, borders: noBorders, children: left }),
          new TableCell({ width: { size: 60, type: WidthType.PERCENTAGE }, borders: noBorders, children: right }),
        ],
      }),
    ],
  });
}

function figureTable(t: FigureTable): Table {
  const cell = (text: string, bold = false, right = false) =>
    new TableCell({ children: [para([run(text, { bold, size: 11 })], right ? AlignmentType.RIGHT : AlignmentType.LEFT, 0)] });
  const numeric = (c: SheetColumn) => c.kind !== 'text';
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: [cell('STT', true), ...t.columns.map((c) => cell(c.label, true))] }),
      ...t.rows.map(
        (r, i) =>
          new TableRow({
            children: [cell(String(i + 1)), ...t.columns.map((c, j) => cell(formatCell(c, r[j]), false, numeric(c)))],
          }),
      ),
    ],
  });
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV'];

export async function reportDocx(f: ReportFigures): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [headerBlock(f), para([run('')], AlignmentType.CENTER)];
  children.push(para([run('BÁO CÁO', { bold: true, size: 14 })], AlignmentType.CENTER, 0));
  children.push(para([run(f.title, { bold: true, size: 14 })], AlignmentType.CENTER, 0));
  children.push(para([run(`(${f.typeLabel} — năm ${f.year})`, { italics: true })], AlignmentType.CENTER, 240));
  const placed = new Set<string>();
  let n = 0;
  const tableBlock = (t: FigureTable) => {
    n++;
    children.push(para([run(`Biểu ${n}. ${t.title}`, { bold: true, italics: true, size: 12 })], AlignmentType.LEFT, 60));
    children.push(figureTable(t));
    children.push(para([run('')]));
  };
  f.sections.forEach((s, i) => {
    children.push(para([run(`${ROMAN[i] ?? i + 1}. ${s.title}`, { bold: true })], AlignmentType.JUSTIFIED, 120));
    for (const line of (s.body ?? '').split(/\r?\n/)) {
      if (line.trim())
        children.push(
          new Paragraph({ children: [run(line)], alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 567 }, spacing: { after: 80 } }),
        );
    }
    for (const t of f.tables) {
      if (!placed.has(t.key) && t.sections.includes(s.key)) {
        placed.add(t.key);
        tableBlock(t);
      }
    }
  });
  const rest = f.tables.filter((t) => !placed.has(t.key));
  if (rest.length) {
    children.push(para([run('PHỤ LỤC SỐ LIỆU', { bold: true })], AlignmentType.CENTER, 120));
    rest.forEach(tableBlock);
  }
  children.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: [
        new TableRow({
          children: [
            new TableCell({
              borders: noBorders,
              children: [
                para([run('Nơi nhận:', { bold: true, italics: true, size: 12 })], AlignmentType.LEFT, 0),
                para([run('- Như trên;', { size: 11 })], AlignmentType.LEFT, 0),
                para([run('- Lưu: VT.', { size: 11 })]),
              ],
            }),
            new TableCell({ borders: noBorders, children: [para([run('THỦ TRƯỞNG ĐƠN VỊ', { bold: true })], AlignmentType.CENTER)] }),
          ],
        }),
      ],
    }),
  );
  const doc = new Document({
    creator: 'NTP Monitor',
    title: f.title,
    sections: [{ properties: { page: { margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

/** The results workbook: one sheet per table, figures as numbers. */
export async function reportWorkbook(f: ReportFigures): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'NTP Monitor';
  const names: Record<string, string> = { funding: 'Nguồn vốn', indicators: 'Chỉ tiêu', completeness: 'Tình hình báo cáo' };
  for (const t of f.tables) addSheet(wb, names[t.key] ?? t.key, t.columns, t.rows, t.title);
  return workbookBuffer(wb);
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60);

export async function exportReport(ctx: Ctx, reportId: string, format: ExportFormat): Promise<StoredFile> {
  if (format === ExportFormat.CSV)
    throw badInput([{ field: 'format', vi: 'Báo cáo xuất ra DOCX hoặc XLSX', en: 'A report exports to DOCX or XLSX' }]);
  ctx.audit = { entityType: 'StoredFile', details: { reportId, format } };
  const f = await reportFigures(ctx, reportId);
  const data = format === ExportFormat.DOCX ? await reportDocx(f) : await reportWorkbook(f);
  const base = `bao-cao-${slug(f.title) || f.reportId}`;
  return saveExport(ctx, `${base}.${format === ExportFormat.DOCX ? 'docx' : 'xlsx'}`, format, data);
}
