import path from 'node:path';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';
import { assertNoFlushHooks } from './transactional';
import { guardOwnerConnections } from './sql';

export function ormOptions(clientUrl: string, poolMax = 10): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    // Fail fast when PostgreSQL is unreachable instead of hanging requests: bounded connect and acquire waits.
    pool: { min: 0, max: poolMax, acquireTimeoutMillis: 15_000 },
    driverOptions: { connection: { connectionTimeoutMillis: 5_000 } },
    allowGlobalContext: false,
    debug: false,
    migrations: {
      migrationsList,
      // Where `pnpm migration:create` writes new migrations (then list them in migrations/index.ts).
      path: path.join(__dirname, '../../src/db/migrations'),
      pathTs: path.join(__dirname, '../../src/db/migrations'),
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  };
}

export async function initOrm(clientUrl: string, poolMax = 10): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, poolMax));
  assertNoFlushHooks(orm);
  guardOwnerConnections(orm.em as never);
  return orm;
}

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}
