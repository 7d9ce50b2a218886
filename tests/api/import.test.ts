import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, useTestApp, type TestApp } from '../support/app';
import { download, upload, xlsx } from '../support/files';
import { storeFile } from '../../packages/server/src/modules/files/file.service';
import { parseDate, parseDecimalText, parseMoney, readCsv, restoreText } from '../../packages/server/src/modules/imports/import.parse';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-import-'));
const t = useTestApp({ dataDir });

const IMPORT = `mutation($f: ID!, $k: ImportKind!, $d: Boolean!) {
  importFile(fileId: $f, kind: $k, dryRun: $d) { created updated unchanged committed errors { row column value message } rows { row action } }
}`;
const EXPORT =
  'mutation($l: String!, $f: JSON, $fmt: ExportFormat!) { exportList(list: $l, filter: $f, format: $fmt) { id name size contentType sha256 } }';

/** Stores a file as `username` would have uploaded it (POST /files takes office files only, not .csv). */
async function storeAs(t: TestApp, username: string, name: string, data: Buffer): Promise<string> {
  const [u] = await t.db<{ id: string; unit_id: string }>('SELECT id::text, unit_id::text FROM app_user WHERE username = $1', [username]);
  const em = t.orm.em.fork();
  const f = await storeFile(em as never, dataDir, { name, contentType: 'text/csv', data, unitId: u.unit_id, userId: u.id });
  return f.id;
}

const csv = (lines: string[], bom = true) => Buffer.from(`${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`, 'utf8');

async function run(who: Parameters<TestApp['as']>[0], fileId: string, kind: string, dryRun: boolean) {
  const r = await t.as(who, IMPORT, { f: fileId, k: kind, d: dryRun });
  return {
    r,
    res: r.data?.importFile as {
      created: number;
      updated: number;
      unchanged: number;
      committed: boolean;
      errors: { row: number | null; column: string | null; value: string | null; message: string }[];
      rows: { row: number; action: string }[];
    },
  };
}

const count = async (text: string, params: unknown[] = []) => Number((await t.db<{ n: string }>(text, params))[0].n);

