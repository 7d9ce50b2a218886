import type { BaseRecord, CrudFilter, CrudSort, DataProvider, LogicalFilter } from '@refinedev/core';
import { gql, toApiError } from './graphql';
import { RESOURCES, pascal, sortField, type ResourceApi } from './resources';

/** Filter fields that take a bare value rather than an operator input. */
const BARE = new Set(['underUnit', 'archived', 'validOn', 'disabled']);

const OPERATOR: Record<string, string> = {
  eq: 'eq',
  ne: 'ne',
  in: 'in',
  nin: 'notIn',
  contains: 'contains',
  startswith: 'startsWith',
  lt: 'lt',
  lte: 'lte',
  gt: 'gt',
  gte: 'gte',
};

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Refine filters → our `XFilter` (per-field operator inputs, and/or). */
export function toFilter(filters: CrudFilter[] = []): Record<string, unknown> | undefined {
  const out: Record<string, any> = {};
  for (const f of filters) {
    if (f.operator === 'or' || f.operator === 'and') {
      const parts = f.value.map((p) => toFilter([p])).filter(Boolean);
      if (parts.length) (out[f.operator] ??= []).push(...parts);
      continue;
    }
    const { field, operator, value } = f as LogicalFilter;
    if (operator === 'null' || operator === 'nnull') {
      out[field] = { ...(out[field] ?? {}), isNull: operator === 'null' };
      continue;
    }
    if (isEmpty(value)) continue;
    if (BARE.has(field)) {
      out[field] = value;
      continue;
    }
    const op = OPERATOR[operator];
    if (!op) throw new Error(`Unsupported filter operator ${operator}`);
    out[field] = { ...(out[field] ?? {}), [op]: value };
  }
  return Object.keys(out).length ? out : undefined;
}

export const toOrderBy = (sorters: CrudSort[] = []) =>
  sorters.length ? sorters.map((s) => ({ field: sortField(s.field), direction: s.order === 'desc' ? 'DESC' : 'ASC' })) : undefined;

function api(resource: string): ResourceApi {
  const r = RESOURCES[resource];
  if (!r) throw new Error(`Unknown resource ${resource}`);
  return r;
}

const pick = (values: Record<string, unknown>, keys: string[] = []) => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in values) out[k] = values[k] === '' ? null : values[k];
  return out;
};

async function getOne(resource: string, id: string | number) {
  const r = api(resource);
  const data = await gql(`query($id: ID!) { item: ${r.one}(id: $id) { ${r.fields} } }`, { id: String(id) });
  if (!data.item) throw toApiError('NOT_FOUND', undefined);
  return withLinkIds(data.item);
}

/** Edit forms work with `parentId`/`unitId`, the names our inputs use; records carry `parent { id }`. */
function withLinkIds(record: Record<string, any>) {
  const out = { ...record };
  for (const [k, v] of Object.entries(record)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'id' in v) out[`${k}Id`] = v.id;
    else if (v === null && !(`${k}Id` in out)) out[`${k}Id`] = null;
  }
  return out;
}

export const dataProvider: DataProvider = {
  getApiUrl: () => '/graphql',

  async getList({ resource, pagination, sorters, filters, meta }) {
    const r = api(resource);
    const mode = pagination?.mode ?? 'server';
    const pageSize = mode === 'off' ? 500 : (pagination?.pageSize ?? 10);
    const offset = mode === 'server' ? ((pagination?.currentPage ?? 1) - 1) * pageSize : 0;
    const type = pascal(r.list.replace(/s$/, ''));
    const data = await gql(
      `query($filter: ${type}Filter, $orderBy: [${type}OrderBy!], $offset: Int, $limit: Int) {
        list: ${r.list}(filter: $filter, orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${meta?.fields ?? r.fields} } }
      }`,
      { filter: toFilter(filters), orderBy: toOrderBy(sorters), offset, limit: pageSize },
    );
    return { data: data.list.nodes, total: data.list.totalCount };
  },

  async getMany({ resource, ids }) {
    const r = api(resource);
    const data = await gql(`query($ids: [ID!]) { list: ${r.list}(filter: { id: { in: $ids } }, limit: 500) { nodes { ${r.fields} } } }`, {
      ids: ids.map(String),
    });
    return { data: data.list.nodes };
  },

  async getOne<TData extends BaseRecord = BaseRecord>({ resource, id }: { resource: string; id: string | number }) {
    return { data: (await getOne(resource, id)) as TData };
  },

  async create<TData extends BaseRecord = BaseRecord, TVariables = unknown>({
    resource,
    variables,
  }: {
    resource: string;
    variables: TVariables;
  }) {
    const r = api(resource);
    const input = pick(variables as Record<string, unknown>, r.createInput);
    const data = await gql(`mutation($input: ${pascal(r.create!)}Input!) { item: ${r.create}(input: $input) { ${r.fields} } }`, { input });
    return { data: data.item as TData };
  },

  async update<TData extends BaseRecord = BaseRecord, TVariables = unknown>({
    resource,
    id,
    variables,
  }: {
    resource: string;
    id: string | number;
    variables: TVariables;
  }) {
    const r = api(resource);
    const values = variables as Record<string, unknown>;
    // The edit form carries the version it was loaded with: a stale one is CONFLICT on the server.
    const version = typeof values.version === 'number' ? values.version : (await getOne(resource, id)).version;
    const input = pick(values, r.updateInput);
    const data = await gql(
      `mutation($id: ID!, $version: Int!, $input: ${pascal(r.update!)}Input!) { item: ${r.update}(id: $id, version: $version, input: $input) { ${r.fields} } }`,
      { id: String(id), version, input },
    );
    return { data: data.item as TData };
  },

  async deleteOne<TData extends BaseRecord = BaseRecord, TVariables = unknown>({
    resource,
    id,
    variables,
  }: {
    resource: string;
    id: string | number;
    variables?: TVariables;
  }) {
    const r = api(resource);
    const given = (variables as { version?: number } | undefined)?.version;
    const version = typeof given === 'number' ? given : (await getOne(resource, id)).version;
    const data = await gql(`mutation($id: ID!, $version: Int!) { item: ${r.archive}(id: $id, version: $version) { ${r.fields} } }`, {
      id: String(id),
      version,
    });
    return { data: data.item as TData };
  },

  /** Any other operation: `meta.query` and `meta.variables`. */
  async custom({ meta }) {
    return { data: await gql(meta?.query, meta?.variables) };
  },
};
