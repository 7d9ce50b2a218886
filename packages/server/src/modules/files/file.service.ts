import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../../db/sql';
import { isAdmin, type Caller } from '../../auth/roles';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface StoredFileRow {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/** Plain UTF-8 text without control characters other than tab and line breaks (a CSV export from Excel or LibreOffice). */
function isUtf8Text(buf: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text);
  } catch {
    return false;
  }
}

/**
 * The content type told by the bytes themselves (never by the client's header); null: not accepted.
 * Text has no magic number, so a CSV is accepted when its name says .csv and its bytes are UTF-8 text.
 */
export function sniffContentType(buf: Buffer, name?: string): string | null {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML: a zip whose entry names (stored uncompressed in the headers) say what it is.
    if (!buf.includes('[Content_Types].xml')) return null;
    if (buf.includes('word/document.xml')) return DOCX;
    if (buf.includes('xl/workbook.xml')) return XLSX;
  }
  if (name && /\.csv$/i.test(name) && isUtf8Text(buf)) return 'text/csv';
  return null;
}

const fileDir = (dataDir: string) => path.join(dataDir, 'files');
export const blobPath = (dataDir: string, sha256: string) => path.join(fileDir(dataDir), sha256.slice(0, 2), sha256);

/**
 * Stores bytes under DATA_DIR by sha256 (one copy per content) and records the file. Other modules
 * (exports) use it for generated files too; runs in the caller's transaction when `em` has one.
 */
export async function storeFile(
  em: EntityManager,
  dataDir: string,
  file: { name: string; contentType: string; data: Buffer; unitId: string | null; userId: string | null },
): Promise<StoredFileRow> {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const target = blobPath(dataDir, sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const exists = await fs.stat(target).then(
    (s) => s.size === file.data.length,
    () => false,
  );
  if (!exists) {
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, file.data);
    await fs.rename(tmp, target);
  }
  // Path separators and control characters never reach a download's file name.
  const name =
    [...file.name.normalize('NFC').trim()]
      .map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 ? '_' : c))
      .join('')
      .slice(0, 255) || 'file';
  const [row] = await sql<{ id: string }>(
    em,
    'INSERT INTO stored_file (name, size, content_type, sha256, unit_id, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id::text',
    [name, file.data.length, file.contentType, sha256, file.unitId, file.userId, file.userId],
  );
  return { id: row.id, name, size: file.data.length, contentType: file.contentType, sha256 };
}

/**
 * A file is readable by its uploader, inside the scope of the unit it was uploaded from, and wherever a
 * report using it is readable (the obligation's submitter and recipients).
 */
export async function findReadableFile(em: EntityManager, caller: Caller, id: string): Promise<StoredFileRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const scope = isAdmin(caller) ? null : caller.scopePath;
  if (!isAdmin(caller) && !scope) return null;
  const row = await sqlOne<StoredFileRow>(
    em,
    `SELECT f.id::text, f.name, f.size, f.content_type AS "contentType", f.sha256 FROM stored_file f
     WHERE f.id = ? AND f.archived_at IS NULL AND (
       ?::text IS NULL
       OR f.created_by = ?
       OR EXISTS (SELECT 1 FROM unit u WHERE u.id = f.unit_id AND u.path LIKE ?)
       OR EXISTS (
         SELECT 1 FROM report_attachment ra JOIN report r ON r.id = ra.report_id JOIN reporting_obligation o ON o.id = r.obligation_id
         JOIN unit u ON u.id = o.submitter_id OR u.id IN (SELECT x.unit_id FROM reporting_obligation_recipient x WHERE x.obligation_id = o.id)
         WHERE ra.file_id = f.id AND u.path LIKE ?))`,
    [id, scope, caller.userId, `${scope}%`, `${scope}%`],
  );
  return row ?? null;
}
