import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, type GraphQLField } from 'graphql';
import { buildAppSchema } from '../../packages/server/src/graphql/schema';
import { codeOf, useTestApp } from '../support/app';
import { docxText, download, ExcelJS, readXlsx, upload, xlsx } from '../support/files';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-export-'));
const t = useTestApp({ dataDir });

const EXPORT =
  'mutation($l: String!, $f: JSON, $fmt: ExportFormat!) { exportList(list: $l, filter: $f, format: $fmt) { id name size contentType sha256 } }';
const EXPORT_REPORT =
  'mutation($r: ID!, $fmt: ExportFormat!) { exportReport(reportId: $r, format: $fmt) { id name size contentType sha256 } }';
const IMPORT =
  'mutation($f: ID!, $k: ImportKind!, $d: Boolean!) { importFile(fileId: $f, kind: $k, dryRun: $d) { created updated unchanged committed errors { row column message } } }';

async function fetchExport(role: Parameters<typeof t.as>[0], query: string, vars: Record<string, unknown>, token: string) {
  const r = await t.as(role, query, vars);
  expect(r.errors).toBeUndefined();
  const file = Object.values(r.data)[0] as { id: string; name: string; size: number; contentType: string; sha256: string };
  const got = await download(t, token, file.id);
  expect(got.status).toBe(200);
  expect(got.data.length).toBe(file.size);
  return { file, data: got.data };
}

/**
 * Funding of Bản Bo in 2021 (the demo ledger starts in 2022), golden by hand. By project and source:
 *   DA2 / CENTRAL_RECURRENT   1,500,000,000  1,200,000,000  300,000,000  0.2500
 *   DA2 / LOCAL_BUDGET          200,000,000    150,000,000  150,000,000  1.0000
 *   DA3 / CENTRAL_RECURRENT     900,000,000    900,000,000   25,000,000  0.0278  (DA3.TDA1 800 M + DA3.TDA2 100 M)
 *   total                     2,600,000,000  2,250,000,000  475,000,000  0.2111
 * Bình Lư's 999,000,000 must not show in Bản Bo's report.
 */
async function seedFunding() {
  await t.db(
    `INSERT INTO funding_allocation (component_id, unit_id, year, source, planned_amount, allocated_amount, disbursed_amount, decision_ref)
     SELECT c.id, u.id, 2021, x.s::funding_source, x.p, x.a, x.d, 'QĐ 2021'
     FROM (VALUES ('DA2', 'TAMDUONG.BANBO', 'CENTRAL_RECURRENT', 1500000000, 1200000000, 300000000),
                  ('DA2', 'TAMDUONG.BANBO', 'LOCAL_BUDGET', 200000000, 150000000, 150000000),
                  ('DA3.TDA1', 'TAMDUONG.BANBO', 'CENTRAL_RECURRENT', 800000000, 800000000, 0),
                  ('DA3.TDA2', 'TAMDUONG.BANBO', 'CENTRAL_RECURRENT', 100000000, 100000000, 25000000),
                  ('DA2', 'TAMDUONG.BINHLU', 'CENTRAL_RECURRENT', 999000000, 999000000, 0)) x(c, u, s, p, a, d)
     JOIN program_component c ON c.code = x.c JOIN unit u ON u.code = x.u`,
  );
  // DA2.MOHINH in Bản Bo 2021: baseline 1, target 5, actual 3 → achievement (3 − 1)/(5 − 1) = 0.5
  await t.db(
    `INSERT INTO indicator_value (indicator_id, unit_id, year, period, value)
     SELECT i.id, u.id, 2021, 'YEAR', 3 FROM indicator i, unit u WHERE i.code = 'DA2.MOHINH' AND u.code = 'TAMDUONG.BANBO'`,
  );
  await t.db(
    `INSERT INTO indicator_target (indicator_id, unit_id, year, baseline, target)
     SELECT i.id, u.id, 2021, 1, 5 FROM indicator i, unit u WHERE i.code = 'DA2.MOHINH' AND u.code = 'TAMDUONG.BANBO'`,
  );
}