describe('cell parsing', () => {
  it('reads Vietnamese and plain numbers exactly', () => {
    expect(parseDecimalText('1.234.567')).toBe('1234567');
    expect(parseDecimalText('1.234,5')).toBe('1234.5');
    expect(parseDecimalText('1,234,567.5')).toBe('1234567.5');
    expect(parseDecimalText('12,35')).toBe('12.35');
    expect(parseDecimalText('12.35')).toBe('12.35');
    expect(parseDecimalText(1234.5)).toBe('1234.5');
    expect(parseDecimalText('1 250 000 000 đ')).toBe('1250000000');
    expect(parseDecimalText('(1.000)')).toBe('-1000');
    expect(parseDecimalText("'-500")).toBe('-500');
    expect(parseDecimalText('1.2.3')).toBeNull();
    expect(parseDecimalText('abc')).toBeNull();
    expect(parseMoney('1.234,5')).toBeNull();
    expect(parseMoney('123456789012345678901234')).toBe('123456789012345678901234');
  });

  it('reads dd/mm/yyyy, ISO dates and date cells', () => {
    expect(parseDate('15/08/2025')).toBe('2025-08-15');
    expect(parseDate('5/8/2025')).toBe('2025-08-05');
    expect(parseDate('2025-08-15')).toBe('2025-08-15');
    expect(parseDate(new Date(Date.UTC(2025, 7, 15)))).toBe('2025-08-15');
    expect(parseDate('31/02/2025')).toBeNull();
    expect(parseDate('15/08/25')).toBeNull();
  });

  it('reads CSV with BOM and semicolons, quoted fields, and undoes export neutralisation', () => {
    const tab = readCsv(Buffer.from('\uFEFFa;b;c\r\n"x;y";"say ""hi""";\r\n1;2;3', 'utf8'));
    expect(tab.rows).toEqual([
      ['a', 'b', 'c'],
      ['x;y', 'say "hi"', null],
      ['1', '2', '3'],
    ]);
    expect(restoreText("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(restoreText("'+84")).toBe('+84');
    expect(restoreText("'abc")).toBe("'abc");
  });
});

describe('importFile: allocations', () => {
  const header = 'Mã dự án;Mã đơn vị;Năm;Nguồn vốn;Kế hoạch vốn;Vốn được giao;Số quyết định';
  let fileId = '';

  it('dry-runs, then imports a semicolon CSV with Vietnamese numbers; a second import changes nothing', async () => {
    const data = csv([
      header,
      'DA2;TAMDUONG.BANBO;2024;CENTRAL_INVESTMENT;1.500.000.000;1.234.567.000;QĐ 12/QĐ-UBND',
      'DA3.TDA1;TAMDUONG.BANBO;2024;Vốn đầu tư phát triển NSTW;"2.000.000.000";2000000000;',
      '',
    ]);
    fileId = await storeAs(t, 'td.coordinator', 'giao-von-2024.csv', data);
    const dry = await run('COORDINATOR', fileId, 'ALLOCATIONS', true);
    expect(dry.r.errors).toBeUndefined();
    expect(dry.res).toMatchObject({ created: 2, updated: 0, unchanged: 0, committed: false, errors: [] });
    expect(dry.res.rows).toEqual([
      { row: 2, action: 'CREATE' },
      { row: 3, action: 'CREATE' },
    ]);
    expect(await count("SELECT count(*) AS n FROM funding_allocation WHERE source = 'CENTRAL_INVESTMENT'")).toBe(0);

    const real = await run('COORDINATOR', fileId, 'ALLOCATIONS', false);
    expect(real.res).toMatchObject({ created: 2, updated: 0, unchanged: 0, committed: true, errors: [] });
    const rows = await t.db(
      `SELECT c.code, a.planned_amount::text AS planned, a.allocated_amount::text AS allocated, a.disbursed_amount::text AS disbursed, a.decision_ref,
         (SELECT count(*)::int FROM funding_revision r WHERE r.allocation_id = a.id) AS revisions
       FROM funding_allocation a JOIN program_component c ON c.id = a.component_id WHERE a.source = 'CENTRAL_INVESTMENT' ORDER BY c.code`,
    );
    expect(rows).toEqual([
      { code: 'DA2', planned: '1500000000', allocated: '1234567000', disbursed: '0', decision_ref: 'QĐ 12/QĐ-UBND', revisions: 1 },
      { code: 'DA3.TDA1', planned: '2000000000', allocated: '2000000000', disbursed: '0', decision_ref: null, revisions: 1 },
    ]);

    const again = await run('COORDINATOR', fileId, 'ALLOCATIONS', false);
    expect(again.res).toMatchObject({ created: 0, updated: 0, unchanged: 2, committed: true, errors: [] });
    expect(
      await count(
        "SELECT count(*) AS n FROM funding_revision r JOIN funding_allocation a ON a.id = r.allocation_id WHERE a.source = 'CENTRAL_INVESTMENT'",
      ),
    ).toBe(2);
  });

  it('writes one audit event per import with the file hash and the counts', async () => {
    const [f] = await t.db<{ sha256: string }>('SELECT sha256 FROM stored_file WHERE id = $1', [fileId]);
    const events = await t.db<{ details: any; outcome: string; entity_type: string }>(
      "SELECT details, outcome, entity_type FROM audit_event WHERE operation = 'importFile' ORDER BY id",
    );
    expect(events).toHaveLength(3);
    expect(events.map((e) => [e.details.dryRun, e.details.created, e.details.unchanged, e.details.committed])).toEqual([
      [true, 2, 0, false],
      [false, 2, 0, true],
      [false, 0, 2, true],
    ]);
    for (const e of events) {
      expect(e.details.sha256).toBe(f.sha256);
      expect(e.outcome).toBe('SUCCESS');
      expect(e.entity_type).toBe('FundingAllocation');
    }
  });

  it('turns a changed figure into a revision, as reviseFundingAllocation does', async () => {
    const id = await storeAs(
      t,
      'td.coordinator',
      'dieu-chinh.csv',
      csv([header, 'DA2;TAMDUONG.BANBO;2024;CENTRAL_INVESTMENT;1.500.000.000;1.300.000.000;QĐ 20/QĐ-UBND']),
    );
    const r = await run('COORDINATOR', id, 'ALLOCATIONS', false);
    expect(r.res).toMatchObject({ created: 0, updated: 1, unchanged: 0, committed: true });
    const [a] = await t.db(
      `SELECT a.allocated_amount::text AS allocated, a.decision_ref, a.version,
         (SELECT json_agg(json_build_object('allocated', r.allocated_amount::text, 'ref', r.decision_ref) ORDER BY r.id) FROM funding_revision r WHERE r.allocation_id = a.id) AS revisions
       FROM funding_allocation a JOIN program_component c ON c.id = a.component_id WHERE a.source = 'CENTRAL_INVESTMENT' AND c.code = 'DA2'`,
    );
    expect(a).toEqual({
      allocated: '1300000000',
      decision_ref: 'QĐ 20/QĐ-UBND',
      version: 2,
      revisions: [
        { allocated: '1234567000', ref: 'QĐ 12/QĐ-UBND' },
        { allocated: '1300000000', ref: 'QĐ 20/QĐ-UBND' },
      ],
    });
  });

  it('round trip: an exported .xlsx and .csv import back with nothing changed', async () => {
    const banbo = await t.unitId('TAMDUONG.BANBO');
    // 3 commune components (DA2, DA3.TDA1, DA3.TDA2) × 2 demo sources = 6 lines for Bản Bo in 2023.
    const expected = await count('SELECT count(*) AS n FROM funding_allocation WHERE unit_id = $1 AND year = 2023', [banbo]);
    expect(expected).toBe(6);
    const before = await t.db('SELECT max(updated_at) AS u, count(*) AS n FROM funding_revision');
    const token = await t.tokenOf('COORDINATOR');
    for (const format of ['XLSX', 'CSV']) {
      const ex = await t.as('COORDINATOR', EXPORT, { l: 'fundingAllocations', f: { underUnit: banbo, year: { eq: 2023 } }, fmt: format });
      expect(ex.errors).toBeUndefined();
      const file = await download(t, token, ex.data.exportList.id);
      expect(file.status).toBe(200);
      let id: string;
      if (format === 'XLSX') {
        const up = await upload(t, token, 'round-trip.xlsx', file.data);
        expect(up.status).toBe(201);
        id = up.body.id;
      } else id = await storeAs(t, 'td.coordinator', 'round-trip.csv', file.data);
      const r = await run('COORDINATOR', id, 'ALLOCATIONS', false);
      expect(r.res).toMatchObject({ created: 0, updated: 0, unchanged: 6, committed: true, errors: [] });
    }
    expect(await t.db('SELECT max(updated_at) AS u, count(*) AS n FROM funding_revision')).toEqual(before);
  });

  it('malformed files give row errors and write nothing', async () => {
    const token = await t.tokenOf('COORDINATOR');
    const allocations = () => count('SELECT count(*) AS n FROM funding_allocation');
    const revisions = () => count('SELECT count(*) AS n FROM funding_revision');
    const n0 = await allocations();
    const r0 = await revisions();

    // Wrong columns: an unknown one and a missing required one.
    const wrong = await storeAs(
      t,
      'td.coordinator',
      'sai-cot.csv',
      csv(['Mã dự án,Mã đơn vị,Năm,Nguồn vốn,Kế hoạch vốn,Ghi chú', 'DA2,TAMDUONG.BANBO,2024,INTEGRATED,100,x']),
    );
    const w = await run('COORDINATOR', wrong, 'ALLOCATIONS', false);
    expect(w.res.committed).toBe(false);
    expect(w.res.errors).toEqual([
      { row: 1, column: 'Ghi chú', value: 'Ghi chú', message: 'Cột không được nhận' },
      { row: 1, column: 'allocatedAmount', value: null, message: 'Thiếu cột "Vốn được giao" (allocatedAmount)' },
    ]);

    // Bad values, unknown codes, a duplicate, a unit outside the scope, a formula, a year outside the phase.
    const book = await xlsx([
      ['Mã dự án', 'Mã đơn vị', 'Năm', 'Nguồn vốn', 'Kế hoạch vốn', 'Vốn được giao', 'Số quyết định'],
      ['DA2', 'TAMDUONG.BANBO', 2024, 'INTEGRATED', '1.2.3', 100, null],
      ['DA99', 'TAMDUONG.BANBO', 2024, 'INTEGRATED', 100, 100, null],
      ['DA2', 'KHONGCO', 2024, 'INTEGRATED', 100, 100, null],
      ['DA2', 'TAMDUONG.BANGIANG', 2024, 'INTEGRATED', '1.000.000', '900.000', null],
      ['DA2', 'TAMDUONG.BANGIANG', 2024, 'Vốn lồng ghép', 200, 200, null],
      ['DA2', 'LAICHAU.SINHO', 2024, 'INTEGRATED', 100, 100, null],
      ['DA2', 'TAMDUONG.BANHON', 2024, 'INTEGRATED', 100, 100, { formula: "cmd|' /C calc'!A0" }],
      ['DA2', 'TAMDUONG.HOTHAU', 2030, 'INTEGRATED', 100, 100, null],
      ['DA2', 'TAMDUONG.NATAM', 2024, 'INTEGRATED', -5, 100, null],
      ['DA2', 'TAMDUONG.NATAM', 2024, 'XYZ', 5, 100, null],
    ]);
    const up = await upload(t, token, 'loi.xlsx', book);
    expect(up.status).toBe(201);
    for (const dryRun of [true, false]) {
      const b = await run('COORDINATOR', up.body.id, 'ALLOCATIONS', dryRun);
      expect(b.res.committed).toBe(false);
      expect(b.res.errors.map((e) => [e.row, e.column, e.value, e.message])).toEqual([
        [2, 'plannedAmount', '1.2.3', 'Số tiền không hợp lệ (đồng, số nguyên)'],
        [3, 'componentCode', 'DA99', 'Mã dự án không tồn tại'],
        [4, 'unitCode', 'KHONGCO', 'Mã đơn vị không tồn tại'],
        [6, 'componentCode', 'DA2 / TAMDUONG.BANGIANG / 2024 / INTEGRATED', 'Trùng với dòng 5 trong tệp'],
        [7, 'unitCode', 'LAICHAU.SINHO', 'Đơn vị ngoài phạm vi của bạn'],
        [8, 'decisionRef', "=cmd|' /C calc'!A0", 'Ô chứa công thức; chỉ nhận giá trị'],
        [9, 'year', '2030', 'Năm phải trong giai đoạn 2021–2025'],
        [10, 'plannedAmount', '-5', 'Số tiền không được âm'],
        [11, 'source', 'XYZ', 'Giá trị không hợp lệ'],
      ]);
      // Row 5 alone is good: counted as what would be created, yet nothing is written.
      expect(b.res).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    }

    // A formula typed into a CSV cell is refused; a value our export neutralised ('=…) is restored.
    const formula = await storeAs(
      t,
      'td.coordinator',
      'cong-thuc.csv',
      csv([
        'componentCode,unitCode,year,source,plannedAmount,allocatedAmount,decisionRef',
        "DA2,TAMDUONG.BANBO,2024,POLICY_CREDIT,100,100,=cmd|' /C calc'!A0",
        "DA2,TAMDUONG.BANBO,2024,MOBILIZED,100,100,'=QĐ 5",
      ]),
    );
    const f = await run('COORDINATOR', formula, 'ALLOCATIONS', false);
    expect(f.res.committed).toBe(false);
    expect(f.res.errors).toEqual([
      { row: 2, column: 'decisionRef', value: "=cmd|' /C calc'!A0", message: 'Ô chứa công thức; chỉ nhận giá trị' },
    ]);

    // A truncated workbook.
    const cut = await storeAs(t, 'td.coordinator', 'cat-cut.xlsx', book.subarray(0, Math.floor(book.length * 0.6)));
    const c = await run('COORDINATOR', cut, 'ALLOCATIONS', false);
    expect(c.res.committed).toBe(false);
    expect(c.res.errors).toHaveLength(1);
    expect(c.res.errors[0]).toMatchObject({ row: null, value: 'cat-cut.xlsx' });
    expect(c.res.errors[0].message).toMatch(/Không đọc được tệp/);

    // English messages on request.
    const en = await t.gql(IMPORT, { f: formula, k: 'ALLOCATIONS', d: true }, { token, lang: 'en' });
    expect(en.data.importFile.errors[0].message).toBe('The cell holds a formula; only values are accepted');

    expect(await allocations()).toBe(n0);
    expect(await revisions()).toBe(r0);

    // The neutralised value alone imports as the text it stood for.
    const ok = await storeAs(
      t,
      'td.coordinator',
      'trung-hoa.csv',
      csv([
        'componentCode,unitCode,year,source,plannedAmount,allocatedAmount,decisionRef',
        "DA2,TAMDUONG.BANBO,2024,MOBILIZED,100,100,'=QĐ 5",
      ]),
    );
    expect((await run('COORDINATOR', ok, 'ALLOCATIONS', false)).res).toMatchObject({ created: 1, committed: true });
    expect((await t.db("SELECT decision_ref FROM funding_allocation WHERE source = 'MOBILIZED' AND year = 2024"))[0].decision_ref).toBe(
      '=QĐ 5',
    );
  });

  it('is scoped like every write', async () => {
    const lines = [
      'componentCode,unitCode,year,source,plannedAmount,allocatedAmount',
      'DA2,TAMDUONG.KHUNHA,2024,INTEGRATED,100,100',
      'DA3.TDA2,TAMDUONG.KHUNHA,2024,INTEGRATED,100,100',
    ];
    const id = await storeAs(t, 'td.agriculture', 'nn.csv', csv(lines));
    // Phòng NN&PTNT leads DA2 but not DA3.TDA2 (Trung tâm Y tế does).
    const a = await run('AGENCY_OFFICER', id, 'ALLOCATIONS', true);
    expect(a.res.errors).toEqual([
      { row: 3, column: 'componentCode', value: 'DA3.TDA2', message: 'Cơ quan của bạn không chủ trì dự án này tại đơn vị này' },
    ]);
    expect(a.res.created).toBe(1);
    // Commune officers make no funding writes; viewers nothing at all.
    const mine = await storeAs(t, 'td.banbo', 'xa.csv', csv(lines));
    expect(codeOf((await run('COMMUNE_OFFICER', mine, 'ALLOCATIONS', true)).r)).toBe('FORBIDDEN');
    expect(codeOf((await run('VIEWER', mine, 'ALLOCATIONS', true)).r)).toBe('FORBIDDEN');
    // Someone else's file outside the caller's scope does not exist for them.
    expect(codeOf((await run({ token: await t.token('td.binhlu') }, mine, 'INDICATOR_VALUES', true)).r)).toBe('NOT_FOUND');
  });
});

describe('importFile: disbursements, indicator values, units', () => {
  it('records disbursements within the allocation, once', async () => {
    const head = 'Mã dự án,Mã đơn vị,Năm,Nguồn vốn,Ngày giải ngân,Số tiền,Số chứng từ';
    // DA2 / Bản Bo / 2024 / CENTRAL_INVESTMENT was allocated 1,300,000,000 above.
    const over = await storeAs(
      t,
      'td.coordinator',
      'gn-vuot.csv',
      csv([
        head,
        'DA2,TAMDUONG.BANBO,2024,CENTRAL_INVESTMENT,15/08/2024,"500.000.000",UNC 01',
        'DA2,TAMDUONG.BANBO,2024,CENTRAL_INVESTMENT,2024-12-01,800.000.001,UNC 02',
      ]),
    );
    const o = await run('COORDINATOR', over, 'DISBURSEMENTS', false);
    expect(o.res.committed).toBe(false);
    expect(o.res.errors).toEqual([
      { row: 3, column: 'amount', value: '800000001', message: 'Tổng giải ngân vượt số vốn được giao (1300000000 đồng)' },
    ]);
    const good = await storeAs(
      t,
      'td.coordinator',
      'gn.csv',
      csv([
        head,
        'DA2,TAMDUONG.BANBO,2024,CENTRAL_INVESTMENT,15/08/2024,"500.000.000",UNC 01',
        'DA2,TAMDUONG.BANBO,2024,CENTRAL_INVESTMENT,2024-12-01,800.000.000,UNC 02',
        'DA2,TAMDUONG.BANBO,2024,CENTRAL_INVESTMENT,2025-01-10,-100.000.000,UNC 02 điều chỉnh',
      ]),
    );
    expect((await run('COORDINATOR', good, 'DISBURSEMENTS', false)).res).toMatchObject({
      created: 3,
      unchanged: 0,
      committed: true,
      errors: [],
    });
    expect((await run('COORDINATOR', good, 'DISBURSEMENTS', false)).res).toMatchObject({
      created: 0,
      unchanged: 3,
      committed: true,
      errors: [],
    });
    // 500,000,000 + 800,000,000 − 100,000,000 = 1,200,000,000
    const [a] = await t.db(
      `SELECT a.disbursed_amount::text AS d, (SELECT count(*)::int FROM disbursement x WHERE x.allocation_id = a.id) AS n
       FROM funding_allocation a JOIN program_component c ON c.id = a.component_id WHERE a.source = 'CENTRAL_INVESTMENT' AND c.code = 'DA2'`,
    );
    expect(a).toEqual({ d: '1200000000', n: 3 });
  });

  it('lets a commune officer import its commune indicator values; other communes are row errors', async () => {
    const lines = [
      'indicatorCode,unitCode,year,period,value,textValue,numerator,denominator',
      'DA2.MOHINH,TAMDUONG.BANBO,2021,YEAR,3,,,',
      'CT.HN.TYLE,TAMDUONG.BANBO,2021,YEAR,,,"1.234",5.000',
      'CT.DANHGIA,TAMDUONG.BANBO,2021,YEAR,,Đạt kế hoạch,,',
      'DA2.HO,TAMDUONG.BINHLU,2021,YEAR,10,,,',
    ];
    const bad = await storeAs(t, 'td.banbo', 'chi-tieu.csv', csv(lines));
    const b = await run('COMMUNE_OFFICER', bad, 'INDICATOR_VALUES', false);
    expect(b.res.committed).toBe(false);
    expect(b.res.errors).toEqual([{ row: 5, column: 'unitCode', value: 'TAMDUONG.BINHLU', message: 'Đơn vị ngoài phạm vi của bạn' }]);
    const id = await storeAs(t, 'td.banbo', 'chi-tieu-2.csv', csv(lines.slice(0, 4)));
    expect((await run('COMMUNE_OFFICER', id, 'INDICATOR_VALUES', false)).res).toMatchObject({ created: 3, committed: true, errors: [] });
    expect((await run('COMMUNE_OFFICER', id, 'INDICATOR_VALUES', false)).res).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
      committed: true,
    });
    const rows = await t.db(
      `SELECT i.code, v.value::text AS value, v.text_value, v.numerator::text AS num, v.denominator::text AS den FROM indicator_value v
       JOIN indicator i ON i.id = v.indicator_id JOIN unit u ON u.id = v.unit_id WHERE u.code = 'TAMDUONG.BANBO' AND v.year = 2021 ORDER BY i.code`,
    );
    // 1234 / 5000 × 100 = 24.68 points
    expect(rows).toEqual([
      { code: 'CT.DANHGIA', value: null, text_value: 'Đạt kế hoạch', num: null, den: null },
      { code: 'CT.HN.TYLE', value: '24.6800', text_value: null, num: '1234', den: '5000' },
      { code: 'DA2.MOHINH', value: '3', text_value: null, num: null, den: null },
    ]);
  });

  it('imports units (ADMIN only) by code, parents first, idempotently', async () => {
    const book = await xlsx([
      ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cấp trên', 'Hiệu lực từ', 'Hiệu lực đến'],
      ['TAMDUONG.THUNGHIEM', 'Xã Thử Nghiệm', 'Xã', 'LAICHAU.TAMDUONG', '01/01/2021', '30/06/2025'],
      ['TAMDUONG.THUNGHIEM.CQ', 'Tổ công tác xã Thử Nghiệm', 'AGENCY', 'TAMDUONG.THUNGHIEM', null, new Date(Date.UTC(2025, 5, 30))],
      ['TAMDUONG.BANBO', 'Xã Bản Bo', 'COMMUNE', 'LAICHAU.TAMDUONG', null, '2025-06-30'],
    ]);
    const admin = await t.tokenOf('ADMIN');
    const up = await upload(t, admin, 'don-vi.xlsx', book);
    expect(codeOf(await t.as('COORDINATOR', IMPORT, { f: up.body.id, k: 'UNITS', d: true }))).toBe('FORBIDDEN');
    expect((await run('ADMIN', up.body.id, 'UNITS', false)).res).toMatchObject({
      created: 2,
      updated: 0,
      unchanged: 1,
      committed: true,
      errors: [],
    });
    expect((await run('ADMIN', up.body.id, 'UNITS', false)).res).toMatchObject({ created: 0, updated: 0, unchanged: 3, committed: true });
    const district = await t.db<{ id: string; path: string }>("SELECT id::text, path FROM unit WHERE code = 'LAICHAU.TAMDUONG'");
    const rows = await t.db(
      "SELECT code, kind::text, level, to_char(valid_from, 'YYYY-MM-DD') AS vf, to_char(valid_to, 'YYYY-MM-DD') AS vt, path FROM unit WHERE code LIKE 'TAMDUONG.THUNGHIEM%' ORDER BY code",
    );
    const own = rows[0].path as string;
    expect(own.startsWith(district[0].path)).toBe(true);
    expect(rows).toEqual([
      { code: 'TAMDUONG.THUNGHIEM', kind: 'COMMUNE', level: 2, vf: '2021-01-01', vt: '2025-06-30', path: own },
      { code: 'TAMDUONG.THUNGHIEM.CQ', kind: 'AGENCY', level: 3, vf: null, vt: '2025-06-30', path: rows[1].path },
    ]);
    expect((rows[1].path as string).startsWith(own)).toBe(true);
  });
});

