import { ReferenceKind, type EntityClass, type EntityManager } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedUnder } from './selection';
import { getMetadataStorage } from 'type-graphql';

/**
 * Which columns a page of records must read for what the query selects (issue 11: a page of a thousand
 * allocations spent a quarter of the server's CPU parsing columns nobody asked for).
 *
 * A selected field that is a stored property of the entity, or a many-to-one link (its resolver reads the
 * link's id), needs its column; a field resolver needs what its list declares it reads (`fieldColumns`).
 * Anything the rule cannot vouch for — a getter such as `archived`, a resolver that declares nothing —
 * makes the page read whole rows, as before. The id is always read.
 */

/** Per entity (or per list's declarations): GraphQL field name → the columns it needs, or null when unknown. */
const cache = new WeakMap<object, Map<string, readonly string[] | null>>();

function columnsByField(
  em: EntityManager,
  entity: EntityClass<object>,
  declared?: Record<string, readonly string[]>,
): Map<string, readonly string[] | null> {
  // Per list's declarations when it has them, else per entity (a default `{}` here would be a new key each call).
  const key = declared ?? entity;
  let map = cache.get(key);
  if (map) return map;
  map = new Map();
  const meta = em.getMetadata().get(entity.name);
  const storage = getMetadataStorage();
  const classes = new Set<unknown>();
  for (let c: unknown = entity; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) classes.add(c);
  const resolved = new Set(
    storage.fieldResolvers
      .filter((r) => {
        try {
          return classes.has(r.getObjectType?.());
        } catch {
          return false;
        }
      })
      .map((r) => r.schemaName),
  );
  const columnOf = (propertyName: string): readonly string[] | null => {
    const prop = meta.properties[propertyName as never] as (typeof meta.props)[number] | undefined;
    if (!prop || prop.persist === false || prop.fieldNames?.length !== 1) return null;
    if (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE) return [prop.fieldNames[0]];
    return null;
  };
  for (const f of storage.fields.filter((x) => classes.has(x.target))) {
    if (resolved.has(f.schemaName)) continue;
    map.set(f.schemaName, columnOf(f.name));
  }
  for (const name of resolved) {
    if (declared?.[name]) map.set(name, declared[name]);
    else {
      // A resolver named as a many-to-one link loads the record its id names.
      const link = meta.properties[name as never] as (typeof meta.props)[number] | undefined;
      map.set(name, link?.kind === ReferenceKind.MANY_TO_ONE ? columnOf(name) : null);
    }
  }
  cache.set(key, map);
  return map;
}

/**
 * The SELECT list (over alias `t`) a list page needs for the selection under `nodes` (or, `under` null, a record
 * read by id for its own selection): `t.*` unless every selected field's columns are known.
 */
export function projection(
  em: EntityManager,
  entity: EntityClass<object>,
  info: GraphQLResolveInfo | undefined,
  declared?: Record<string, readonly string[]>,
  under: string | null = 'nodes',
): string {
  if (!info) return 't.*';
  const byField = columnsByField(em, entity, declared);
  const columns = new Set<string>(['id']);
  for (const name of selectedUnder(info, under)) {
    if (name === '__typename') continue;
    const needed = byField.get(name);
    if (!needed) return 't.*';
    for (const c of needed) columns.add(c);
  }
  return [...columns].map((c) => `t."${c}"`).join(', ');
}

const stored = new WeakMap<object, string[] | null>();

/**
 * Every column `entity` stores, as its records are hydrated from them (what `SELECT *` reads today), or null
 * when a stored property is not one plain column (then read `*`). Named statements list their columns: a
 * prepared `SELECT *` fails with "cached plan must not change result type" once a migration adds a column,
 * on every pooled connection of a server started before it.
 */
export function storedColumns(em: EntityManager, entity: EntityClass<object>): string[] | null {
  let columns = stored.get(entity);
  if (columns !== undefined) return columns;
  columns = [];
  for (const p of em.getMetadata().get(entity.name).props) {
    if (p.persist === false || p.formula || p.kind === ReferenceKind.ONE_TO_MANY || p.kind === ReferenceKind.MANY_TO_MANY) continue;
    if (p.kind === ReferenceKind.ONE_TO_ONE && !p.owner) continue;
    if (p.fieldNames?.length !== 1 || p.kind === ReferenceKind.EMBEDDED) {
      columns = null;
      break;
    }
    columns.push(p.fieldNames[0]);
  }
  if (columns && !columns.includes('id')) columns = null;
  stored.set(entity, columns);
  return columns;
}

/**
 * What a lookup of `entity` by primary key selects (over `alias`), and whether it may go as a named statement:
 * its stored columns listed and named, or `alias.*` unnamed when they are not known.
 */
export function byIdSelect(em: EntityManager, entity: EntityClass<object>, alias: string): { columns: string; prepared: boolean } {
  const columns = storedColumns(em, entity);
  return columns
    ? { columns: columns.map((c) => `${alias}."${c}"`).join(', '), prepared: true }
    : { columns: `${alias}.*`, prepared: false };
}

/** A many-to-one link a single-record read can join: its target's table and every column it stores. */
export interface JoinedLink {
  alias: string;
  entity: EntityClass<object>;
  table: string;
  foreignKey: string;
  columns: string[];
  /** The name each column comes back under in the joined row (`l0$code`). */
  keys: string[];
}

/**
 * The many-to-one links of `entity` the selection names (a field named as the link's property), with what
 * it takes to read the records they name in the record's own statement: their table and stored columns.
 */
export function linksToJoin(em: EntityManager, entity: EntityClass<object>, info: GraphQLResolveInfo): JoinedLink[] {
  const meta = em.getMetadata().get(entity.name);
  const selected = selectedUnder(info, null);
  const links: JoinedLink[] = [];
  for (const prop of meta.props) {
    if (prop.kind !== ReferenceKind.MANY_TO_ONE || prop.fieldNames?.length !== 1 || !selected.has(prop.name) || !prop.targetMeta) continue;
    const target = prop.targetMeta;
    const columns = storedColumns(em, target.class as EntityClass<object>);
    if (!columns) continue;
    const alias = `l${links.length}`;
    links.push({
      alias,
      entity: target.class as EntityClass<object>,
      table: target.tableName,
      foreignKey: prop.fieldNames[0],
      columns,
      keys: columns.map((c) => `${alias}$${c}`),
    });
  }
  return links;
}
