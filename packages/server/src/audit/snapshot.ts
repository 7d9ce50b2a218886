import { ReferenceKind, wrap } from '@mikro-orm/core';

const SECRET_FIELDS = new Set(['passwordHash', 'secretHash']);

/** A plain JSON picture of an entity's own columns (links as ids), for audit before/after. */
export function snapshot(entity: unknown): Record<string, unknown> | null {
  if (!entity || typeof entity !== 'object') return null;
  let meta;
  try {
    meta = wrap(entity as object, true).__meta;
  } catch {
    return null;
  }
  if (!meta) return null;
  const out: Record<string, unknown> = {};
  const rec = entity as Record<string, unknown>;
  for (const p of meta.props) {
    if (SECRET_FIELDS.has(p.name)) continue;
    if (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.EMBEDDED) {
      const v = rec[p.name];
      out[p.name] = v instanceof Date ? v.toISOString() : v;
    } else if (p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)) {
      const ref = rec[p.name] as { id?: string } | null | undefined;
      out[`${p.name}Id`] = ref?.id ?? null;
    }
  }
  return out;
}