describe('round trips of the other kinds', () => {
  it('indicator values, disbursements and units export and import back unchanged', async () => {
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const cases: {
      who: 'COMMUNE_OFFICER' | 'COORDINATOR' | 'ADMIN';
      list: string;
      filter: Record<string, unknown>;
      kind: string;
      expected: string;
      params: unknown[];
      fingerprint: string;
    }[] = [
      {
        who: 'COMMUNE_OFFICER',
        list: 'indicatorValues',
        filter: {},
        kind: 'INDICATOR_VALUES',
        expected: 'SELECT count(*) AS n FROM indicator_value WHERE unit_id = $1',
        params: [banbo],
        fingerprint: 'SELECT count(*) AS n, max(updated_at) AS u, sum(version) AS v FROM indicator_value',
      },
      {
        who: 'COORDINATOR',
        list: 'disbursements',
        filter: { unitId: { eq: banbo } },
        kind: 'DISBURSEMENTS',
        expected: 'SELECT count(*) AS n FROM disbursement WHERE unit_id = $1',
        params: [banbo],
        fingerprint:
          'SELECT (SELECT count(*) FROM disbursement) AS n, (SELECT sum(disbursed_amount)::text FROM funding_allocation) AS d, (SELECT max(updated_at) FROM funding_allocation) AS u',
      },
      {
        who: 'ADMIN',
        list: 'units',
        filter: {},
        kind: 'UNITS',
        expected: 'SELECT count(*) AS n FROM unit',
        params: [],
        fingerprint: 'SELECT count(*) AS n, max(updated_at) AS u, sum(version) AS v FROM unit',
      },
    ];
    for (const c of cases) {
      const n = await count(c.expected, c.params);
      expect(n).toBeGreaterThan(10);
      const token = await t.tokenOf(c.who);
      const ex = await t.as(c.who, EXPORT, { l: c.list, f: c.filter, fmt: 'XLSX' });
      expect(ex.errors).toBeUndefined();
      const file = await download(t, token, ex.data.exportList.id);
      const up = await upload(t, token, `${c.list}.xlsx`, file.data);
      expect(up.status).toBe(201);
      const before = await t.db(c.fingerprint);
      const r = await run(c.who, up.body.id, c.kind, false);
      expect(r.r.errors).toBeUndefined();
      expect({ list: c.list, ...r.res, rows: undefined }).toEqual({
        list: c.list,
        created: 0,
        updated: 0,
        unchanged: n,
        committed: true,
        errors: [],
        rows: undefined,
      });
      expect(await t.db(c.fingerprint)).toEqual(before);
    }
  });
});
