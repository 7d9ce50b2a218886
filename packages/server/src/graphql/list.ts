import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass } from '@mikro-orm/core';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { badInput } from '../common/errors';
import { sql } from '../db/sql';
import { hydrateRows } from '../db/hydrate';
import { byIdSelect, linksToJoin, projection, type JoinedLink } from './projection';
import { isAdmin, type Caller } from '../auth/roles';
import type { Ctx } from './context';
import { DateScalar, DateTimeScalar, DecimalScalar, MoneyScalar } from './scalars';

// ---------------------------------------------------------------------------
// Operator inputs, shared by every list (API.md, Filters)
// ---------------------------------------------------------------------------

@InputType({ description: 'contains/startsWith ignore case and Vietnamese diacritics' })
export class StringFilter {
  @Field(() => String, { nullable: true }) eq?: string;
  @Field(() => String, { nullable: true }) ne?: string;
  @Field(() => [String], { nullable: true }) in?: string[];
  @Field(() => [String], { nullable: true }) notIn?: string[];
  @Field(() => String, { nullable: true }) contains?: string;
  @Field(() => String, { nullable: true }) startsWith?: string;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean;
}

function comparableFilter<T>(name: string, scalar: () => unknown) {
  @InputType(name)
  class ComparableFilter {
    @Field(scalar as never, { nullable: true }) eq?: T;
    @Field(scalar as never, { nullable: true }) ne?: T;
    @Field(() => [scalar()] as never, { nullable: true }) in?: T[];
    @Field(scalar as never, { nullable: true }) lt?: T;
    @Field(scalar as never, { nullable: true }) lte?: T;
    @Field(scalar as never, { nullable: true }) gt?: T;
    @Field(scalar as never, { nullable: true }) gte?: T;
    @Field(() => Boolean, { nullable: true }) isNull?: boolean;
  }
  return ComparableFilter;
}

export const IntFilter = comparableFilter<number>('IntFilter', () => Int);
export const MoneyFilter = comparableFilter<string>('MoneyFilter', () => MoneyScalar);
export const DecimalFilter = comparableFilter<string>('DecimalFilter', () => DecimalScalar);
export const DateFilter = comparableFilter<string>('DateFilter', () => DateScalar);
export const DateTimeFilter = comparableFilter<Date>('DateTimeFilter', () => DateTimeScalar);

@InputType()
export class IDFilter {
  @Field(() => ID, { nullable: true }) eq?: string;
  @Field(() => [ID], { nullable: true }) in?: string[];
  @Field(() => [ID], { nullable: true }) notIn?: string[];
}

