import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx, Lang } from '../../graphql/context';
import type { Caller } from '../../auth/roles';
import { forbidden, notFound } from '../../common/errors';
import { blobPath, findReadableFile } from '../files/file.service';
import { ImportRun, RowReader, mapHeader, type ImportHandler, type Progress } from './import.core';
import { readTable, UnreadableFile, type Cell } from './import.parse';
import { allocationsImport, disbursementsImport } from './import.funding';
import { indicatorValuesImport } from './import.indicators';
import { unitsImport } from './import.units';
import { ImportKind, ImportResult } from './import.types';

export const HANDLERS: Record<ImportKind, ImportHandler> = {
  [ImportKind.UNITS]: unitsImport,
  [ImportKind.ALLOCATIONS]: allocationsImport,
  [ImportKind.DISBURSEMENTS]: disbursementsImport,
  [ImportKind.INDICATOR_VALUES]: indicatorValuesImport,
};

/** At most this many errors are listed; a last one tells how many more there were. */
const MAX_ERRORS = 1000;

const emptyRow = (cells: Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

export interface ImportInput {
  em: EntityManager;
  caller: Caller;
  lang: Lang;
  kind: ImportKind;
  dryRun: boolean;
  data: Buffer;
  fileName: string;
  progress?: Progress;
}

/**
 * Checks every row of a file and, on a real run without errors, writes them all set-wise in the
 * caller's transaction (all or nothing). Shared by importFile and the command line.
 */
export async function runImport(input: ImportInput): Promise<ImportResult> {
  const handler = HANDLERS[input.kind];
  if (input.caller.kind !== 'user' || !handler.roles.includes(input.caller.role)) throw forbidden();
  const run = new ImportRun(input.em, input.caller, input.dryRun, input.fileName, input.progress);
  try {
    input.progress?.('read', 0, 1);
    const table = await readTable(input.data);
    input.progress?.('read', 1, 1);
    const header = table.rows[0] ?? [];
    const index = mapHeader(run, header, handler.columns);
    if (index) {
      const rows: RowReader[] = [];
      for (let i = 1; i < table.rows.length; i++) {
        if (!emptyRow(table.rows[i])) rows.push(new RowReader(run, i + 1, table.rows[i], index));
      }
      if (!rows.length && !run.errors.length) run.error(null, null, null, 'Tệp không có dòng dữ liệu', 'The file has no data rows');
      input.progress?.('check', 0, rows.length);
      await handler.run(run, rows);
      input.progress?.('done', 1, 1);
    }
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    run.error(
      null,
      null,
      input.fileName,
      'Không đọc được tệp (tệp hỏng, bị cắt cụt hoặc không phải .xlsx/.csv UTF-8)',
      'The file cannot be read (damaged, truncated, or not .xlsx / UTF-8 .csv)',
    );
  }
  const errors = [...run.errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const shown = errors
    .slice(0, MAX_ERRORS)
    .map((e) => ({ row: e.row, column: e.column, value: e.value, message: input.lang === 'en' ? e.en : e.vi }));
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    shown.push({ row: null, column: null, value: null, message: input.lang === 'en' ? `and ${more} more errors` : `và ${more} lỗi khác` });
  }
  const committed = run.writable;
  const result = new ImportResult();
  Object.assign(result, {
    created: run.created,
    updated: run.updated,
    unchanged: run.unchanged,
    errors: shown,
    committed,
    rows: [...run.actions.entries()].sort((a, b) => a[0] - b[0]).map(([row, action]) => ({ row, action })),
  });
  return result;
}

/** importFile: the file must be readable by the caller; one audit event with the file hash and counts. */
export async function importFile(ctx: Ctx, fileId: string, kind: ImportKind, dryRun: boolean): Promise<ImportResult> {
  const caller = ctx.caller;
  if (!caller || caller.kind !== 'user' || !HANDLERS[kind].roles.includes(caller.role)) throw forbidden();
  const file = await findReadableFile(ctx.em, caller, fileId);
  if (!file) throw notFound({ vi: 'Không tìm thấy tệp', en: 'File not found' });
  ctx.audit = {
    entityType: HANDLERS[kind].entityType,
    entityId: null,
    details: { fileId: file.id, fileName: file.name, sha256: file.sha256, kind, dryRun },
  };
  let data: Buffer;
  try {
    data = await fs.readFile(blobPath(ctx.config.dataDir, file.sha256));
  } catch {
    throw notFound({ vi: 'Không tìm thấy nội dung tệp', en: 'File content not found' });
  }
  if (createHash('sha256').update(data).digest('hex') !== file.sha256)
    throw notFound({ vi: 'Nội dung tệp không khớp', en: 'File content does not match' });
  const result = await runImport({ em: ctx.em, caller, lang: ctx.lang, kind, dryRun, data, fileName: file.name });
  const counts = {
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    errors: result.errors.length,
    committed: result.committed,
  };
  ctx.audit.details = { ...ctx.audit.details, ...counts };
  ctx.audit.after = counts;
  return result;
}
