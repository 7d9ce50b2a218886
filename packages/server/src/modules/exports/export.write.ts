import ExcelJS from 'exceljs';
import { neutralise } from '../imports/import.parse';

export type ColumnKind = 'text' | 'money' | 'int' | 'decimal' | 'date' | 'datetime';

export interface SheetColumn {
  key: string;
  /** Header text (Vietnamese; the importer accepts it). */
  label: string;
  kind: ColumnKind;
  width?: number;
}

export type SheetValue = string | number | Date | null | undefined;

/** Whole numbers of up to 15 digits are exact as spreadsheet numbers; longer ones are written as text. */
const EXACT_DIGITS = 15;

/** A decimal text as a spreadsheet number when that is exact, else null (write it as text). */
export function exactNumber(s: string): number | null {
  const digits = s.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > EXACT_DIGITS) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function xlsxValue(kind: ColumnKind, v: SheetValue): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'money':
    case 'decimal':
    case 'int': {
      const s = String(v);
      return exactNumber(s) ?? s;
    }
    case 'date': {
      const s = String(v).slice(0, 10);
      const [y, m, d] = s.split('-').map(Number);
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'datetime':
      return v instanceof Date ? v : new Date(String(v));
    default:
      return neutralise(String(v));
  }
}

const NUM_FORMAT: Partial<Record<ColumnKind, string>> = { money: '#,##0', int: '0', date: 'dd/mm/yyyy', datetime: 'dd/mm/yyyy hh:mm' };

/** Adds a sheet with a bold header row and typed cells (amounts as numbers up to 15 digits, text neutralised). */
export function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: SheetColumn[],
  rows: SheetValue[][],
  title?: string,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name.slice(0, 31));
  if (title) {
    ws.addRow([title]).font = { bold: true, size: 13 };
    ws.addRow([]);
  }
  const header = ws.addRow(columns.map((c) => c.label));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width ?? Math.max(12, Math.min(40, c.label.length + 4));
  });
  for (const r of rows) {
    const row = ws.addRow(columns.map((c, i) => xlsxValue(c.kind, r[i])));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const fmt = NUM_FORMAT[c.kind];
      if (fmt && typeof cell.value !== 'string') cell.numFmt = fmt;
    });
  }
  return ws;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function toXlsx(sheetName: string, columns: SheetColumn[], rows: SheetValue[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'NTP Monitor';
  addSheet(wb, sheetName, columns, rows);
  return workbookBuffer(wb);
}

const csvField = (s: string) => (/[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csvValue(kind: ColumnKind, v: SheetValue): string {
  if (v === null || v === undefined) return '';
  if (kind === 'datetime') return v instanceof Date ? v.toISOString() : String(v);
  if (kind === 'date') return String(v).slice(0, 10);
  if (kind === 'text') return neutralise(String(v));
  return String(v);
}

/** UTF-8 with BOM (so Excel reads the diacritics), comma separated, RFC 4180 quoting. */
export function toCsv(columns: SheetColumn[], rows: SheetValue[][]): Buffer {
  const lines = [columns.map((c) => csvField(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c, i) => csvField(csvValue(c.kind, r[i]))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