const enumFilters = new Map<object, unknown>();
/** `{ eq in notIn }` for an enum, one input type per enum. */
export function enumFilter(enumObj: object, enumName: string): new () => object {
  const existing = enumFilters.get(enumObj);
  if (existing) return existing as new () => object;
  @InputType(`${enumName}Filter`)
  class EnumFilter {
    @Field(() => enumObj, { nullable: true }) eq?: string;
    @Field(() => [enumObj], { nullable: true }) in?: string[];
    @Field(() => [enumObj], { nullable: true }) notIn?: string[];
  }
  enumFilters.set(enumObj, EnumFilter);
  return EnumFilter;
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

// ---------------------------------------------------------------------------
// List specifications
// ---------------------------------------------------------------------------

export type FieldKind = 'string' | 'id' | 'int' | 'money' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'enum';

export interface FieldSpec {
  kind: FieldKind;
  /** SQL expression over the list's alias `t`. */
  column: string;
  enumType?: object;
  enumName?: string;
}

export interface SortSpec {
  column: string;
  /** Sort and compare in Vietnamese alphabetical order. */
  vietnamese?: boolean;
  nullable?: boolean;
}

export interface ExtraFilter {
  type: () => unknown;
  description?: string;
  /** Returns a SQL condition over alias `t`, pushing its parameters. */
  apply: (value: never, params: unknown[], ctx: Ctx) => string;
}

export interface ListOptions<T extends object> {
  /** GraphQL type name: XFilter, XOrderBy, XSortField and XConnection derive from it. */
  name: string;
  entity: EntityClass<T>;
  gqlType: () => unknown;
  table: string;
  fields: Record<string, FieldSpec>;
  sort: Record<string, SortSpec>;
  defaultSort?: { field: string; direction: SortDirection }[];
  /**
   * How the records tie to units. `column` is a unit id column; `units` gives a SQL
   * expression set of unit ids for records tied to several units (a mission's targets and lead unit).
   * Absent: the list is not tied to units.
   */
  unitLink?: { column: string } | { unitsSql: string };
  /** Reference data (units themselves): readable by every signed-in caller; `underUnit` still filters. */
  reference?: boolean;
  extraFilters?: Record<string, ExtraFilter>;
  /** Records without an archive (ledger entries): no `archived` filter, no archived_at column. */
  noArchive?: boolean;
  /**
   * The columns each field resolver of the record type reads (`[]`: only the id, e.g. a nested list by
   * parent id), so that a page reads only the columns its selection needs (graphql/projection.ts).
   * Links named as a many-to-one property need no entry. A resolver not listed makes pages read whole rows.
   */
  fieldColumns?: Record<string, readonly string[]>;
}

export interface ListArgsShape {
  filter?: Record<string, unknown> | null;
  orderBy?: { field: string; direction: SortDirection }[] | null;
  offset?: number | null;
  limit?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: PageInfo;
}

export interface ListDef<T extends object> {
  opts: ListOptions<T>;
  Filter: new () => object;
  OrderBy: new () => object;
  Connection: new () => Connection<T>;
  Args: new () => ListArgsShape;
}

const filterTypeByKind: Record<Exclude<FieldKind, 'enum'>, () => unknown> = {
  string: () => StringFilter,
  id: () => IDFilter,
  int: () => IntFilter,
  money: () => MoneyFilter,
  decimal: () => DecimalFilter,
  date: () => DateFilter,
  datetime: () => DateTimeFilter,
  boolean: () => Boolean,
};

type Decorate = (target: object, key: string) => void;
const field = (type: () => unknown, options: Record<string, unknown> = {}) =>
  Field(type as never, { nullable: true, ...options }) as unknown as Decorate;

/** Builds the GraphQL filter, ordering and connection types of a list and keeps its SQL spec. */
export function defineList<T extends object>(opts: ListOptions<T>): ListDef<T> {
  const { name } = opts;
  const sortEnum = Object.fromEntries(Object.keys(opts.sort).map((k) => [k, k]));
  registerEnumType(sortEnum, { name: `${name}SortField` });

  @InputType(`${name}OrderBy`)
  class OrderBy {
    @Field(() => sortEnum) field!: string;
    @Field(() => SortDirection) direction!: SortDirection;
  }

  @InputType(`${name}Filter`)
  class Filter {}
  for (const [key, spec] of Object.entries(opts.fields)) {
    const enumType = spec.kind === 'enum' ? enumFilter(spec.enumType!, spec.enumName!) : undefined;
    const type = enumType ? () => enumType : filterTypeByKind[spec.kind as Exclude<FieldKind, 'enum'>];
    field(type)(Filter.prototype, key);
  }
  field(() => [Filter])(Filter.prototype, 'and');
  field(() => [Filter])(Filter.prototype, 'or');
  field(() => Filter)(Filter.prototype, 'not');
  if (!opts.fields.updatedAt) field(() => DateTimeFilter, { description: 'incremental sync' })(Filter.prototype, 'updatedAt');
  if (!opts.noArchive) {
    field(() => Boolean, { description: 'absent or false: live rows only; true: archived rows only' })(Filter.prototype, 'archived');
  }
  if (opts.unitLink || opts.reference) {
    field(() => ID, { description: 'that unit and all its descendants (narrowed to the caller scope)' })(Filter.prototype, 'underUnit');
  }
  for (const [key, extra] of Object.entries(opts.extraFilters ?? {})) {
    field(extra.type, { description: extra.description })(Filter.prototype, key);
  }

  @ObjectType(`${name}Connection`)
  class Conn {
    @Field(() => [opts.gqlType()] as never) nodes!: T[];
    @Field(() => Int) totalCount!: number;
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }

  @ArgsType()
  class Args {
    @Field(() => Filter, { nullable: true }) filter?: Record<string, unknown>;
    @Field(() => [OrderBy], { nullable: true }) orderBy?: { field: string; direction: SortDirection }[];
    @Field(() => Int, { nullable: true }) offset?: number;
    @Field(() => Int, { nullable: true, description: 'default 50, at most 500' }) limit?: number;
    @Field(() => String, { nullable: true, description: 'keyset cursor (pageInfo.endCursor)' }) after?: string;
  }
  // type-graphql needs a distinct args class name per list for schema emission.
  Object.defineProperty(Args, 'name', { value: `${name}ListArgs` });

  return { opts, Filter, OrderBy, Connection: Conn as never, Args: Args as never };
}

// ---------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Escapes LIKE wildcards so user text matches literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** NFC, as stored. */
export const nfc = (s: string) => s.normalize('NFC');

function opCondition(spec: FieldSpec, ops: Record<string, unknown>, params: unknown[]): string[] {
  const col = spec.column;
  const conds: string[] = [];
  const cast = spec.kind === 'date' ? '::date' : spec.kind === 'money' || spec.kind === 'decimal' ? '::numeric' : '';
  for (const [op, raw] of Object.entries(ops)) {
    if (raw === undefined || raw === null) continue;
    const value = typeof raw === 'string' ? nfc(raw) : raw;
    switch (op) {
      case 'eq':
        params.push(value);
        conds.push(`${col} = ?${cast}`);
        break;
      case 'ne':
        params.push(value);
        conds.push(`${col} IS DISTINCT FROM ?${cast}`);
        break;
      case 'in':
      case 'notIn': {
        const list = value as unknown[];
        if (list.length === 0) conds.push(op === 'in' ? 'FALSE' : 'TRUE');
        else {
          params.push(list.map((v) => (typeof v === 'string' ? nfc(v) : v)));
          conds.push(op === 'in' ? `${col} = ANY(?)` : `(${col} IS NULL OR ${col} <> ALL(?))`);
        }
        break;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const sym = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[op];
        params.push(value);
        conds.push(`${col} ${sym} ?${cast}`);
        break;
      }
      case 'contains':
        params.push(`%${likeEscape(value as string)}%`);
        conds.push(`ntp_norm(${col}) LIKE ntp_norm(?)`);
        break;
      case 'startsWith':
        params.push(`${likeEscape(value as string)}%`);
        conds.push(`ntp_norm(${col}) LIKE ntp_norm(?)`);
        break;
      case 'isNull':
        conds.push(value ? `${col} IS NULL` : `${col} IS NOT NULL`);
        break;
      default:
        throw badInput([{ field: op, vi: 'Toán tử lọc không hợp lệ', en: 'Unknown filter operator' }]);
    }
  }
  return conds;
}

/** `unitIdExpr` lies in the subtree of the unit whose path is bound as the next parameter. */
export const inSubtreeOfPath = (unitIdExpr: string) => `${unitIdExpr} IN (SELECT su.id FROM unit su WHERE su.path LIKE ?)`;

function unitCondition<T extends object>(opts: ListOptions<T>, pathParamSql: string): string {
  const link = opts.unitLink;
  if (opts.reference && !link) return `t.path LIKE ${pathParamSql}`;
  if (!link) return 'TRUE';
  if ('column' in link) return `${link.column} IN (SELECT su.id FROM unit su WHERE su.path LIKE ${pathParamSql})`;
  return `EXISTS (SELECT 1 FROM (${link.unitsSql}) lu(unit_id) JOIN unit su ON su.id = lu.unit_id WHERE su.path LIKE ${pathParamSql})`;
}

function filterSql<T extends object>(def: ListDef<T>, filter: Record<string, unknown>, params: unknown[], ctx: Ctx): string {
  const { opts } = def;
  const conds: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      const parts = (value as Record<string, unknown>[]).map((f) => `(${filterSql(def, f, params, ctx)})`);
      if (parts.length) conds.push(`(${parts.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      conds.push(`NOT (${filterSql(def, value as Record<string, unknown>, params, ctx)})`);
      continue;
    }
    if (key === 'archived') continue; // applied once at the top level
    if (key === 'underUnit') {
      params.push(value);
      conds.push(unitCondition(opts, `(SELECT uu.path FROM unit uu WHERE uu.id = ?) || '%'`));
      continue;
    }
    if (key === 'updatedAt' && !opts.fields.updatedAt) {
      conds.push(...opCondition({ kind: 'datetime', column: 't.updated_at' }, value as Record<string, unknown>, params));
      continue;
    }
    const extra = opts.extraFilters?.[key];
    if (extra) {
      conds.push(extra.apply(value as never, params, ctx));
      continue;
    }
    const spec = opts.fields[key];
    if (!spec) throw badInput([{ field: key, vi: 'Trường lọc không hợp lệ', en: 'Unknown filter field' }]);
    if (spec.kind === 'boolean') {
      params.push(value);
      conds.push(`${spec.column} = ?`);
      continue;
    }
    conds.push(...opCondition(spec, value as Record<string, unknown>, params));
  }
  return conds.length ? conds.join(' AND ') : 'TRUE';
}

/** The caller's read scope over a list, as SQL; TRUE for ADMIN and reference data. */
export function scopeSql<T extends object>(opts: ListOptions<T>, caller: Caller | undefined, params: unknown[]): string {
  if (!caller || isAdmin(caller) || opts.reference || !opts.unitLink) return 'TRUE';
  if (!caller.scopePath) return 'FALSE';
  params.push(`${caller.scopePath}%`);
  return unitCondition(opts, '?');
}

interface SortKey {
  expr: string;
  desc: boolean;
  nullable: boolean;
}

function sortKeys<T extends object>(opts: ListOptions<T>, orderBy?: ListArgsShape['orderBy']): SortKey[] {
  const requested = orderBy?.length ? orderBy : (opts.defaultSort ?? []);
  const keys: SortKey[] = requested.map((o) => {
    const s = opts.sort[o.field];
    if (!s) throw badInput([{ field: 'orderBy', vi: 'Trường sắp xếp không hợp lệ', en: 'Unknown sort field' }]);
    return {
      expr: s.vietnamese ? `${s.column} COLLATE "vi-VN-x-icu"` : s.column,
      desc: o.direction === SortDirection.DESC,
      nullable: !!s.nullable,
    };
  });
  keys.push({ expr: 't.id', desc: false, nullable: false });
  return keys;
}

const orderSql = (keys: SortKey[], prefix = '') =>
  keys.map((k, i) => `${prefix ? `${prefix}__s${i}` : k.expr} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS LAST'}`).join(', ');

/** Rows strictly after the cursor in the given order (NULLS LAST both ways). */
function afterSql(keys: SortKey[], cursor: unknown[], params: unknown[]): string {
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++) {
      if (cursor[j] === null) ands.push(`${keys[j].expr} IS NULL`);
      else {
        params.push(cursor[j]);
        ands.push(`${keys[j].expr} = ?`);
      }
    }
    const k = keys[i];
    if (cursor[i] === null) continue; // nothing sorts after NULL within this key (NULLS LAST)
    params.push(cursor[i]);
    const cmp = `${k.expr} ${k.desc ? '<' : '>'} ?`;
    ands.push(k.nullable ? `(${cmp} OR ${k.expr} IS NULL)` : cmp);
    ors.push(`(${ands.join(' AND ')})`);
  }
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}

const encodeCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
function decodeCursor(cursor: string, size: number): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === size) return v;
  } catch {
    // fall through
  }
  throw badInput([{ field: 'after', vi: 'Con trỏ phân trang không hợp lệ', en: 'Invalid paging cursor' }]);
}

