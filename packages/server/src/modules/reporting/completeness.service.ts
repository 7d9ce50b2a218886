import { Field, Int, ObjectType } from 'type-graphql';
import type { Ctx } from '../../graphql/context';
import { Validation } from '../../common/errors';
import { isAdmin } from '../../auth/roles';
import { sql, sqlOne } from '../../db/sql';
import { DecimalScalar } from '../../graphql/scalars';
import { ReportType } from '../programs/program.enums';
import { CompletenessDimension } from './reporting.enums';
import type { CompletenessFilter } from './reporting.inputs';
import { VN_TODAY, vnDayEnd } from './reporting.sql';

@ObjectType()
export class CompletenessRow {
  unitId?: string | null;
  @Field(() => ReportType, { nullable: true }) type?: ReportType | null;
  @Field(() => Int, { nullable: true }) year?: number | null;
  @Field(() => Int, { description: 'non-cancelled obligations due on or before asOf' }) expected!: number;
  @Field(() => Int, { description: 'of those, reports standing SUBMITTED or ACCEPTED at the end of asOf' }) actual!: number;
  @Field(() => Int, { description: 'of those, the standing submission stamped on or before the due date (Vietnam time)' }) onTime!: number;
  @Field(() => DecimalScalar, { nullable: true, description: 'actual / expected, 4 decimals half-up; null when nothing is expected' })
  reportingRate?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'onTime / expected, 4 decimals half-up; null when nothing is expected' })
  onTimeRate?: string | null;
}

const idOk = (id: string | null | undefined) => !!id && /^\d{1,18}$/.test(id);

/**
 * Completeness and timeliness as of a date (API.md), in one SQL statement. The standing status at the end
 * of asOf (Vietnam time) comes from the report's history, so later submissions, returns and acceptances
 * do not change what was true then.
 */
