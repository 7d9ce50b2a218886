import fs from 'node:fs';
import express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import { authenticate } from '../../auth/tokens';
import { Role, type Caller } from '../../auth/roles';
import { sql } from '../../db/sql';
import { transactional } from '../../db/transactional';
import { blobPath, findReadableFile, MAX_FILE_BYTES, sniffContentType, storeFile } from './file.service';

type Lang = 'vi' | 'en';
const langOf = (h: string | undefined): Lang => (h && /^\s*en\b/i.test(h) ? 'en' : 'vi');

function fail(res: express.Response, lang: Lang, status: number, code: string, vi: string, en: string) {
  res.status(status).json({ errors: [{ message: lang === 'en' ? en : vi, extensions: { code } }] });
}

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

/** A small multipart/form-data reader for one upload held in memory (at most 20 MB). */
export function parseMultipart(body: Buffer, contentType: string): Part[] | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return null;
  const delimiter = Buffer.from(`--${(m[1] ?? m[2]).trim()}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') break;
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') return null;
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return null;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return null;
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const star = /\bfilename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
    const plain = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const filename = star ? decodeURIComponent(star) : plain;
    parts.push({ name, filename, data: body.subarray(headerEnd + 4, next) });
    pos = next + 2;
  }
  return parts;
}

async function callerOf(orm: MikroORM, req: express.Request, res: express.Response, lang: Lang): Promise<Caller | null> {
  const { caller, refusal } = await authenticate(orm.em.fork(), req.header('authorization'));
  if (!caller) {
    const msg = refusal ?? { vi: 'Cần đăng nhập', en: 'Authentication required' };
    fail(res, lang, 401, 'UNAUTHENTICATED', msg.vi, msg.en);
    return null;
  }
  return caller;
}

const WRITERS = new Set<Role>([Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER]);

/** POST /files (multipart, Bearer token) and GET /files/:id (Bearer token, scope of the records using it). */
export function registerFileRoutes(app: express.Express, orm: MikroORM, config: Config): void {
  app.post('/files', express.raw({ type: 'multipart/form-data', limit: MAX_FILE_BYTES + 64 * 1024 }), async (req, res, next) => {
    const lang = langOf(req.header('accept-language'));
    try {
      const caller = await callerOf(orm, req, res, lang);
      if (!caller) return;
      if (caller.kind !== 'user' || !WRITERS.has(caller.role)) {
        return fail(res, lang, 403, 'FORBIDDEN', 'Bạn không có quyền tải tệp lên', 'You are not allowed to upload files');
      }
      const parts = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.header('content-type') ?? '') : null;
      const part = parts?.find((p) => p.filename !== undefined);
      if (!part)
        return fail(res, lang, 400, 'BAD_USER_INPUT', 'Cần gửi một tệp (multipart/form-data)', 'Send one file as multipart/form-data');
      if (part.data.length > MAX_FILE_BYTES) return fail(res, lang, 413, 'BAD_USER_INPUT', 'Tệp vượt quá 20 MB', 'The file exceeds 20 MB');
      if (part.data.length === 0) return fail(res, lang, 400, 'BAD_USER_INPUT', 'Tệp rỗng', 'The file is empty');
      const contentType = sniffContentType(part.data, part.filename);
      if (!contentType) {
        return fail(
          res,
          lang,
          415,
          'BAD_USER_INPUT',
          'Chỉ nhận tệp PDF, DOCX, XLSX, CSV, PNG, JPEG',
          'Only PDF, DOCX, XLSX, CSV, PNG and JPEG files are accepted',
        );
      }
      const em = orm.em.fork();
      const stored = await transactional(em, async (tx) => {
        const f = await storeFile(tx as never, config.dataDir, {
          name: part.filename ?? 'file',
          contentType,
          data: part.data,
          unitId: caller.homeUnitId,
          userId: caller.userId,
        });
        await sql(
          tx as never,
          `INSERT INTO audit_event (at, actor_id, operation, entity_type, entity_id, unit_id, after, details, request_id, outcome)
           VALUES (clock_timestamp(), ?, 'uploadFile', 'StoredFile', ?, ?, ?::jsonb, '{}'::jsonb, ?, 'SUCCESS')`,
          [caller.userId, f.id, caller.homeUnitId, JSON.stringify(f), (req.header('x-request-id') || f.sha256).slice(0, 100)],
        );
        return f;
      });
      res.status(201).json(stored);
    } catch (e) {
      next(e);
    }
  });

  app.get('/files/:id', async (req, res, next) => {
    const lang = langOf(req.header('accept-language'));
    try {
      const caller = await callerOf(orm, req, res, lang);
      if (!caller) return;
      const file = await findReadableFile(orm.em.fork(), caller, String(req.params.id));
      const blob = file ? blobPath(config.dataDir, file.sha256) : null;
      if (!file || !blob || !fs.existsSync(blob)) return fail(res, lang, 404, 'NOT_FOUND', 'Không tìm thấy tệp', 'File not found');
      res.setHeader('content-type', file.contentType);
      res.setHeader('content-length', String(file.size));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      fs.createReadStream(blob).on('error', next).pipe(res);
    } catch (e) {
      next(e);
    }
  });

  // Oversized bodies and malformed requests answer in the API's error shape.
  app.use('/files', (err: { type?: string; status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const lang = langOf(req.header('accept-language'));
    if (err?.type === 'entity.too.large' || err?.status === 413)
      return fail(res, lang, 413, 'BAD_USER_INPUT', 'Tệp vượt quá 20 MB', 'The file exceeds 20 MB');
    console.error('[files]', err);
    return fail(res, lang, 500, 'INTERNAL_SERVER_ERROR', 'Lỗi máy chủ nội bộ', 'Internal server error');
  });
}
