import { Migration } from '@mikro-orm/migrations';

/**
 * The funding roll-up (modules/funding/funding-rollup.entity.ts): the ledger summed per unit of level 0
 * and 1 (province, district — or a post-2025 commune directly under its province), year, source and
 * component, kept exact by statement-level triggers on funding_allocation.
 *
 * Each statement's changed lines (transition tables) become signed deltas — the new figures of live lines
 * minus the old — expanded to the line's ancestors of level 0 and 1, summed, and added in key order (so two
 * writers lock shared roll-up rows in the same order). A write that changes no amount and no live state
 * (a version bump, a decision reference) writes nothing. A change of any unit's path or level rebuilds
 * the table. The triggers run as the owner (SECURITY DEFINER): the request role may only read, as scoped.
 */
const EXPAND = `
  SELECT split_part(u.path, '/', lv.k + 2)::bigint AS unit_id, (u.level = lv.k) AS direct, lv.k AS level,
         d.year, d.source, d.component_id,
         sum(d.planned) AS planned, sum(d.allocated) AS allocated, sum(d.disbursed) AS disbursed, sum(d.lines)::int AS lines
  FROM delta d
    JOIN unit u ON u.id = d.unit_id
    CROSS JOIN (VALUES (0), (1)) lv(k)
  WHERE lv.k <= u.level
  GROUP BY 1, 2, 3, 4, 5, 6`;

const UPSERT = `
  INSERT INTO funding_rollup AS r (unit_id, direct, level, year, source, component_id, planned_amount, allocated_amount, disbursed_amount, lines)
  SELECT e.unit_id, e.direct, e.level, e.year, e.source, e.component_id, e.planned, e.allocated, e.disbursed, e.lines
  FROM expanded e
  WHERE e.planned <> 0 OR e.allocated <> 0 OR e.disbursed <> 0 OR e.lines <> 0
  ORDER BY 1, 2, 4, 5, 6
  ON CONFLICT (unit_id, direct, year, source, component_id) DO UPDATE SET
    planned_amount = r.planned_amount + EXCLUDED.planned_amount,
    allocated_amount = r.allocated_amount + EXCLUDED.allocated_amount,
    disbursed_amount = r.disbursed_amount + EXCLUDED.disbursed_amount,
    lines = r.lines + EXCLUDED.lines`;

const lines = (table: string, sign: '' | '-') => `
  SELECT a.unit_id, a.year, a.source, a.component_id,
         ${sign}a.planned_amount AS planned, ${sign}a.allocated_amount AS allocated, ${sign}a.disbursed_amount AS disbursed, ${sign}1 AS lines
  FROM ${table} a WHERE a.archived_at IS NULL`;

export class Migration20261126010000_funding_rollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "funding_rollup" ("unit_id" bigint not null, "direct" boolean not null, "level" smallint not null, "year" int not null, "source" "funding_source" not null, "component_id" bigint not null, "planned_amount" numeric(30,0) not null, "allocated_amount" numeric(30,0) not null, "disbursed_amount" numeric(30,0) not null, "lines" int not null, constraint "funding_rollup_pkey" primary key ("unit_id", "direct", "year", "source", "component_id"));`,
    );
    this.addSql(`create index "funding_rollup_level_index" on "funding_rollup" ("level");`);

    this.addSql(`CREATE FUNCTION ntp_funding_rollup_rebuild() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      DELETE FROM funding_rollup;
      WITH delta AS (${lines('funding_allocation', '')}), expanded AS (${EXPAND})
      ${UPSERT};
    $$;`);

    this.addSql(`CREATE FUNCTION ntp_funding_rollup_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          WITH delta AS (${lines('new_lines', '')}), expanded AS (${EXPAND}) ${UPSERT};
        ELSIF TG_OP = 'UPDATE' THEN
          WITH delta AS (${lines('new_lines', '')} UNION ALL ${lines('old_lines', '-')}), expanded AS (${EXPAND}) ${UPSERT};
        ELSE
          WITH delta AS (${lines('old_lines', '-')}), expanded AS (${EXPAND}) ${UPSERT};
        END IF;
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER funding_rollup_insert AFTER INSERT ON funding_allocation
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ntp_funding_rollup_sync();`);
    this.addSql(`CREATE TRIGGER funding_rollup_update AFTER UPDATE ON funding_allocation
      REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ntp_funding_rollup_sync();`);
    this.addSql(`CREATE TRIGGER funding_rollup_delete AFTER DELETE ON funding_allocation
      REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION ntp_funding_rollup_sync();`);

    // Lines roll up by their unit's path: a unit that moves (or changes level) moves its lines' sums.
    this
      .addSql(`CREATE FUNCTION ntp_funding_rollup_units_moved() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_units o JOIN new_units n ON n.id = o.id WHERE n.path IS DISTINCT FROM o.path OR n.level IS DISTINCT FROM o.level) THEN
          PERFORM ntp_funding_rollup_rebuild();
        END IF;
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER funding_rollup_units_moved AFTER UPDATE ON unit
      REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION ntp_funding_rollup_units_moved();`);

    // Read-only for requests, scoped like the ledger it sums.
    this.addSql('REVOKE INSERT, UPDATE, DELETE ON funding_rollup FROM ntp_request;');
    this.addSql('GRANT SELECT ON funding_rollup TO ntp_request;');
    this.addSql('ALTER TABLE funding_rollup ENABLE ROW LEVEL SECURITY;');
    this.addSql(`CREATE POLICY ntp_scope_read ON funding_rollup FOR SELECT TO ntp_request USING (
      ((SELECT current_setting('ntp.scope_path', true)) = '')
      OR (unit_id IN (SELECT su.id FROM unit su WHERE su.path LIKE (SELECT current_setting('ntp.scope_path', true)) || '%')));`);

    this.addSql('SELECT ntp_funding_rollup_rebuild();');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TRIGGER IF EXISTS funding_rollup_units_moved ON unit;');
    this.addSql('DROP TRIGGER IF EXISTS funding_rollup_insert ON funding_allocation;');
    this.addSql('DROP TRIGGER IF EXISTS funding_rollup_update ON funding_allocation;');
    this.addSql('DROP TRIGGER IF EXISTS funding_rollup_delete ON funding_allocation;');
    this.addSql('DROP FUNCTION IF EXISTS ntp_funding_rollup_units_moved();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_funding_rollup_sync();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_funding_rollup_rebuild();');
    this.addSql('DROP TABLE IF EXISTS funding_rollup;');
  }
}
