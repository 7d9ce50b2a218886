import { createRequire } from 'node:module';
import path from 'node:path';
import type * as ExcelJSModule from '../../packages/server/node_modules/exceljs';
import type { TestApp } from './app';

/** exceljs and its jszip, from the server package (the tests package does not depend on them); tests run from the repository root. */
const requireServer = createRequire(path.resolve('packages/server/package.json'));
export const ExcelJS = requireServer('exceljs') as typeof ExcelJSModule;
export const JSZip = createRequire(requireServer.resolve('exceljs'))('jszip') as {
  loadAsync(data: Buffer): Promise<{ file(name: string): { async(kind: 'string'): Promise<string> } | null }>;
};

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

/** POST /files as multipart. */
export async function upload(t: TestApp, token: string, name: string, data: Buffer): Promise<{ status: number; body: any }> {
  const res = await t.http.post('/files').set('authorization', `Bearer ${token}`).attach('file', data, name);
  return { status: res.status, body: res.body };
}

/** GET /files/:id as bytes. */
export async function download(t: TestApp, token: string, id: string): Promise<{ status: number; data: Buffer; type: string }> {
  const res = await t.http
    .get(`/files/${id}`)
    .set('authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { status: res.status, data: res.body as Buffer, type: String(res.headers['content-type']) };
}

/** An .xlsx with one sheet of the given rows (the header first). */
export async function xlsx(rows: (string | number | Date | null | { formula: string })[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r as never[]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function readXlsx(data: Buffer): Promise<(string | number | Date | null)[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as never);
  const ws = wb.worksheets[0];
  const out: (string | number | Date | null)[][] = [];
  ws.eachRow({ includeEmpty: true }, (row: ExcelJSModule.Row) => {
    const cells: (string | number | Date | null)[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value as unknown;
      cells.push(v === undefined ? null : (v as string | number | Date | null));
    }
    out.push(cells);
  });
  return out;
}

/** A .docx's body text (word/document.xml without tags, paragraphs on lines). */
export async function docxText(data: Buffer): Promise<{ xml: string; text: string }> {
  const zip = await JSZip.loadAsync(data);
  const xml = (await zip.file('word/document.xml')!.async('string')) as string;
  const unescape = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  // A table row is one line with its cells ended by tabs; each paragraph elsewhere is a line.
  const text = unescape(
    xml
      .replace(/<w:tc>[\s\S]*?<\/w:tc>/g, (cell) => `${unescape(cell.replace(/<\/w:p>/g, ' ')).trim()}\t`)
      .replace(/<\/w:tr>/g, '\n')
      .replace(/<\/w:p>/g, '\n'),
  );
  return { xml, text };
}