function pageBounds(args: ListArgsShape): { offset: number; limit: number } {
  const limit = args.limit ?? DEFAULT_LIMIT;
  const offset = args.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw badInput([{ field: 'limit', vi: `Giới hạn phải từ 0 đến ${MAX_LIMIT}`, en: `limit must be between 0 and ${MAX_LIMIT}` }]);
  }
  if (!Number.isInteger(offset) || offset < 0) throw badInput([{ field: 'offset', vi: 'offset phải ≥ 0', en: 'offset must be ≥ 0' }]);
  return { offset, limit };
}

function stripRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!k.startsWith('__')) out[k] = v;
  return out;
}

/** Managed entities, for records a mutation may change (`findInScope`). */
function toEntities<T extends object>(em: EntityManager, def: ListDef<T>, rows: Record<string, unknown>[]): T[] {
  return rows.map((r) => em.map(def.opts.entity, stripRow(r) as never) as T);
}

interface BuiltQuery {
  where: string;
  params: unknown[];
  keys: SortKey[];
  cursorWhere: string;
  cursorParams: unknown[];
}

function buildQuery<T extends object>(
  ctx: Ctx,
  def: ListDef<T>,
  args: ListArgsShape,
  extraWhere?: { sql: string; params: unknown[] },
): BuiltQuery {
  const params: unknown[] = [];
  const filter = args.filter ?? {};
  const conds = [filterSql(def, filter, params, ctx), scopeSql(def.opts, ctx.caller, params)];
  if (!def.opts.noArchive) conds.push(filter.archived ? 't.archived_at IS NOT NULL' : 't.archived_at IS NULL');
  if (extraWhere) {
    conds.push(extraWhere.sql);
    params.push(...extraWhere.params);
  }
  const keys = sortKeys(def.opts, args.orderBy);
  const cursorParams: unknown[] = [];
  const cursorWhere = args.after ? afterSql(keys, decodeCursor(args.after, keys.length), cursorParams) : 'TRUE';
  return { where: conds.join(' AND '), params, keys, cursorWhere, cursorParams };
}

