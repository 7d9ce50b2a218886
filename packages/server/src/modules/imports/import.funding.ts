import { Role } from '../../auth/roles';
import { sql } from '../../db/sql';
import { FundingSource } from '../funding/funding.enums';
import { enumLookup, flagDuplicates, type ImportHandler, type ImportRun, type RowReader } from './import.core';
import { componentsByCode, ledPairs, unitsByCode, withUnitsChecked, type ComponentRef, type UnitRef } from './import.lookup';
import { ImportAction } from './import.types';

/** Vietnamese names of the funding sources (DOMAIN.md §3), accepted besides the codes. */
export const SOURCE_NAMES: Record<FundingSource, string[]> = {
  CENTRAL_INVESTMENT: ['Vốn đầu tư phát triển NSTW', 'Đầu tư phát triển', 'NSTW đầu tư'],
  CENTRAL_RECURRENT: ['Vốn sự nghiệp NSTW', 'Sự nghiệp', 'NSTW sự nghiệp'],
  LOCAL_BUDGET: ['Ngân sách địa phương', 'NSĐP'],
  INTEGRATED: ['Vốn lồng ghép', 'Lồng ghép'],
  POLICY_CREDIT: ['Tín dụng chính sách', 'NHCSXH'],
  MOBILIZED: ['Vốn huy động', 'Huy động', 'Khác'],
};
const SOURCES = enumLookup(SOURCE_NAMES);

const FUNDING_WRITERS = [Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER];

interface AllocationKeyRow {
  row: number;
  componentCode: string;
  unitCode: string;
  year: number;
  source: FundingSource;
  component?: ComponentRef;
  unit?: UnitRef;
}

/** Resolves component and unit codes, the phase, the caller's scope and lead-agency rights; errors per row. */
async function resolveAllocationKeys<T extends AllocationKeyRow>(run: ImportRun, items: T[]): Promise<T[]> {
  const units = await unitsByCode(
    run,
    items.map((i) => i.unitCode),
  );
  const components = await componentsByCode(
    run,
    items.map((i) => i.componentCode),
  );
  const ok: T[] = [];
  for (const it of items) {
    const c = components.get(it.componentCode);
    const u = units.get(it.unitCode);
    let good = true;
    if (!c || c.archived) {
      run.error(it.row, 'componentCode', it.componentCode, 'Mã dự án không tồn tại', 'Unknown component code');
      good = false;
    } else if (it.year < c.startYear || it.year > c.endYear) {
      run.error(
        it.row,
        'year',
        it.year,
        `Năm phải trong giai đoạn ${c.startYear}–${c.endYear}`,
        `The year must lie in ${c.startYear}–${c.endYear}`,
      );
      good = false;
    }
    if (!u || u.archived) {
      run.error(it.row, 'unitCode', it.unitCode, 'Mã đơn vị không tồn tại', 'Unknown unit code');
      good = false;
    } else if (!u.inScope) {
      run.error(it.row, 'unitCode', it.unitCode, 'Đơn vị ngoài phạm vi của bạn', "The unit is outside the caller's scope");
      good = false;
    } else if (u.kind === 'AGENCY') {
      run.error(
        it.row,
        'unitCode',
        it.unitCode,
        'Vốn được giao cho đơn vị hành chính, không cho cơ quan',
        'Funds are allocated to administrative units, not agencies',
      );
      good = false;
    }
    if (good) {
      it.component = c;
      it.unit = u;
      ok.push(it);
    }
  }
  if (run.caller.role !== Role.AGENCY_OFFICER) return ok;
  const led = await ledPairs(
    run,
    ok.map((i) => ({ componentId: i.component!.id, unitId: i.unit!.id })),
  );
  return ok.filter((i) => {
    if (led.has(`${i.component!.id}:${i.unit!.id}`)) return true;
    run.error(
      i.row,
      'componentCode',
      i.componentCode,
      'Cơ quan của bạn không chủ trì dự án này tại đơn vị này',
      'Your agency does not lead this component in this unit',
    );
    return false;
  });
}

function readKey(r: RowReader): Omit<AllocationKeyRow, 'row'> | null {
  const componentCode = r.text('componentCode', true, 64);
  const unitCode = r.text('unitCode', true, 64);
  const year = r.int('year', true, 2000, 2100);
  const source = r.oneOf('source', SOURCES);
  if (componentCode === null || unitCode === null || year === null || source === null) return null;
  return { componentCode, unitCode, year, source };
}

const keyOf = (i: AllocationKeyRow) => `${i.componentCode}\u0000${i.unitCode}\u0000${i.year}\u0000${i.source}`;