describe('exportList', () => {
  beforeAll(seedFunding);

  it('exports units as CSV (UTF-8 with BOM) for any signed-in reader', async () => {
    const { file, data } = await fetchExport(
      'VIEWER',
      EXPORT,
      { l: 'units', f: { code: { startsWith: 'TAMDUONG.B' }, kind: { eq: 'COMMUNE' } }, fmt: 'CSV' },
      await t.tokenOf('VIEWER'),
    );
    expect(file.contentType).toMatch(/^text\/csv/);
    expect(file.name).toMatch(/^don-vi-\d{8}\.csv$/);
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = data.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toEqual([
      'Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến',
      'TAMDUONG.BANBO,Xã Bản Bo,COMMUNE,LAICHAU.TAMDUONG,,2025-06-30',
      'TAMDUONG.BANGIANG,Xã Bản Giang,COMMUNE,LAICHAU.TAMDUONG,,2025-06-30',
      'TAMDUONG.BANHON,Xã Bản Hon,COMMUNE,LAICHAU.TAMDUONG,,2025-06-30',
      'TAMDUONG.BINHLU,Xã Bình Lư,COMMUNE,LAICHAU.TAMDUONG,,2025-06-30',
    ]);
  });

  it("exports allocations as .xlsx with the list filter and the caller's scope, amounts as numbers", async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    const { data } = await fetchExport(
      'COMMUNE_OFFICER',
      EXPORT,
      { l: 'fundingAllocations', f: { year: { eq: 2021 } }, fmt: 'XLSX' },
      token,
    );
    const rows = await readXlsx(data);
    expect(rows[0]).toEqual([
      'Mã dự án',
      'Tên dự án',
      'Mã đơn vị',
      'Tên đơn vị',
      'Năm',
      'Nguồn vốn',
      'Kế hoạch vốn',
      'Vốn được giao',
      'Đã giải ngân',
      'Số quyết định',
    ]);
    // td.banbo sees Bản Bo only: Bình Lư's line is outside the scope.
    expect(rows.slice(1).map((r) => [r[0], r[2], r[4], r[5], r[6], r[7], r[8]])).toEqual([
      ['DA2', 'TAMDUONG.BANBO', 2021, 'CENTRAL_RECURRENT', 1500000000, 1200000000, 300000000],
      ['DA2', 'TAMDUONG.BANBO', 2021, 'LOCAL_BUDGET', 200000000, 150000000, 150000000],
      ['DA3.TDA1', 'TAMDUONG.BANBO', 2021, 'CENTRAL_RECURRENT', 800000000, 800000000, 0],
      ['DA3.TDA2', 'TAMDUONG.BANBO', 2021, 'CENTRAL_RECURRENT', 100000000, 100000000, 25000000],
    ]);
    // The coordinator's district scope includes Bình Lư: 5 lines.
    const all = await fetchExport(
      'COORDINATOR',
      EXPORT,
      { l: 'fundingAllocations', f: { year: { eq: 2021 } }, fmt: 'XLSX' },
      await t.tokenOf('COORDINATOR'),
    );
    expect((await readXlsx(all.data)).length).toBe(6);
  });

  it('writes amounts over 15 digits as text, neutralises formula-like text, and imports it back unchanged', async () => {
    await t.db(
      `INSERT INTO funding_allocation (component_id, unit_id, year, source, planned_amount, allocated_amount, disbursed_amount, decision_ref)
       SELECT c.id, u.id, 2022, 'MOBILIZED', 1234567890123456789, 999999999999999, 0, '=HYPERLINK("http://x")'
       FROM program_component c, unit u WHERE c.code = 'DA2' AND u.code = 'TAMDUONG.BANBO'`,
    );
    const token = await t.tokenOf('COORDINATOR');
    const { data } = await fetchExport(
      'COORDINATOR',
      EXPORT,
      { l: 'fundingAllocations', f: { source: { eq: 'MOBILIZED' } }, fmt: 'XLSX' },
      token,
    );
    const rows = await readXlsx(data);
    expect(rows).toHaveLength(2);
    expect(rows[1][6]).toBe('1234567890123456789'); // 19 digits: text, exact
    expect(rows[1][7]).toBe(999999999999999); // 15 digits: a number
    expect(rows[1][9]).toBe('\'=HYPERLINK("http://x")');
    const csv = await fetchExport(
      'COORDINATOR',
      EXPORT,
      { l: 'fundingAllocations', f: { source: { eq: 'MOBILIZED' } }, fmt: 'CSV' },
      token,
    );
    expect(csv.data.toString('utf8')).toContain(',1234567890123456789,999999999999999,0,"\'=HYPERLINK(""http://x"")"');

    const up = await upload(t, token, 'mobilized.xlsx', data);
    expect(up.status).toBe(201);
    const r = await t.as('COORDINATOR', IMPORT, { f: up.body.id, k: 'ALLOCATIONS', d: false });
    expect(r.data.importFile).toEqual({ created: 0, updated: 0, unchanged: 1, committed: true, errors: [] });
  });

  it('refuses unknown lists, Word for lists and unknown filter fields; audits each export', async () => {
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'secrets', fmt: 'XLSX' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'units', fmt: 'DOCX' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'units', f: { password: { eq: 'x' } }, fmt: 'CSV' }))).toBe('BAD_USER_INPUT');
    const events = await t.db<{ outcome: string; entity_type: string; details: any }>(
      "SELECT outcome, entity_type, details FROM audit_event WHERE operation = 'exportList' ORDER BY id",
    );
    expect(events.map((e) => e.outcome)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(events[0]).toMatchObject({ entity_type: 'StoredFile', details: { list: 'units', format: 'CSV', rows: 4 } });
  });
  it('exports summaries with their arguments as the filter', async () => {
    const { data } = await fetchExport(
      'COORDINATOR',
      EXPORT,
      { l: 'fundingSummary', f: { filter: { year: { eq: 2021 } }, groupBy: ['UNIT'] }, fmt: 'XLSX' },
      await t.tokenOf('COORDINATOR'),
    );
    const rows = await readXlsx(data);
    expect(rows[0]).toEqual(['Mã đơn vị', 'Đơn vị', 'Kế hoạch vốn', 'Vốn được giao', 'Đã giải ngân', 'Tỷ lệ giải ngân']);
    // Bản Bo: see seedFunding; Bình Lư: 999,000,000 allocated, nothing disbursed.
    expect(rows.slice(1).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['TAMDUONG.BANBO', 'Xã Bản Bo', 2600000000, 2250000000, 475000000, 0.2111],
      ['TAMDUONG.BINHLU', 'Xã Bình Lư', 999000000, 999000000, 0, 0],
    ]);
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'fundingSummary', f: { groupBy: ['NOPE'] }, fmt: 'CSV' }))).toBe('BAD_USER_INPUT');
  });
});