/** A list's WHERE clause (filter, caller scope, live/archived) over alias `t`, for summaries that take the list filter. */
export function listWhere<T extends object>(
  ctx: Ctx,
  def: ListDef<T>,
  filter?: Record<string, unknown> | null,
): { where: string; params: unknown[] } {
  const q = buildQuery(ctx, def, { filter: filter ?? undefined });
  return { where: q.where, params: q.params };
}

const sortSelect = (keys: SortKey[]) => keys.map((k, i) => `${k.expr.replace(/ COLLATE .*$/, '')} AS __s${i}`).join(', ');

/** A page of a top-level list: one statement, plus a count when `totalCount` is asked for. */
export async function listPage<T extends object>(
  ctx: Ctx,
  def: ListDef<T>,
  args: ListArgsShape,
  wantTotal = true,
  extraWhere?: { sql: string; params: unknown[] },
): Promise<Connection<T>> {
  const { offset, limit } = pageBounds(args);
  const q = buildQuery(ctx, def, args, extraWhere);
  const table = def.opts.table;
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT t.*, ${sortSelect(q.keys)} FROM ${table} t WHERE ${q.where} AND ${q.cursorWhere}
     ORDER BY ${orderSql(q.keys)} OFFSET ? LIMIT ?`,
    [...q.params, ...q.cursorParams, offset, limit + 1],
  );
  const hasNextPage = rows.length > limit;
  const page = rows.slice(0, limit);
  let totalCount = -1;
  if (wantTotal) {
    if (!args.after && (page.length > 0 || offset === 0) && !hasNextPage) totalCount = offset + page.length;
    else {
      const c = await sql<{ n: string }>(ctx.em, `SELECT count(*) AS n FROM ${table} t WHERE ${q.where}`, q.params);
      totalCount = Number(c[0].n);
    }
  }
  const last = page[page.length - 1];
  return {
    nodes: hydrateRows(ctx.em, def.opts.entity, page),
    totalCount,
    pageInfo: {
      hasNextPage,
      endCursor: last ? encodeCursor(q.keys.map((_, i) => normalizeCursorValue(last[`__s${i}`]))) : null,
    },
  };
}

function normalizeCursorValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

/**
 * Pages of a nested list for many parents in one statement (window functions), so a page of
 * parents with their children costs one query whatever the page size.
 */
export async function listPagesByParent<T extends object>(
  ctx: Ctx,
  def: ListDef<T>,
  args: ListArgsShape,
  linkColumn: string,
  parentIds: readonly string[],
  wantTotal = true,
  columns = 't.*',
  wantCursor = true,
): Promise<Connection<T>[]> {
  const { offset, limit } = pageBounds(args);
  const q = buildQuery(ctx, def, args);
  const table = def.opts.table;
  // With a projection, the outer list leaves out `__rn`, and the sort keys unless a cursor is asked for:
  // columns fewer to parse per row.
  const cursor = wantCursor || columns === 't.*';
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT ${columns === 't.*' ? '*' : `${columns.replaceAll('t."', 'x."')}, ${wantCursor ? q.keys.map((_, i) => `x.__s${i}, `).join('') : ''}x.__link`} FROM (
       SELECT ${columns}, ${sortSelect(q.keys)}, ${linkColumn}::text AS __link,
         row_number() OVER (PARTITION BY ${linkColumn} ORDER BY ${orderSql(q.keys)}) AS __rn
       FROM ${table} t WHERE ${linkColumn} = ANY(?) AND ${q.where} AND ${q.cursorWhere}
     ) x WHERE __rn > ? AND __rn <= ? ORDER BY __link, __rn`,
    [[...parentIds], ...q.params, ...q.cursorParams, offset, offset + limit + 1],
  );
  // Counting every parent's children is a statement of its own: only when `totalCount` is asked for.
  const countBy = wantTotal
    ? new Map(
        (
          await sql<{ link: string; n: string }>(
            ctx.em,
            `SELECT ${linkColumn}::text AS link, count(*) AS n FROM ${table} t WHERE ${linkColumn} = ANY(?) AND ${q.where} GROUP BY 1`,
            [[...parentIds], ...q.params],
          )
        ).map((c) => [c.link, Number(c.n)]),
      )
    : null;
  const byParent = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const k = r.__link as string;
    if (!byParent.has(k)) byParent.set(k, []);
    byParent.get(k)!.push(r);
  }
  return parentIds.map((id) => {
    const all = byParent.get(String(id)) ?? [];
    const page = all.slice(0, limit);
    const last = page[page.length - 1];
    return {
      nodes: hydrateRows(ctx.em, def.opts.entity, page),
      totalCount: countBy ? (countBy.get(String(id)) ?? 0) : -1,
      pageInfo: {
        hasNextPage: all.length > limit,
        // Without the sort keys (no `endCursor` in the selection) there is no cursor to give, and none is read.
        endCursor: last && cursor ? encodeCursor(q.keys.map((_, i) => normalizeCursorValue(last[`__s${i}`]))) : null,
      },
    };
  });
}

