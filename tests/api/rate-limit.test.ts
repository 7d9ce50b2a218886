import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { codeOf, useTestApp, ADMIN_PASSWORD } from '../support/app';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';
import { createApp } from '../../packages/server/src/app';
import { loadConfig, ConfigError } from '../../packages/server/src/config';
import { RequestLimiter } from '../../packages/server/src/auth/rate-limit';

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('failed logins (kept in PostgreSQL)', () => {
  // 3 failures per username, 6 per address, then 30 s doubling at every further failure.
  const t = useTestApp({ loginMaxFailures: 3, loginMaxFailuresPerAddress: 6, loginBackoffSeconds: 30 });

  /** A login from a given client address (the app trusts X-Forwarded-For from loopback, as behind a local proxy). */
  async function login(u: string, p: string, from: string, http = t.http) {
    const res = await http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('x-forwarded-for', from)
      .send({ query: LOGIN, variables: { u, p } });
    return { status: res.status, retryAfterHeader: res.headers['retry-after'], ...res.body } as {
      status: number;
      retryAfterHeader?: string;
      data?: any;
      errors?: any[];
    };
  }
  const throttle = async (key: string) =>
    (await t.db<{ failures: number }>('SELECT failures FROM login_throttle WHERE key = $1', [key]))[0]?.failures ?? null;
  /** Moves a key's last failure into the past instead of sleeping. */
  const age = (key: string, seconds: number) =>
    t.db(`UPDATE login_throttle SET last_failure_at = last_failure_at - make_interval(secs => $2) WHERE key = $1`, [key, seconds]);

  it('backs off a username after 3 failures, doubling the wait, even for the right password', async () => {
    for (let i = 1; i <= 3; i++) {
      const r = await login('td.viewer', `wrong-${i}`, '198.51.100.1');
      expect({ status: r.status, code: codeOf(r as never) }).toEqual({ status: 200, code: 'UNAUTHENTICATED' });
    }
    expect(await throttle('user:td.viewer')).toBe(3);

    // 4th attempt: refused before the password is checked, right or wrong; nothing more is counted.
    const refused = await login('td.viewer', DEMO_PASSWORD, '198.51.100.2');
    expect(refused.status).toBe(429);
    expect(refused.data).toBeUndefined();
    expect(codeOf(refused as never)).toBe('RATE_LIMITED');
    const retry = refused.errors![0].extensions.retryAfter;
    expect(retry).toBeGreaterThanOrEqual(29);
    expect(retry).toBeLessThanOrEqual(30);
    expect(refused.retryAfterHeader).toBe(String(retry));
    expect(await throttle('user:td.viewer')).toBe(3);
    // The other address's attempt was given back.
    expect(await throttle('addr:198.51.100.2')).toBe(0);

    // After the wait, one more guess; failing it doubles the wait: 30 s · 2^(4-3) = 60 s.
    await age('user:td.viewer', 31);
    expect(codeOf((await login('td.viewer', 'wrong-4', '198.51.100.1')) as never)).toBe('UNAUTHENTICATED');
    const second = await login('td.viewer', DEMO_PASSWORD, '198.51.100.1');
    expect(second.status).toBe(429);
    expect(second.errors![0].extensions.retryAfter).toBeGreaterThanOrEqual(59);
    expect(second.errors![0].extensions.retryAfter).toBeLessThanOrEqual(60);

    // 30 · 2^(5-3) = 120 s after the next failure.
    await age('user:td.viewer', 61);
    expect(codeOf((await login('td.viewer', 'wrong-5', '198.51.100.1')) as never)).toBe('UNAUTHENTICATED');
    expect((await login('td.viewer', 'wrong-6', '198.51.100.1')).errors![0].extensions.retryAfter).toBeGreaterThan(118);

    // Once the wait is over the right password signs in and clears the username's count.
    await age('user:td.viewer', 121);
    const ok = await login('td.viewer', DEMO_PASSWORD, '198.51.100.1');
    expect(ok.errors).toBeUndefined();
    expect(ok.data.login.token).toMatch(/^v1\./);
    expect(await throttle('user:td.viewer')).toBeNull();
  });

  it('caps the wait at 15 minutes and forgets a key quiet for an hour', async () => {
    await t.db("INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ('user:td.health', 40, now())");
    const capped = await login('td.health', DEMO_PASSWORD, '198.51.100.3');
    expect(capped.errors![0].extensions.retryAfter).toBeGreaterThanOrEqual(899);
    expect(capped.errors![0].extensions.retryAfter).toBeLessThanOrEqual(900);
    await age('user:td.health', 3600);
    // Counted from zero again: this failure is the first.
    expect(codeOf((await login('td.health', 'wrong', '198.51.100.3')) as never)).toBe('UNAUTHENTICATED');
    expect(await throttle('user:td.health')).toBe(1);
  });

  it('limits one address trying many usernames, whether or not they exist', async () => {
    const names = ['admin', 'nobody.1', 'nobody.2', 'nobody.3', 'nobody.4', 'nobody.5'];
    for (const u of names) expect(codeOf((await login(u, 'wrong', '203.0.113.9')) as never)).toBe('UNAUTHENTICATED');
    expect(await throttle('addr:203.0.113.9')).toBe(6);
    const refused = await login('td.agriculture', DEMO_PASSWORD, '203.0.113.9');
    expect({ status: refused.status, code: codeOf(refused as never) }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    // The username key it was counted against is given back: td.agriculture is not penalised.
    expect(await throttle('user:td.agriculture')).toBe(0);
    // Other addresses are not affected.
    expect((await login('td.agriculture', DEMO_PASSWORD, '203.0.113.10')).data.login.token).toBeTruthy();
  });

  it('never counts successful logins', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await login('td.coordinator', DEMO_PASSWORD, '192.0.2.50');
      expect(r.errors).toBeUndefined();
    }
    expect(await throttle('addr:192.0.2.50')).toBe(0);
    expect(await throttle('user:td.coordinator')).toBeNull();
  });

  it('counts parallel guesses atomically: exactly 3 of 20 get a password check', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('td.banbo', `guess-${i}`, `10.9.0.${i + 1}`)));
    const codes = answers.map((a) => codeOf(a as never));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(17);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    expect(await throttle('user:td.banbo')).toBe(3);
  });

  it('does not let aliases run several guesses past the limit', async () => {
    const guesses = `mutation { ${[1, 2, 3, 4].map((i) => `g${i}: login(username: "td.binhlu", password: "guess-${i}") { token }`).join(' ')} }`;
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('x-forwarded-for', '10.8.0.1')
      .send({ query: guesses });
    expect(res.status).toBe(429);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(res.body.data).toBeUndefined();
    // Refused before execution: no login ran, so none was audited.
    const audited = await t.db<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_event WHERE operation = 'login' AND details->'args'->>'username' = 'td.binhlu'",
    );
    expect(audited[0].n).toBe(0);
  });

  it('is shared by every server instance on the database', async () => {
    const other = await createApp(t.orm, {
      ...loadConfig({ NODE_ENV: 'test' }),
      adminPassword: ADMIN_PASSWORD,
      loginMaxFailures: 3,
      loginMaxFailuresPerAddress: 6,
    });
    try {
      const second = request(other.handler);
      for (let i = 0; i < 3; i++) await login('td.viewer', `wrong-${i}`, '10.7.0.1');
      const r = await login('td.viewer', DEMO_PASSWORD, '10.7.0.2', second);
      expect({ status: r.status, code: codeOf(r as never) }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await other.stop();
    }
  });
});

