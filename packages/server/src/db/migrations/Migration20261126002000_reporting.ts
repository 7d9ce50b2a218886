import { Migration } from '@mikro-orm/migrations';

/** Reporting cycle: working-day calendar, obligations and their recipients, reports with history, stored files. */
export class Migration20261126002000_reporting extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "calendar_day_kind" as enum ('HOLIDAY', 'DAY_OFF', 'WORKING_DAY');`);
    this.addSql(`create type "report_status" as enum ('DRAFT', 'SUBMITTED', 'RETURNED', 'ACCEPTED');`);
    this.addSql(
      `create table "calendar_day" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "date" date not null, "kind" "calendar_day_kind" not null, "name" text not null, "source" text null);`,
    );
    this.addSql(`alter table "calendar_day" add constraint "calendar_day_date_unique" unique ("date");`);
    this.addSql(
      `create table "stored_file" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "name" text not null, "size" int not null, "content_type" text not null, "sha256" text not null, "unit_id" bigint null);`,
    );
    this.addSql(`create index "stored_file_sha256_index" on "stored_file" ("sha256");`);
    this.addSql(`create index "stored_file_unit_id_index" on "stored_file" ("unit_id");`);
    this.addSql(
      `create table "reporting_obligation" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "type" "report_type" not null, "program_id" bigint not null, "component_id" bigint null, "submitter_id" bigint not null, "year" int null, "due_date" date not null, "mission_id" bigint null, "rule_id" bigint null, "title" text not null, "cancelled_at" timestamptz null, "cancel_reason" text null);`,
    );
    this.addSql(`create index "reporting_obligation_program_id_index" on "reporting_obligation" ("program_id");`);
    this.addSql(`create index "reporting_obligation_submitter_id_index" on "reporting_obligation" ("submitter_id");`);
    this.addSql(`create index "reporting_obligation_mission_id_index" on "reporting_obligation" ("mission_id");`);
    this.addSql(
      `create unique index "reporting_obligation_generated_unique" on "reporting_obligation" ("rule_id", "submitter_id", "year") where "rule_id" is not null;`,
    );
    this.addSql(`create index "reporting_obligation_due_date_index" on "reporting_obligation" ("due_date");`);
    this.addSql(
      `create table "report" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "obligation_id" bigint not null, "title" text not null, "sections" jsonb not null, "status" "report_status" not null default 'DRAFT', "submitted_at" timestamptz null, "submitted_by" bigint null, "reviewed_at" timestamptz null, "reviewed_by" bigint null, "return_reason" text null);`,
    );
    this.addSql(`alter table "report" add constraint "report_obligation_id_unique" unique ("obligation_id");`);
    this.addSql(
      `create table "report_event" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "report_id" bigint not null, "status" "report_status" not null, "at" timestamptz not null, "actor_id" bigint null, "reason" text null);`,
    );
    this.addSql(`create index "report_event_report_id_at_index" on "report_event" ("report_id", "at");`);
    this.addSql(
      `create table "report_attachment" ("report_id" bigint not null, "file_id" bigint not null, constraint "report_attachment_pkey" primary key ("report_id", "file_id"));`,
    );
    this.addSql(
      `create table "reporting_obligation_recipient" ("obligation_id" bigint not null, "unit_id" bigint not null, constraint "reporting_obligation_recipient_pkey" primary key ("obligation_id", "unit_id"));`,
    );
    this.addSql(
      `alter table "stored_file" add constraint "stored_file_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "reporting_obligation" add constraint "reporting_obligation_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "reporting_obligation" add constraint "reporting_obligation_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "reporting_obligation" add constraint "reporting_obligation_submitter_id_foreign" foreign key ("submitter_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "reporting_obligation" add constraint "reporting_obligation_rule_id_foreign" foreign key ("rule_id") references "deadline_rule" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "report" add constraint "report_obligation_id_foreign" foreign key ("obligation_id") references "reporting_obligation" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "report_event" add constraint "report_event_report_id_foreign" foreign key ("report_id") references "report" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "report_attachment" add constraint "report_attachment_report_id_foreign" foreign key ("report_id") references "report" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "report_attachment" add constraint "report_attachment_file_id_foreign" foreign key ("file_id") references "stored_file" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reporting_obligation_recipient" add constraint "reporting_obligation_recipient_obligation_id_foreign" foreign key ("obligation_id") references "reporting_obligation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reporting_obligation_recipient" add constraint "reporting_obligation_recipient_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "report_attachment" cascade;');
    this.addSql('drop table if exists "report_event" cascade;');
    this.addSql('drop table if exists "report" cascade;');
    this.addSql('drop table if exists "reporting_obligation_recipient" cascade;');
    this.addSql('drop table if exists "reporting_obligation" cascade;');
    this.addSql('drop table if exists "stored_file" cascade;');
    this.addSql('drop table if exists "calendar_day" cascade;');
    this.addSql('drop type if exists "report_status";');
    this.addSql('drop type if exists "calendar_day_kind";');
  }
}