/** One record by id through the list's scope; null when missing or outside the caller's scope. */
export async function findInScope<T extends object>(ctx: Ctx, def: ListDef<T>, id: string, includeArchived = true): Promise<T | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const params: unknown[] = [id];
  const scope = scopeSql(def.opts, ctx.caller, params);
  const select = byIdSelect(ctx.em, def.opts.entity as EntityClass<object>, 't');
  const rows = await sql<Record<string, unknown>>(
    ctx.em,
    `SELECT ${select.columns} FROM ${def.opts.table} t WHERE t.id = ? AND ${scope}${includeArchived || def.opts.noArchive ? '' : ' AND t.archived_at IS NULL'}`,
    params,
    // A primary-key lookup: its plan is the same whatever the id and scope, so it is planned once.
    { prepared: select.prepared },
  );
  return rows.length ? toEntities(ctx.em, def, rows)[0] : null;
}

/** A by-id read's statement parts: the many-to-one links it joins, and its text per scope condition. */
interface ByIdStatement {
  links: JoinedLink[];
  prepared: boolean;
  columns: string;
  texts: Map<string, string>;
}

/**
 * By-id statements per field occurrence (the AST node: Apollo hands back the same parsed document for the same
 * query text) and list: which links a selection joins depends on the document alone, so each statement is built
 * once, and every request sends the same string object, which the lookups keyed by it (positional form, prepared
 * name) then find without hashing 2 kB of text again (packages/bench/results/ANALYSIS.md, item 28).
 */
