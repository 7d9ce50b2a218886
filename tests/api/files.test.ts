import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp } from '../support/app';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-files-'));
const t = useTestApp({ dataDir });
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake image data')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake')]);
const zip = (...entries: string[]) =>
  Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(entries.map((e) => `\0\0${e}\0data`).join(''))]);
const DOCX = zip('[Content_Types].xml', '_rels/.rels', 'word/document.xml');
const XLSX = zip('[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml');

async function upload(user: string | null, data: Buffer, filename: string, contentType = 'application/octet-stream') {
  let req = t.http.post('/files');
  if (user) req = req.set('authorization', `Bearer ${await t.token(user)}`);
  return req.attach('file', data, { filename, contentType });
}

async function download(user: string | null, id: string) {
  let req = t.http
    .get(`/files/${id}`)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  if (user) req = req.set('authorization', `Bearer ${await t.token(user)}`);
  return req;
}

describe('files', () => {
  it('stores PDF, DOCX, XLSX, PNG and JPEG by content hash, typed by their bytes', async () => {
    const cases: [Buffer, string, string][] = [
      [PDF, 'Báo cáo giám sát.pdf', 'application/pdf'],
      [DOCX, 'Báo cáo.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [XLSX, 'Số liệu.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [PNG, 'anh.png', 'image/png'],
      [JPEG, 'anh.jpg', 'image/jpeg'],
    ];
    for (const [data, name, type] of cases) {
      // The client's declared type is ignored: the bytes decide.
      const res = await upload('td.banbo', data, name, 'text/plain');
      expect([name, res.status]).toEqual([name, 201]);
      const sha256 = createHash('sha256').update(data).digest('hex');
      expect(res.body).toEqual({ id: expect.stringMatching(/^\d+$/), name, size: data.length, contentType: type, sha256 });
      expect(fs.readFileSync(path.join(dataDir, 'files', sha256.slice(0, 2), sha256))).toEqual(data);
    }
    // The same content twice: one blob, two records.
    const a = await upload('td.banbo', PDF, 'a.pdf');
    const b = await upload('td.binhlu', PDF, 'b.pdf');
    expect(a.body.sha256).toBe(b.body.sha256);
    expect(a.body.id).not.toBe(b.body.id);
    const audit = await t.db<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE operation = 'uploadFile' AND outcome = 'SUCCESS'`);
    expect(Number(audit[0].n)).toBe(7);
  });

  it('accepts a UTF-8 CSV named .csv, and refuses binary bytes under that name', async () => {
    const csv = await upload(
      'td.banbo',
      Buffer.from('\ufeffMã đơn vị;Năm;Số tiền\nTAMDUONG.BANBO;2024;1.234.567\n'),
      'phan-bo.csv',
      'text/csv',
    );
    expect(csv.status).toBe(201);
    expect(csv.body.contentType).toBe('text/csv');
    const binary = await upload('td.banbo', Buffer.from([0x00, 0x01, 0x02, 0xff]), 'data.csv', 'text/csv');
    expect(binary.status).toBe(415);
    // The same text without the .csv name is not accepted: text has no magic number.
    expect((await upload('td.banbo', Buffer.from('a,b\n1,2\n'), 'notes.txt', 'text/plain')).status).toBe(415);
  });

  it('refuses other content, empty and oversized files, anonymous callers and viewers', async () => {
    const text = await upload('td.banbo', Buffer.from('hello, not a pdf'), 'fake.pdf', 'application/pdf');
    expect(text.status).toBe(415);
    expect(text.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A zip that is not an Office document.
    expect((await upload('td.banbo', zip('readme.txt'), 'x.docx')).status).toBe(415);
    expect((await upload('td.banbo', Buffer.alloc(0), 'empty.pdf')).status).toBe(400);
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]);
    const tooBig = await upload('td.banbo', big, 'big.pdf');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // Exactly 20 MB is accepted.
    const limit = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024 - PDF.length)]);
    expect((await upload('td.banbo', limit, 'limit.pdf')).status).toBe(201);
    expect((await upload(null, PDF, 'a.pdf')).status).toBe(401);
    expect((await upload('td.viewer', PDF, 'a.pdf')).status).toBe(403);
    const noFile = await t.http
      .post('/files')
      .set('authorization', `Bearer ${await t.token('td.banbo')}`)
      .field('x', 'y');
    expect(noFile.status).toBe(400);
  });

  it('serves a file with a token and within scope, and attaches it to reports', async () => {
    const up = await upload('td.banbo', PNG, 'Ảnh hiện trường.png');
    const id = up.body.id;
    const own = await download('td.banbo', id);
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Ảnh hiện trường.png')}`);
    expect(own.body).toEqual(PNG);
    // The district's agencies read inside their scope; another commune does not even learn it exists.
    expect((await download('td.health', id)).status).toBe(200);
    expect((await download('admin', id)).status).toBe(200);
    expect((await download('td.binhlu', id)).status).toBe(404);
    expect((await download(null, id)).status).toBe(401);
    expect((await download('td.banbo', '99999999')).status).toBe(404);

    // Attach to Bản Bo's semiannual report; Bình Lư cannot attach Bản Bo's file to its own.
    const programId = (await t.db<{ id: string }>(`SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'`))[0].id;
    const gen = await t.as(
      'COORDINATOR',
      `mutation($p: ID!) { generateObligations(programId: $p, year: 2024) { id type submitter { code } } }`,
      { p: programId },
    );
    const obl = (code: string) =>
      gen.data.generateObligations.find((o: any) => o.type === 'MONITORING_SEMIANNUAL' && o.submitter.code === code);
    const SAVE = `mutation($i: SaveReportInput!) { saveReport(input: $i) { id version attachments { id name size contentType sha256 } } }`;
    const mine = await t.as('COMMUNE_OFFICER', SAVE, { i: { obligationId: obl('TAMDUONG.BANBO').id, attachmentIds: [id] } });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.saveReport.attachments).toEqual([
      { id, name: 'Ảnh hiện trường.png', size: PNG.length, contentType: 'image/png', sha256: up.body.sha256 },
    ]);
    const theirs = await t.as({ token: await t.token('td.binhlu') }, SAVE, {
      i: { obligationId: obl('TAMDUONG.BINHLU').id, attachmentIds: [id] },
    });
    expect(codeOf(theirs)).toBe('BAD_USER_INPUT');
    // Removing attachments: an empty list.
    const cleared = await t.as('COMMUNE_OFFICER', SAVE, {
      i: { obligationId: obl('TAMDUONG.BANBO').id, version: mine.data.saveReport.version, attachmentIds: [] },
    });
    expect(cleared.data.saveReport.attachments).toEqual([]);
  });
});
