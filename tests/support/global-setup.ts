import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * Finds a PostgreSQL (TEST_DATABASE_URL, else 127.0.0.1:5432, else an embedded one), migrates and seeds
 * a template database once; each test file clones it (CREATE DATABASE ... TEMPLATE).
 */
let stopEmbedded: (() => Promise<void>) | undefined;
let baseUrl = '';
let template = '';

async function reachable(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  baseUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(baseUrl))) {
    if (process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL is not reachable: ${process.env.TEST_DATABASE_URL}`);
    const { startEmbeddedPostgres } = await import('../../packages/server/src/db/embedded');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres(dir, () => undefined);
    stopEmbedded = db.stop;
    const u = new URL(db.url);
    u.pathname = '/postgres';
    baseUrl = u.toString();
  }
  template = `ntp_test_tpl_${process.pid}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const tplUrl = new URL(baseUrl);
  tplUrl.pathname = `/${template}`;
  await import('reflect-metadata');
  const { initOrm, migrate } = await import('../../packages/server/src/db/orm');
  const { seed } = await import('../../packages/server/src/db/seed');
  const { loadConfig } = await import('../../packages/server/src/config');
  const orm = await initOrm(tplUrl.toString(), 2);
  await migrate(orm);
  await seed(orm.em.fork(), { ...loadConfig({ NODE_ENV: 'test' }), adminPassword: 'admin-test-pass', seedDemo: true });
  await orm.close(true);

  project.provide('dbBaseUrl', baseUrl);
  project.provide('dbTemplate', template);

  return async () => {
    const c = new Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${template}`).catch(() => undefined);
    await c.end();
    if (stopEmbedded) await stopEmbedded();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbBaseUrl: string;
    dbTemplate: string;
  }
}
