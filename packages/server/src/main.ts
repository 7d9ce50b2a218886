import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { initOrm, migrate } from './db/orm';
import { seed } from './db/seed';
import { createApp } from './app';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const t0 = Date.now();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir);
    url = embedded.url;
  }
  let orm: Awaited<ReturnType<typeof initOrm>> | undefined;
  let app: Awaited<ReturnType<typeof createApp>>;
  let server: Server;
  try {
    orm = await initOrm(url);
    const applied = await migrate(orm);
    if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
    await seed(orm.em.fork(), config, console.log);
    app = await createApp(orm, config);
    server = await new Promise((resolve, reject) => {
      const s = createServer(app.handler);
      s.once('error', reject);
      s.listen(config.port, () => resolve(s));
    });
  } catch (e) {
    // Never leave an embedded PostgreSQL running behind a failed start.
    await orm?.close(true).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw e;
  }
  console.log(`NTP Monitor ready on http://localhost:${config.port}/graphql (${Date.now() - t0} ms)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close();
    await app.stop().catch(() => undefined);
    await orm!.close(true).catch(() => undefined);
    if (embedded) await embedded.stop().catch((e) => console.error('stopping embedded PostgreSQL:', e));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error('Start-up failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
