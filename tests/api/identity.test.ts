import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  getNamedType,
  isLeafType,
  type GraphQLInputType,
} from 'graphql';
import { ADMIN_PASSWORD, codeOf, useTestApp } from '../support/app';
import { buildAppSchema } from '../../packages/server/src/graphql/schema';
import { DEMO_PASSWORD } from '../../packages/server/src/db/seed/reference-data';
import { authenticate } from '../../packages/server/src/auth/tokens';

const t = useTestApp();

const LOGIN =
  'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { id username role unit { code } } } }';

/** A fresh sign-in each time (t.token caches; these tests revoke tokens). */
async function login(username: string, password = DEMO_PASSWORD): Promise<string> {
  const r = await t.gql(LOGIN, { u: username, p: password });
  if (!r.data?.login) throw new Error(`login ${username}: ${JSON.stringify(r.errors)}`);
  return r.data.login.token;
}
const whoAmI = (token: string) => t.gql('{ me { username } }', {}, { token });
const userId = async (username: string) =>
  (await t.db<{ id: string }>('SELECT id::text FROM app_user WHERE username = $1', [username]))[0].id;

async function createUser(username: string, password: string, role = 'COMMUNE_OFFICER', unit = 'TAMDUONG.NATAM') {
  const r = await t.as(
    'ADMIN',
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id username displayName role disabled version unit { code } } }',
    {
      i: { username, password, displayName: `  Cán bộ ${username} `, role, unitId: await t.unitId(unit) },
    },
  );
  expect(r.errors).toBeUndefined();
  return r.data.createUser;
}