describe('requests per user and per API key (in memory, per instance)', () => {
  const t = useTestApp({ requestsPerMinute: 5 });
  /** SQL that touches data: a request's transaction framing (BEGIN, the row-level-security role, COMMIT) is not counted. */
  const FRAMING = /^\s*(begin|commit|rollback|savepoint|release savepoint|rollback to savepoint)\b|^\s*select set_config\('role'/i;
  let dataStatements = 0;
  beforeAll(() => {
    t.onStatement((text) => {
      if (!FRAMING.test(text)) dataStatements++;
    });
  });
  const Q = '{ units(filter: { kind: { eq: DISTRICT } }) { totalCount } }';

  it("lets a minute's allowance through, then answers 429 with the wait, before any resolver or list SQL", async () => {
    const token = await t.tokenOf('VIEWER');
    for (let i = 0; i < 5; i++) expect((await t.gql(Q, {}, { token })).errors).toBeUndefined();
    const before = dataStatements;
    const r = await t.gql(Q, {}, { token });
    const statements = dataStatements - before;
    expect(r.status).toBe(429);
    expect(codeOf(r)).toBe('RATE_LIMITED');
    expect(r.data).toBeUndefined();
    // 5 a minute: one request every 12 s.
    expect(r.errors![0].extensions.retryAfter).toBeGreaterThanOrEqual(11);
    expect(r.errors![0].extensions.retryAfter).toBeLessThanOrEqual(12);
    // Nothing ran: the session was in the caller cache (after the first of the allowed requests).
    expect(statements).toBe(0);
    // Another user has an allowance of their own.
    expect((await t.as('COORDINATOR', Q)).errors).toBeUndefined();
  });

  it('limits an API key on its own', async () => {
    const created = await t.as('ADMIN', 'mutation($u: ID!) { createApiKey(input: { name: "Cổng tỉnh", unitId: $u }) { secret } }', {
      u: await t.unitId('LAICHAU.TAMDUONG'),
    });
    const key = { token: created.data.createApiKey.secret as string };
    for (let i = 0; i < 5; i++) expect((await t.as(key, Q)).errors).toBeUndefined();
    const r = await t.as(key, Q);
    expect({ status: r.status, code: codeOf(r) }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  });

  it('refills continuously (token bucket)', () => {
    let now = 0;
    const limiter = new RequestLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('u')).toBe(0);
    expect(limiter.take('u')).toBe(1);
    now += 1000;
    expect(limiter.take('u')).toBe(0);
    expect(limiter.take('u')).toBe(1);
    expect(limiter.take('other')).toBe(0);
  });
});

describe('RATE_LIMIT=off (benchmarks)', () => {
  const t = useTestApp({ rateLimit: false, requestsPerMinute: 1, loginMaxFailures: 1 });

  it('limits nothing', async () => {
    for (let i = 0; i < 3; i++) expect(codeOf(await t.gql(LOGIN, { u: 'td.viewer', p: 'wrong' }))).toBe('UNAUTHENTICATED');
    const token = await t.tokenOf('VIEWER');
    for (let i = 0; i < 10; i++) expect((await t.gql('{ me { username } }', {}, { token })).data.me.username).toBe('td.viewer');
    expect(await t.db('SELECT * FROM login_throttle')).toEqual([]);
  });
});

describe('configuration', () => {
  const t = useTestApp({ bodyLimitBytes: 4096 });

  it('reads the limits from the environment with defaults', () => {
    const c = loadConfig({ NODE_ENV: 'production' });
    expect({
      rateLimit: c.rateLimit,
      a: c.loginMaxFailures,
      b: c.loginMaxFailuresPerAddress,
      c: c.loginBackoffSeconds,
      d: c.requestsPerMinute,
      e: c.bodyLimitBytes,
    }).toEqual({
      rateLimit: true,
      a: 5,
      b: 50,
      c: 30,
      d: 1200,
      e: 1024 * 1024,
    });
    const set = loadConfig({
      RATE_LIMIT: 'off',
      LOGIN_MAX_FAILURES: '10',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100',
      LOGIN_BACKOFF_SECONDS: '5',
      REQUESTS_PER_MINUTE: '6000',
      BODY_LIMIT: '512kb',
    });
    expect([
      set.rateLimit,
      set.loginMaxFailures,
      set.loginMaxFailuresPerAddress,
      set.loginBackoffSeconds,
      set.requestsPerMinute,
      set.bodyLimitBytes,
    ]).toEqual([false, 10, 100, 5, 6000, 512 * 1024]);
  });

  it('refuses bad values with a message naming the variable', () => {
    const cases: [string, string][] = [
      ['RATE_LIMIT', 'sometimes'],
      ['LOGIN_MAX_FAILURES', '0'],
      ['LOGIN_MAX_FAILURES_PER_ADDRESS', 'many'],
      ['LOGIN_BACKOFF_SECONDS', '1.5'],
      ['REQUESTS_PER_MINUTE', '-1'],
      ['BODY_LIMIT', '10gb'],
      ['BODY_LIMIT', '12'],
    ];
    for (const [name, value] of cases) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
    }
  });

  it('applies BODY_LIMIT to /graphql with a JSON 413', async () => {
    const small = await t.gql(`{ __typename ${' '.repeat(3000)}}`);
    expect(small.data).toEqual({ __typename: 'Query' });
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: `{ __typename ${' '.repeat(5000)}}` }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Yêu cầu quá lớn', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
