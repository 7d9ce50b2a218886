import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';
import { storeFile } from '../../packages/server/src/modules/files/file.service';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-import-concurrency-'));
const t = useTestApp({ dataDir });

const IMPORT =
  'mutation($f: ID!, $k: ImportKind!, $d: Boolean!) { importFile(fileId: $f, kind: $k, dryRun: $d) { created updated unchanged committed errors { row message } } }';
const HEADER = 'Mã dự án,Mã đơn vị,Năm,Nguồn vốn,Kế hoạch vốn,Vốn được giao,Số quyết định';

async function store(name: string, lines: string[]): Promise<string> {
  const [u] = await t.db<{ id: string; unit_id: string }>("SELECT id::text, unit_id::text FROM app_user WHERE username = 'td.coordinator'");
  const data = Buffer.from(`${[HEADER, ...lines].join('\n')}\n`, 'utf8');
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
});
