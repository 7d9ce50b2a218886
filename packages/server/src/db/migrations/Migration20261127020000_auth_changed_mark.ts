import { Migration } from '@mikro-orm/migrations';

/**
 * The auth-changed triggers (Migration20261127010000_auth_changed_notify) also mark the writing transaction
 * (`ntp.auth_changed`, transaction-local), so the server that commits it knows, at its COMMIT, whether to empty
 * its own caller cache before answering (db/request-transaction.ts). Until now it emptied it after every commit,
 * so every caller's next request after any mutation looked its credential up again.
 */
export class Migration20261127020000_auth_changed_mark extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE OR REPLACE FUNCTION ntp_notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ntp_auth_changed', TG_TABLE_NAME);
        PERFORM set_config('ntp.auth_changed', 'on', true);
        RETURN NULL;
      END $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`CREATE OR REPLACE FUNCTION ntp_notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ntp_auth_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$;`);
  }
}
