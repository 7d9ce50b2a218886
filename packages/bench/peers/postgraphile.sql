-- What a PostGraphile user would add to answer our summaries (schema bench_pgl, exposed only to PostGraphile).
-- Q2/Q3: grouped aggregates need the ancestor units as columns: a plain view over the ledger.
-- Q6/Q7: the completeness and indicator rules are SQL functions, the same SQL our services run.
DROP SCHEMA IF EXISTS bench_pgl CASCADE;
CREATE SCHEMA bench_pgl;

-- security_invoker: read as the caller, so row-level security applies when PostGraphile runs as the request role.
CREATE VIEW bench_pgl.allocation_rollup WITH (security_invoker = true) AS
SELECT t.id, t.component_id, t.unit_id, t.year, t.source, t.planned_amount, t.allocated_amount, t.disbursed_amount, t.archived_at,
       u.path AS unit_path,
       split_part(u.path, '/', 2)::bigint AS province_id,
       CASE WHEN u.level >= 1 THEN split_part(u.path, '/', 3)::bigint ELSE u.id END AS district_id
FROM public.funding_allocation t JOIN public.unit u ON u.id = t.unit_id;

CREATE TYPE bench_pgl.completeness_row AS (
  unit_id bigint, year int, expected int, actual int, on_time int, reporting_rate numeric, on_time_rate numeric
);

-- reportingCompleteness(filter: { programId, underUnit }, groupBy: [UNIT, YEAR], unitLevel, asOf) for an ADMIN.
CREATE FUNCTION bench_pgl.reporting_completeness(p_program bigint, p_under bigint, p_level int, p_as_of date)
RETURNS SETOF bench_pgl.completeness_row LANGUAGE sql STABLE AS $$
  WITH base AS (
    SELECT o.id, o.type, o.year, o.due_date, o.submitter_id, s.path AS spath, s.level AS slevel,
           (((p_as_of)::date + 1)::timestamp - interval '7 hours') AT TIME ZONE 'UTC' AS as_of_end
    FROM public.reporting_obligation o JOIN public.unit s ON s.id = o.submitter_id
    WHERE o.archived_at IS NULL AND o.cancelled_at IS NULL AND o.due_date <= p_as_of
      AND o.program_id = p_program
      AND s.path LIKE (SELECT uu.path FROM public.unit uu WHERE uu.id = p_under) || '%'
  ), ev AS (
    SELECT r.obligation_id, e.status, e.at, e.id
    FROM base b JOIN public.report r ON r.obligation_id = b.id JOIN public.report_event e ON e.report_id = r.id
    WHERE e.at < b.as_of_end
  ), last_event AS (
    SELECT DISTINCT ON (obligation_id) obligation_id, status FROM ev ORDER BY obligation_id, at DESC, id DESC
  ), last_submission AS (
    SELECT obligation_id, max(at) AS submitted_at FROM ev WHERE status = 'SUBMITTED' GROUP BY 1
  ), standing AS (
    SELECT b.*, le.status, ls.submitted_at
    FROM base b LEFT JOIN last_event le ON le.obligation_id = b.id LEFT JOIN last_submission ls ON ls.obligation_id = b.id
  ), grouped AS (
    SELECT CASE WHEN b.slevel <= p_level THEN b.submitter_id ELSE split_part(b.spath, '/', p_level + 2)::bigint END AS unit_id, b.year,
      count(*)::int AS expected,
      count(*) FILTER (WHERE b.status IN ('SUBMITTED', 'ACCEPTED'))::int AS actual,
      count(*) FILTER (WHERE b.status IN ('SUBMITTED', 'ACCEPTED')
        AND b.submitted_at < (((b.due_date)::date + 1)::timestamp - interval '7 hours') AT TIME ZONE 'UTC')::int AS on_time
    FROM standing b GROUP BY 1, 2
  )
  SELECT g.unit_id, g.year, g.expected, g.actual, g.on_time,
    round(LEAST(1, g.actual::numeric / NULLIF(g.expected, 0)), 4),
    round(LEAST(1, g.on_time::numeric / NULLIF(g.expected, 0)), 4)
  FROM grouped g LEFT JOIN public.unit gu ON gu.id = g.unit_id
  WHERE g.expected > 0
  ORDER BY gu.name COLLATE "vi-VN-x-icu", g.unit_id, g.year
$$;

CREATE TYPE bench_pgl.progress_row AS (
  indicator_id bigint, unit_id bigint, year int, actual numeric, baseline numeric, target numeric, achievement numeric
);