describe('login', () => {
  it('returns a signed token with an expiry and the user', async () => {
    const before = Date.now();
    const r = await t.gql(LOGIN, { u: 'td.agriculture', p: DEMO_PASSWORD });
    expect(r.errors).toBeUndefined();
    expect(r.data.login.user).toMatchObject({ username: 'td.agriculture', role: 'AGENCY_OFFICER', unit: { code: 'TAMDUONG.PNNPTNT' } });
    expect(r.data.login.token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // Default TOKEN_TTL_HOURS = 12.
    const ttl = new Date(r.data.login.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(ttl).toBeLessThan(12 * 3600_000 + 60_000);
    const [session] = await t.db<{ n: string }>(
      "SELECT count(*)::text n FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE u.username = 'td.agriculture' AND s.revoked_at IS NULL",
    );
    expect(Number(session.n)).toBeGreaterThanOrEqual(1);
    const me = await whoAmI(r.data.login.token);
    expect(me.data.me).toEqual({ username: 'td.agriculture' });
  });

  it('a tampered token is refused', async () => {
    const token = await login('td.viewer');
    const [v, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${v}.${Buffer.from(JSON.stringify({ ...claims, e: claims.e + 3600 * 24 * 365 })).toString('base64url')}.${sig}`;
    expect(codeOf(await whoAmI(forged))).toBe('UNAUTHENTICATED');
    expect(codeOf(await whoAmI(`${v}.${payload}.${sig.slice(0, -2)}xx`))).toBe('UNAUTHENTICATED');
    expect((await whoAmI(token)).data.me.username).toBe('td.viewer');
    // Once its payload is known good (auth/tokens.ts remembers it), a wrong signature on it is still refused.
    expect(codeOf(await whoAmI(`${v}.${payload}.${sig.slice(0, -2)}xx`))).toBe('UNAUTHENTICATED');
    expect(codeOf(await whoAmI(`${v}.${payload}.${sig}x`))).toBe('UNAUTHENTICATED');
    expect((await whoAmI(token)).data.me.username).toBe('td.viewer');
  });

  it('fails with the same message whether the user exists or not, also for a disabled user', async () => {
    const u = await createUser('td.disabled', 'Mat-khau-2025');
    await t.as('ADMIN', 'mutation($id: ID!) { updateUser(id: $id, version: 1, input: { disabled: true }) { disabled } }', { id: u.id });
    const attempts = [
      { u: 'td.viewer', p: 'wrong-password' },
      { u: 'nobody.here', p: 'wrong-password' },
      { u: 'nobody.here', p: DEMO_PASSWORD },
      { u: 'td.disabled', p: 'Mat-khau-2025' },
      { u: '', p: '' },
    ];
    for (const lang of ['vi', 'en']) {
      const answers: { code: unknown; message: string; ext: string[] }[] = [];
      for (const a of attempts) {
        const r = await t.gql(LOGIN, a, { lang });
        expect(r.data).toBeNull();
        answers.push({ code: codeOf(r), message: r.errors![0].message, ext: Object.keys(r.errors![0].extensions).sort() });
      }
      const message = lang === 'vi' ? 'Tên đăng nhập hoặc mật khẩu không đúng' : 'Wrong username or password';
      expect(answers).toEqual(attempts.map(() => ({ code: 'UNAUTHENTICATED', message, ext: answers[0].ext })));
    }
  });

  it('stores passwords salted: two users with the same password get different hashes', async () => {
    await createUser('salt.one', 'Cung-mat-khau-1');
    await createUser('salt.two', 'Cung-mat-khau-1');
    const rows = await t.db<{ password_hash: string }>("SELECT password_hash FROM app_user WHERE username IN ('salt.one', 'salt.two')");
    expect(rows).toHaveLength(2);
    const [a, b] = rows.map((r) => r.password_hash);
    expect(a).not.toBe(b);
    for (const h of [a, b]) {
      expect(h).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(h).not.toContain('Cung-mat-khau-1');
    }
    // Different salts, and both still sign in.
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    await login('salt.one', 'Cung-mat-khau-1');
    await login('salt.two', 'Cung-mat-khau-1');
  });

  it('the seeded administrator signs in with ADMIN_PASSWORD', async () => {
    const r = await t.gql(LOGIN, { u: 'admin', p: ADMIN_PASSWORD });
    expect(r.data.login.user).toMatchObject({ username: 'admin', role: 'ADMIN', unit: { code: 'LAICHAU' } });
  });
});

describe('refused credentials', () => {
  it('each refusal says why, in the language asked for, on the first field that needs a caller', async () => {
    const post = async (query: string, authorization: string | undefined, lang: 'vi' | 'en') => {
      let req = t.http.post('/graphql').set('content-type', 'application/json').set('accept-language', lang);
      if (authorization) req = req.set('authorization', authorization);
      return (await req.send({ query })).body as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
    };
    const refused = async (authorization: string | undefined, lang: 'vi' | 'en') => {
      const r = await post('{ me { username } }', authorization, lang);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      return r.errors![0].message;
    };
    expect(await refused(undefined, 'en')).toBe('Authentication required');
    expect(await refused('Basic dXNlcjpwYXNz', 'en')).toBe('Malformed Authorization header');
    expect(await refused('Bearer v1.bad.token', 'en')).toBe('Invalid token');
    expect(await refused('Bearer v1.bad.token', 'vi')).toBe('Mã truy cập không hợp lệ');
    expect(await refused('Bearer ntpk_1_not-a-real-key-at-all-000000', 'en')).toBe('Invalid or revoked API key');
    // A document that needs no caller is answered, bad token or not.
    expect(await post('{ __typename }', 'Bearer v1.bad.token', 'en')).toEqual({ data: { __typename: 'Query' } });
  });

  it('authenticating builds no error object: a bad token costs no stack trace unless a field needs a caller', async () => {
    const captured = vi.spyOn(Error, 'captureStackTrace');
    const outcomes = await Promise.all(
      ['Bearer v1.bad.token', 'Bearer ntpk_1_not-a-real-key-at-all-000000', 'Token x', `Bearer ${await login('td.viewer')}`].map((h) =>
        authenticate(t.orm.em.fork(), h),
      ),
    );
    expect(outcomes.map((o) => o.refusal?.en ?? o.caller?.username)).toEqual([
      'Invalid token',
      'Invalid or revoked API key',
      'Malformed Authorization header',
      'td.viewer',
    ]);
    expect(captured).not.toHaveBeenCalled();
    captured.mockRestore();
  });
});

describe('me', () => {
  it('answers for every role', async () => {
    const expected: [string, string, string][] = [
      ['td.coordinator', 'COORDINATOR', 'TAMDUONG.PLDTBXH'],
      ['td.agriculture', 'AGENCY_OFFICER', 'TAMDUONG.PNNPTNT'],
      ['td.health', 'AGENCY_OFFICER', 'TAMDUONG.TTYT'],
      ['td.banbo', 'COMMUNE_OFFICER', 'TAMDUONG.BANBO'],
      ['td.binhlu', 'COMMUNE_OFFICER', 'TAMDUONG.BINHLU'],
      ['td.viewer', 'VIEWER', 'LAICHAU.TAMDUONG'],
    ];
    for (const [username, role, unit] of expected) {
      const r = await t.as({ token: await t.token(username) }, '{ me { username role disabled unit { code } } }');
      expect(r.data.me).toEqual({ username, role, disabled: false, unit: { code: unit } });
    }
  });
});

describe('revocation and expiry', () => {
  it('logout revokes the token at once', async () => {
    const a = await login('td.binhlu');
    const b = await login('td.binhlu');
    const r = await t.gql('mutation { logout }', {}, { token: a });
    expect(r.data).toEqual({ logout: true });
    expect(codeOf(await whoAmI(a))).toBe('UNAUTHENTICATED');
    expect((await whoAmI(a)).errors![0].message).toBe('Phiên đăng nhập đã hết hạn hoặc bị thu hồi');
    // The user's other tokens go too.
    expect(codeOf(await whoAmI(b))).toBe('UNAUTHENTICATED');
    // Other users are untouched.
    expect((await t.as('VIEWER', '{ me { username } }')).data.me.username).toBe('td.viewer');
    expect((await whoAmI(await login('td.binhlu'))).data.me.username).toBe('td.binhlu');
  });

  it('changePassword keeps the current token, revokes the others, and checks the current password', async () => {
    await createUser('pw.change', 'Mat-khau-cu-1');
    const current = await login('pw.change', 'Mat-khau-cu-1');
    const other = await login('pw.change', 'Mat-khau-cu-1');
    const q = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    const wrong = await t.gql(q, { c: 'not-it-at-all', n: 'Mat-khau-moi-2' }, { token: current });
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors![0].extensions.fields).toEqual([{ field: 'currentPassword', message: 'Mật khẩu hiện tại không đúng' }]);
    const weak = await t.gql(q, { c: 'Mat-khau-cu-1', n: 'short' }, { token: current, lang: 'en' });
    expect(weak.errors![0].extensions.fields).toEqual([{ field: 'newPassword', message: 'The password needs at least 8 characters' }]);
    // Refusals changed nothing: both tokens still work.
    expect((await whoAmI(other)).data.me.username).toBe('pw.change');
    const ok = await t.gql(q, { c: 'Mat-khau-cu-1', n: 'Mat-khau-moi-2' }, { token: current });
    expect(ok.data).toEqual({ changePassword: true });
    expect((await whoAmI(current)).data.me.username).toBe('pw.change');
    expect(codeOf(await whoAmI(other))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(LOGIN, { u: 'pw.change', p: 'Mat-khau-cu-1' }))).toBe('UNAUTHENTICATED');
    await login('pw.change', 'Mat-khau-moi-2');
  });

  it('resetPassword (ADMIN only) revokes every token of the user', async () => {
    const u = await createUser('pw.reset', 'Mat-khau-cu-1');
    const a = await login('pw.reset', 'Mat-khau-cu-1');
    const b = await login('pw.reset', 'Mat-khau-cu-1');
    const q = 'mutation($id: ID!, $n: String!) { resetPassword(userId: $id, newPassword: $n) }';
    for (const role of ['COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) {
      expect(codeOf(await t.as(role, q, { id: u.id, n: 'Mat-khau-moi-2' })), role).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.gql(q, { id: u.id, n: 'Mat-khau-moi-2' }, { token: a }))).toBe('FORBIDDEN');
    expect(codeOf(await t.as('ADMIN', q, { id: u.id, n: 'short' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.as('ADMIN', q, { id: '999999999', n: 'Mat-khau-moi-2' }))).toBe('NOT_FOUND');
    expect((await whoAmI(a)).data.me.username).toBe('pw.reset');
    const ok = await t.as('ADMIN', q, { id: u.id, n: 'Mat-khau-moi-2' });
    expect(ok.data).toEqual({ resetPassword: true });
    expect(codeOf(await whoAmI(a))).toBe('UNAUTHENTICATED');
    expect(codeOf(await whoAmI(b))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(LOGIN, { u: 'pw.reset', p: 'Mat-khau-cu-1' }))).toBe('UNAUTHENTICATED');
    await login('pw.reset', 'Mat-khau-moi-2');
  });

  it('disabling a user refuses its tokens at once, even a session the database did not revoke', async () => {
    const u = await createUser('td.tobedisabled', 'Mat-khau-2025');
    const token = await login('td.tobedisabled', 'Mat-khau-2025');
    const dis = await t.as(
      'ADMIN',
      'mutation($id: ID!) { updateUser(id: $id, version: 1, input: { disabled: true }) { disabled version } }',
      { id: u.id },
    );
    expect(dis.data.updateUser).toEqual({ disabled: true, version: 2 });
    expect(codeOf(await whoAmI(token))).toBe('UNAUTHENTICATED');
    const en = await t.gql('{ me { username } }', {}, { token, lang: 'en' });
    expect(en.errors![0].message).toMatch(/revoked|disabled/);
    await t.as('ADMIN', 'mutation($id: ID!) { updateUser(id: $id, version: 2, input: { disabled: false }) { disabled } }', { id: u.id });
    const fresh = await login('td.tobedisabled', 'Mat-khau-2025');
    expect((await whoAmI(fresh)).data.me.username).toBe('td.tobedisabled');
    // Disabled behind the API's back: the live session is refused on its next request.
    await t.db("UPDATE app_user SET disabled = true WHERE username = 'td.tobedisabled'");
    const r = await t.gql('{ me { username } }', {}, { token: fresh, lang: 'en' });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors![0].message).toBe('The account is disabled');
  });

  it('an expired token is refused', async () => {
    const token = await login('td.health');
    expect((await whoAmI(token)).data.me.username).toBe('td.health');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    await t.db("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE id = $1", [claims.s]);
    const r = await t.gql('{ me { username } }', {}, { token, lang: 'en' });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors![0].message).toBe('The session has expired or was revoked');
    expect(codeOf(await t.gql('mutation { logout }', {}, { token }))).toBe('UNAUTHENTICATED');
  });
});

describe('managing users (ADMIN)', () => {
  it('creates and updates with validation, uniqueness and optimistic locking', async () => {
    const u = await createUser('new.officer', 'Mat-khau-2025');
    expect(u).toMatchObject({
      username: 'new.officer',
      displayName: 'Cán bộ new.officer',
      role: 'COMMUNE_OFFICER',
      disabled: false,
      version: 1,
      unit: { code: 'TAMDUONG.NATAM' },
    });
    const bad = await t.as('ADMIN', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { username: 'x y', password: 'short', displayName: '  ', role: 'VIEWER', unitId: await t.unitId('LAICHAU') },
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['displayName', 'password', 'username']);
    const dup = await t.as('ADMIN', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { username: 'new.officer', password: 'Mat-khau-2025', displayName: 'X', role: 'VIEWER', unitId: await t.unitId('LAICHAU') },
    });
    expect(codeOf(dup)).toBe('CONFLICT');
    const noUnit = await t.as('ADMIN', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { username: 'no.unit', password: 'Mat-khau-2025', displayName: 'X', role: 'VIEWER', unitId: '987654321' },
    });
    expect(codeOf(noUnit)).toBe('BAD_USER_INPUT');
    const up = await t.as(
      'ADMIN',
      'mutation($id: ID!, $u: ID!) { updateUser(id: $id, version: 1, input: { role: COORDINATOR, unitId: $u, displayName: "Điều phối" }) { role displayName version unit { code } } }',
      {
        id: u.id,
        u: await t.unitId('TAMDUONG.PLDTBXH'),
      },
    );
    expect(up.data.updateUser).toEqual({ role: 'COORDINATOR', displayName: 'Điều phối', version: 2, unit: { code: 'TAMDUONG.PLDTBXH' } });
    const stale = await t.as('ADMIN', 'mutation($id: ID!) { updateUser(id: $id, version: 1, input: { displayName: "Cũ" }) { id } }', {
      id: u.id,
    });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect((await t.db('SELECT display_name, version FROM app_user WHERE id = $1', [u.id]))[0]).toEqual({
      display_name: 'Điều phối',
      version: 2,
    });
    // The administrator cannot lock itself out.
    const self = await t.as(
      'ADMIN',
      'mutation($id: ID!, $v: Int!) { updateUser(id: $id, version: $v, input: { disabled: true }) { id } }',
      {
        id: await userId('admin'),
        v: (await t.db<{ version: number }>("SELECT version FROM app_user WHERE username = 'admin'"))[0].version,
      },
    );
    expect(codeOf(self)).toBe('BAD_USER_INPUT');
    for (const role of ['COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) {
      const r = await t.as(role, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: {
          username: `by.${role.toLowerCase()}`,
          password: 'Mat-khau-2025',
          displayName: 'X',
          role: 'ADMIN',
          unitId: await t.unitId('LAICHAU'),
        },
      });
      expect(codeOf(r), role).toBe('FORBIDDEN');
    }
    expect(await t.db("SELECT username FROM app_user WHERE username LIKE 'by.%'")).toEqual([]);
  });
});

/** A value of the input type with every required field filled (for the API key's mutation sweep). */
function dummy(type: GraphQLInputType): unknown {
  if (type instanceof GraphQLNonNull) return dummy(type.ofType);
  if (type instanceof GraphQLList) return [dummy(type.ofType)];
  if (type instanceof GraphQLEnumType) return type.getValues()[0].value;
  if (type instanceof GraphQLInputObjectType) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => f.type instanceof GraphQLNonNull)
        .map((f) => [f.name, dummy(f.type)]),
    );
  }
  const scalar = (type as GraphQLScalarType).name;
  return (
    {
      ID: '1',
      String: 'x',
      Int: 1,
      Float: 1,
      Boolean: false,
      Date: '2025-01-02',
      DateTime: '2025-01-02T00:00:00+07:00',
      Money: '1',
      Decimal: '1',
      JSON: {},
    } as Record<string, unknown>
  )[scalar];
}

describe('API keys', () => {
  it('ADMIN creates one; the secret is shown once and stored hashed; other roles cannot', async () => {
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const q =
      'mutation($u: ID!) { createApiKey(input: { name: "Hệ thống tỉnh", unitId: $u }) { secret apiKey { id name prefix revoked unit { code } } } }';
    for (const role of ['COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) {
      expect(codeOf(await t.as(role, q, { u: banbo })), role).toBe('FORBIDDEN');
    }
    const r = await t.as('ADMIN', q, { u: banbo });
    const { secret, apiKey } = r.data.createApiKey;
    expect(secret).toMatch(new RegExp(`^ntpk_${apiKey.id}_[A-Za-z0-9_-]{32}$`));
    expect(apiKey).toMatchObject({ name: 'Hệ thống tỉnh', revoked: false, unit: { code: 'TAMDUONG.BANBO' }, prefix: secret.slice(0, 12) });
    const [row] = await t.db<Record<string, unknown>>('SELECT * FROM api_key WHERE id = $1', [apiKey.id]);
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    // The list never shows it again: there is no such field.
    const list = await t.as('ADMIN', '{ apiKeys { nodes { secret } } }');
    expect(codeOf(list)).toBe('GRAPHQL_VALIDATION_FAILED');
    const listed = await t.as('ADMIN', '{ apiKeys { totalCount nodes { id name revoked } } }');
    expect(listed.data.apiKeys.nodes).toContainEqual({ id: apiKey.id, name: 'Hệ thống tỉnh', revoked: false });
    // Nor does the audit trail.
    const audit = await t.db<{ a: string }>(
      "SELECT coalesce(after::text, '') || coalesce(details::text, '') a FROM audit_event WHERE operation = 'createApiKey'",
    );
    expect(audit.length).toBeGreaterThanOrEqual(5);
    for (const a of audit) expect(a.a).not.toContain(secret.slice(12));
  });

  it('acts as a read-only service user: me, reads, every mutation FORBIDDEN and audited under its name', async () => {
    const r = await t.as(
      'ADMIN',
      'mutation($u: ID!) { createApiKey(input: { name: "Cổng dữ liệu tỉnh", unitId: $u }) { secret apiKey { id } } }',
      {
        u: await t.unitId('LAICHAU.TAMDUONG'),
      },
    );
    const { secret, apiKey } = r.data.createApiKey;
    const key = { token: secret };
    const me = await t.as(key, '{ me { id username displayName role disabled unit { code } } }');
    expect(me.data.me).toMatchObject({
      username: `apikey-${apiKey.id}`,
      displayName: 'Cổng dữ liệu tỉnh',
      role: 'VIEWER',
      disabled: false,
      unit: { code: 'LAICHAU.TAMDUONG' },
    });
    const serviceUserId = me.data.me.id;
    expect((await t.as(key, '{ units(filter: { underUnit: "1" }) { totalCount } }')).errors).toBeUndefined();
    // A service user cannot sign in with a password.
    expect(codeOf(await t.gql(LOGIN, { u: `apikey-${apiKey.id}`, p: '!' }))).toBe('UNAUTHENTICATED');

    const schema = await buildAppSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields()).filter((f) => f.name !== 'login');
    expect(mutations.length).toBeGreaterThan(15);
    for (const f of mutations) {
      const vars = f.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const args = f.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const selection = isLeafType(getNamedType(f.type)) ? '' : ' { __typename }';
      const doc = `mutation${vars ? `(${vars})` : ''} { ${f.name}${args ? `(${args})` : ''}${selection} }`;
      const values = Object.fromEntries(f.args.filter((a) => a.type instanceof GraphQLNonNull).map((a) => [a.name, dummy(a.type)]));
      const res = await t.as(key, doc, values);
      expect(codeOf(res), `${f.name}: ${JSON.stringify(res.errors)}`).toBe('FORBIDDEN');
      expect(res.errors![0].message).toBe('Khóa API chỉ được đọc dữ liệu');
    }
    const audited = await t.db<{ operation: string; actor_id: string; api_key_id: string; outcome: string }>(
      'SELECT operation, actor_id::text, api_key_id::text, outcome FROM audit_event WHERE api_key_id = $1 ORDER BY id',
      [apiKey.id],
    );
    expect(audited.map((a) => a.operation)).toEqual(mutations.map((m) => m.name));
    expect(new Set(audited.map((a) => `${a.actor_id}/${a.outcome}`))).toEqual(new Set([`${serviceUserId}/FORBIDDEN`]));
    const viaApi = await t.as(
      'ADMIN',
      'query($a: ID!) { auditEvents(filter: { actorId: { eq: $a }, operation: { eq: "createUnit" } }) { nodes { outcome actor { username } } } }',
      {
        a: serviceUserId,
      },
    );
    expect(viaApi.data.auditEvents.nodes).toEqual([{ outcome: 'FORBIDDEN', actor: { username: `apikey-${apiKey.id}` } }]);
    // Nothing changed anywhere.
    expect(await t.db("SELECT 1 FROM unit WHERE code = 'x'")).toEqual([]);
  });

  it('a revoked key is refused at once', async () => {
    const r = await t.as('ADMIN', 'mutation($u: ID!) { createApiKey(input: { name: "Tạm thời", unitId: $u }) { secret apiKey { id } } }', {
      u: await t.unitId('LAICHAU'),
    });
    const { secret, apiKey } = r.data.createApiKey;
    expect((await t.as({ token: secret }, '{ units { totalCount } }')).errors).toBeUndefined();
    const rv = await t.as('ADMIN', 'mutation($id: ID!) { revokeApiKey(id: $id) { revoked revokedAt } }', { id: apiKey.id });
    expect(rv.data.revokeApiKey.revoked).toBe(true);
    const after = await t.gql('{ units { totalCount } }', {}, { token: secret, lang: 'en' });
    expect(codeOf(after)).toBe('UNAUTHENTICATED');
    expect(after.errors![0].message).toBe('Invalid or revoked API key');
    // A wrong secret for an existing key id is refused the same way.
    const other = await t.as('ADMIN', 'mutation($u: ID!) { createApiKey(input: { name: "Khác", unitId: $u }) { secret apiKey { id } } }', {
      u: await t.unitId('LAICHAU'),
    });
    const forged = `ntpk_${other.data.createApiKey.apiKey.id}_${'A'.repeat(32)}`;
    expect(codeOf(await t.gql('{ units { totalCount } }', {}, { token: forged }))).toBe('UNAUTHENTICATED');
    expect(
      codeOf(
        await t.as('COORDINATOR', 'mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }', { id: other.data.createApiKey.apiKey.id }),
      ),
    ).toBe('FORBIDDEN');
    // A key whose service user is disabled, or an archived key, is refused as well.
    const { secret: s2, apiKey: k2 } = other.data.createApiKey;
    expect((await t.as({ token: s2 }, '{ me { username } }')).data.me.username).toBe(`apikey-${k2.id}`);
    await t.db('UPDATE app_user SET disabled = true WHERE id = (SELECT service_user_id FROM api_key WHERE id = $1)', [k2.id]);
    expect(codeOf(await t.as({ token: s2 }, '{ me { username } }'))).toBe('UNAUTHENTICATED');
    await t.db('UPDATE app_user SET disabled = false WHERE id = (SELECT service_user_id FROM api_key WHERE id = $1)', [k2.id]);
    expect((await t.as({ token: s2 }, '{ me { username } }')).data.me.username).toBe(`apikey-${k2.id}`);
    await t.db('UPDATE api_key SET archived_at = now() WHERE id = $1', [k2.id]);
    expect(codeOf(await t.as({ token: s2 }, '{ me { username } }'))).toBe('UNAUTHENTICATED');
  });
});
