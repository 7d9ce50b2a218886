import { Migration } from '@mikro-orm/migrations';

export class Migration20261126004000_monitoring extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "mission_status" as enum ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "member_role" as enum ('HEAD', 'DEPUTY', 'MEMBER', 'SECRETARY');`);
    this.addSql(`create type "finding_kind" as enum ('ACHIEVEMENT', 'DIFFICULTY', 'SHORTCOMING', 'VIOLATION');`);
    this.addSql(`create type "recommendation_status" as enum ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED');`);
    this.addSql(
      `create table "monitoring_plan" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "unit_id" bigint not null, "year" int not null, "title" text not null, "document_ref" text null);`,
    );
    this.addSql(`create index "monitoring_plan_unit_id_index" on "monitoring_plan" ("unit_id");`);
    this.addSql(
      `create table "mission" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "program_id" bigint not null, "plan_id" bigint null, "title" text not null, "lead_unit_id" bigint not null, "decision_ref" text null, "start_date" date not null, "end_date" date not null, "status" "mission_status" not null default 'PLANNED', "cancel_reason" text null, "overlap_justification" text null, constraint mission_dates_ordered check (start_date <= end_date));`,
    );
    this.addSql(`create index "mission_program_id_index" on "mission" ("program_id");`);
    this.addSql(`create index "mission_plan_id_index" on "mission" ("plan_id");`);
    this.addSql(`create index "mission_lead_unit_id_index" on "mission" ("lead_unit_id");`);
    this.addSql(`create index "mission_start_date_end_date_index" on "mission" ("start_date", "end_date");`);
    this.addSql(
      `create table "mission_target_unit" ("mission_id" bigint not null, "unit_id" bigint not null, constraint "mission_target_unit_pkey" primary key ("mission_id", "unit_id"));`,
    );
    this.addSql(`create index "mission_target_unit_unit_id_index" on "mission_target_unit" ("unit_id");`);
    this.addSql(
      `create table "mission_member" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "mission_id" bigint not null, "name" text not null, "position" text null, "organization_id" bigint null, "role" "member_role" not null, "sort_order" smallint not null default 0);`,
    );
    this.addSql(`create index "mission_member_mission_id_index" on "mission_member" ("mission_id");`);
    this.addSql(
      `create table "mission_component" ("mission_id" bigint not null, "component_id" bigint not null, constraint "mission_component_pkey" primary key ("mission_id", "component_id"));`,
    );
    this.addSql(
      `create table "finding" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "mission_id" bigint not null, "unit_id" bigint null, "component_id" bigint null, "kind" "finding_kind" not null, "description" text not null);`,
    );
    this.addSql(`create index "finding_mission_id_index" on "finding" ("mission_id");`);
    this.addSql(`create index "finding_unit_id_index" on "finding" ("unit_id");`);
    this.addSql(
      `create table "recommendation" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "mission_id" bigint not null, "finding_id" bigint null, "addressee_id" bigint not null, "content" text not null, "due_date" date null, "status" "recommendation_status" not null default 'OPEN', "resolution" text null, "resolved_at" timestamptz null);`,
    );
    this.addSql(`create index "recommendation_mission_id_index" on "recommendation" ("mission_id");`);
    this.addSql(`create index "recommendation_finding_id_index" on "recommendation" ("finding_id");`);
    this.addSql(`create index "recommendation_addressee_id_index" on "recommendation" ("addressee_id");`);
    this.addSql(
      `alter table "monitoring_plan" add constraint "monitoring_plan_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "mission" add constraint "mission_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "mission" add constraint "mission_plan_id_foreign" foreign key ("plan_id") references "monitoring_plan" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "mission" add constraint "mission_lead_unit_id_foreign" foreign key ("lead_unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "mission_target_unit" add constraint "mission_target_unit_mission_id_foreign" foreign key ("mission_id") references "mission" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "mission_target_unit" add constraint "mission_target_unit_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "mission_member" add constraint "mission_member_mission_id_foreign" foreign key ("mission_id") references "mission" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "mission_member" add constraint "mission_member_organization_id_foreign" foreign key ("organization_id") references "unit" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "mission_component" add constraint "mission_component_mission_id_foreign" foreign key ("mission_id") references "mission" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "mission_component" add constraint "mission_component_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_mission_id_foreign" foreign key ("mission_id") references "mission" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "recommendation" add constraint "recommendation_mission_id_foreign" foreign key ("mission_id") references "mission" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "recommendation" add constraint "recommendation_finding_id_foreign" foreign key ("finding_id") references "finding" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "recommendation" add constraint "recommendation_addressee_id_foreign" foreign key ("addressee_id") references "unit" ("id") on update cascade;`,
    );
  }
}
