import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormOptions } from './orm';

/**
 * Migrates a scratch database and asks the ORM whether the entities still need schema changes.
 * `--check` (default) fails on drift; `--create` writes the missing migration instead.
 */
async function main() {
  const base = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = `ntp_migration_check_${process.pid}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = new URL(base);
  url.pathname = `/${scratch}`;
  const orm = await MikroORM.init(ormOptions(url.toString(), 2));
  let code = 0;
  try {
    await orm.getMigrator().up();
    const diff = (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
    if (process.argv.includes('--create')) {
      const res = await orm.getMigrator().createMigration();
      console.log(res.fileName ? `Created ${res.fileName}` : 'No changes: no migration needed');
    } else if (diff) {
      console.error('Entities and migrations disagree; run `pnpm migration:create`. Missing SQL:\n' + diff);
      code = 1;
    } else {
      console.log('Migrations match the entities.');
    }
  } finally {
    await orm.close(true);
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
