import { Migration } from '@mikro-orm/migrations';

/**
 * Obligation standing (modules/reporting/obligation-standing.entity.ts): each obligation's current
 * standing from its report's events, kept exact by statement-level triggers on report_event (and on report,
 * should a report change obligation). Like the indicator roll-up, a statement first makes sure the rows
 * exist and locks them in key order, then recomputes them from the events in a later statement, which sees
 * every writer committed before the locks were granted. The triggers run as the owner (SECURITY DEFINER):
 * requests may only read, what their obligations' visibility allows.
 */
export class Migration20261126012000_obligation_standing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "obligation_standing" ("obligation_id" bigint not null, "status" "report_status" null, "last_event_at" timestamptz null, "last_submitted_at" timestamptz null, constraint "obligation_standing_pkey" primary key ("obligation_id"));`,
    );

    this.addSql(`CREATE FUNCTION ntp_obligation_standing_rebuild() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      DELETE FROM obligation_standing;
      INSERT INTO obligation_standing (obligation_id, status, last_event_at, last_submitted_at)
      SELECT DISTINCT ON (r.obligation_id) r.obligation_id, e.status, max(e.at) OVER w, max(e.at) FILTER (WHERE e.status = 'SUBMITTED') OVER w
      FROM report r JOIN report_event e ON e.report_id = r.id
      WINDOW w AS (PARTITION BY r.obligation_id)
      ORDER BY r.obligation_id, e.at DESC, e.id DESC;
    $$;`);

    this.addSql(`CREATE FUNCTION ntp_obligation_standing_refresh(p_obligations bigint[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF p_obligations IS NULL THEN RETURN; END IF;
        INSERT INTO obligation_standing (obligation_id) SELECT DISTINCT x FROM unnest(p_obligations) x WHERE x IS NOT NULL ORDER BY 1
        ON CONFLICT DO NOTHING;
        PERFORM 1 FROM obligation_standing s WHERE s.obligation_id = ANY(p_obligations) ORDER BY s.obligation_id FOR UPDATE;
        UPDATE obligation_standing s SET (status, last_event_at, last_submitted_at) = (
          SELECT (SELECT e2.status FROM report r2 JOIN report_event e2 ON e2.report_id = r2.id
                  WHERE r2.obligation_id = s.obligation_id ORDER BY e2.at DESC, e2.id DESC LIMIT 1),
                 max(e.at), max(e.at) FILTER (WHERE e.status = 'SUBMITTED')
          FROM report r JOIN report_event e ON e.report_id = r.id
          WHERE r.obligation_id = s.obligation_id)
        WHERE s.obligation_id = ANY(p_obligations);
      END $$;`);

    this
      .addSql(`CREATE FUNCTION ntp_obligation_standing_events() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM ntp_obligation_standing_refresh(ARRAY(SELECT DISTINCT r.obligation_id FROM report r WHERE r.id IN (SELECT report_id FROM new_events)));
        ELSIF TG_OP = 'UPDATE' THEN
          PERFORM ntp_obligation_standing_refresh(ARRAY(SELECT DISTINCT r.obligation_id FROM report r WHERE r.id IN (
            SELECT x.report_id FROM old_events o JOIN new_events n ON n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.report_id), (n.report_id)) x(report_id)
            WHERE (o.report_id, o.status, o.at) IS DISTINCT FROM (n.report_id, n.status, n.at))));
        ELSE
          PERFORM ntp_obligation_standing_refresh(ARRAY(SELECT DISTINCT r.obligation_id FROM report r WHERE r.id IN (SELECT report_id FROM old_events)));
        END IF;
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER obligation_standing_insert AFTER INSERT ON report_event
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION ntp_obligation_standing_events();`);
    this.addSql(`CREATE TRIGGER obligation_standing_update AFTER UPDATE ON report_event
      REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION ntp_obligation_standing_events();`);
    this.addSql(`CREATE TRIGGER obligation_standing_delete AFTER DELETE ON report_event
      REFERENCING OLD TABLE AS old_events FOR EACH STATEMENT EXECUTE FUNCTION ntp_obligation_standing_events();`);

    this
      .addSql(`CREATE FUNCTION ntp_obligation_standing_reports_moved() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        PERFORM ntp_obligation_standing_refresh(ARRAY(
          SELECT x.obligation_id FROM old_reports o JOIN new_reports n ON n.id = o.id
          CROSS JOIN LATERAL (VALUES (o.obligation_id), (n.obligation_id)) x(obligation_id)
          WHERE n.obligation_id IS DISTINCT FROM o.obligation_id));
        RETURN NULL;
      END $$;`);
    this.addSql(`CREATE TRIGGER obligation_standing_reports_moved AFTER UPDATE ON report
      REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION ntp_obligation_standing_reports_moved();`);

    this.addSql('REVOKE INSERT, UPDATE, DELETE ON obligation_standing FROM ntp_request;');
    this.addSql('GRANT SELECT ON obligation_standing TO ntp_request;');
    this.addSql('ALTER TABLE obligation_standing ENABLE ROW LEVEL SECURITY;');
    this.addSql(`CREATE POLICY ntp_scope_read ON obligation_standing FOR SELECT TO ntp_request USING (
      ((SELECT current_setting('ntp.scope_path', true)) = '') OR ntp_obligation_visible(obligation_id));`);

    this.addSql('SELECT ntp_obligation_standing_rebuild();');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TRIGGER IF EXISTS obligation_standing_reports_moved ON report;');
    this.addSql('DROP TRIGGER IF EXISTS obligation_standing_insert ON report_event;');
    this.addSql('DROP TRIGGER IF EXISTS obligation_standing_update ON report_event;');
    this.addSql('DROP TRIGGER IF EXISTS obligation_standing_delete ON report_event;');
    this.addSql('DROP FUNCTION IF EXISTS ntp_obligation_standing_reports_moved();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_obligation_standing_events();');
    this.addSql('DROP FUNCTION IF EXISTS ntp_obligation_standing_refresh(bigint[]);');
    this.addSql('DROP FUNCTION IF EXISTS ntp_obligation_standing_rebuild();');
    this.addSql('DROP TABLE IF EXISTS obligation_standing;');
  }
}
