import { ReferenceKind, type EntityClass, type EntityManager, type EntityProperty, type Platform } from '@mikro-orm/core';

/**
 * Read-only hydration for what GraphQL only reads: lists, nested lists and loaders.
 *
 * `em.map` builds a managed entity per row (entity factory, identity map, reference propagation);
 * under a page of a thousand rows that was half of the server's CPU and most of its garbage
 * (packages/bench/results/ANALYSIS.md). Rows read only to be answered need none of it, so here a row
 * becomes an instance of the entity's class (its getters such as `archived` keep working) whose fields are
 * read from the row when asked for and converted exactly as `em.map` converts them; a many-to-one link becomes
 * `{ id }`, which is all resolvers read from a link (`a.unit.id`). Collections are not loaded.
 *
 * These objects are not managed: code that changes and flushes a record loads it through the entity
 * manager (`findInScope`, `em.findOne`), never from here.
 */
export interface LinkStub {
  readonly id: string;
}

/** Per entity class: the prototype its read-only records share. */
const prototypes = new WeakMap<object, object>();

function converter(prop: EntityProperty, platform: Platform): ((value: unknown) => unknown) | undefined {
  if (prop.customType) {
    const type = prop.customType;
    return (v) => type.convertToJSValue(v, platform);
  }
  if (prop.runtimeType === 'Date') return (v) => (typeof v === 'string' || typeof v === 'number' ? platform.parseDate(v) : v);
  return undefined;
}

/** Where a hydrated record keeps its row. */
const ROW = Symbol('row');

function prototypeFor(em: EntityManager, entity: EntityClass<object>): object {
  let proto = prototypes.get(entity);
  if (proto) return proto;
  const meta = em.getMetadata().get(entity.name);
  const platform = em.getPlatform();
  // A record is its row behind accessors on a prototype that sits between it and the entity's class:
  // they shadow MikroORM's own accessors, and each field is converted only when read (a page of a
  // thousand allocations whose answer names two fields need not parse three thousand dates).
  proto = Object.create(entity.prototype) as object;
  for (const prop of meta.props) {
    if (prop.persist === false || prop.fieldNames?.length !== 1) continue;
    const link = prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner);
    if (prop.kind !== ReferenceKind.SCALAR && !link) continue;
    const field = prop.fieldNames[0];
    const convert = link ? undefined : converter(prop, platform);
    Object.defineProperty(proto, prop.name, {
      configurable: true,
      enumerable: true,
      get(this: { [ROW]: Record<string, unknown> }) {
        const v = this[ROW][field];
        if (v == null) return v;
        if (link) return { id: String(v) } satisfies LinkStub;
        return convert ? convert(v) : v;
      },
      set(value: unknown) {
        Object.defineProperty(this, prop.name, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
  prototypes.set(entity, proto);
  return proto;
}

/** Turns rows (column names as in the table) into read-only instances of `entity`. */
export function hydrateRows<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: readonly Record<string, unknown>[]): T[] {
  const proto = prototypeFor(em, entity as EntityClass<object>);
  return rows.map((row) => {
    const out = Object.create(proto) as { [ROW]: Record<string, unknown> };
    out[ROW] = row;
    return out as unknown as T;
  });
}
