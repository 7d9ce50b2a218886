import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../auth/roles';
import type { Role } from '../../auth/roles';
import { cellText, headerKey, isFormula, parseDate, parseDecimalText, parseInteger, parseMoney, type Cell } from './import.parse';
import { ImportAction } from './import.types';

/** A column of an import kind: its key (also its English header) and the Vietnamese headers it accepts. */
export interface ColumnSpec {
  key: string;
  /** Vietnamese header written by exports (first) and other accepted spellings. */
  labels: string[];
  required?: boolean;
  /** Read-only columns of our exports (names, totals): accepted and not read. */
  ignored?: boolean;
}

export interface RowError {
  row: number | null;
  column: string | null;
  value: string | null;
  vi: string;
  en: string;
}

export type Progress = (phase: string, done: number, total: number) => void;

/** State of one import run, shared by the kind handlers. */
export class ImportRun {
  readonly errors: RowError[] = [];
  readonly actions = new Map<number, ImportAction>();
  created = 0;
  updated = 0;
  unchanged = 0;
  private readonly bad = new Set<number>();

  constructor(
    readonly em: EntityManager,
    readonly caller: Caller,
    readonly dryRun: boolean,
    readonly fileName: string,
    readonly progress: Progress = () => undefined,
  ) {}

  error(row: number | null, column: string | null, value: unknown, vi: string, en: string): void {
    if (row !== null) this.bad.add(row);
    this.errors.push({
      row,
      column,
      value: value === null || value === undefined ? null : String(value instanceof Date ? value.toISOString().slice(0, 10) : value),
      vi,
      en,
    });
  }

  /** Progress of a row loop, every 2,000 rows. */
  tick(phase: string, done: number, total: number): void {
    if (done % 2000 === 0) this.progress(phase, done, total);
  }

  isBad(row: number): boolean {
    return this.bad.has(row);
  }

  act(row: number, action: ImportAction): void {
    this.actions.set(row, action);
    if (action === ImportAction.CREATE) this.created++;
    else if (action === ImportAction.UPDATE) this.updated++;
    else this.unchanged++;
  }

  get writable(): boolean {
    return !this.dryRun && this.errors.length === 0;
  }

  get userId(): string | null {
    return this.caller.userId ?? null;
  }
}

/** One data row, read through the kind's columns; bad values are recorded as row errors and read as null. */
export class RowReader {
  constructor(
    private readonly run: ImportRun,
    readonly row: number,
    private readonly cells: Cell[],
    private readonly index: Map<string, number>,
  ) {}

  raw(key: string): Cell {
    const i = this.index.get(key);
    return i === undefined ? null : (this.cells[i] ?? null);
  }

  private fail(key: string, vi: string, en: string): null {
    this.run.error(this.row, key, this.raw(key), vi, en);
    return null;
  }

  private present(key: string, required: boolean): boolean {
    const c = this.raw(key);
    if (c === null || (typeof c === 'string' && c.trim() === '')) {
      if (required) this.fail(key, 'Bắt buộc nhập', 'Required');
      return false;
    }
    if (isFormula(c)) {
      this.fail(key, 'Ô chứa công thức; chỉ nhận giá trị', 'The cell holds a formula; only values are accepted');
      return false;
    }
    return true;
  }

  text(key: string, required = false, max = 500): string | null {
    if (!this.present(key, required)) return null;
    const s = cellText(this.raw(key));
    if (s !== null && s.length > max) return this.fail(key, `Tối đa ${max} ký tự`, `At most ${max} characters`);
    return s;
  }

  money(key: string, required = true, allowNegative = false): string | null {
    if (!this.present(key, required)) return null;
    const v = parseMoney(this.raw(key));
    if (v === null) return this.fail(key, 'Số tiền không hợp lệ (đồng, số nguyên)', 'Invalid amount (whole VND)');
    if (v.replace('-', '').length > 28) return this.fail(key, 'Số tiền quá lớn', 'The amount is too large');
    if (!allowNegative && v.startsWith('-')) return this.fail(key, 'Số tiền không được âm', 'The amount must not be negative');
    return v;
  }