const byIdStatements = new WeakMap<object, Map<ListDef<object>, ByIdStatement>>();

function byIdStatement<T extends object>(
  ctx: Ctx,
  def: ListDef<T>,
  info: GraphQLResolveInfo | undefined,
  scope: string,
): { text: string; links: JoinedLink[]; prepared: boolean } {
  const key: object = info?.fieldNodes[0] ?? def;
  let perList = byIdStatements.get(key);
  if (!perList) byIdStatements.set(key, (perList = new Map()));
  let parts = perList.get(def as ListDef<object>);
  if (!parts) {
    const entity = def.opts.entity as EntityClass<object>;
    const select = byIdSelect(ctx.em, entity, 't');
    // The record's own columns: what its selection needs (as a page reads), else every stored one, listed.
    const projected = info ? projection(ctx.em, entity, info, def.opts.fieldColumns, null) : 't.*';
    parts = {
      links: info ? linksToJoin(ctx.em, entity, info) : [],
      prepared: select.prepared,
      columns: projected !== 't.*' && select.prepared ? projected : select.columns,
      texts: new Map(),
    };
    perList.set(def as ListDef<object>, parts);
  }
  let text = parts.texts.get(scope);
  if (text === undefined) {
    const { links } = parts;
    text = `SELECT ${parts.columns}${links.map((l) => l.columns.map((c) => `, ${l.alias}."${c}" AS "${l.alias}$${c}"`).join('')).join('')}
     FROM ${def.opts.table} t${links.map((l) => ` LEFT JOIN ${l.table} ${l.alias} ON ${l.alias}.id = t."${l.foreignKey}"`).join('')}
     WHERE t.id = ? AND ${scope}`;
    parts.texts.set(scope, text);
  }
  return { text, links: parts.links, prepared: parts.prepared };
}

