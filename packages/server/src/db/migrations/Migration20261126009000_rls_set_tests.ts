import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security at set speed (measured by packages/bench): a policy that calls ntp_unit_visible(col)
 * per row costs a function call and a subquery for every row read. Every policy now starts with the
 * unscoped test as a scalar sub-SELECT (an InitPlan, evaluated once per statement), and the per-row call
 * becomes an `IN (SELECT …)` set test that PostgreSQL hashes once per statement. Same rules, same results.
 */
const UNSCOPED = `(SELECT current_setting('ntp.scope_path', true)) = ''`;
const IN_SCOPE = `IN (SELECT su.id FROM unit su WHERE su.path LIKE (SELECT current_setting('ntp.scope_path', true)) || '%')`;

export class Migration20261126009000_rls_set_tests extends Migration {
  override async up(): Promise<void> {
    this.addSql(`DO $$
      DECLARE r record; q text; c text;
      BEGIN
        FOR r IN SELECT tablename, policyname, qual, with_check FROM pg_policies
                 WHERE schemaname = 'public' AND policyname IN ('ntp_scope', 'ntp_scope_read') LOOP
          q := regexp_replace(r.qual, 'ntp_unit_visible\\(([a-z_.]+)\\)', '(\\1 ${IN_SCOPE.replace(/'/g, "''")})', 'g');
          EXECUTE format('ALTER POLICY %I ON %I USING ((${UNSCOPED.replace(/'/g, "''")}) OR (%s))', r.policyname, r.tablename, q);
          IF r.with_check IS NOT NULL THEN
            c := regexp_replace(r.with_check, 'ntp_unit_visible\\(([a-z_.]+)\\)', '(\\1 ${IN_SCOPE.replace(/'/g, "''")})', 'g');
            EXECUTE format('ALTER POLICY %I ON %I WITH CHECK ((${UNSCOPED.replace(/'/g, "''")}) OR (%s))', r.policyname, r.tablename, c);
          END IF;
        END LOOP;
      END $$;`);
  }
}