describe('exportReport', () => {
  let programId = '';
  const reports: Record<string, string> = {};

  beforeAll(async () => {
    programId = (await t.db<{ id: string }>("SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'"))[0].id;
    const create = 'mutation($i: CreateObligationInput!) { createObligation(input: $i) { id } }';
    const save = 'mutation($i: SaveReportInput!) { saveReport(input: $i) { id version } }';
    for (const [code, user] of [
      ['TAMDUONG.BANBO', 'td.banbo'],
      ['TAMDUONG.BINHLU', null],
      ['TAMDUONG.PLDTBXH', 'td.coordinator'],
    ] as const) {
      const o = await t.as('COORDINATOR', create, {
        i: {
          programId,
          type: 'EVALUATION_ANNUAL',
          submitterId: await t.unitId(code),
          dueDate: '2021-11-19',
          title: `Báo cáo đánh giá năm 2021 - ${code}`,
        },
      });
      expect(o.errors).toBeUndefined();
      if (!user) continue;
      const token = await t.token(user);
      const s = await t.as({ token }, save, {
        i: {
          obligationId: o.data.createObligation.id,
          title: 'Báo cáo đánh giá kết quả thực hiện Chương trình năm 2021',
          sections: [
            {
              key: 'policy',
              title: 'Kết quả ban hành chính sách, công tác quản lý, điều hành',
              body: 'Đã ban hành kế hoạch thực hiện.\nĐã kiện toàn Ban Chỉ đạo.',
            },
            { key: 'funds', title: 'Kết quả huy động, phân bổ và sử dụng nguồn vốn', body: 'Tổng hợp theo biểu dưới đây.' },
            { key: 'achievement', title: 'Mức độ hoàn thành so với kế hoạch', body: 'Các chỉ tiêu cơ bản đạt.' },
          ],
        },
      });
      expect(s.errors).toBeUndefined();
      reports[code] = s.data.saveReport.id;
      if (code === 'TAMDUONG.BANBO') {
        const sub = await t.as({ token }, 'mutation($id: ID!, $v: Int!) { submitReport(id: $id, version: $v) { status } }', {
          id: s.data.saveReport.id,
          v: s.data.saveReport.version,
        });
        expect(sub.errors).toBeUndefined();
      }
    }
  });

  it("gives a commune's report as .docx in the administrative layout with its funding and indicator tables", async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    const { file, data } = await fetchExport('COMMUNE_OFFICER', EXPORT_REPORT, { r: reports['TAMDUONG.BANBO'], fmt: 'DOCX' }, token);
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const { text } = await docxText(data);
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // The heading: issuing unit and number on the left, national motto and place and date on the right.
    expect(lines[0].split('\t')).toEqual([
      `HUYỆN TAM ĐƯỜNG XÃ BẢN BO Số: ${reports['TAMDUONG.BANBO']}/BC`,
      expect.stringMatching(/^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Tam Đường, ngày \d{2} tháng \d{2} năm \d{4}$/),
    ]);
    expect(lines).toContain('BÁO CÁO');
    expect(lines).toContain('Báo cáo đánh giá kết quả thực hiện Chương trình năm 2021');
    expect(lines).toContain('I. Kết quả ban hành chính sách, công tác quản lý, điều hành');
    expect(lines).toContain('Đã kiện toàn Ban Chỉ đạo.');
    expect(lines).toContain('II. Kết quả huy động, phân bổ và sử dụng nguồn vốn');
    // The funding table follows section II, the indicator table section III.
    const rowsOf = (from: string) =>
      text
        .slice(text.indexOf(from))
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => l.split('\t').slice(0, -1));
    const funding = rowsOf('Biểu 1. Tổng hợp nguồn vốn năm 2021');
    expect(funding.slice(0, 5)).toEqual([
      ['STT', 'Mã dự án', 'Dự án', 'Nguồn vốn', 'Kế hoạch vốn (đồng)', 'Vốn được giao (đồng)', 'Đã giải ngân (đồng)', 'Tỷ lệ giải ngân'],
      [
        '1',
        'DA2',
        'Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo',
        'Vốn sự nghiệp NSTW',
        '1.500.000.000',
        '1.200.000.000',
        '300.000.000',
        '25,00%',
      ],
      [
        '2',
        'DA2',
        'Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo',
        'Ngân sách địa phương',
        '200.000.000',
        '150.000.000',
        '150.000.000',
        '100,00%',
      ],
      [
        '3',
        'DA3',
        'Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng',
        'Vốn sự nghiệp NSTW',
        '900.000.000',
        '900.000.000',
        '25.000.000',
        '2,78%',
      ],
      ['4', '', 'Tổng cộng', '', '2.600.000.000', '2.250.000.000', '475.000.000', '21,11%'],
    ]);
    expect(text).not.toContain('999.000.000');
    const indicators = rowsOf('Biểu 2. Tiến độ thực hiện các chỉ tiêu năm 2021');
    expect(indicators[0]).toEqual(['STT', 'Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị tính', 'Cơ sở', 'Mục tiêu', 'Thực hiện', 'Mức đạt']);
    expect(indicators).toContainEqual([
      '1',
      'DA2.MOHINH',
      'Số mô hình, dự án giảm nghèo được triển khai',
      'mô hình',
      '1',
      '5',
      '3',
      '50,00%',
    ]);
    expect(text.indexOf('II. Kết quả huy động')).toBeLessThan(text.indexOf('Biểu 1.'));
    expect(text.indexOf('III. Mức độ hoàn thành')).toBeLessThan(text.indexOf('Biểu 2.'));
    // A commune report has no completeness table.
    expect(text).not.toContain('Tình hình gửi báo cáo');
  });

  it('gives the results workbook with the same figures as numbers', async () => {
    const { data } = await fetchExport(
      'COMMUNE_OFFICER',
      EXPORT_REPORT,
      { r: reports['TAMDUONG.BANBO'], fmt: 'XLSX' },
      await t.tokenOf('COMMUNE_OFFICER'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Nguồn vốn', 'Chỉ tiêu']);
    const sheet = wb.getWorksheet('Nguồn vốn')!;
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)[0]).toBe('Tổng hợp nguồn vốn năm 2021 theo dự án và nguồn vốn — Xã Bản Bo');
    expect(values(4)).toEqual([
      'DA2',
      'Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo',
      'Vốn sự nghiệp NSTW',
      1500000000,
      1200000000,
      300000000,
      0.25,
    ]);
    expect(values(7)).toEqual([undefined, 'Tổng cộng', undefined, 2600000000, 2250000000, 475000000, 0.2111]);
  });

  it("adds the completeness table of the district's units to the standing agency's report", async () => {
    const { data } = await fetchExport(
      'COORDINATOR',
      EXPORT_REPORT,
      { r: reports['TAMDUONG.PLDTBXH'], fmt: 'DOCX' },
      await t.tokenOf('COORDINATOR'),
    );
    const { text } = await docxText(data);
    expect(text).toContain('PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI HUYỆN TAM ĐƯỜNG');
    const rows = text
      .slice(text.indexOf('Tình hình gửi báo cáo năm 2021'))
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t').slice(0, -1));
    // Three obligations due 19/11/2021: Bản Bo submitted (late), Bình Lư and the agency not yet.
    expect(rows.slice(0, 4)).toEqual([
      ['STT', 'Mã đơn vị', 'Đơn vị', 'Phải gửi', 'Đã gửi', 'Đúng hạn', 'Tỷ lệ gửi', 'Tỷ lệ đúng hạn'],
      ['1', 'TAMDUONG.PLDTBXH', 'Phòng Lao động - Thương binh và Xã hội huyện Tam Đường', '1', '0', '0', '0,00%', '0,00%'],
      ['2', 'TAMDUONG.BANBO', 'Xã Bản Bo', '1', '1', '0', '100,00%', '0,00%'],
      ['3', 'TAMDUONG.BINHLU', 'Xã Bình Lư', '1', '0', '0', '0,00%', '0,00%'],
    ]);
    // The district's figures include Bình Lư: DA2 / CENTRAL_RECURRENT 1,500,000,000 + 999,000,000 planned,
    // 1,200,000,000 + 999,000,000 allocated, 300,000,000 disbursed → 0.1364; total 3,599,000,000 / 3,249,000,000 / 475,000,000 → 0.1462.
    expect(text).toContain(
      '\tDA2\tĐa dạng hóa sinh kế, phát triển mô hình giảm nghèo\tVốn sự nghiệp NSTW\t2.499.000.000\t2.199.000.000\t300.000.000\t13,64%\t',
    );
    expect(text).toContain('\tTổng cộng\t\t3.599.000.000\t3.249.000.000\t475.000.000\t14,62%\t');
  });

  it("done when: a commune officer dry-runs last year's sheet, fixes it, imports it and downloads the Word report with its figures", async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    const sheet = (households: string | number) =>
      xlsx([
        ['Mã chỉ tiêu', 'Tên chỉ tiêu', 'Mã đơn vị', 'Năm', 'Kỳ', 'Giá trị'],
        ['DA2.HO', 'Số hộ tham gia mô hình, dự án giảm nghèo', 'TAMDUONG.BANBO', 2021, 'Cả năm', households],
      ]);
    const first = await upload(t, token, 'so-lieu-2021.xlsx', await sheet('1.2O0'));
    const dry = await t.as('COMMUNE_OFFICER', IMPORT, { f: first.body.id, k: 'INDICATOR_VALUES', d: true });
    expect(dry.data.importFile).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
      committed: false,
      errors: [{ row: 2, column: 'value', message: 'Số không hợp lệ' }],
    });
    const fixed = await upload(t, token, 'so-lieu-2021-sua.xlsx', await sheet('1.200'));
    const real = await t.as('COMMUNE_OFFICER', IMPORT, { f: fixed.body.id, k: 'INDICATOR_VALUES', d: false });
    expect(real.data.importFile).toEqual({ created: 1, updated: 0, unchanged: 0, committed: true, errors: [] });
    const { data } = await fetchExport('COMMUNE_OFFICER', EXPORT_REPORT, { r: reports['TAMDUONG.BANBO'], fmt: 'DOCX' }, token);
    const { text } = await docxText(data);
    // No target row for DA2.HO: baseline, target and achievement stay empty; the actual is the imported 1,200.
    expect(text).toContain('\tDA2.HO\tSố hộ tham gia mô hình, dự án giảm nghèo\thộ\t\t\t1.200\t\t');
  });

  it('is scoped: a report outside the caller scope is NOT_FOUND; CSV is refused', async () => {
    const binhlu = await t.token('td.binhlu');
    expect(codeOf(await t.as({ token: binhlu }, EXPORT_REPORT, { r: reports['TAMDUONG.BANBO'], fmt: 'DOCX' }))).toBe('NOT_FOUND');
    expect(codeOf(await t.as('COMMUNE_OFFICER', EXPORT_REPORT, { r: reports['TAMDUONG.BANBO'], fmt: 'CSV' }))).toBe('BAD_USER_INPUT');
  });
});

