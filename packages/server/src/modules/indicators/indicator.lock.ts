import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOne } from '../../db/sql';
import { isAnnualEvaluationAccepted } from '../reporting/obligation.service';

/**
 * Whether a unit's indicator values for a year are locked: its EVALUATION_ANNUAL report for the year
 * stands accepted. Answers false on a database without the reporting tables.
 */
export async function valuesLocked(em: EntityManager, unitId: string, year: number): Promise<boolean> {
  const present = await sqlOne<{ ok: boolean }>(
    em,
    "SELECT to_regclass('report') IS NOT NULL AND to_regclass('reporting_obligation') IS NOT NULL AS ok",
  );
  if (!present?.ok) return false;
  return isAnnualEvaluationAccepted(em, unitId, year);
}
