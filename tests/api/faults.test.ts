import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Client } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../packages/server/src/db/embedded';
import { initOrm, migrate } from '../../packages/server/src/db/orm';
import { seed } from '../../packages/server/src/db/seed';
import { createApp, type App } from '../../packages/server/src/app';
import { loadConfig } from '../../packages/server/src/config';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';
import { ADMIN_PASSWORD } from '../support/app';

/**
 * The server on its own embedded PostgreSQL, which the test stops and starts under load (same data
 * directory, same port), and whose connections it kills in the middle of a mutation.
 */
let dir = '';
let db: EmbeddedDatabase;
let port = 0;
let orm: MikroORM;
let app: App;
let server: Server;
let base = '';
/** Lai Châu: the units created here hang under the province. */
let parentId = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-fault-pg-'));
  fs.chmodSync(dir, 0o755);
  db = await startEmbeddedPostgres(dir, () => undefined);
  port = Number(new URL(db.url).port);
  orm = await initOrm(db.url, 10);
  await migrate(orm);
  const config = { ...loadConfig({ NODE_ENV: 'production' }), adminPassword: ADMIN_PASSWORD, seedDemo: true, requestsPerMinute: 1_000_000 };
  await seed(orm.em.fork(), config);
  app = await createApp(orm, config);
  server = await new Promise<Server>((resolve) => {
    const s = createServer(app.handler).listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  parentId = (await sql<{ id: string }>("SELECT id::text AS id FROM unit WHERE code = 'LAICHAU'"))[0].id;
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await app?.stop();
  await orm?.close(true);
  await db?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface Answer {
  status: number;
  code?: string;
  text: string;
  data?: any;
  ms: number;
}

async function gql(query: string, variables: Record<string, unknown> = {}, token?: string, signal?: AbortSignal): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code, text, data: body.data, ms: Date.now() - t0 };
}

async function login(username: string, password: string): Promise<string> {
  const r = await gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: username, p: password });
  if (!r.data?.login) throw new Error(r.text);
  return r.data.login.token;
}

