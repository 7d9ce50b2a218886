import { Migration } from '@mikro-orm/migrations';

/** The funding ledger (issue 6): allocations, their revisions, disbursements and idempotency keys. */
export class Migration20261126001000_funding extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "funding_source" as enum ('CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED');`,
    );

    this.addSql(
      `create table "funding_allocation" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "component_id" bigint not null, "unit_id" bigint not null, "year" int not null, "source" "funding_source" not null, "planned_amount" numeric(30,0) not null, "allocated_amount" numeric(30,0) not null, "disbursed_amount" numeric(30,0) not null default 0, "decision_ref" text null);`,
    );
    this.addSql(`create index "funding_allocation_component_id_index" on "funding_allocation" ("component_id");`);
    this.addSql(`create index "funding_allocation_unit_id_index" on "funding_allocation" ("unit_id");`);
    this.addSql(
      `alter table "funding_allocation" add constraint "funding_allocation_component_id_unit_id_year_source_unique" unique ("component_id", "unit_id", "year", "source");`,
    );
    // Backstops for the service's rules: money is never negative and the running total stays within the allocation.
    this.addSql(
      `alter table "funding_allocation" add constraint "funding_allocation_amounts_check" check (planned_amount >= 0 and allocated_amount >= 0 and disbursed_amount >= 0 and disbursed_amount <= allocated_amount);`,
    );

    this.addSql(
      `create table "funding_revision" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "allocation_id" bigint not null, "planned_amount" numeric(30,0) not null, "allocated_amount" numeric(30,0) not null, "decision_ref" text null, "reason" text null);`,
    );
    this.addSql(`create index "funding_revision_allocation_id_index" on "funding_revision" ("allocation_id");`);

    this.addSql(
      `create table "disbursement" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "allocation_id" bigint not null, "unit_id" bigint not null, "date" date not null, "amount" numeric(30,0) not null, "reference" text null);`,
    );
    this.addSql(`create index "disbursement_allocation_id_index" on "disbursement" ("allocation_id");`);
    this.addSql(`create index "disbursement_unit_id_index" on "disbursement" ("unit_id");`);

    this.addSql(
      `create table "disbursement_idempotency" ("id" bigserial primary key, "user_id" bigint not null, "key" text not null, "payload_hash" text not null, "disbursement_id" bigint null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `alter table "disbursement_idempotency" add constraint "disbursement_idempotency_user_id_key_unique" unique ("user_id", "key");`,
    );

    this.addSql(
      `alter table "funding_allocation" add constraint "funding_allocation_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "funding_allocation" add constraint "funding_allocation_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "funding_revision" add constraint "funding_revision_allocation_id_foreign" foreign key ("allocation_id") references "funding_allocation" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "disbursement" add constraint "disbursement_allocation_id_foreign" foreign key ("allocation_id") references "funding_allocation" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "disbursement" add constraint "disbursement_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "disbursement_idempotency" add constraint "disbursement_idempotency_disbursement_id_foreign" foreign key ("disbursement_id") references "disbursement" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "disbursement_idempotency" cascade;`);
    this.addSql(`drop table if exists "disbursement" cascade;`);
    this.addSql(`drop table if exists "funding_revision" cascade;`);
    this.addSql(`drop table if exists "funding_allocation" cascade;`);
    this.addSql(`drop type "funding_source";`);
  }
}
