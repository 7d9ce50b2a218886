import ExcelJS from 'exceljs';

/** One cell as read from a file: text, a number, a date (xlsx date cells) or empty. */
export type Cell = string | number | Date | null;

export interface Table {
  /** Rows as in the file, the header first; `rows[i]` is file row i + 1. */
  rows: Cell[][];
}

export class UnreadableFile extends Error {}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Reads the first worksheet of an .xlsx, or a UTF-8 .csv (with or without BOM, comma or semicolon). */
export async function readTable(data: Buffer): Promise<Table> {
  if (XLSX_MAGIC.every((b, i) => data[i] === b)) return readXlsx(data);
  return readCsv(data);
}

function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    // A formula cell: never evaluated; its text is read as data (and rejected where a value is expected).
    if ('formula' in v || 'sharedFormula' in v) {
      const f = (v as { formula?: string; sharedFormula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula;
      return `=${f}`;
    }
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

async function readXlsx(data: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as never);
  } catch {
    throw new UnreadableFile('xlsx');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new UnreadableFile('xlsx');
  const rows: Cell[][] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const out: Cell[] = [];
    for (let c = 1; c <= width; c++) out.push(xlsxCell(row.getCell(c).value));
    rows.push(out);
  }
  return { rows };
}

/** RFC 4180 CSV with the delimiter guessed from the header line (`;` when it has more of them than `,`). */
export function readCsv(data: Buffer): Table {
  let text = data.toString('utf8');
  if (text.includes('\uFFFD')) throw new UnreadableFile('csv');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const delim = count(';') > count(',') ? ';' : ',';
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field === '' ? null : field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delim) {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new UnreadableFile('csv');
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return { rows };
}

// ---------------------------------------------------------------------------
// Cell values
// ---------------------------------------------------------------------------

const FORMULA_START = /^[=+\-@\t\r]/;

/** Our exports prefix text starting with = + - @ with a single quote; this undoes it. */
export function restoreText(s: string): string {
  return s.length > 1 && s[0] === "'" && FORMULA_START.test(s[1]) ? s.slice(1) : s;
}

/** The text an export writes for a value that a spreadsheet could take for a formula. */
export function neutralise(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A text cell (NFC, trimmed, neutralisation undone); null when empty. */
export function cellText(c: Cell): string | null {
  if (c === null) return null;
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  const s = restoreText(String(c).normalize('NFC').trim());
  return s === '' ? null : s;
}

/** Whether a raw cell looks like a live formula (not neutralised): never taken as data. */
export function isFormula(c: Cell): boolean {
  return typeof c === 'string' && /^\s*[=+@]/.test(c) && !/^\s*[+]?\d/.test(c);
}

/**
 * An exact decimal from a number or text: plain (`1234.5`, `-3`), Vietnamese (`1.234.567`, `1.234,5`),
 * or with comma thousands (`1,234,567.5`); spaces and a trailing "đ"/"VND" are allowed. Null: not a number.
 */
export function parseDecimalText(c: Cell): string | null {
  if (c === null || c instanceof Date) return null;
  if (typeof c === 'number') {
    if (!Number.isFinite(c)) return null;
    if (Number.isInteger(c) && !Number.isSafeInteger(c)) return null; // beyond exact: should have been text
    return numberToDecimal(c);
  }
  let s = restoreText(c.normalize('NFC').trim())
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/(đồng|đ|vnd|VND|VNĐ)$/i, '');
  let neg = false;
  if (/^\(.*\)$/.test(s)) {
    neg = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    neg = !neg;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  let int: string;
  let frac = '';
  if (/^\d+$/.test(s)) int = s;
  else if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) {
    // Vietnamese: dots group thousands, a comma marks decimals.
    const [a, b] = s.split(',');
    int = a.replace(/\./g, '');
    frac = b ?? '';
  } else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) {
    const [a, b] = s.split('.');
    int = a.replace(/,/g, '');
    frac = b ?? '';
  } else if (/^\d+,\d+$/.test(s)) [int, frac] = s.split(',');
  else if (/^\d*\.\d+$/.test(s)) [int, frac] = s.split('.');
  else return null;
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

function numberToDecimal(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Shortest round-trip text of the double, without exponent.
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/0+$/, '');
  return s.replace(/\.$/, '');
}

/** Whole VND: a decimal without fraction. */
export function parseMoney(c: Cell): string | null {
  const d = parseDecimalText(c);
  return d !== null && /^-?\d+$/.test(d) ? d : null;
}

export function parseInteger(c: Cell): number | null {
  const d = parseDecimalText(c);
  if (d === null || !/^-?\d{1,9}$/.test(d)) return null;
  return Number(d);
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A calendar date from `15/08/2025`, `15-08-2025`, `15.08.2025`, `2025-08-15`, or an xlsx date cell. */
export function parseDate(c: Cell): string | null {
  if (c === null) return null;
  if (c instanceof Date) return validDate(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate());
  if (typeof c === 'number') {
    // An Excel serial day number (1900 system).
    if (!Number.isInteger(c) || c < 1 || c > 120000) return null;
    const dt = new Date(Date.UTC(1899, 11, 30) + c * 86400000);
    return validDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  }
  const s = restoreText(c.trim());
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return validDate(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return validDate(+m[3], +m[2], +m[1]);
  return null;
}

/** A header cell reduced for matching: lower case, no diacritics, letters and digits only. */
export function headerKey(c: Cell): string {
  return (cellText(c) ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
