import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../packages/server/src/db/orm';
import { createApp, type App } from '../../packages/server/src/app';
import { callerCacheFor } from '../../packages/server/src/auth/caller-cache';
import { loadConfig, type Config } from '../../packages/server/src/config';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';

export const ADMIN_PASSWORD = 'admin-test-pass';

/** The seeded demo user of each role (README lists them). */
export const USER_OF_ROLE = {
  ADMIN: 'admin',
  COORDINATOR: 'td.coordinator',
  AGENCY_OFFICER: 'td.agriculture',
  COMMUNE_OFFICER: 'td.banbo',
  VIEWER: 'td.viewer',
} as const;
export type RoleName = keyof typeof USER_OF_ROLE;

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T;
  errors?: { message: string; extensions: Record<string, any>; path?: string[] }[];
  extensions?: Record<string, any>;
}

export interface TestApp {
  app: App;
  orm: MikroORM;
  http: ReturnType<typeof request>;
  dbUrl: string;
  /** The running app's configuration; a test may change a switch such as `summaryRollups` between requests. */
  config: Config;
  /** A GraphQL request over HTTP. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string; lang?: string },
  ): Promise<GqlResult<T>>;
  /** Signs in (cached) and returns a token. */
  token(username: string, password?: string): Promise<string>;
  tokenOf(role: RoleName): Promise<string>;
  /** GraphQL as the seeded user of a role. */
  as<T = Record<string, any>>(
    role: RoleName | { token: string },
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>>;
  /** Raw SQL on the test database (as the owner). */
  db<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Number of SQL statements the application ran while `fn` ran, but those that depend on the state of the
   * pooled connection and of the caller cache rather than on the request: a connection's switch of its session's
   * role and scope, and the lookup of a session or API key (`onStatement` sees them all).
   */
  countStatements(fn: () => Promise<unknown>): Promise<number>;
  /** Round trips to PostgreSQL (node-postgres queries sent) while `fn` runs: a statement sent with its BEGIN is one. */
  countRoundTrips(fn: () => Promise<unknown>): Promise<number>;
  /** Calls `listener` with the text of every SQL statement the application sends from now on. */
  onStatement(listener: (text: string, preparedName?: string) => void): void;
  unitId(code: string): Promise<string>;
}

interface PgQuery {
  query: (...args: unknown[]) => unknown;
}

/**
 * Gives a test file its own database cloned from the migrated, seeded template, and the real app
 * on it, spoken to over HTTP with supertest.
 */
export function useTestApp(configOverrides: Partial<Config> = {}): TestApp {
  const t = {} as TestApp;
  const tokens = new Map<string, string>();
  let dbName = '';
  let admin: Client;
  let statements = 0;
  let roundTrips = 0;
  let unpatch = () => {};
  const statementListeners: ((text: string, preparedName?: string) => void)[] = [];

  beforeAll(async () => {
    const base = inject('dbBaseUrl');
    const template = inject('dbTemplate');
    dbName = `ntp_t_${randomBytes(5).toString('hex')}`;
    admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${template}`);
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    t.dbUrl = u.toString();
    t.orm = await initOrm(t.dbUrl, 10);
    // Counted where statements leave for PostgreSQL: node-postgres' Client#query, for this test's database.
    const pgClient = (t.orm.em.getKnex().client as unknown as { driver: { Client: { prototype: PgQuery } } }).driver.Client.prototype;
    const query = pgClient.query;
    unpatch = () => {
      pgClient.query = query;
    };
    pgClient.query = function (this: { database?: string }, ...args: unknown[]) {
      if (this.database === dbName) {
        const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
        const name = typeof args[0] === 'object' ? (args[0] as { name?: string })?.name : undefined;
        roundTrips++;
        // A statement sent with others before it (a BEGIN, a switch of role and scope: db/request-transaction.ts `PrefixedQuery`)
        // is several statements in one round trip.
        for (const before of (args[0] as { prefix?: { text: string }[] })?.prefix ?? []) {
          if (!isConnectionState(before.text)) statements++;
          for (const listener of statementListeners) listener(before.text);
        }
        if (!isConnectionState(text)) statements++;
        for (const listener of statementListeners) listener(text, name);
      }
      return query.apply(this, args);
    };
    const config = { ...loadConfig({ NODE_ENV: 'test' }), adminPassword: ADMIN_PASSWORD, ...configOverrides };
    t.config = config;
    t.app = await createApp(t.orm, config);
    t.http = request(t.app.handler);
  });

  afterAll(async () => {
    unpatch();
    await t.app?.stop();
    await t.orm?.close(true);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  t.gql = async (query, variables, opts = {}) => {
    let req = t.http.post('/graphql').set('content-type', 'application/json');
    if (opts.token) req = req.set('authorization', `Bearer ${opts.token}`);
    if (opts.lang) req = req.set('accept-language', opts.lang);
    const res = await req.send({ query, variables });
    return { status: res.status, ...(res.body ?? {}) };
  };
  t.token = async (username, password) => {
    const key = `${username}:${password ?? ''}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const pw = password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
    const r = await t.gql<{ login: { token: string } }>(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: username, p: pw },
    );
    if (!r.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
    tokens.set(key, r.data.login.token);
    return r.data.login.token;
  };
  t.tokenOf = (role) => t.token(USER_OF_ROLE[role]);
  t.as = async (role, query, variables) => {
    const token = typeof role === 'string' ? await t.tokenOf(role) : role.token;
    return t.gql(query, variables, { token });
  };
  t.db = async (text, params = []) => {
    const rows = await queryDb<never>(t.dbUrl, text, params);
    // What this changed of a caller (a session, a user, a unit, a key) reaches the server's caller cache by a
    // notification (auth/caller-cache.ts): wait until it has been delivered, so the next request sees it.
    await callerCacheFor(t.dbUrl)?.sync();
    return rows;
  };
  t.countStatements = async (fn) => {
    const before = statements;
    await fn();
    const n = statements - before;
    // Every use wraps requests that reach the database: zero means the counter is not attached.
    if (n === 0) throw new Error('countStatements saw no SQL statement');
    return n;
  };
  t.countRoundTrips = async (fn) => {
    const before = roundTrips;
    await fn();
    return roundTrips - before;
  };
  t.onStatement = (listener) => {
    statementListeners.push(listener);
  };
  t.unitId = async (code) => {
    const rows = await queryDb<{ id: string }>(t.dbUrl, 'SELECT id::text FROM unit WHERE code = $1', [code]);
    if (!rows[0]) throw new Error(`no unit ${code}`);
    return rows[0].id;
  };
  return t;
}

/** A session switch of role and scope (db/request-transaction.ts), or a credential lookup (auth/tokens.ts, api-keys.ts). */
const isConnectionState = (text: string) =>
  /^SELECT set_config\('role', '[a-z_]+', false\)/.test(text) ||
  /FROM user_session s JOIN app_user u|FROM api_key k JOIN app_user u/.test(text);

async function queryDb<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The first error's code, for compact assertions. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