/**
 * Issue 12: every list query of the built schema (a Query field answering an XConnection) and every summary
 * exports, through the list's own filter, scope and role rule. A list added later without an export entry fails here.
 */
describe('exportList covers every list and summary', () => {
  let lists: GraphQLField<unknown, unknown>[] = [];
  beforeAll(async () => {
    const schema = await buildAppSchema();
    lists = Object.values(schema.getQueryType()!.getFields()).filter((f) => /Connection$/.test(getNamedType(f.type).name));
  });

  const csvLines = (data: Buffer) =>
    data
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .replace(/\r\n$/, '')
      .split('\r\n');
  /** The list query itself, with the same filter. */
  const total = (role: Parameters<typeof t.as>[0], list: string, filter?: Record<string, unknown>) => {
    const type = lists
      .find((f) => f.name === list)!
      .args.find((a) => a.name === 'filter')!
      .type.toString();
    return t.as(role, `query($f: ${type}) { ${list}(filter: $f) { totalCount } }`, { f: filter });
  };

  it('finds the list queries of API.md in the schema', () => {
    expect(lists.map((f) => f.name).sort()).toEqual([
      'apiKeys',
      'auditEvents',
      'disbursements',
      'findings',
      'fundingAllocations',
      'indicatorTargets',
      'indicatorValues',
      'indicators',
      'missions',
      'monitoringPlans',
      'programComponents',
      'programs',
      'recommendations',
      'reportingObligations',
      'reports',
      'units',
      'users',
    ]);
  });

  it('ADMIN exports each list as XLSX and CSV: same headers (Vietnamese), one line per row of the list query', async () => {
    // A key so that the apiKeys export has a row.
    const key = await t.as('ADMIN', 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
      i: { name: 'Xuất dữ liệu', unitId: await t.unitId('LAICHAU.TAMDUONG') },
    });
    expect(key.errors).toBeUndefined();
    const token = await t.tokenOf('ADMIN');
    // Each export writes an audit event: the audit trail is taken up to now, so that it holds still.
    const [{ now }] = await t.db<{ now: string }>('SELECT to_char(now() AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') AS now');
    for (const f of lists) {
      const list = f.name;
      const filter = list === 'auditEvents' ? { at: { lte: now } } : undefined;
      const x = await fetchExport('ADMIN', EXPORT, { l: list, f: filter, fmt: 'XLSX' }, token);
      const c = await fetchExport('ADMIN', EXPORT, { l: list, f: filter, fmt: 'CSV' }, token);
      const n = (await total('ADMIN', list, filter)).data[list].totalCount as number;
      const rows = await readXlsx(x.data);
      const lines = csvLines(c.data);
      expect(x.file.contentType, list).toMatch(/spreadsheetml/);
      expect(c.file.name, list).toMatch(/^[a-z-]+-\d{8}\.csv$/);
      expect(rows[0].join(','), list).toBe(lines[0]);
      expect(String(rows[0][0]), list).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêềếểễệôồốổỗộơờớởỡợưừứửữựđ]|Năm|Tên|Mã/i);
      expect([rows.length - 1, lines.length - 1], list).toEqual([n, n]);
      expect(n, `${list} has rows`).toBeGreaterThan(0);
    }
  });

  it('refuses the lists whose query the caller may not run, exactly like the query', async () => {
    for (const role of ['COMMUNE_OFFICER', 'COORDINATOR', 'VIEWER'] as const) {
      for (const f of lists) {
        const q = await total(role, f.name);
        const e = await t.as(role, EXPORT, { l: f.name, fmt: 'CSV' });
        expect(codeOf(e), `${role} ${f.name}`).toBe(codeOf(q));
      }
    }
    // users and auditEvents: ADMIN and COORDINATOR; apiKeys: ADMIN only.
    expect(codeOf(await t.as('COMMUNE_OFFICER', EXPORT, { l: 'users', fmt: 'CSV' }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('COMMUNE_OFFICER', EXPORT, { l: 'auditEvents', fmt: 'CSV' }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'apiKeys', fmt: 'XLSX' }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('COORDINATOR', EXPORT, { l: 'users', fmt: 'CSV' }))).toBeUndefined();
  });

  it("a commune officer's export holds its scope's rows only, as many as its list query", async () => {
    const token = await t.tokenOf('COMMUNE_OFFICER');
    for (const f of lists) {
      const q = await total('COMMUNE_OFFICER', f.name);
      if (q.errors) continue; // refused: the test above
      const { data } = await fetchExport('COMMUNE_OFFICER', EXPORT, { l: f.name, fmt: 'CSV' }, token);
      expect(csvLines(data).length - 1, f.name).toBe(q.data[f.name].totalCount);
    }
    // Demo missions (monitoring.seed.ts): 1 visits Bản Bo and Bình Lư; 2 Tả Lèng and Khun Há; 3 Bình Lư.
    // td.banbo sees mission 1 only; the coordinator (district) all three.
    const mine = await fetchExport('COMMUNE_OFFICER', EXPORT, { l: 'missions', fmt: 'XLSX' }, token);
    const rows = await readXlsx(mine.data);
    expect(rows[0]).toEqual([
      'Tên đoàn giám sát',
      'Mã chương trình',
      'Mã đơn vị chủ trì',
      'Mã đơn vị được giám sát',
      'Mã dự án',
      'Từ ngày',
      'Đến ngày',
      'Trạng thái',
      'Số quyết định',
      'Lý do hủy',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[7]])).toEqual([
      [
        'Giám sát hỗ trợ phát triển sản xuất tại xã Bản Bo, Bình Lư',
        'GNBV-2021-2025',
        'TAMDUONG.PNNPTNT',
        'TAMDUONG.BANBO, TAMDUONG.BINHLU',
        'DA3.TDA1',
        'IN_PROGRESS',
      ],
    ]);
    expect((rows[1][5] as Date).toISOString().slice(0, 10)).toBe('2024-05-20');
    const district = await fetchExport('COORDINATOR', EXPORT, { l: 'missions', fmt: 'CSV' }, await t.tokenOf('COORDINATOR'));
    expect(
      csvLines(district.data)
        .slice(1)
        .map((l) => l.split(',')[0].replace(/^"/, '')),
    ).toEqual([
      'Giám sát hỗ trợ phát triển sản xuất tại xã Bản Bo',
      'Giám sát cải thiện dinh dưỡng tại xã Tả Lèng',
      'Giám sát đột xuất hỗ trợ việc làm bền vững tại xã Bình Lư',
    ]);
    // The filter applies too: the coordinator's PLANNED missions visiting Bình Lư → mission 3.
    const planned = await fetchExport(
      'COORDINATOR',
      EXPORT,
      { l: 'missions', f: { status: { eq: 'PLANNED' }, targetUnitId: { eq: await t.unitId('TAMDUONG.BINHLU') } }, fmt: 'CSV' },
      await t.tokenOf('COORDINATOR'),
    );
    expect(
      csvLines(planned.data)
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['Giám sát đột xuất hỗ trợ việc làm bền vững tại xã Bình Lư']);
  });

  it('users export leaves out service accounts and secrets, like the users query', async () => {
    const { data } = await fetchExport('COORDINATOR', EXPORT, { l: 'users', fmt: 'CSV' }, await t.tokenOf('COORDINATOR'));
    const lines = csvLines(data);
    expect(lines[0]).toBe('Tên đăng nhập,Họ và tên,Vai trò,Mã đơn vị,Tên đơn vị,Bị khóa');
    const q = await t.as('COORDINATOR', '{ users(limit: 500) { nodes { username } } }');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(q.data.users.nodes.map((u: { username: string }) => u.username).sort());
    expect(lines.join('\n')).not.toMatch(/\$argon|\$2[aby]\$|scrypt/);
  });

  it('exports each summary with as many rows as the summary query', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['fundingSummary', '{ fundingSummary(groupBy: [PROJECT, SOURCE]) { plannedAmount } }', { groupBy: ['PROJECT', 'SOURCE'] }],
      ['indicatorProgress', '{ indicatorProgress(groupBy: [UNIT]) { actual } }', { groupBy: ['UNIT'] }],
      ['reportingCompleteness', '{ reportingCompleteness(groupBy: [UNIT, TYPE]) { expected } }', { groupBy: ['UNIT', 'TYPE'] }],
    ];
    for (const [list, query, args] of cases) {
      const q = await t.as('COORDINATOR', query);
      expect(q.errors, list).toBeUndefined();
      const n = (q.data[list] as unknown[]).length;
      const { data } = await fetchExport('COORDINATOR', EXPORT, { l: list, f: args, fmt: 'CSV' }, await t.tokenOf('COORDINATOR'));
      expect(csvLines(data).length - 1, list).toBe(n);
      expect(n, `${list} has rows`).toBeGreaterThan(0);
    }
  });
});
