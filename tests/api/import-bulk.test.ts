import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';
import { storeFile } from '../../packages/server/src/modules/files/file.service';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-import-bulk-'));
const t = useTestApp({ dataDir });

const IMPORT =
  'mutation($f: ID!, $k: ImportKind!, $d: Boolean!) { importFile(fileId: $f, kind: $k, dryRun: $d) { created updated unchanged committed errors { row column message } } }';
const SOURCES = ['CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED'];
const ROWS = 100_000;

describe('bulk import', () => {
  it(`imports ${ROWS} allocation rows set-wise in well under a minute, and the same file again changes nothing`, async () => {
    // 200 communes under Tam Đường, then 18 components × 200 units × 5 years × 6 sources = 108,000 distinct keys.
    await t.db(
      `WITH d AS (SELECT id, path FROM unit WHERE code = 'LAICHAU.TAMDUONG'), n AS (SELECT g, nextval(pg_get_serial_sequence('unit', 'id')) AS id FROM generate_series(1, 200) g)
       INSERT INTO unit (id, code, name, kind, parent_id, path, level) SELECT n.id, 'BULK.' || lpad(g::text, 4, '0'), 'Xã thử ' || g, 'COMMUNE', d.id, d.path || n.id || '/', 2 FROM n, d`,
    );
    const components = (await t.db<{ code: string }>('SELECT code FROM program_component ORDER BY code')).map((c) => c.code);
    const lines = ['Mã dự án,Mã đơn vị,Năm,Nguồn vốn,Kế hoạch vốn,Vốn được giao,Số quyết định'];
    outer: for (let u = 1; u <= 200; u++) {
      for (const c of components) {
        for (let y = 2021; y <= 2025; y++) {
          for (const s of SOURCES) {
            const n = lines.length;
            // Vietnamese grouping on every other row: "1.000.000" and plain "1000000".
            const planned = 1_000_000 + n;
            const vn = n % 2 === 0 ? `"${planned.toLocaleString('de-DE')}"` : String(planned);
            lines.push(`${c},BULK.${String(u).padStart(4, '0')},${y},${s},${vn},${planned - 1},QĐ ${n}`);
            if (lines.length > ROWS) break outer;
          }
        }
      }
    }
    expect(lines.length).toBe(ROWS + 1);
    const data = Buffer.from(`\uFEFF${lines.join('\n')}\n`, 'utf8');
    const [u] = await t.db<{ id: string; unit_id: string }>(
      "SELECT id::text, unit_id::text FROM app_user WHERE username = 'td.coordinator'",
    );
    const file = await storeFile(t.orm.em.fork() as never, dataDir, {
      name: 'bulk.csv',
      contentType: 'text/csv',
      data,
      unitId: u.unit_id,
      userId: u.id,
    });

    const t0 = Date.now();
    const first = await t.as('COORDINATOR', IMPORT, { f: file.id, k: 'ALLOCATIONS', d: false });
    const firstMs = Date.now() - t0;
    expect(first.errors).toBeUndefined();
    expect(first.data.importFile).toEqual({ created: ROWS, updated: 0, unchanged: 0, committed: true, errors: [] });
    const t1 = Date.now();
    const second = await t.as('COORDINATOR', IMPORT, { f: file.id, k: 'ALLOCATIONS', d: false });
    const secondMs = Date.now() - t1;
    expect(second.data.importFile).toEqual({ created: 0, updated: 0, unchanged: ROWS, committed: true, errors: [] });
    console.log(
      `[bulk import] ${ROWS} rows (${(data.length / 1e6).toFixed(1)} MB CSV): first import ${firstMs} ms, second (unchanged) ${secondMs} ms`,
    );
    expect(firstMs).toBeLessThan(30_000);
    expect(secondMs).toBeLessThan(30_000);

    const [sum] = await t.db(
      `SELECT count(*)::int AS n, sum(planned_amount)::text AS planned, (SELECT count(*)::int FROM funding_revision r JOIN funding_allocation a ON a.id = r.allocation_id JOIN unit x ON x.id = a.unit_id WHERE x.code LIKE 'BULK.%') AS revisions
       FROM funding_allocation a JOIN unit x ON x.id = a.unit_id WHERE x.code LIKE 'BULK.%'`,
    );
    // planned = 1,000,000 + n for n = 1..100,000: 100,000 × 1,000,000 + 100,000 × 100,001 / 2 = 105,000,050,000
    expect(sum).toEqual({ n: ROWS, planned: '105000050000', revisions: ROWS });
  }, 180_000);
});