const READ = '{ units(filter: { kind: { eq: COMMUNE } }) { totalCount nodes { code parent { code } } } }';
const CREATE = 'mutation($i: CreateUnitInput!) { createUnit(input: $i) { id code } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a client may see of a failure: a code and a message, never SQL, a stack or connection details. */
function expectMasked(a: Answer) {
  expect(a.code).toBe('INTERNAL_SERVER_ERROR');
  expect(a.text).not.toMatch(
    /stacktrace|\n\s+at |node_modules|\.ts:\d+|ECONNREFUSED|127\.0\.0\.1|terminat|\bSELECT\b|\bINSERT\b|\bFROM\b|postgres/i,
  );
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('PostgreSQL stops and restarts under load', () => {
  it('fails fast and masked while it is down, /readyz answers 503, and serves again without a restart', async () => {
    const viewer = await login('td.viewer', DEMO_PASSWORD);
    const admin = await login('admin', ADMIN_PASSWORD);
    const expectedCommunes = (await gql(READ, {}, viewer)).data.units.totalCount as number;
    expect(expectedCommunes).toBeGreaterThan(0);

    type Phase = 'up' | 'stopping' | 'down' | 'restarting' | 'back';
    let phase: Phase = 'up';
    let running = true;
    let n = 0;
    const samples: (Answer & { started: Phase; ended: Phase; kind: 'read' | 'write'; code_?: string })[] = [];
    const writes: { code: string; ok: boolean }[] = [];

    const worker = async (w: number) => {
      while (running) {
        const started = phase;
        const write = w % 2 === 0;
        let a: Answer;
        if (write) {
          const code = `FAULT.${++n}`;
          a = await gql(CREATE, { i: { code, name: `Đơn vị ${code}`, kind: 'AGENCY', parentId } }, admin);
          writes.push({ code, ok: Boolean(a.data?.createUnit) });
        } else {
          a = await gql(READ, {}, viewer);
        }
        samples.push({ ...a, started, ended: phase, kind: write ? 'write' : 'read' });
        await sleep(20);
      }
    };
    const workers = Array.from({ length: 4 }, (_, w) => worker(w));
    try {
      await sleep(1500);
      phase = 'stopping';
      await db.stop();
      phase = 'down';
      await sleep(300);

      // While it is down: health answers, readiness does not, anonymous `{ __typename }` needs no database.
      const health = await fetch(`${base}/healthz`);
      const ready = await fetch(`${base}/readyz`);
      expect({ health: health.status, ready: ready.status, readyBody: await ready.json() }).toEqual({
        health: 200,
        ready: 503,
        readyBody: { status: 'database unavailable' },
      });
      // `{ __typename }` needs no data, so it opens no transaction and still answers, at once.
      const typename = await gql('{ __typename }');
      expect(typename.ms).toBeLessThan(1000);
      expect(typename.data).toEqual({ __typename: 'Query' });
      const refusedLogin = await gql('mutation { login(username: "td.viewer", password: "x") { token } }');
      expectMasked(refusedLogin);
      await sleep(2000);

      phase = 'restarting';
      db = await startEmbeddedPostgres(dir, () => undefined, port);
      const back = Date.now();
      let readyAgain = 0;
      while (Date.now() - back < 20_000) {
        if ((await fetch(`${base}/readyz`)).status === 200) {
          readyAgain = Date.now() - back;
          break;
        }
        await sleep(100);
      }
      expect(readyAgain).toBeGreaterThan(0);
      phase = 'back';
      await sleep(1500);
    } finally {
      running = false;
      await Promise.all(workers);
    }

    const inPhase = (p: Phase) => samples.filter((s) => s.started === p && s.ended === p);
    // Before: everything works.
    expect(inPhase('up').length).toBeGreaterThan(10);
    expect(inPhase('up').filter((s) => s.code !== undefined)).toEqual([]);
    // Down: every request fails, quickly, masked; nothing waits for a database that is not there.
    const down = inPhase('down');
    expect(down.length).toBeGreaterThan(20);
    for (const s of down) {
      expectMasked(s);
      expect(s.status).toBe(503);
      expect(s.ms).toBeLessThan(1000);
    }
    // In flight while it stopped: answered either way, never with a leak.
    for (const s of samples.filter((x) => x.code !== undefined)) expectMasked(s);
    expect(samples.every((s) => [200, 503, 500].includes(s.status))).toBe(true);
    // Back: the pool reconnected by itself.
    const after = inPhase('back');
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((s) => s.code !== undefined)).toEqual([]);
    for (const s of after.filter((x) => x.kind === 'read')) expect(JSON.parse(s.text).data.units.totalCount).toBe(expectedCommunes);

    // Nothing half written: a unit exists exactly when its createUnit was audited as a success, and
    // every success the client saw is there.
    const rows = await sql<{ code: string; audited: boolean }>(
      `SELECT u.code, EXISTS (SELECT 1 FROM audit_event a WHERE a.operation = 'createUnit' AND a.outcome = 'SUCCESS' AND a.entity_id = u.id::text) AS audited
       FROM unit u WHERE u.code LIKE 'FAULT.%'`,
    );
    expect(rows.filter((r) => !r.audited)).toEqual([]);
    const orphanAudits = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event a WHERE a.operation = 'createUnit' AND a.outcome = 'SUCCESS' AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.id::text = a.entity_id)`,
    );
    expect(orphanAudits[0].n).toBe(0);
    const stored = new Set(rows.map((r) => r.code));
    expect(writes.filter((w) => w.ok && !stored.has(w.code))).toEqual([]);
    expect(writes.filter((w) => w.ok).length).toBeGreaterThan(5);
  }, 120_000);
});

describe('a request cut mid-way', () => {
  /** Holds the audit table so a createUnit stops between writing its unit and writing its audit event. */
  async function holdAudit() {
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE audit_event IN EXCLUSIVE MODE');
    return locker;
  }
  /** The backend of the mutation waiting on that lock, once it has written its unit row. */
  async function stuckMutation(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const rows = await sql<{ pid: number }>(
        `SELECT a.pid FROM pg_stat_activity a
         WHERE a.wait_event_type = 'Lock' AND a.query ILIKE 'INSERT INTO audit_event%'
           AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'unit'::regclass AND l.mode = 'RowExclusiveLock')`,
      );
      if (rows[0]) return rows[0].pid;
      await sleep(50);
    }
    throw new Error('the mutation never reached its audit insert');
  }

  it('rolls back everything when its database connection dies mid-transaction', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const locker = await holdAudit();
    const pending = gql(CREATE, { i: { code: 'FAULT.CUT', name: 'Đơn vị bị cắt', kind: 'AGENCY', parentId } }, admin);
    const pid = await stuckMutation();
    const [killed] = await sql<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(killed.ok).toBe(true);
    await locker.query('COMMIT');
    await locker.end();

    const answer = await pending;
    expectMasked(answer);
    expect(answer.data).toEqual(null);
    expect(await sql("SELECT id FROM unit WHERE code = 'FAULT.CUT'")).toEqual([]);
    // No success was recorded. (The refusal's own audit event needs a live connection: with the
    // request's transaction on the killed connection it may be lost, never half written.)
    const audit = await sql<{ outcome: string }>(
      "SELECT outcome FROM audit_event WHERE operation = 'createUnit' AND details->'args'->'input'->>'code' = 'FAULT.CUT'",
    );
    expect(audit.filter((a) => a.outcome !== 'INTERNAL_SERVER_ERROR')).toEqual([]);
    expect(audit.length).toBeLessThanOrEqual(1);

    // The pool dropped the dead connection and the same mutation now succeeds.
    const again = await gql(CREATE, { i: { code: 'FAULT.CUT', name: 'Đơn vị bị cắt', kind: 'AGENCY', parentId } }, admin);
    expect(again.code).toBeUndefined();
    expect(again.data.createUnit.code).toBe('FAULT.CUT');
  }, 60_000);

  it('finishes the whole change, or none of it, when the client hangs up mid-request', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const locker = await holdAudit();
    const abort = new AbortController();
    const pending = gql(
      CREATE,
      { i: { code: 'FAULT.HANGUP', name: 'Khách ngắt kết nối', kind: 'AGENCY', parentId } },
      admin,
      abort.signal,
    ).catch((e: Error) => e);
    await stuckMutation();
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    await locker.query('COMMIT');
    await locker.end();

    // Wait until no transaction of the app is open any more, then: the unit and its audit event
    // together, or neither (whether a hang-up commits or rolls back is the server's choice).
    for (let i = 0; i < 200; i++) {
      const busy = await sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'",
      );
      if (busy[0].n === 0) break;
      await sleep(50);
    }
    const units = await sql<{ id: string }>("SELECT id::text AS id FROM unit WHERE code = 'FAULT.HANGUP'");
    const successes = await sql<{ entity_id: string }>(
      "SELECT entity_id FROM audit_event WHERE operation = 'createUnit' AND outcome = 'SUCCESS' AND details->'args'->'input'->>'code' = 'FAULT.HANGUP'",
    );
    expect(successes.map((a) => a.entity_id)).toEqual(units.map((u) => u.id));
  }, 60_000);
});