interface AllocationItem extends AllocationKeyRow {
  planned: string;
  allocated: string;
  decisionRef: string | null;
}

/** ALLOCATIONS: upsert by (component, unit, year, source); a changed figure is a revision, as reviseFundingAllocation does. */
export const allocationsImport: ImportHandler = {
  entityType: 'FundingAllocation',
  roles: FUNDING_WRITERS,
  columns: [
    { key: 'componentCode', labels: ['Mã dự án', 'Mã dự án/tiểu dự án', 'Dự án'], required: true },
    { key: 'componentName', labels: ['Tên dự án'], ignored: true },
    { key: 'unitCode', labels: ['Mã đơn vị', 'Đơn vị'], required: true },
    { key: 'unitName', labels: ['Tên đơn vị'], ignored: true },
    { key: 'year', labels: ['Năm'], required: true },
    { key: 'source', labels: ['Nguồn vốn'], required: true },
    { key: 'plannedAmount', labels: ['Kế hoạch vốn', 'Kế hoạch'], required: true },
    { key: 'allocatedAmount', labels: ['Vốn được giao', 'Vốn giao', 'Đã giao'], required: true },
    { key: 'disbursedAmount', labels: ['Đã giải ngân'], ignored: true },
    { key: 'disbursementRate', labels: ['Tỷ lệ giải ngân'], ignored: true },
    { key: 'decisionRef', labels: ['Số quyết định', 'Quyết định'] },
    { key: 'id', labels: ['ID'], ignored: true },
  ],
  async run(run, rows) {
    const parsed: AllocationItem[] = [];
    for (const [n, r] of rows.entries()) {
      run.tick('parse', n, rows.length);
      const key = readKey(r);
      const planned = r.money('plannedAmount');
      const allocated = r.money('allocatedAmount');
      const decisionRef = r.text('decisionRef', false, 500);
      if (key && planned !== null && allocated !== null && !run.isBad(r.row))
        parsed.push({ row: r.row, ...key, planned, allocated, decisionRef });
    }
    run.progress('check', 0, parsed.length);
    const unique = flagDuplicates(
      run,
      parsed,
      (i) => i.row,
      keyOf,
      'componentCode',
      (i) => `${i.componentCode} / ${i.unitCode} / ${i.year} / ${i.source}`,
    );
    const items = await resolveAllocationKeys(run, unique);
    await withUnitsChecked(
      run,
      items.map((i) => i.unit!.id),
      async () => {
        const existing = await sql<{
          i: number;
          id: string;
          planned: string;
          allocated: string;
          disbursed: string;
          decision_ref: string | null;
        }>(
          run.em,
          `SELECT x.i, a.id::text, a.planned_amount::text AS planned, a.allocated_amount::text AS allocated, a.disbursed_amount::text AS disbursed, a.decision_ref
       FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::int[], ?::text[]) x(i, c, u, y, s)
       JOIN funding_allocation a ON a.component_id = x.c AND a.unit_id = x.u AND a.year = x.y AND a.source::text = x.s
       ${run.dryRun ? '' : 'FOR UPDATE OF a'}`,
          [
            items.map((_, i) => i),
            items.map((i) => i.component!.id),
            items.map((i) => i.unit!.id),
            items.map((i) => i.year),
            items.map((i) => i.source),
          ],
        );
        const byIndex = new Map(existing.map((e) => [e.i, e]));
        const creates: AllocationItem[] = [];
        const updates: (AllocationItem & { id: string })[] = [];
        items.forEach((it, i) => {
          const e = byIndex.get(i);
          if (!e) {
            creates.push(it);
            return;
          }
          const sameRef = it.decisionRef === null || it.decisionRef === e.decision_ref;
          if (it.planned === e.planned && it.allocated === e.allocated && sameRef) {
            run.act(it.row, ImportAction.UNCHANGED);
            return;
          }
          if (BigInt(it.allocated) < BigInt(e.disbursed)) {
            run.error(
              it.row,
              'allocatedAmount',
              it.allocated,
              `Không thể giao vốn thấp hơn số đã giải ngân (${e.disbursed} đồng)`,
              `Cannot allocate less than already disbursed (${e.disbursed} VND)`,
            );
            return;
          }
          updates.push({ ...it, id: e.id });
        });
        for (const c of creates) if (!run.isBad(c.row)) run.act(c.row, ImportAction.CREATE);
        for (const u of updates) if (!run.isBad(u.row)) run.act(u.row, ImportAction.UPDATE);
        if (!run.writable) return;
        run.progress('write', 0, creates.length + updates.length);
        const who = run.userId;
        const reason = `Nhập từ tệp ${run.fileName}`;
        if (creates.length) {
          // The original figures of each new allocation are its first revision.
          const ids = await sql<{ id: string }>(
            run.em,
            `INSERT INTO funding_allocation (component_id, unit_id, year, source, planned_amount, allocated_amount, disbursed_amount, decision_ref, created_by, updated_by)
         SELECT x.c, x.u, x.y, x.s::funding_source, x.p, x.a, 0, x.d, ?::bigint, ?::bigint
         FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::numeric[], ?::numeric[], ?::text[]) x(c, u, y, s, p, a, d)
         RETURNING id::text`,
            [
              who,
              who,
              creates.map((c) => c.component!.id),
              creates.map((c) => c.unit!.id),
              creates.map((c) => c.year),
              creates.map((c) => c.source),
              creates.map((c) => c.planned),
              creates.map((c) => c.allocated),
              creates.map((c) => c.decisionRef),
            ],
          );
          await sql(
            run.em,
            `INSERT INTO funding_revision (allocation_id, planned_amount, allocated_amount, decision_ref, reason, created_by, updated_by)
         SELECT a.id, a.planned_amount, a.allocated_amount, a.decision_ref, NULL, ?::bigint, ?::bigint FROM funding_allocation a WHERE a.id = ANY(?::bigint[])`,
            [who, who, ids.map((r) => r.id)],
          );
        }
        run.progress('write', creates.length, creates.length + updates.length);
        if (updates.length) {
          await sql(
            run.em,
            `WITH upd AS (
           UPDATE funding_allocation a SET planned_amount = x.p, allocated_amount = x.a, decision_ref = COALESCE(x.d, a.decision_ref),
             version = a.version + 1, updated_at = now(), updated_by = ?::bigint
           FROM unnest(?::bigint[], ?::numeric[], ?::numeric[], ?::text[]) x(id, p, a, d)
           WHERE a.id = x.id
           RETURNING a.id, a.planned_amount, a.allocated_amount, a.decision_ref)
         INSERT INTO funding_revision (allocation_id, planned_amount, allocated_amount, decision_ref, reason, created_by, updated_by)
         SELECT id, planned_amount, allocated_amount, decision_ref, ?, ?::bigint, ?::bigint FROM upd`,
            [
              who,
              updates.map((u) => u.id),
              updates.map((u) => u.planned),
              updates.map((u) => u.allocated),
              updates.map((u) => u.decisionRef),
              reason,
              who,
              who,
            ],
          );
        }
        run.progress('write', creates.length + updates.length, creates.length + updates.length);
      },
      'funding_rollup',
    );
  },
};

