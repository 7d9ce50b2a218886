import { Migration } from '@mikro-orm/migrations';

/** Failed-login counts per username and client address, shared by every server instance (auth/rate-limit.ts). */
export class Migration20261126005000_rate_limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "login_throttle" ("key" text not null, "failures" int not null, "last_failure_at" timestamptz not null, constraint "login_throttle_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "login_throttle" cascade;');
  }
}