export async function reportingCompleteness(
  ctx: Ctx,
  filter: CompletenessFilter | null | undefined,
  groupBy: CompletenessDimension[],
  unitLevel: number | null | undefined,
  asOf: string | null | undefined,
): Promise<CompletenessRow[]> {
  const f = filter ?? {};
  const v = new Validation();
  if (unitLevel != null)
    v.check(Number.isInteger(unitLevel) && unitLevel >= 0 && unitLevel <= 50, 'unitLevel', 'Cấp đơn vị phải ≥ 0', 'unitLevel must be ≥ 0');
  if (f.programId != null) v.check(idOk(f.programId), 'filter.programId', 'Mã không hợp lệ', 'Invalid id');
  if (f.underUnit != null) v.check(idOk(f.underUnit), 'filter.underUnit', 'Mã không hợp lệ', 'Invalid id');
  v.throwIfAny();
  const caller = ctx.caller!;
  const scopePath = isAdmin(caller) ? '/' : (caller.scopePath ?? '-');
  // Nothing rolls up above the caller's scope root.
  let level: number | null = null;
  if (groupBy.includes(CompletenessDimension.UNIT) && unitLevel != null) {
    level = unitLevel;
    if (!isAdmin(caller) && caller.scopeRootId) {
      const root = await sqlOne<{ level: number }>(ctx.em, 'SELECT level FROM unit WHERE id = ?', [caller.scopeRootId]);
      level = Math.max(level, root?.level ?? 0);
    }
  }
  const byUnit = groupBy.includes(CompletenessDimension.UNIT);
  const byType = groupBy.includes(CompletenessDimension.TYPE);
  const byYear = groupBy.includes(CompletenessDimension.YEAR);
  const unitExpr = !byUnit
    ? 'NULL::bigint'
    : level === null
      ? 'b.submitter_id'
      : `CASE WHEN b.slevel <= ${level} THEN b.submitter_id ELSE split_part(b.spath, '/', ${level + 2})::bigint END`;
  const keys = [byUnit ? 1 : 0, byType ? 2 : 0, byYear ? 3 : 0].filter(Boolean);
  // With the maintained standing, only obligations with events after the as-of day need their history read.
  const useStanding = ctx.config.summaryRollups;
  // Obligations whose report has events after the end of the as-of day stand as their history up to it says
  // (without the maintained standing, every obligation does); an obligation without events has no standing.
  const historyNeeded = useStanding ? 'b.now_last_event_at >= b.as_of_end' : 'TRUE';
  const rows = await sql<{
    unit_id: string | null;
    type: ReportType | null;
    year: number | null;
    expected: number;
    actual: number;
    on_time: number;
    reporting_rate: string | null;
    on_time_rate: string | null;
  }>(
    ctx.em,
    `WITH p AS (
       SELECT COALESCE(?::date, ${VN_TODAY}) AS as_of, ?::bigint AS program_id, ?::int AS year, ?::report_type AS type,
              ?::bigint AS under_id, ?::text AS scope_path
     ), base AS (
       SELECT o.id, o.type, o.year, o.due_date, o.submitter_id, s.path AS spath, s.level AS slevel, ${vnDayEnd('p.as_of')} AS as_of_end,
         st.status AS now_status, st.last_event_at AS now_last_event_at, st.last_submitted_at AS now_submitted_at
       FROM p CROSS JOIN reporting_obligation o JOIN unit s ON s.id = o.submitter_id
         LEFT JOIN obligation_standing st ON ${useStanding ? 'st.obligation_id = o.id' : 'FALSE'}
       WHERE o.archived_at IS NULL AND o.cancelled_at IS NULL AND o.due_date <= p.as_of
         AND (p.program_id IS NULL OR o.program_id = p.program_id)
         AND (p.year IS NULL OR o.year = p.year)
         AND (p.type IS NULL OR o.type = p.type)
         AND (p.under_id IS NULL OR s.path LIKE (SELECT uu.path FROM unit uu WHERE uu.id = p.under_id) || '%')
         AND s.path LIKE p.scope_path || '%'
     ), ev AS (
       -- The report events up to the end of the as-of day of the obligations whose history goes on after it
       -- (the others stand today as they stood then: obligation_standing), read once for all of them.
       SELECT r.obligation_id, e.status, e.at, e.id
       FROM base b JOIN report r ON r.obligation_id = b.id JOIN report_event e ON e.report_id = r.id
       WHERE e.at < b.as_of_end AND ${historyNeeded}
     ), last_event AS (
       SELECT DISTINCT ON (obligation_id) obligation_id, status FROM ev ORDER BY obligation_id, at DESC, id DESC
     ), last_submission AS (
       SELECT obligation_id, max(at) AS submitted_at FROM ev WHERE status = 'SUBMITTED' GROUP BY 1
     ), standing AS (
       SELECT b.*, CASE WHEN ${historyNeeded} THEN le.status ELSE b.now_status END AS status,
         CASE WHEN ${historyNeeded} THEN ls.submitted_at ELSE b.now_submitted_at END AS submitted_at
       FROM base b
         LEFT JOIN last_event le ON le.obligation_id = b.id
         LEFT JOIN last_submission ls ON ls.obligation_id = b.id
     ), grouped AS (
       SELECT ${unitExpr} AS unit_id, ${byType ? 'b.type' : 'NULL::report_type'} AS type, ${byYear ? 'b.year' : 'NULL::int'} AS year,
         count(*)::int AS expected,
         count(*) FILTER (WHERE b.status IN ('SUBMITTED', 'ACCEPTED'))::int AS actual,
         count(*) FILTER (WHERE b.status IN ('SUBMITTED', 'ACCEPTED') AND b.submitted_at < ${vnDayEnd('b.due_date')})::int AS on_time
       FROM standing b
       ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}
     )
     SELECT g.unit_id::text, g.type, g.year, g.expected, g.actual, g.on_time,
       CASE WHEN g.expected > 0 THEN round(LEAST(1, g.actual::numeric / g.expected), 4)::text END AS reporting_rate,
       CASE WHEN g.expected > 0 THEN round(LEAST(1, g.on_time::numeric / g.expected), 4)::text END AS on_time_rate
     FROM grouped g LEFT JOIN unit gu ON gu.id = g.unit_id
     WHERE g.expected > 0 OR ${keys.length ? 'FALSE' : 'TRUE'}
     ORDER BY gu.name COLLATE "vi-VN-x-icu", g.unit_id, g.type, g.year`,
    [asOf ?? null, f.programId ?? null, f.year ?? null, f.type ?? null, f.underUnit ?? null, scopePath],
  );
  return rows.map((r) => ({
    unitId: r.unit_id,
    type: r.type,
    year: r.year,
    expected: r.expected,
    actual: r.actual,
    onTime: r.on_time,
    reportingRate: r.reporting_rate,
    onTimeRate: r.on_time_rate,
  }));
}