  decimal(key: string, required = false): string | null {
    if (!this.present(key, required)) return null;
    const v = parseDecimalText(this.raw(key));
    if (v === null) return this.fail(key, 'Số không hợp lệ', 'Invalid number');
    if (v.replace(/[-.]/g, '').length > 40) return this.fail(key, 'Số quá lớn', 'The number is too large');
    return v;
  }

  int(key: string, required = true, min = -2147483648, max = 2147483647): number | null {
    if (!this.present(key, required)) return null;
    const v = parseInteger(this.raw(key));
    if (v === null || v < min || v > max)
      return this.fail(key, `Phải là số nguyên từ ${min} đến ${max}`, `Must be a whole number from ${min} to ${max}`);
    return v;
  }

  date(key: string, required = true): string | null {
    if (!this.present(key, required)) return null;
    const v = parseDate(this.raw(key));
    if (v === null) return this.fail(key, 'Ngày không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)', 'Invalid date (dd/mm/yyyy or yyyy-mm-dd)');
    return v;
  }

  /** An enum by its code or one of its Vietnamese names. */
  oneOf<T extends string>(key: string, values: Record<string, T>, required = true): T | null {
    if (!this.present(key, required)) return null;
    const k = headerKey(this.raw(key));
    const found = values[k];
    if (!found) return this.fail(key, 'Giá trị không hợp lệ', 'Invalid value');
    return found;
  }
}

/** Maps codes and Vietnamese names of an enum, reduced like headers, to its values. */
export function enumLookup<T extends string>(entries: Record<T, string[]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [value, names] of Object.entries(entries) as [T, string[]][]) {
    for (const n of [value, ...names]) out[headerKey(n)] = value;
  }
  return out;
}

/** Reads the header row: the index of each known column; unknown and missing columns are errors. */
export function mapHeader(run: ImportRun, header: Cell[], columns: ColumnSpec[]): Map<string, number> | null {
  const byKey = new Map<string, ColumnSpec>();
  for (const c of columns) for (const l of [c.key, ...c.labels]) byKey.set(headerKey(l), c);
  const index = new Map<string, number>();
  let ok = true;
  header.forEach((cell, i) => {
    const k = headerKey(cell);
    if (!k) return;
    const spec = byKey.get(k);
    if (!spec) {
      ok = false;
      run.error(1, cellText(cell), cellText(cell), 'Cột không được nhận', 'Unknown column');
      return;
    }
    if (index.has(spec.key)) {
      ok = false;
      run.error(1, spec.key, cellText(cell), 'Cột bị lặp', 'Duplicate column');
      return;
    }
    if (!spec.ignored) index.set(spec.key, i);
  });
  for (const c of columns) {
    if (c.required && !index.has(c.key)) {
      ok = false;
      run.error(1, c.key, null, `Thiếu cột "${c.labels[0]}" (${c.key})`, `Missing column "${c.key}"`);
    }
  }
  return ok ? index : null;
}

/** A kind of import: its columns, who may run it, and the set-wise check-and-write. */
export interface ImportHandler {
  columns: ColumnSpec[];
  roles: Role[];
  entityType: string;
  run(run: ImportRun, rows: RowReader[]): Promise<void>;
}

/** Marks later rows that repeat an earlier row's natural key. */
export function flagDuplicates<T>(
  run: ImportRun,
  items: T[],
  rowOf: (t: T) => number,
  keyOf: (t: T) => string,
  column: string,
  valueOf: (t: T) => string,
): T[] {
  const first = new Map<string, number>();
  const out: T[] = [];
  for (const it of items) {
    const k = keyOf(it);
    const seen = first.get(k);
    if (seen !== undefined) {
      run.error(rowOf(it), column, valueOf(it), `Trùng với dòng ${seen} trong tệp`, `Duplicates row ${seen} of the file`);
      continue;
    }
    first.set(k, rowOf(it));
    out.push(it);
  }
  return out;
}
