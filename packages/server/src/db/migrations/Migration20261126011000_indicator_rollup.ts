import { Migration } from '@mikro-orm/migrations';

/**
 * The indicator roll-up (modules/indicators/indicator-rollup.entity.ts): each unit's figures for an
 * indicator and year (its leaf: periods picked as indicatorProgress picks them) summed per unit of level
 * 0 and 1, kept exact by statement-level triggers on indicator_value.
 *
 * Picking a period is not additive (a YEAR value replaces H1 and H2), so a write cannot simply add a
 * delta: two writers of different periods of the same leaf would both add. Instead each statement
 *   1. makes sure the roll-up rows its leaves count in exist (placeholders, inserted in key order),
 *   2. locks those rows in key order, so a concurrent writer of the same rows waits for this one to end,
 *   3. recomputes them from the values, in a statement that sees every writer committed before the locks.
 * A row costs one indexed read of the leaves under one district or province for one indicator and year.
 * An update that changes no figure, period, key or live state recomputes nothing. A change of a unit's
 * path or level, or of an indicator's aggregation, rebuilds the table. The triggers run as the owner
 * (SECURITY DEFINER): the request role may only read, as scoped.
 */

/** Each leaf's figures from `src` (rows of indicator_value shape), periods picked; archived rows ignored. */
const leaves = (src: string, where = 'TRUE') => `
  SELECT pv.indicator_id, pv.unit_id, pv.year,
    ${['value', 'numerator', 'denominator']
      .map(
        (c) => `CASE WHEN pv.has_year THEN pv.${c}_year
      WHEN i.aggregation = 'SUM' THEN CASE WHEN pv.${c}_h1 IS NULL AND pv.${c}_h2 IS NULL THEN NULL
        ELSE COALESCE(pv.${c}_h1, 0) + COALESCE(pv.${c}_h2, 0) END
      WHEN pv.has_h2 THEN pv.${c}_h2
      ELSE pv.${c}_h1 END AS ${c}`,
      )
      .join(',\n    ')}
  FROM (
    SELECT iv.indicator_id, iv.unit_id, iv.year, bool_or(iv.period = 'YEAR') AS has_year, bool_or(iv.period = 'H2') AS has_h2,
      ${['value', 'numerator', 'denominator']
        .flatMap((c) => ['YEAR', 'H1', 'H2'].map((p) => `min(iv.${c}) FILTER (WHERE iv.period = '${p}') AS ${c}_${p.toLowerCase()}`))
        .join(', ')}
    FROM ${src} iv
    WHERE iv.archived_at IS NULL AND ${where}
    GROUP BY iv.indicator_id, iv.unit_id, iv.year
  ) pv JOIN indicator i ON i.id = pv.indicator_id`;

const SUMS = `count(*)::int, sum(l.value), count(l.value)::int, sum(l.numerator), count(l.numerator)::int,
  sum(l.denominator), count(l.denominator)::int`;

/** The roll-up rows (unit of level 0 or 1, direct or not) the leaves named by three parallel arrays count in. */
const ROWS_OF_LEAVES = `
  SELECT DISTINCT split_part(u.path, '/', lv.k + 2)::bigint AS unit_id, l.indicator_id, (u.level = lv.k) AS direct, l.year, lv.k AS level
  FROM unnest(p_indicator, p_unit, p_year) l(indicator_id, unit_id, year)
    JOIN unit u ON u.id = l.unit_id
    CROSS JOIN (VALUES (0), (1)) lv(k)
  WHERE lv.k <= u.level`;

/** The leaves of the keys in `k`: a direct row's unit itself, else every unit below the row's unit. */
const LEAVES_OF_KEY = leaves(
  'indicator_value',
  `iv.indicator_id = k.indicator_id AND iv.year = k.year
     AND (CASE WHEN k.direct THEN iv.unit_id = k.unit_id ELSE iv.unit_id = ANY(k.below) END)`,
);

