import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { Ctx } from './context';
import { sql } from '../db/sql';
import { hydrateRows } from '../db/hydrate';
import { listPagesByParent, wantsTotal, type Connection, type ListArgsShape, type ListDef } from './list';

/**
 * Per-request batching: every nested field goes through one of these, so the number of SQL
 * statements depends on the depth of a query, never on the size of a page.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();
  constructor(private readonly ctx: () => Ctx) {}

  private loader<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let l = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!l) {
      l = new DataLoader<string, V>(batch, { cache: true });
      this.cache.set(key, l as DataLoader<string, unknown>);
    }
    return l;
  }

  /** Records by id (no scope check: use for reference data and for records reached through an in-scope parent). */
  byId<T extends object>(entity: EntityClass<T>, table: string): DataLoader<string, T | null> {
    return this.loader(`id:${table}`, async (ids) => {
      const em = this.ctx().em;
      const rows = await sql<Record<string, unknown>>(em, `SELECT * FROM ${table} WHERE id = ANY(?)`, [[...ids]]);
      const records = hydrateRows(em, entity, rows);
      const byId = new Map(rows.map((r, i) => [String(r.id), records[i]]));
      return ids.map((id) => byId.get(String(id)) ?? null);
    });
  }

  /** Rows grouped by a foreign key (plain lists such as a program's components), in a fixed order. */
  manyBy<T extends object>(entity: EntityClass<T>, table: string, column: string, where = 'TRUE', order = 'id'): DataLoader<string, T[]> {
    return this.loader(`many:${table}:${column}:${where}:${order}`, async (keys) => {
      const em = this.ctx().em;
      const rows = await sql<Record<string, unknown>>(
        em,
        `SELECT * FROM ${table} WHERE ${column} = ANY(?) AND ${where} ORDER BY ${order}`,
        [[...keys]],
      );
      const records = hydrateRows(em, entity, rows);
      const grouped = new Map<string, T[]>();
      rows.forEach((r, i) => {
        const k = String(r[column]);
        if (!grouped.has(k)) grouped.set(k, []);
        grouped.get(k)!.push(records[i]);
      });
      return keys.map((k) => grouped.get(String(k)) ?? []);
    });
  }

  /**
   * Records linked to many parents by one statement whose rows carry the parent id as `__of`
   * (join tables such as a mission's target units). `params` builds the bindings from the parent ids.
   */
  linked<T extends object>(
    entity: EntityClass<T>,
    name: string,
    text: string,
    params: (ids: string[]) => unknown[] = (ids) => [ids],
  ): DataLoader<string, T[]> {
    return this.loader(`linked:${name}`, async (keys) => {
      const em = this.ctx().em;
      const rows = await sql<Record<string, unknown>>(em, text, params([...keys]));
      const records = hydrateRows(em, entity, rows);
      const grouped = new Map<string, T[]>();
      rows.forEach((r, i) => {
        const k = String(r.__of);
        if (!grouped.has(k)) grouped.set(k, []);
        grouped.get(k)!.push(records[i]);
      });
      return keys.map((k) => grouped.get(String(k)) ?? []);
    });
  }

  /** Any batch function, cached under a name. */
  custom<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    return this.loader(`custom:${name}`, batch);
  }

  /**
   * A nested connection (e.g. Unit.children(...)) for many parents in one statement per distinct args,
   * plus one to count them when the selection (`info`) asks for `totalCount` (`false`: never).
   */
  connection<T extends object>(
    def: ListDef<T>,
    linkColumn: string,
    args: ListArgsShape,
    info?: GraphQLResolveInfo | false,
  ): DataLoader<string, Connection<T>> {
    const wantTotal = info === undefined || (info !== false && wantsTotal(info));
    return this.loader(`conn:${def.opts.name}:${linkColumn}:${wantTotal}:${JSON.stringify(args)}`, (ids) =>
      listPagesByParent(this.ctx(), def, args, linkColumn, ids, wantTotal),
    );
  }
}
