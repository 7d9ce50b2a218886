import DataLoader from 'dataloader';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { ReferenceKind } from '@mikro-orm/core';
import type { EntityClass } from '@mikro-orm/core';
import type { Ctx } from './context';
import { sql } from '../db/sql';
import { hydrateRows } from '../db/hydrate';
import { listPagesByParent, wantsTotal, type Connection, type ListArgsShape, type ListDef } from './list';
import { byIdSelect, projection } from './projection';
import { selectedUnder, subfieldNodes } from './selection';

/** Fields of a row type that resolve through `byId`: the entity, its table and each row's id. */
type Links = Record<string, [EntityClass<object>, string, (string | null | undefined)[]]>;

/** Whether every occurrence of a field selects nothing of its record but `id` (and `__typename`). */
const asksOnlyIdCache = new WeakMap<readonly FieldNode[], boolean>();
function asksOnlyId(nodes: readonly FieldNode[]): boolean {
  let answer = asksOnlyIdCache.get(nodes);
  if (answer === undefined) {
    answer =
      nodes.length > 0 &&
      nodes.every((n) =>
        (n.selectionSet?.selections ?? []).every((s) => s.kind === 'Field' && (s.name.value === 'id' || s.name.value === '__typename')),
      );
    asksOnlyIdCache.set(nodes, answer);
  }
  return answer;
}

/** Records by id: synchronous once loaded in the request, batched before. */
export interface RecordLoader<T> {
  load(id: string): T | null | Promise<T | null>;
  loadMany(ids: readonly string[]): Promise<(T | null)[]>;
  /** Records read by another statement of this request (as the request role, so what `load` would read). */
  prime(records: readonly T[]): void;
}

/**
 * Per-request batching: every nested field goes through one of these, so the number of SQL
 * statements depends on the depth of a query, never on the size of a page.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();
  private readonly records = new Map<string, RecordLoader<object>>();
  constructor(private readonly ctx: () => Ctx) {}

  private loader<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let l = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!l) {
      l = new DataLoader<string, V>(batch, { cache: true });
      this.cache.set(key, l as DataLoader<string, unknown>);
    }
    return l;
  }

  /**
   * Records by id (no scope check: use for reference data and for records reached through an in-scope
   * parent). A record already loaded in this request is returned as is, not as a promise: a page of a
   * thousand rows that each name one of a dozen components then resolves without a thousand promises
   * (half of the CPU of such a page, bench Q1).
   */
  byId<T extends object>(entity: EntityClass<T>, table: string): RecordLoader<T> {
    let records = this.records.get(table) as RecordLoader<T> | undefined;
    if (!records) {
      const known = new Map<string, T | null>();
      const loader = this.loader(`id:${table}`, async (ids) => {
        const em = this.ctx().em;
        // By primary key, whatever the batch: planned once per connection.
        const select = byIdSelect(em, entity, 't');
        const rows = await sql<Record<string, unknown>>(em, `SELECT ${select.columns} FROM ${table} t WHERE t.id = ANY(?)`, [[...ids]], {
          prepared: select.prepared,
        });
        const hydrated = hydrateRows(em, entity, rows);
        const byId = new Map(rows.map((r, i) => [String(r.id), hydrated[i]]));
        return ids.map((id) => {
          const record = byId.get(String(id)) ?? null;
          known.set(String(id), record);
          return record;
        });
      });
      records = {
        load: (id) => (known.has(String(id)) ? known.get(String(id))! : loader.load(String(id))),
        loadMany: async (ids) => (await loader.loadMany(ids.map(String))).map((r) => (r instanceof Error ? null : r)),
        prime: (list) => {
          for (const r of list) known.set(String((r as { id: string }).id), r);
        },
      };
      this.records.set(table, records as RecordLoader<object>);
    }
    return records;
  }

  /**
   * Loads, in one statement per linked table, the records the selection under `nodes` asks for through a
   * many-to-one link of `entity` (a GraphQL field named as the link, resolved with `byId`), so their field
   * resolvers answer synchronously.
   */
  async prefetchLinks<T extends object>(entity: EntityClass<T>, nodes: T[], info: GraphQLResolveInfo): Promise<void> {
    const meta = nodes.length ? this.ctx().em.getMetadata().find(entity.name) : undefined;
    if (!meta) return;
    const selected = selectedUnder(info, 'nodes');
    const links: Links = {};
    for (const prop of meta.props) {
      if (prop.kind !== ReferenceKind.MANY_TO_ONE || !prop.targetMeta || !selected.has(prop.name)) continue;
      const ids = nodes.map((n) => (n as Record<string, { id?: string } | null | undefined>)[prop.name]?.id);
      links[prop.name] = [prop.targetMeta.class as EntityClass<object>, prop.targetMeta.tableName, ids];
    }
    await this.loadSelected(selected, links);
  }

  /**
   * For rows that are not records (summary rows): loads, in one statement per table, the records that
   * the selected fields among `links` name, so their resolvers answer synchronously.
   */
  prefetch(info: GraphQLResolveInfo, links: Links): Promise<void> {
    const selected = selectedUnder(info, null);
    // A link asked for its id only is answered from the id (see `named`): nothing to load.
    for (const field of selected) if (asksOnlyId(subfieldNodes(info, field))) selected.delete(field);
    return this.loadSelected(selected, links);
  }

  /**
   * The record a summary row names, for a field resolver of that row. When the query asks nothing of it
   * but its id, the answer is built from the id without loading the row: the summary's own scoped SQL
   * found that id, so the record exists and is visible (only a summary's rows may use this).
   */
  named<T extends object>(entity: EntityClass<T>, table: string, id: string | null | undefined, info: GraphQLResolveInfo) {
    if (!id) return null;
    // Nothing but `id` (and `__typename`, which GraphQL answers from the field's type) is read from it.
    if (asksOnlyId(info.fieldNodes)) return { id } as unknown as T;
    return this.byId(entity, table).load(id);
  }

  private async loadSelected(selected: Set<string>, links: Links): Promise<void> {
    await Promise.all(
      Object.entries(links)
        .filter(([field]) => selected.has(field))
        .map(([, [entity, table, ids]]) => {
          const distinct = [...new Set(ids.filter((id): id is string => !!id))];
          return distinct.length ? this.byId(entity, table).loadMany(distinct) : undefined;
        }),
    );
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
    const wantCursor = info === undefined || (info !== false && selectedUnder(info, 'pageInfo').has('endCursor'));
    // Only the columns the selection needs (graphql/projection.ts); whole rows without a selection to go by.
    const columns = projection(this.ctx().em, def.opts.entity as EntityClass<object>, info || undefined, def.opts.fieldColumns);
    const key = `conn:${def.opts.name}:${linkColumn}:${wantTotal}:${wantCursor}:${columns}:${JSON.stringify(args)}`;
    return this.loader(key, async (ids) => {
      const pages = await listPagesByParent(this.ctx(), def, args, linkColumn, ids, wantTotal, columns, wantCursor);
      if (info)
        await this.prefetchLinks(
          def.opts.entity,
          pages.flatMap((p) => p.nodes),
          info,
        );
      return pages;
    });
  }
}
