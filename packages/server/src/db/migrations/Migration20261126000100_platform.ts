import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000100_platform extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "report_type" as enum ('MONITORING_MISSION', 'MONITORING_SEMIANNUAL', 'MONITORING_ANNUAL', 'MONITORING_ADHOC', 'EVALUATION_BASELINE', 'EVALUATION_MIDTERM', 'EVALUATION_ANNUAL', 'EVALUATION_FINAL', 'EVALUATION_ADHOC');`,
    );
    this.addSql(`create type "unit_kind" as enum ('PROVINCE', 'DISTRICT', 'COMMUNE', 'AGENCY');`);
    this.addSql(`create type "deadline_kind" as enum ('FIXED_DATE', 'YEARLY', 'WORKING_DAYS_AFTER_EVENT', 'ON_REQUEST');`);
    this.addSql(`create type "component_kind" as enum ('PROJECT', 'SUB_PROJECT');`);
    this.addSql(`create type "agency_role" as enum ('STANDING_AGENCY', 'FINANCE_PLANNING');`);
    this.addSql(`create type "user_role" as enum ('ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER');`);
    this.addSql(
      `create table "app_setting" ("key" text not null, "value" text not null, constraint "app_setting_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null default now(), "actor_id" bigint null, "api_key_id" bigint null, "operation" text not null, "entity_type" text null, "entity_id" text null, "unit_id" bigint null, "before" jsonb null, "after" jsonb null, "details" jsonb null, "request_id" text not null, "outcome" text not null, "message" text null);`,
    );
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`create index "audit_event_unit_id_index" on "audit_event" ("unit_id");`);
    this.addSql(`create index "audit_event_entity_type_entity_id_index" on "audit_event" ("entity_type", "entity_id");`);

    this.addSql(
      `create table "program" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "code" text not null, "name" text not null, "start_year" int not null, "end_year" int not null, "decision_ref" text null);`,
    );
    this.addSql(`alter table "program" add constraint "program_code_unique" unique ("code");`);

    this.addSql(
      `create table "deadline_rule" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "program_id" bigint not null, "report_type" "report_type" not null, "level" "unit_kind" null, "kind" "deadline_kind" not null, "date" date null, "month" smallint null, "day" smallint null, "working_days" smallint null, "before" boolean not null default false);`,
    );
    this.addSql(`create index "deadline_rule_program_id_index" on "deadline_rule" ("program_id");`);

    this.addSql(
      `create table "program_component" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "program_id" bigint not null, "parent_id" bigint null, "code" text not null, "name" text not null, "kind" "component_kind" not null);`,
    );
    this.addSql(`create index "program_component_parent_id_index" on "program_component" ("parent_id");`);
    this.addSql(`alter table "program_component" add constraint "program_component_program_id_code_unique" unique ("program_id", "code");`);

    this.addSql(
      `create table "unit" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "code" text not null, "name" text not null, "kind" "unit_kind" not null, "parent_id" bigint null, "path" text not null, "level" int not null, "valid_from" date null, "valid_to" date null);`,
    );
    this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code");`);
    this.addSql(`create index "unit_parent_id_index" on "unit" ("parent_id");`);
    this.addSql(`create index "unit_path_idx" on "unit" ("path" text_pattern_ops);`);

    this.addSql(
      `create table "reporting_unit" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "program_id" bigint not null, "unit_id" bigint not null, "valid_from" date null, "valid_to" date null);`,
    );
    this.addSql(`create index "reporting_unit_program_id_unit_id_index" on "reporting_unit" ("program_id", "unit_id");`);

    this.addSql(
      `create table "lead_agency" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "component_id" bigint not null, "unit_id" bigint not null, "agency_id" bigint not null);`,
    );
    this.addSql(`create index "lead_agency_unit_id_index" on "lead_agency" ("unit_id");`);
    this.addSql(`create index "lead_agency_agency_id_index" on "lead_agency" ("agency_id");`);
    this.addSql(`alter table "lead_agency" add constraint "lead_agency_component_id_unit_id_unique" unique ("component_id", "unit_id");`);

    this.addSql(
      `create table "district_agency" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "unit_id" bigint not null, "role" "agency_role" not null, "agency_id" bigint not null);`,
    );
    this.addSql(`alter table "district_agency" add constraint "district_agency_unit_id_role_unique" unique ("unit_id", "role");`);

    this.addSql(
      `create table "unit_successor" ("unit_id" bigint not null, "successor_id" bigint not null, constraint "unit_successor_pkey" primary key ("unit_id", "successor_id"));`,
    );

    this.addSql(
      `create table "app_user" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "username" text not null, "password_hash" text not null, "display_name" text not null, "role" "user_role" not null, "unit_id" bigint not null, "disabled" boolean not null default false, "service_account" boolean not null default false);`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);
    this.addSql(`create index "app_user_unit_id_index" on "app_user" ("unit_id");`);

    this.addSql(
      `create table "user_session" ("id" uuid not null default gen_random_uuid(), "user_id" bigint not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "user_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "user_session_user_id_index" on "user_session" ("user_id");`);

    this.addSql(
      `create table "api_key" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "name" text not null, "unit_id" bigint not null, "service_user_id" bigint not null, "secret_hash" text not null, "prefix" text not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null);`,
    );

    this.addSql(
      `alter table "deadline_rule" add constraint "deadline_rule_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "program_component" add constraint "program_component_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "program_component" add constraint "program_component_parent_id_foreign" foreign key ("parent_id") references "program_component" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "unit" add constraint "unit_parent_id_foreign" foreign key ("parent_id") references "unit" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "reporting_unit" add constraint "reporting_unit_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "reporting_unit" add constraint "reporting_unit_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "lead_agency" add constraint "lead_agency_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "lead_agency" add constraint "lead_agency_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "lead_agency" add constraint "lead_agency_agency_id_foreign" foreign key ("agency_id") references "unit" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "district_agency" add constraint "district_agency_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "district_agency" add constraint "district_agency_agency_id_foreign" foreign key ("agency_id") references "unit" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "unit_successor" add constraint "unit_successor_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "unit_successor" add constraint "unit_successor_successor_id_foreign" foreign key ("successor_id") references "unit" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_service_user_id_foreign" foreign key ("service_user_id") references "app_user" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "deadline_rule" drop constraint "deadline_rule_program_id_foreign";`);

    this.addSql(`alter table "program_component" drop constraint "program_component_program_id_foreign";`);

    this.addSql(`alter table "reporting_unit" drop constraint "reporting_unit_program_id_foreign";`);

    this.addSql(`alter table "program_component" drop constraint "program_component_parent_id_foreign";`);

    this.addSql(`alter table "lead_agency" drop constraint "lead_agency_component_id_foreign";`);

    this.addSql(`alter table "unit" drop constraint "unit_parent_id_foreign";`);

    this.addSql(`alter table "reporting_unit" drop constraint "reporting_unit_unit_id_foreign";`);

    this.addSql(`alter table "lead_agency" drop constraint "lead_agency_unit_id_foreign";`);

    this.addSql(`alter table "lead_agency" drop constraint "lead_agency_agency_id_foreign";`);

    this.addSql(`alter table "district_agency" drop constraint "district_agency_unit_id_foreign";`);

    this.addSql(`alter table "district_agency" drop constraint "district_agency_agency_id_foreign";`);

    this.addSql(`alter table "unit_successor" drop constraint "unit_successor_unit_id_foreign";`);

    this.addSql(`alter table "unit_successor" drop constraint "unit_successor_successor_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_unit_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_unit_id_foreign";`);

    this.addSql(`alter table "user_session" drop constraint "user_session_user_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_service_user_id_foreign";`);

    this.addSql(`drop table if exists "app_setting" cascade;`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "program" cascade;`);

    this.addSql(`drop table if exists "deadline_rule" cascade;`);

    this.addSql(`drop table if exists "program_component" cascade;`);

    this.addSql(`drop table if exists "unit" cascade;`);

    this.addSql(`drop table if exists "reporting_unit" cascade;`);

    this.addSql(`drop table if exists "lead_agency" cascade;`);

    this.addSql(`drop table if exists "district_agency" cascade;`);

    this.addSql(`drop table if exists "unit_successor" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "user_session" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop type "report_type";`);
    this.addSql(`drop type "unit_kind";`);
    this.addSql(`drop type "deadline_kind";`);
    this.addSql(`drop type "component_kind";`);
    this.addSql(`drop type "agency_role";`);
    this.addSql(`drop type "user_role";`);
  }
}
