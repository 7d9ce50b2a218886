import { isAdmin } from '../../auth/roles';
import { sql } from '../../db/sql';
import { waitForRollupWriters, type RollupTable } from '../../db/rollup-lock';
import type { ImportRun } from './import.core';

export interface UnitRef {
  id: string;
  code: string;
  path: string;
  kind: string;
  level: number;
  archived: boolean;
  inScope: boolean;
  validFrom: string | null;
  validTo: string | null;
}

/** Units by code, with whether each lies in the caller's write scope; one statement. */
export async function unitsByCode(run: ImportRun, codes: Iterable<string>): Promise<Map<string, UnitRef>> {
  const list = [...new Set(codes)];
  if (!list.length) return new Map();
  const scope = isAdmin(run.caller) ? null : (run.caller.scopePath ?? '\u0000');
  const rows = await sql<UnitRef>(
    run.em,
    `SELECT id::text, code, path, kind::text, level, archived_at IS NOT NULL AS archived,
       (?::text IS NULL OR path LIKE ?::text || '%') AS "inScope",
       to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
     FROM unit WHERE code = ANY(?)`,
    [scope, scope, list],
  );
  return new Map(rows.map((r) => [r.code, r]));
}

export interface ComponentRef {
  id: string;
  code: string;
  archived: boolean;
  startYear: number;
  endYear: number;
}

export async function componentsByCode(run: ImportRun, codes: Iterable<string>): Promise<Map<string, ComponentRef>> {
  const list = [...new Set(codes)];
  if (!list.length) return new Map();
  const rows = await sql<ComponentRef>(
    run.em,
    `SELECT c.id::text, c.code, c.archived_at IS NOT NULL AS archived, p.start_year AS "startYear", p.end_year AS "endYear"
     FROM program_component c JOIN program p ON p.id = c.program_id WHERE c.code = ANY(?)`,
    [list],
  );
  // The same code may exist in two programs: the one whose phase is latest wins unless the year decides (checked by the caller).
  const out = new Map<string, ComponentRef>();
  for (const r of rows.sort((a, b) => a.startYear - b.startYear)) out.set(r.code, r);
  return out;
}

/** Pairs (component, unit) an AGENCY_OFFICER's agency leads, at the unit or one of its ancestors. */
export async function ledPairs(run: ImportRun, pairs: { componentId: string; unitId: string }[]): Promise<Set<string>> {
  const uniq = [...new Map(pairs.map((p) => [`${p.componentId}:${p.unitId}`, p])).values()];
  if (!uniq.length) return new Set();
  const rows = await sql<{ k: string }>(
    run.em,
    `SELECT DISTINCT x.c::text || ':' || x.u::text AS k
     FROM unnest(?::bigint[], ?::bigint[]) x(c, u)
     JOIN unit au ON au.id = x.u
     JOIN lead_agency la ON la.component_id = x.c AND la.agency_id = ? AND la.archived_at IS NULL
     JOIN unit lu ON lu.id = la.unit_id
     WHERE au.path LIKE lu.path || '%'`,
    [uniq.map((p) => p.componentId), uniq.map((p) => p.unitId), run.caller.homeUnitId],
  );
  return new Set(rows.map((r) => r.k));
}

/**
 * The bulk path under row-level security (db/rls.ts): policies evaluate a function per row, which costs
 * tens of seconds for 100,000 rows. Instead the same predicate (`ntp_unit_visible`) is checked once per
 * distinct unit, as the request role, and then `fn` runs its set-wise statements as the session owner;
 * the role is restored afterwards (and is transaction-local anyway, undone with a rolled-back savepoint).
 * Every unit `fn` writes must be in `unitIds`; without the request role (the command line) it just runs.
 * With `rollup`, a real (not dry) run first waits for other bulk writers of that roll-up in the same provinces.
 */
export async function withUnitsChecked<T>(
  run: ImportRun,
  unitIds: Iterable<string>,
  fn: () => Promise<T>,
  rollup?: RollupTable,
): Promise<T> {
  const ids = [...new Set(unitIds)];
  // A write into a rolled-up table waits for other bulk writers into the same provinces (db/rollup-lock.ts).
  if (rollup && !run.dryRun) await waitForRollupWriters(run.em, rollup, ids);
  const [state] = await sql<{ scoped: boolean }>(run.em, "SELECT current_user = 'ntp_request' AS scoped");
  if (!state.scoped) return fn();
  const [bad] = await sql<{ n: number }>(
    run.em,
    'SELECT count(*)::int AS n FROM unnest(?::bigint[]) u(id) WHERE NOT ntp_unit_visible(u.id)',
    [ids],
  );
  if (bad.n > 0) throw new Error('import: a unit outside the row-level security scope reached the bulk path');
  await sql(run.em, "SELECT set_config('role', 'none', true)");
  try {
    return await fn();
  } finally {
    // After a failed statement the transaction is aborted and its rollback restores the role.
    await sql(run.em, "SELECT set_config('role', 'ntp_request', true)").catch(() => undefined);
  }
}
