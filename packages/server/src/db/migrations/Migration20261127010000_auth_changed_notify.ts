import { Migration } from '@mikro-orm/migrations';

/**
 * What a request's caller is made of (auth/caller-cache.ts): a session or an API key, its user, the user's
 * home unit and that unit's parent. Every server keeps recently authenticated callers in memory and LISTENs on
 * `ntp_auth_changed`; these statement-level triggers notify it when any of those rows may have changed, by any
 * writer: another server, a console session, a DBA in psql. PostgreSQL sends the notification when the
 * writing transaction commits. Only the columns a caller is read from fire (an API key's `last_used_at`,
 * written once a minute, does not); a new session or key changes no one's caller and fires nothing.
 */
const WATCHED: [table: string, columns: string[]][] = [
  ['user_session', ['user_id', 'expires_at', 'revoked_at']],
  ['app_user', ['username', 'role', 'disabled', 'unit_id']],
  ['unit', ['kind', 'parent_id', 'path']],
  ['api_key', ['service_user_id', 'unit_id', 'secret_hash', 'revoked_at', 'archived_at']],
];

export class Migration20261127010000_auth_changed_notify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE FUNCTION ntp_notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ntp_auth_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$;`);
    for (const [table, columns] of WATCHED) {
      this.addSql(`CREATE TRIGGER ntp_auth_changed AFTER UPDATE OF ${columns.join(', ')} OR DELETE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ntp_notify_auth_changed();`);
      this.addSql(
        `CREATE TRIGGER ntp_auth_truncated AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ntp_notify_auth_changed();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const [table] of WATCHED) {
      this.addSql(`DROP TRIGGER IF EXISTS ntp_auth_changed ON ${table};`);
      this.addSql(`DROP TRIGGER IF EXISTS ntp_auth_truncated ON ${table};`);
    }
    this.addSql('DROP FUNCTION IF EXISTS ntp_notify_auth_changed();');
  }
}
