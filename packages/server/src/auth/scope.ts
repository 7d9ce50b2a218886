import type { Ctx } from '../graphql/context';
import { isAdmin } from './roles';
import { forbidden, notFound } from '../common/errors';
import { sql } from '../db/sql';

/** Ids among `unitIds` that lie inside the caller's scope root subtree (all of them for ADMIN). */
export async function unitsInScope(ctx: Ctx, unitIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(unitIds.filter((id) => /^\d{1,18}$/.test(id)))];
  if (!ids.length) return new Set();
  const caller = ctx.caller;
  if (!caller) return new Set();
  if (isAdmin(caller)) {
    const rows = await sql<{ id: string }>(ctx.em, 'SELECT id::text FROM unit WHERE id = ANY(?)', [ids]);
    return new Set(rows.map((r) => r.id));
  }
  if (!caller.scopePath) return new Set();
  const rows = await sql<{ id: string }>(ctx.em, 'SELECT id::text FROM unit WHERE id = ANY(?) AND path LIKE ?', [
    ids,
    `${caller.scopePath}%`,
  ]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Write check for a whole set of units at once. Units are readable by everyone, so a unit
 * outside the scope is FORBIDDEN; `hidden: true` answers NOT_FOUND for unit-tied records instead.
 */
export async function requireUnitsWritable(ctx: Ctx, unitIds: (string | null | undefined)[], hidden = false): Promise<void> {
  const wanted = [...new Set(unitIds.filter((u): u is string => !!u))];
  const ok = await unitsInScope(ctx, wanted);
  if (wanted.some((id) => !ok.has(id))) throw hidden ? notFound() : forbidden();
}
