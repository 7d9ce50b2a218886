import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';
import { storeFile } from '../../packages/server/src/modules/files/file.service';
import { normalizeError } from '../../packages/server/src/graphql/errors-format';
import type { AppError } from '../../packages/server/src/common/errors';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-import-concurrency-'));
const t = useTestApp({ dataDir });

const IMPORT =
  'mutation($f: ID!, $k: ImportKind!, $d: Boolean!) { importFile(fileId: $f, kind: $k, dryRun: $d) { created updated unchanged committed errors { row message } } }';
const HEADER = 'Mã dự án,Mã đơn vị,Năm,Nguồn vốn,Kế hoạch vốn,Vốn được giao,Số quyết định';

async function store(name: string, lines: string[], header = HEADER, username = 'td.coordinator'): Promise<string> {
  const [u] = await t.db<{ id: string; unit_id: string }>('SELECT id::text, unit_id::text FROM app_user WHERE username = $1', [username]);
  const data = Buffer.from(`${[header, ...lines].join('\n')}\n`, 'utf8');
  return (await storeFile(t.orm.em.fork() as never, dataDir, { name, contentType: 'text/csv', data, unitId: u.unit_id, userId: u.id })).id;
}

describe('concurrent imports into one province', () => {
  it('two imports that create and update lines of the same components in opposite order both commit, every time', async () => {
    // Each import first inserts its new line, then updates an existing one. The roll-up rows of a component
    // and year are shared by the whole province, so import A holds DA3.TDA1's and wants DA2's while import B
    // holds DA2's and wants DA3.TDA1's: without one order for whole imports, PostgreSQL aborts one (deadlock).
    // 2021 lies outside the demo ledger.
    const token = await t.token('td.coordinator');
    const sources = ['CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED'];
    for (const [round, source] of sources.entries()) {
      const line = (commune: string, component: string, amount: number) =>
        `${component},TAMDUONG.${commune},2021,${source},${amount},${amount},`;
      // The existing lines, one per component, in two communes.
      const seed = await store(`seed-${round}.csv`, [line('NATAM', 'DA2', 1000), line('SONBINH', 'DA3.TDA1', 1000)]);
      const seeded = await t.gql(IMPORT, { f: seed, k: 'ALLOCATIONS', d: false }, { token });
      expect(seeded.data.importFile).toEqual({ created: 2, updated: 0, unchanged: 0, committed: true, errors: [] });

      const a = await store(`a-${round}.csv`, [line('THENSIN', 'DA3.TDA1', 500), line('NATAM', 'DA2', 2000)]);
      const b = await store(`b-${round}.csv`, [line('GIANGMA', 'DA2', 700), line('SONBINH', 'DA3.TDA1', 3000)]);
      const [ra, rb] = await Promise.all([
        t.gql(IMPORT, { f: a, k: 'ALLOCATIONS', d: false }, { token }),
        t.gql(IMPORT, { f: b, k: 'ALLOCATIONS', d: false }, { token }),
      ]);
      expect(ra.errors).toBeUndefined();
      expect(rb.errors).toBeUndefined();
      expect(ra.data.importFile).toEqual({ created: 1, updated: 1, unchanged: 0, committed: true, errors: [] });
      expect(rb.data.importFile).toEqual({ created: 1, updated: 1, unchanged: 0, committed: true, errors: [] });
    }
    // The roll-up still equals the ledger it sums.
    const drift = await t.db<{ n: string }>(
      `SELECT count(*)::text AS n FROM (
         SELECT a.component_id, a.source, sum(a.allocated_amount) AS s FROM funding_allocation a
         JOIN unit u ON u.id = a.unit_id WHERE a.archived_at IS NULL AND a.year = 2021 GROUP BY 1, 2
       ) l FULL JOIN (
         SELECT r.component_id, r.source, sum(r.allocated_amount) AS s FROM funding_rollup r
         WHERE r.level = 0 AND r.year = 2021 GROUP BY 1, 2
       ) r USING (component_id, source) WHERE l.s IS DISTINCT FROM r.s`,
    );
    expect(drift[0].n).toBe('0');
  });

  it('two communes importing new and changed values of the same indicators in opposite order both commit, every time', async () => {
    // One upsert per import: its INSERT trigger pass locks the roll-up rows of the new values, then its UPDATE
    // pass those of the changed ones, so Bản Bo holds DA2.HO's province row and wants DA2.MOHINH's while
    // Bình Lư holds DA2.MOHINH's and wants DA2.HO's. 2021 holds no demo values.
    const HEADER_IND = 'indicatorCode,unitCode,year,period,value,textValue,numerator,denominator';
    const value = (indicator: string, commune: string, v: number) => `${indicator},TAMDUONG.${commune},2021,YEAR,${v},,,`;
    const as = { banbo: await t.token('td.banbo'), binhlu: await t.token('td.binhlu') };
    const importAs = async (who: keyof typeof as, name: string, lines: string[]) =>
      t.gql(IMPORT, { f: await store(name, lines, HEADER_IND, `td.${who}`), k: 'INDICATOR_VALUES', d: false }, { token: as[who] });
    expect((await importAs('banbo', 'seed-b.csv', [value('DA2.MOHINH', 'BANBO', 1)])).errors).toBeUndefined();
    expect((await importAs('binhlu', 'seed-l.csv', [value('DA2.HO', 'BINHLU', 1)])).errors).toBeUndefined();
    for (let round = 1; round <= 10; round++) {
      // The values each import creates are new again (a fixture reset; the API never deletes).
      await t.db(
        `DELETE FROM indicator_value v USING indicator i, unit u WHERE i.id = v.indicator_id AND u.id = v.unit_id AND v.year = 2021
           AND ((i.code = 'DA2.HO' AND u.code = 'TAMDUONG.BANBO') OR (i.code = 'DA2.MOHINH' AND u.code = 'TAMDUONG.BINHLU'))`,
      );
      const [rb, rl] = await Promise.all([
        importAs('banbo', `b-${round}.csv`, [value('DA2.HO', 'BANBO', 7), value('DA2.MOHINH', 'BANBO', round + 100)]),
        importAs('binhlu', `l-${round}.csv`, [value('DA2.MOHINH', 'BINHLU', 9), value('DA2.HO', 'BINHLU', round + 100)]),
      ]);
      expect(rb.errors).toBeUndefined();
      expect(rl.errors).toBeUndefined();
      expect(rb.data.importFile).toEqual({ created: 1, updated: 1, unchanged: 0, committed: true, errors: [] });
      expect(rl.data.importFile).toEqual({ created: 1, updated: 1, unchanged: 0, committed: true, errors: [] });
    }
    // The province's roll-up still equals the values it sums.
    const [sums] = await t.db<{ ledger: string; rollup: string }>(
      `SELECT (SELECT sum(v.value)::text FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id
                WHERE v.year = 2021 AND v.archived_at IS NULL AND i.code IN ('DA2.HO', 'DA2.MOHINH')) AS ledger,
              (SELECT sum(r.value_sum)::text FROM indicator_rollup r JOIN indicator i ON i.id = r.indicator_id
                WHERE r.year = 2021 AND r.level = 0 AND i.code IN ('DA2.HO', 'DA2.MOHINH')) AS rollup`,
    );
    expect(sums.rollup).toBe(sums.ledger);
  });

  it('answers a deadlock PostgreSQL resolved against a request with CONFLICT: it collided and was not carried out', async () => {
    // A real deadlock between two sessions, so the error has the driver's own shape.
    const [a, b] = [new Client({ connectionString: t.dbUrl }), new Client({ connectionString: t.dbUrl })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)');
      await a.query('INSERT INTO deadlock_probe VALUES (1), (2) ON CONFLICT DO NOTHING');
      await Promise.all([a.query('BEGIN'), b.query('BEGIN')]);
      await a.query('SELECT 1 FROM deadlock_probe WHERE id = 1 FOR UPDATE');
      await b.query('SELECT 1 FROM deadlock_probe WHERE id = 2 FOR UPDATE');
      const outcomes = await Promise.allSettled([
        a.query('SELECT 1 FROM deadlock_probe WHERE id = 2 FOR UPDATE'),
        b.query('SELECT 1 FROM deadlock_probe WHERE id = 1 FOR UPDATE'),
      ]);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(failed?.reason.code).toBe('40P01');
      const err = normalizeError(failed!.reason) as AppError;
      expect(err.extensions.code).toBe('CONFLICT');
      expect(err.message).toBe('Yêu cầu trùng lúc với một thao tác khác trên cùng dữ liệu và chưa được thực hiện; hãy thử lại');
      expect(err.msg.en).toBe('The request collided with another change to the same data and was not carried out; try again');
    } finally {
      await Promise.all([a.query('ROLLBACK').catch(() => undefined), b.query('ROLLBACK').catch(() => undefined)]);
      await a.query('DROP TABLE IF EXISTS deadlock_probe');
      await Promise.all([a.end(), b.end()]);
    }
  });
});