/** Leaf keys (indicator, unit, year) a statement's changed rows belong to, as the three arrays refresh takes. */
const changedKeys = (rows: string) => `
  SELECT array_agg(indicator_id), array_agg(unit_id), array_agg(year)
  FROM (SELECT DISTINCT indicator_id, unit_id, year FROM (${rows}) c) d`;

export class Migration20261126011000_indicator_rollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "indicator_rollup" ("unit_id" bigint not null, "indicator_id" bigint not null, "direct" boolean not null, "year" int not null, "level" smallint not null, "leaves" int not null, "value_sum" numeric null, "value_count" int not null, "numerator_sum" numeric null, "numerator_count" int not null, "denominator_sum" numeric null, "denominator_count" int not null, constraint "indicator_rollup_pkey" primary key ("unit_id", "indicator_id", "direct", "year"));`,
    );

    this.addSql(`CREATE FUNCTION ntp_indicator_rollup_rebuild() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      DELETE FROM indicator_rollup;
      INSERT INTO indicator_rollup (unit_id, indicator_id, direct, year, level, leaves, value_sum, value_count, numerator_sum,
        numerator_count, denominator_sum, denominator_count)
      SELECT split_part(u.path, '/', lv.k + 2)::bigint, l.indicator_id, (u.level = lv.k), l.year, lv.k, ${SUMS}
      FROM (${leaves('indicator_value')}) l
        JOIN unit u ON u.id = l.unit_id
        CROSS JOIN (VALUES (0), (1)) lv(k)
      WHERE lv.k <= u.level
      GROUP BY 1, 2, 3, 4, 5;
    $$;`);

    this.addSql(`CREATE FUNCTION ntp_indicator_rollup_refresh(p_indicator bigint[], p_unit bigint[], p_year int[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF p_indicator IS NULL THEN RETURN; END IF;
        INSERT INTO indicator_rollup (unit_id, indicator_id, direct, year, level, leaves, value_count, numerator_count, denominator_count)
        SELECT r.unit_id, r.indicator_id, r.direct, r.year, r.level, 0, 0, 0, 0 FROM (${ROWS_OF_LEAVES}) r
        ORDER BY 1, 2, 3, 4
        ON CONFLICT DO NOTHING;

        PERFORM 1 FROM indicator_rollup r
        WHERE (r.unit_id, r.indicator_id, r.direct, r.year) IN (SELECT k.unit_id, k.indicator_id, k.direct, k.year FROM (${ROWS_OF_LEAVES}) k)
        ORDER BY r.unit_id, r.indicator_id, r.direct, r.year
        FOR UPDATE OF r;

        UPDATE indicator_rollup r
        SET (leaves, value_sum, value_count, numerator_sum, numerator_count, denominator_sum, denominator_count) = (SELECT ${SUMS} FROM (${LEAVES_OF_KEY}) l)
        FROM (
          SELECT k.*, ARRAY(SELECT su.id FROM unit su WHERE su.path LIKE ku.path || '%' AND su.id <> ku.id) AS below
          FROM (${ROWS_OF_LEAVES}) k JOIN unit ku ON ku.id = k.unit_id
        ) k
        WHERE r.unit_id = k.unit_id AND r.indicator_id = k.indicator_id AND r.direct = k.direct AND r.year = k.year;
      END $$;`);

    const figures = (t: string) =>
      `(${t}.indicator_id, ${t}.unit_id, ${t}.year, ${t}.period, ${t}.value, ${t}.numerator, ${t}.denominator, ${t}.archived_at IS NULL)`;
    this
      .addSql(`CREATE FUNCTION ntp_indicator_rollup_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        k_indicator bigint[];
        k_unit bigint[];
        k_year int[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${changedKeys('SELECT indicator_id, unit_id, year FROM new_rows WHERE archived_at IS NULL')} INTO k_indicator, k_unit, k_year;
        ELSIF TG_OP = 'UPDATE' THEN
          ${changedKeys(`SELECT x.indicator_id, x.unit_id, x.year
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              CROSS JOIN LATERAL (VALUES (o.indicator_id, o.unit_id, o.year), (n.indicator_id, n.unit_id, n.year)) x(indicator_id, unit_id, year)
              WHERE ${figures('o')} IS DISTINCT FROM ${figures('n')}`)} INTO k_indicator, k_unit, k_year;
        ELSE
          ${changedKeys('SELECT indicator_id, unit_id, year FROM old_rows WHERE archived_at IS NULL')} INTO k_indicator, k_unit, k_year;
        END IF;
        PERFORM ntp_indicator_rollup_refresh(k_indicator, k_unit, k_year);
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER indicator_rollup_insert AFTER INSERT ON indicator_value
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ntp_indicator_rollup_sync();`);
    this.addSql(`CREATE TRIGGER indicator_rollup_update AFTER UPDATE ON indicator_value
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ntp_indicator_rollup_sync();`);
    this.addSql(`CREATE TRIGGER indicator_rollup_delete AFTER DELETE ON indicator_value
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ntp_indicator_rollup_sync();`);

    // Leaves roll up by their unit's path, and SUM indicators pick H1 + H2: either change moves figures.
    this
      .addSql(`CREATE FUNCTION ntp_indicator_rollup_units_moved() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_units o JOIN new_units n ON n.id = o.id WHERE n.path IS DISTINCT FROM o.path OR n.level IS DISTINCT FROM o.level) THEN
          PERFORM ntp_indicator_rollup_rebuild();
        END IF;
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER indicator_rollup_units_moved AFTER UPDATE ON unit
      REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION ntp_indicator_rollup_units_moved();`);
    this
      .addSql(`CREATE FUNCTION ntp_indicator_rollup_aggregation_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_indicators o JOIN new_indicators n ON n.id = o.id WHERE n.aggregation IS DISTINCT FROM o.aggregation) THEN
          PERFORM ntp_indicator_rollup_rebuild();
        END IF;
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER indicator_rollup_aggregation_changed AFTER UPDATE ON indicator
      REFERENCING OLD TABLE AS old_indicators NEW TABLE AS new_indicators FOR EACH STATEMENT EXECUTE FUNCTION ntp_indicator_rollup_aggregation_changed();`);

    // Read-only for requests, scoped like the values it sums.
    this.addSql('REVOKE INSERT, UPDATE, DELETE ON indicator_rollup FROM ntp_request;');
    this.addSql('GRANT SELECT ON indicator_rollup TO ntp_request;');
    this.addSql('ALTER TABLE indicator_rollup ENABLE ROW LEVEL SECURITY;');
    this.addSql(`CREATE POLICY ntp_scope_read ON indicator_rollup FOR SELECT TO ntp_request USING (
      ((SELECT current_setting('ntp.scope_path', true)) = '')
      OR (unit_id IN (SELECT su.id FROM unit su WHERE su.path LIKE (SELECT current_setting('ntp.scope_path', true)) || '%')));`);

    this.addSql('SELECT ntp_indicator_rollup_rebuild();');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TRIGGER IF EXISTS indicator_rollup_aggregation_changed ON indicator;');
    this.addSql('DROP TRIGGER IF EXISTS indicator_rollup_units_moved ON unit;');
    this.addSql('DROP TRIGGER IF EXISTS indicator_rollup_insert ON indicator_value;');
    this.addSql('DROP TRIGGER IF EXISTS indicator_rollup_update ON indicator_value;');
    this.addSql('DROP TRIGGER IF EXISTS indicator_rollup_delete ON indicator_value;');
    this.addSql('DROP FUNCTION IF EXISTS ntp_indicator_rollup_aggregation_changed();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_indicator_rollup_units_moved();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_indicator_rollup_sync();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_indicator_rollup_refresh(bigint[], bigint[], int[]);');
    this.addSql('DROP FUNCTION IF EXISTS ntp_indicator_rollup_rebuild();');
    this.addSql('DROP TABLE IF EXISTS indicator_rollup;');
  }
}
