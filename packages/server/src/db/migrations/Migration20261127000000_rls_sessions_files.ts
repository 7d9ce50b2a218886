import { Migration } from '@mikro-orm/migrations';

/** The caller is unscoped (ADMIN): a scalar sub-SELECT, evaluated once per statement (as in _rls_set_tests). */
const UNSCOPED = `(SELECT current_setting('ntp.scope_path', true)) = ''`;
/** Units in the caller's scope, hashed once per statement; '-' (anonymous) matches no path. */
const SCOPE_UNITS = `(SELECT su.id FROM unit su WHERE su.path LIKE (SELECT current_setting('ntp.scope_path', true)) || '%')`;

/**
 * Row-level security for the three tables issue 8 left out, with the same scope rule as every other table:
 * - `user_session` and `disbursement_idempotency` belong to a person: rows of people whose home unit is in
 *   the caller's scope. A sign-in switches to the signed-in person's scope before it stores the session
 *   (modules/users/user.service.ts), so an anonymous request can neither read nor write a session.
 * - `stored_file`: files of units in the scope, and files attached to reports the caller may see (through
 *   report_attachment's own policy, so a recipient outside the submitter's subtree still gets the attachment).
 * Unscoped callers (ADMIN) see all; the session lookup that starts every request runs before the switch
 * to the request role, and the file routes run as the owner, so neither changes.
 */
export class Migration20261127000000_rls_sessions_files extends Migration {
  override async up(): Promise<void> {
    // SECURITY DEFINER so the policy reads app_user as its owner: app_user's own sign-in policy lets an
    // anonymous request see every person, which must not make their sessions visible.
    this
      .addSql(`CREATE FUNCTION ntp_scope_user_ids() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT a.id FROM app_user a WHERE a.unit_id IN ${SCOPE_UNITS}
    $$;`);
    for (const table of ['user_session', 'disbursement_idempotency']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY ntp_scope ON ${table} FOR ALL TO ntp_request
        USING ((${UNSCOPED}) OR user_id IN (SELECT ntp_scope_user_ids()))
        WITH CHECK ((${UNSCOPED}) OR user_id IN (SELECT ntp_scope_user_ids()));`);
    }
    this.addSql('ALTER TABLE stored_file ENABLE ROW LEVEL SECURITY;');
    this.addSql(`CREATE POLICY ntp_scope ON stored_file FOR ALL TO ntp_request
      USING ((${UNSCOPED}) OR unit_id IN ${SCOPE_UNITS} OR id IN (SELECT ra.file_id FROM report_attachment ra))
      WITH CHECK ((${UNSCOPED}) OR unit_id IN ${SCOPE_UNITS});`);
  }

  override async down(): Promise<void> {
    for (const table of ['user_session', 'disbursement_idempotency', 'stored_file']) {
      this.addSql(`DROP POLICY IF EXISTS ntp_scope ON ${table};`);
      this.addSql(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`);
    }
    this.addSql('DROP FUNCTION IF EXISTS ntp_scope_user_ids();');
  }
}
