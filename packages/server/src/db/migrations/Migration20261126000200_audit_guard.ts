import { Migration } from '@mikro-orm/migrations';

/** The audit trail is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on it. */
export class Migration20261126000200_audit_guard extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;`);
    this.addSql(`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();`);
    this.addSql(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event;');
    this.addSql('DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;');
    this.addSql('DROP FUNCTION IF EXISTS audit_event_append_only();');
  }
}
