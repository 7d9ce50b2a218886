/** Vietnam (UTC+7, no daylight saving) calendar dates in SQL, shared by status, daysLate and completeness. */
export const vnDate = (ts: string) => `((${ts} AT TIME ZONE 'UTC') + interval '7 hours')::date`;
export const VN_TODAY = vnDate('now()');
/** The instant a Vietnam calendar date ends (00:00 of the next day, UTC+7). */
export const vnDayEnd = (date: string) => `(((${date})::date + 1)::timestamp - interval '7 hours') AT TIME ZONE 'UTC'`;

/** ObligationStatus of obligation alias `o` with its report alias `r` (LEFT JOINed). */
export const statusSql = (o: string, r: string) => `CASE
  WHEN ${o}.cancelled_at IS NOT NULL THEN 'CANCELLED'
  WHEN ${r}.status IN ('SUBMITTED', 'RETURNED', 'ACCEPTED') THEN ${r}.status::text
  WHEN ${o}.due_date < ${VN_TODAY} THEN 'OVERDUE'
  ELSE 'PENDING' END`;

/** Calendar days from the due date to the standing submission (or to today while unsubmitted); null when not late. */
export const daysLateSql = (o: string, r: string) => `CASE
  WHEN ${o}.cancelled_at IS NOT NULL THEN NULL
  WHEN ${r}.status IN ('SUBMITTED', 'ACCEPTED') THEN NULLIF(GREATEST(${vnDate(`${r}.submitted_at`)} - ${o}.due_date, 0), 0)
  ELSE NULLIF(GREATEST(${VN_TODAY} - ${o}.due_date, 0), 0) END`;

/** The units an obligation (alias `t`) is tied to for read scope: its submitter and its recipients. */
export const OBLIGATION_UNITS_SQL = `SELECT t.submitter_id UNION ALL SELECT rr.unit_id FROM reporting_obligation_recipient rr WHERE rr.obligation_id = t.id`;
export const REPORT_UNITS_SQL = `SELECT ro.submitter_id FROM reporting_obligation ro WHERE ro.id = t.obligation_id
  UNION ALL SELECT rr.unit_id FROM reporting_obligation_recipient rr WHERE rr.obligation_id = t.obligation_id`;
