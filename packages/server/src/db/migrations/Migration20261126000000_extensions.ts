import { Migration } from '@mikro-orm/migrations';

/** Search that ignores case and Vietnamese diacritics: ntp_norm('TAM ĐƯỜNG') = ntp_norm('tam duong'). */
export class Migration20261126000000_extensions extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;');
    this.addSql(`CREATE OR REPLACE FUNCTION ntp_norm(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, translate($1, 'Đđ', 'Dd'))) $$;`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP FUNCTION IF EXISTS ntp_norm(text);');
  }
}