/**
 * One record by id through the list's scope, for a query to answer: read-only (graphql/hydrate.ts), not
 * managed by the entity manager; null when missing or outside the caller's scope. Code that changes the
 * record uses `findInScope`.
 */
export async function readInScope<T extends object>(ctx: Ctx, def: ListDef<T>, id: string, info?: GraphQLResolveInfo): Promise<T | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const params: unknown[] = [id];
  const scope = scopeSql(def.opts, ctx.caller, params);
  // The records its selected many-to-one links name come in the same statement (one round trip, not one
  // per link), read as the request role like the loaders would, and wait in the loaders for their resolvers.
  const { text, links, prepared } = byIdStatement(ctx, def, info, scope);
  // A primary-key lookup (its links joined by their keys): planned once per connection.
  const rows = await sql<Record<string, unknown>>(ctx.em, text, params, { prepared });
  if (!rows.length) return null;
  for (const l of links) {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < l.columns.length; i++) row[l.columns[i]] = rows[0][l.keys[i]];
    if (row.id != null) ctx.loaders.byId(l.entity, l.table).prime(hydrateRows(ctx.em, l.entity, [row]));
  }
  return hydrateRows(ctx.em, def.opts.entity, rows)[0];
}

/** Whether the GraphQL selection asks for `totalCount` (fragments count as asking). */
export function wantsTotal(info: GraphQLResolveInfo): boolean {
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) =>
      s.kind === 'Field' ? s.name.value === 'totalCount' : s.kind === 'InlineFragment' ? walk(s.selectionSet) : true,
    );
  return info.fieldNodes.some((n) => walk(n.selectionSet));
}
