import { describe, expect, it } from 'vitest';
import { ReferenceKind, type EntityClass } from '@mikro-orm/postgresql';
import { useTestApp } from '../support/app';
import { hydrateRows } from '../../packages/server/src/db/hydrate';

const t = useTestApp();

/** What GraphQL can read of a record: scalars as values, links by id. */
function readable(obj: Record<string, any>, props: { name: string; kind: string }[]) {
  const out: Record<string, unknown> = { archived: obj.archived };
  for (const p of props) {
    const v = obj[p.name];
    out[p.name] = p.kind === ReferenceKind.SCALAR ? v : v == null ? null : String(v.id);
  }
  return out;
}

describe('read-only hydration (lists, nested lists, loaders)', () => {
  it('gives every field of every table exactly what em.map gives, for every seeded row', async () => {
    const em = t.orm.em.fork();
    const checked: string[] = [];
    let rowsChecked = 0;
    for (const meta of Object.values(t.orm.getMetadata().getAll())) {
      if (meta.abstract || meta.virtual || meta.pivotTable || !meta.class || !meta.tableName) continue;
      const rows = (await em.getKnex().raw(`SELECT * FROM ${meta.tableName} ORDER BY 1 LIMIT 200`)).rows as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const props = meta.props
        .filter((p) => p.persist !== false && p.fieldNames?.length === 1)
        .filter(
          (p) =>
            p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner),
        )
        .map((p) => ({ name: p.name, kind: p.kind as string }));
      const light = hydrateRows(em, meta.class as EntityClass<object>, rows);
      rows.forEach((row, i) => {
        const managed = em.fork().map(meta.class as EntityClass<object>, { ...row });
        const mine = light[i] as Record<string, any>;
        expect(mine).toBeInstanceOf(meta.class);
        expect(readable(mine, props), `${meta.className} row ${i}`).toStrictEqual(readable(managed as Record<string, any>, props));
      });
      checked.push(meta.className);
      rowsChecked += rows.length;
    }
    // The seed (units, programs, funding, reporting rules, missions, indicators) covers the read paths that matter.
    for (const name of [
      'Unit',
      'Program',
      'ProgramComponent',
      'FundingAllocation',
      'Disbursement',
      'DeadlineRule',
      'CalendarDay',
      'Mission',
      'IndicatorValue',
      'User',
    ]) {
      expect(checked).toContain(name);
    }
    expect(rowsChecked).toBeGreaterThan(1000);
  });

  it('leaves the unit of work alone: hydrated rows are not managed', async () => {
    const em = t.orm.em.fork();
    const { Unit } = await import('../../packages/server/src/modules/units/unit.entity');
    const rows = (await em.getKnex().raw('SELECT * FROM unit ORDER BY id LIMIT 5')).rows;
    hydrateRows(em, Unit, rows);
    expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
  });
});
