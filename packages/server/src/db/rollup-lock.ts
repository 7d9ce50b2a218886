import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from './sql';

/** Advisory-lock namespaces ('NTPF', 'NTPI'); the second key is the province's id, folded into an int. */
const NAMESPACE = { funding_rollup: 0x4e545046, indicator_rollup: 0x4e545049 } as const;
export type RollupTable = keyof typeof NAMESPACE;

/**
 * For a bulk write into a table kept summed by roll-up triggers (the funding ledger, indicator values):
 * waits for other bulk writers into the same provinces, taking their locks in id order, until the
 * transaction ends. Call it before the first write and before locking any row. A bulk write runs several
 * trigger passes (new lines, then changed ones; or an upsert's INSERT and UPDATE triggers), and each pass
 * locks the province's roll-up rows of what it touches; two imports into one province could each hold
 * rows the other needs next, and PostgreSQL would abort one (a deadlock: tests/api/import-concurrency.test.ts).
 * Single-row writes need no such lock: each locks its roll-up rows in one pass, in key order.
 */
export async function waitForRollupWriters(em: EntityManager, rollup: RollupTable, unitIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(unitIds)];
  if (!ids.length) return;
  await sql(
    em,
    `SELECT count(pg_advisory_xact_lock(?, p.id)) FROM (
       SELECT DISTINCT mod(split_part(u.path, '/', 2)::bigint, 2147483647)::int AS id FROM unit u WHERE u.id = ANY(?::bigint[]) ORDER BY 1
     ) p`,
    [NAMESPACE[rollup], ids],
  );
}
