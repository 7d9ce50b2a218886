import { Migration } from '@mikro-orm/migrations';

/** Indicators (issue 7): catalog, targets per unit and year, values per unit, year and period. */
export class Migration20261126003000_indicators extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "indicator_measure" as enum ('NUMBER', 'PERCENT', 'QUALITATIVE');`);
    this.addSql(`create type "indicator_direction" as enum ('INCREASE', 'DECREASE');`);
    this.addSql(`create type "indicator_aggregation" as enum ('SUM', 'AVERAGE', 'RATIO', 'LAST');`);
    this.addSql(`create type "indicator_period" as enum ('YEAR', 'H1', 'H2');`);

    this.addSql(
      `create table "indicator" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "code" text not null, "name" text not null, "unit_of_measure" text null, "measure" "indicator_measure" not null, "direction" "indicator_direction" not null, "aggregation" "indicator_aggregation" not null, "component_id" bigint null);`,
    );
    this.addSql(`alter table "indicator" add constraint "indicator_code_unique" unique ("code");`);
    this.addSql(`create index "indicator_component_id_index" on "indicator" ("component_id");`);

    this.addSql(
      `create table "indicator_value" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "indicator_id" bigint not null, "unit_id" bigint not null, "year" int not null, "period" "indicator_period" not null, "value" numeric null, "text_value" text null, "numerator" numeric null, "denominator" numeric null);`,
    );
    this.addSql(`create index "indicator_value_unit_id_year_index" on "indicator_value" ("unit_id", "year");`);
    this.addSql(
      `alter table "indicator_value" add constraint "indicator_value_indicator_id_unit_id_year_period_unique" unique ("indicator_id", "unit_id", "year", "period");`,
    );

    this.addSql(
      `create table "indicator_target" ("id" bigserial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "created_by" bigint null, "updated_by" bigint null, "archived_at" timestamptz null, "indicator_id" bigint not null, "unit_id" bigint not null, "year" int null, "baseline" numeric null, "target" numeric null);`,
    );
    this.addSql(`create index "indicator_target_unit_id_index" on "indicator_target" ("unit_id");`);
    this.addSql(`create unique index "indicator_target_key" on "indicator_target" ("indicator_id", "unit_id", coalesce("year", -1));`);

    this.addSql(
      `alter table "indicator" add constraint "indicator_component_id_foreign" foreign key ("component_id") references "program_component" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "indicator_value" add constraint "indicator_value_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "indicator_value" add constraint "indicator_value_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "indicator_target" add constraint "indicator_target_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "indicator_target" add constraint "indicator_target_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "indicator_value" cascade;`);
    this.addSql(`drop table if exists "indicator_target" cascade;`);
    this.addSql(`drop table if exists "indicator" cascade;`);
    this.addSql(`drop type "indicator_period";`);
    this.addSql(`drop type "indicator_aggregation";`);
    this.addSql(`drop type "indicator_direction";`);
    this.addSql(`drop type "indicator_measure";`);
  }
}