interface DisbursementItem extends AllocationKeyRow {
  date: string;
  amount: string;
  reference: string | null;
}

/**
 * DISBURSEMENTS: ledger entries, never edited; a line identical to a recorded one (allocation, date,
 * amount, reference) is unchanged, so importing the same file twice records nothing the second time.
 * The running total of each allocation stays within 0 and the allocated amount, in file order.
 */
export const disbursementsImport: ImportHandler = {
  entityType: 'Disbursement',
  roles: FUNDING_WRITERS,
  columns: [
    { key: 'componentCode', labels: ['Mã dự án', 'Mã dự án/tiểu dự án', 'Dự án'], required: true },
    { key: 'unitCode', labels: ['Mã đơn vị', 'Đơn vị'], required: true },
    { key: 'unitName', labels: ['Tên đơn vị'], ignored: true },
    { key: 'year', labels: ['Năm', 'Năm kế hoạch'], required: true },
    { key: 'source', labels: ['Nguồn vốn'], required: true },
    { key: 'date', labels: ['Ngày giải ngân', 'Ngày'], required: true },
    { key: 'amount', labels: ['Số tiền', 'Số tiền giải ngân'], required: true },
    { key: 'reference', labels: ['Số chứng từ', 'Chứng từ'] },
    { key: 'id', labels: ['ID'], ignored: true },
  ],
  async run(run, rows) {
    const parsed: DisbursementItem[] = [];
    for (const [n, r] of rows.entries()) {
      run.tick('parse', n, rows.length);
      const key = readKey(r);
      const date = r.date('date');
      const amount = r.money('amount', true, true);
      const reference = r.text('reference', false, 500);
      if (amount !== null && BigInt(amount) === 0n)
        run.error(r.row, 'amount', amount, 'Số tiền phải khác 0', 'The amount must not be zero');
      if (key && date && amount !== null && !run.isBad(r.row)) {
        const first = `${key.year}-01-01`;
        const last = `${key.year + 1}-12-31`;
        if (date < first || date > last) {
          run.error(r.row, 'date', date, `Ngày giải ngân phải từ ${first} đến ${last}`, `The date must lie between ${first} and ${last}`);
          continue;
        }
        parsed.push({ row: r.row, ...key, date, amount, reference });
      }
    }
    const unique = flagDuplicates(
      run,
      parsed,
      (i) => i.row,
      (i) => `${keyOf(i)}\u0000${i.date}\u0000${i.amount}\u0000${i.reference ?? ''}`,
      'amount',
      (i) => `${i.date} / ${i.amount}`,
    );
    const items = await resolveAllocationKeys(run, unique);
    await withUnitsChecked(
      run,
      items.map((i) => i.unit!.id),
      async () => {
        const found = await sql<{ i: number; id: string | null; allocated: string | null; disbursed: string | null; recorded: boolean }>(
          run.em,
          `SELECT x.i, a.id::text, a.allocated_amount::text AS allocated, a.disbursed_amount::text AS disbursed,
         EXISTS (SELECT 1 FROM disbursement d WHERE d.allocation_id = a.id AND d.date = x.dt AND d.amount = x.amt AND d.reference IS NOT DISTINCT FROM x.ref) AS recorded
       FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::date[], ?::numeric[], ?::text[]) x(i, c, u, y, s, dt, amt, ref)
       LEFT JOIN funding_allocation a ON a.component_id = x.c AND a.unit_id = x.u AND a.year = x.y AND a.source::text = x.s`,
          [
            items.map((_, i) => i),
            items.map((i) => i.component!.id),
            items.map((i) => i.unit!.id),
            items.map((i) => i.year),
            items.map((i) => i.source),
            items.map((i) => i.date),
            items.map((i) => i.amount),
            items.map((i) => i.reference),
          ],
        );
        if (!run.dryRun) {
          const ids = [...new Set(found.map((f) => f.id).filter((x): x is string => !!x))];
          if (ids.length) await sql(run.em, 'SELECT 1 FROM funding_allocation WHERE id = ANY(?::bigint[]) FOR UPDATE', [ids]);
        }
        const byIndex = new Map(found.map((f) => [f.i, f]));
        const running = new Map<string, { total: bigint; allocated: bigint }>();
        const creates: (DisbursementItem & { allocationId: string })[] = [];
        items.forEach((it, i) => {
          const f = byIndex.get(i);
          if (!f?.id) {
            run.error(
              it.row,
              'source',
              it.source,
              'Chưa có dòng vốn cho dự án, đơn vị, năm và nguồn này',
              'No allocation for this component, unit, year and source',
            );
            return;
          }
          if (f.recorded) {
            run.act(it.row, ImportAction.UNCHANGED);
            return;
          }
          const acc = running.get(f.id) ?? { total: BigInt(f.disbursed!), allocated: BigInt(f.allocated!) };
          const next = acc.total + BigInt(it.amount);
          if (next < 0n) {
            run.error(it.row, 'amount', it.amount, 'Tổng giải ngân không được nhỏ hơn 0', 'The disbursed total must not go below zero');
            return;
          }
          if (next > acc.allocated) {
            run.error(
              it.row,
              'amount',
              it.amount,
              `Tổng giải ngân vượt số vốn được giao (${acc.allocated} đồng)`,
              `The disbursed total would exceed the allocation (${acc.allocated} VND)`,
            );
            return;
          }
          acc.total = next;
          running.set(f.id, acc);
          creates.push({ ...it, allocationId: f.id });
          run.act(it.row, ImportAction.CREATE);
        });
        if (!run.writable || !creates.length) return;
        const who = run.userId;
        await sql(
          run.em,
          `INSERT INTO disbursement (allocation_id, unit_id, date, amount, reference, created_by, updated_by)
       SELECT x.a, x.u, x.dt, x.amt, x.ref, ?::bigint, ?::bigint FROM unnest(?::bigint[], ?::bigint[], ?::date[], ?::numeric[], ?::text[]) x(a, u, dt, amt, ref)`,
          [
            who,
            who,
            creates.map((c) => c.allocationId),
            creates.map((c) => c.unit!.id),
            creates.map((c) => c.date),
            creates.map((c) => c.amount),
            creates.map((c) => c.reference),
          ],
        );
        await sql(
          run.em,
          `UPDATE funding_allocation a SET disbursed_amount = a.disbursed_amount + s.total, updated_at = now(), updated_by = ?::bigint
       FROM (SELECT x.a, sum(x.amt) AS total FROM unnest(?::bigint[], ?::numeric[]) x(a, amt) GROUP BY x.a) s WHERE a.id = s.a`,
          [who, creates.map((c) => c.allocationId), creates.map((c) => c.amount)],
        );
      },
      'funding_rollup',
    );
  },
};