-- indicatorProgress(filter: { underUnit }, groupBy: [INDICATOR, UNIT, YEAR], unitLevel) for an ADMIN.
CREATE FUNCTION bench_pgl.indicator_progress(p_under bigint, p_level int)
RETURNS SETOF bench_pgl.progress_row LANGUAGE sql STABLE AS $$
  WITH v AS (
    SELECT iv.indicator_id, iv.unit_id, iv.year, iv.period, iv.value, iv.numerator, iv.denominator
    FROM public.indicator_value iv JOIN public.indicator i ON i.id = iv.indicator_id
    WHERE iv.archived_at IS NULL AND i.archived_at IS NULL
      AND iv.unit_id = ANY(ARRAY(SELECT su.id FROM public.unit su WHERE su.path LIKE (SELECT uu.path FROM public.unit uu WHERE uu.id = p_under) || '%'))
  ), pv AS (
    SELECT indicator_id, unit_id, year, bool_or(period = 'YEAR') AS has_year, bool_or(period = 'H2') AS has_h2,
      min(value) FILTER (WHERE period = 'YEAR') AS value_year, min(value) FILTER (WHERE period = 'H1') AS value_h1, min(value) FILTER (WHERE period = 'H2') AS value_h2, min(numerator) FILTER (WHERE period = 'YEAR') AS numerator_year, min(numerator) FILTER (WHERE period = 'H1') AS numerator_h1, min(numerator) FILTER (WHERE period = 'H2') AS numerator_h2, min(denominator) FILTER (WHERE period = 'YEAR') AS denominator_year, min(denominator) FILTER (WHERE period = 'H1') AS denominator_h1, min(denominator) FILTER (WHERE period = 'H2') AS denominator_h2
    FROM v GROUP BY indicator_id, unit_id, year
  ), g AS (
    SELECT pv.indicator_id, pv.unit_id, pv.year,
      CASE WHEN pv.has_year THEN pv.value_year WHEN i.aggregation = 'SUM' THEN CASE WHEN pv.value_h1 IS NULL AND pv.value_h2 IS NULL THEN NULL ELSE COALESCE(pv.value_h1, 0) + COALESCE(pv.value_h2, 0) END
           WHEN pv.has_h2 THEN pv.value_h2 ELSE pv.value_h1 END AS value,
      CASE WHEN pv.has_year THEN pv.numerator_year WHEN i.aggregation = 'SUM' THEN CASE WHEN pv.numerator_h1 IS NULL AND pv.numerator_h2 IS NULL THEN NULL ELSE COALESCE(pv.numerator_h1, 0) + COALESCE(pv.numerator_h2, 0) END
           WHEN pv.has_h2 THEN pv.numerator_h2 ELSE pv.numerator_h1 END AS numerator,
      CASE WHEN pv.has_year THEN pv.denominator_year WHEN i.aggregation = 'SUM' THEN CASE WHEN pv.denominator_h1 IS NULL AND pv.denominator_h2 IS NULL THEN NULL ELSE COALESCE(pv.denominator_h1, 0) + COALESCE(pv.denominator_h2, 0) END
           WHEN pv.has_h2 THEN pv.denominator_h2 ELSE pv.denominator_h1 END AS denominator,
      i.aggregation AS agg, i.measure AS measure,
      CASE WHEN u.level <= p_level THEN u.id ELSE (string_to_array(btrim(u.path, '/'), '/'))[p_level + 1]::bigint END AS g_unit
    FROM pv JOIN public.indicator i ON i.id = pv.indicator_id JOIN public.unit u ON u.id = pv.unit_id
  ), a AS (
    SELECT indicator_id, g_unit AS unit_id, year, agg,
      CASE WHEN measure = 'QUALITATIVE' THEN NULL
        WHEN agg = 'SUM' THEN sum(value)
        WHEN agg = 'AVERAGE' THEN avg(value)
        WHEN agg = 'LAST' THEN sum(value)
        ELSE sum(numerator) * (CASE WHEN measure = 'PERCENT' THEN 100 ELSE 1 END) / NULLIF(sum(denominator), 0)
      END AS actual
    FROM g GROUP BY indicator_id, agg, measure, g_unit, year
  )
  SELECT a.indicator_id, a.unit_id, a.year,
    CASE WHEN a.agg IN ('AVERAGE', 'RATIO') THEN round(a.actual, 4) ELSE a.actual END,
    t.baseline, t.target,
    CASE WHEN a.actual IS NULL OR t.baseline IS NULL OR t.target IS NULL OR t.target = t.baseline THEN NULL
      ELSE round((a.actual - t.baseline) / (t.target - t.baseline), 4) END
  FROM a JOIN public.indicator i ON i.id = a.indicator_id
  LEFT JOIN public.unit gu ON gu.id = a.unit_id
  LEFT JOIN LATERAL (
    SELECT t.baseline, t.target FROM public.indicator_target t
    WHERE t.indicator_id = a.indicator_id AND t.unit_id = a.unit_id AND coalesce(t.year, -1) = coalesce(a.year, -1) AND t.archived_at IS NULL
    LIMIT 1
  ) t ON TRUE
  ORDER BY i.code, gu.name COLLATE "vi-VN-x-icu" NULLS FIRST, a.unit_id NULLS FIRST, a.year NULLS FIRST
$$;

-- For the `postgraphile-rls` system: the request role may use what PostGraphile exposes here.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ntp_request') THEN
    GRANT USAGE ON SCHEMA bench_pgl TO ntp_request;
    GRANT SELECT ON ALL TABLES IN SCHEMA bench_pgl TO ntp_request;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bench_pgl TO ntp_request;
  END IF;
END $$;
