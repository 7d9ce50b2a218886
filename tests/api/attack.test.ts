import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import type { Response } from 'supertest';
import { codeOf, useTestApp, type GqlResult } from '../support/app';

/**
 * Hostile requests against the production configuration. Each must be refused before any resolver
 * runs (no `data` in the answer) and before any SQL (anonymous callers need none), answer JSON with a
 * clear code, reveal no stack, no limit and no schema hint, and leave the server healthy.
 */
const t = useTestApp({ nodeEnv: 'production' });

/**
 * SQL that touches data. A request's transaction framing (BEGIN, switching to the row-level-security
 * role, COMMIT) is not counted: it reads and writes nothing.
 */
const FRAMING = /^\s*(begin|commit|rollback|savepoint|release savepoint|rollback to savepoint)\b|^\s*select set_config\('role'/i;
let dataStatements = 0;
beforeAll(() => {
  t.onStatement((text) => {
    if (!FRAMING.test(text)) dataStatements++;
  });
});
async function countDataStatements(fn: () => Promise<unknown>): Promise<number> {
  const before = dataStatements;
  await fn();
  return dataStatements - before;
}

/** `{ units { nodes { parent { parent … { id } } } } }`: armor counts every field as one level, the leaf included. */
const deep = (depth: number) => `{ units { nodes { ${'parent { '.repeat(depth - 3)}id${' }'.repeat(depth - 3)} } } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;

interface Attack {
  name: string;
  send: () => Promise<Response>;
  status: number;
  codes: string[];
  /** SQL statements allowed (only the bearer token's own lookup, for the signed-in case). */
  sql?: number;
}

const post =
  (body: unknown, contentType = 'application/json') =>
  () =>
    t.http
      .post('/graphql')
      .set('content-type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
const query = (q: string, variables?: Record<string, unknown>) => post({ query: q, variables });

const VALIDATION = ['GRAPHQL_VALIDATION_FAILED'];
const PARSE = ['GRAPHQL_PARSE_FAILED'];
const LIMIT = ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'];
const BAD = ['BAD_REQUEST'];

const attacks: Attack[] = [
  // Depth: 11 levels pass (the deepest real query has 7), 12 do not.
  { name: 'depth 12', send: query(deep(12)), status: 400, codes: VALIDATION },
  { name: 'depth 20', send: query(deep(20)), status: 400, codes: VALIDATION },
  { name: 'depth 100', send: query(deep(100)), status: 400, codes: VALIDATION },
  {
    name: 'depth 12 through inline fragments',
    send: query(`{ units { nodes { ${'... on Unit { parent { '.repeat(5)}id${' } }'.repeat(5)} } } }`),
    status: 400,
    codes: VALIDATION,
  },
  {
    name: 'depth 30 through named fragments',
    send: query(
      `{ units { nodes { ...F0 } } } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Unit { parent { ${i < 29 ? `...F${i + 1}` : 'id'} } }`).join(' ')}`,
    ),
    status: 400,
    codes: VALIDATION,
  },
  // Aliases.
  { name: '16 aliases', send: query(aliases(16)), status: 400, codes: VALIDATION },
  { name: '100 aliases', send: query(aliases(100)), status: 400, codes: VALIDATION },
  { name: '1000 aliases', send: query(aliases(1000)), status: 400, codes: LIMIT },
  {
    name: '16 aliased logins (password guessing in one request)',
    send: query(
      `mutation { ${Array.from({ length: 16 }, (_, i) => `g${i}: login(username: "admin", password: "guess-${i}") { token }`).join(' ')} }`,
    ),
    status: 400,
    codes: VALIDATION,
  },
  // Repeated fields and token counts.
  { name: '1000 repeated fields', send: query(`{ ${'__typename '.repeat(1000)}}`), status: 400, codes: PARSE },
  { name: '1000 repeated fields deep in a list', send: query(`{ units { nodes { ${'name '.repeat(1000)}} } }`), status: 400, codes: PARSE },
  {
    name: '100 000 tokens in one argument list',
    send: query(`{ units(filter: { code: { in: [${'"x",'.repeat(100_000)}] } }) { totalCount } }`),
    status: 400,
    codes: PARSE,
  },
  {
    name: '2000 operations in one document',
    send: post({ query: Array.from({ length: 2000 }, (_, i) => `query q${i} { __typename }`).join(' '), operationName: 'q1' }),
    status: 400,
    codes: PARSE,
  },
  { name: '500 kB of punctuation', send: query(`{ ${'!'.repeat(500_000)} }`), status: 400, codes: PARSE },
  // Directives.
  { name: '21 directives', send: query(`{ ${'... @include(if: true) { __typename } '.repeat(21)}}`), status: 400, codes: VALIDATION },
  {
    name: 'one directive repeated 50 times on a field',
    send: query(`{ __typename ${'@include(if: true) '.repeat(50)}}`),
    status: 400,
    codes: VALIDATION,
  },
  {
    name: '100 directives spread over fields',
    send: query(`{ ${'__typename @skip(if: false) '.repeat(100)}}`),
    status: 400,
    codes: VALIDATION,
  },
  { name: 'undeclared directive', send: query('{ __typename @evil }'), status: 400, codes: VALIDATION },
  // Cost: fragments that double at every level.
  {
    name: 'fragment fan-out (2^12 fields)',
    send: query(
      `{ units { nodes { ...G0 } } } ${Array.from({ length: 12 }, (_, i) => `fragment G${i} on Unit { ${i < 11 ? `a: parent { ...G${i + 1} } b: parent { ...G${i + 1} }` : 'id'} }`).join(' ')}`,
    ),
    status: 400,
    codes: VALIDATION,
  },
  // Nested lists multiply: 500 + 500² + 500³ rows could be asked for (the cap is 500 000).
  {
    name: 'nested lists 500 × 500 × 500',
    send: query('{ units(limit: 500) { nodes { children(limit: 500) { nodes { children(limit: 500) { nodes { id } } } } } } }'),
    status: 400,
    codes: VALIDATION,
  },
  {
    name: 'nested lists through variables',
    send: query(
      'query($l: Int) { units(limit: $l) { nodes { children(limit: $l) { nodes { children(limit: $l) { nodes { id } } } } } } }',
      { l: 500 },
    ),
    status: 400,
    codes: VALIDATION,
  },
  {
    name: 'nested lists with default limits, four deep (50⁴)',
    send: query('{ units { nodes { children { nodes { children { nodes { children { nodes { children { nodes { id } } } } } } } } } } }'),
    status: 400,
    codes: VALIDATION,
  },
  // Circular fragments.
  {
    name: 'circular fragments',
    send: query('{ units { nodes { ...A } } } fragment A on Unit { parent { ...B } } fragment B on Unit { parent { ...A } }'),
    status: 400,
    codes: VALIDATION,
  },
  {
    name: 'self-referencing fragment',
    send: query('{ units { nodes { ...A } } } fragment A on Unit { id ...A }'),
    status: 400,
    codes: VALIDATION,
  },
  // Batching is off.
  { name: 'batched array of 2', send: post([{ query: '{ __typename }' }, { query: '{ __typename }' }]), status: 400, codes: BAD },
  {
    name: 'batched array of 1000',
    send: post(Array.from({ length: 1000 }, () => ({ query: '{ units { totalCount } }' }))),
    status: 400,
    codes: BAD,
  },
  // Introspection needs a signed-in caller in production.
  { name: 'anonymous __schema', send: query('{ __schema { types { name fields { name } } } }'), status: 401, codes: ['UNAUTHENTICATED'] },
  { name: 'anonymous __type', send: query('{ __type(name: "Unit") { fields { name } } }'), status: 401, codes: ['UNAUTHENTICATED'] },
  {
    name: 'anonymous __schema hidden in a fragment',
    send: query('{ ...S } fragment S on Query { __schema { queryType { name } } }'),
    status: 401,
    codes: ['UNAUTHENTICATED'],
  },
  // Misspellings get no suggestions.
  { name: 'misspelled field', send: query('{ unitz { totalCount } }'), status: 400, codes: VALIDATION },
  { name: 'misspelled nested field', send: query('{ units { nodez { id } } }'), status: 400, codes: VALIDATION },
  { name: 'misspelled argument', send: query('{ units(limt: 5) { totalCount } }'), status: 400, codes: VALIDATION },
  {
    name: 'misspelled enum value',
    send: query('{ units(filter: { kind: { eq: DISTRCT } }) { totalCount } }'),
    status: 400,
    codes: VALIDATION,
  },
  { name: 'misspelled input field', send: query('{ units(filter: { nme: { eq: "x" } }) { totalCount } }'), status: 400, codes: VALIDATION },
  {
    name: 'misspelled input field in variables',
    send: query('query($f: UnitFilter) { units(filter: $f) { totalCount } }', { f: { nme: { eq: 'x' } } }),
    status: 400,
    codes: ['BAD_USER_INPUT'],
  },
  { name: 'misspelled type in a fragment', send: query('{ units { nodes { ...on Unitt { id } } } }'), status: 400, codes: VALIDATION },
  // Mutations over GET.
  {
    name: 'mutation over GET',
    send: () => t.http.get('/graphql').query({ query: 'mutation { logout }' }).set('apollo-require-preflight', 'true'),
    status: 405,
    codes: BAD,
  },
  {
    name: 'login over GET',
    send: () =>
      t.http
        .get('/graphql')
        .query({ query: 'mutation { login(username: "admin", password: "x") { token } }' })
        .set('apollo-require-preflight', 'true'),
    status: 405,
    codes: BAD,
  },
  {
    name: 'GET without a CSRF preflight header',
    send: () => t.http.get('/graphql').query({ query: '{ __typename }' }),
    status: 400,
    codes: BAD,
  },
  // Bodies.
  {
    name: 'oversized body (1 MB + 1 byte)',
    send: post(JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(1024 * 1024) } })),
    status: 413,
    codes: BAD,
  },
  {
    name: 'oversized body (5 MB)',
    send: post(JSON.stringify({ query: `{ ${' '.repeat(5 * 1024 * 1024)} __typename }` })),
    status: 413,
    codes: BAD,
  },
  { name: 'malformed JSON', send: post('{"query": "{ __typename }"'), status: 400, codes: BAD },
  { name: 'not JSON at all', send: post('query { __typename }'), status: 400, codes: BAD },
  { name: 'JSON scalar instead of an object', send: post('"{ __typename }"'), status: 400, codes: BAD },
  { name: 'no query', send: post({}), status: 400, codes: BAD },
  { name: 'query is not a string', send: post({ query: 42 }), status: 400, codes: BAD },
  { name: 'variables are not an object', send: post({ query: '{ __typename }', variables: 'x' }), status: 400, codes: BAD },
  { name: 'unparseable document', send: query('{ units { '), status: 400, codes: PARSE },
  { name: 'subscription (none exist)', send: query('subscription { units { totalCount } }'), status: 400, codes: VALIDATION },
  // Content types.
  { name: 'text/plain', send: post({ query: '{ __typename }' }, 'text/plain'), status: 415, codes: BAD },
  { name: 'form-urlencoded', send: () => t.http.post('/graphql').type('form').send({ query: '{ __typename }' }), status: 415, codes: BAD },
  { name: 'application/graphql', send: post('{ __typename }', 'application/graphql'), status: 415, codes: BAD },
  { name: 'no content type', send: () => t.http.post('/graphql').send(Buffer.from('{"query":"{ __typename }"}')), status: 415, codes: BAD },
  {
    name: 'a charset other than utf-8',
    send: post({ query: '{ __typename }' }, 'application/json; charset=utf-16'),
    status: 400,
    codes: BAD,
  },
  {
    name: 'a content encoding other than gzip, deflate or br',
    send: () =>
      t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('content-encoding', 'compress')
        .send('{"query":"{ __typename }"}'),
    status: 400,
    codes: BAD,
  },
  {
    name: 'gzip that is not gzip',
    send: () =>
      t.http.post('/graphql').set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"query":"{ __typename }"}'),
    status: 400,
    codes: BAD,
  },
  {
    name: 'a gzip bomb (1 KB that inflates past the body limit)',
    send: () =>
      t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        // superagent would serialize a Buffer as JSON; send its bytes.
        .serialize((b: Buffer) => b as unknown as string)
        .send(gzipSync(JSON.stringify({ query: `{ ${' '.repeat(2 * 1024 * 1024)} __typename }` }))),
    status: 413,
    codes: BAD,
  },
  {
    name: 'multipart upload to /graphql',
    send: () =>
      t.http
        .post('/graphql')
        .set('apollo-require-preflight', 'true')
        .field('operations', JSON.stringify({ query: 'mutation($f: Upload!) { upload(file: $f) }', variables: { f: null } }))
        .field('map', JSON.stringify({ 0: ['variables.f'] }))
        .attach('0', Buffer.from('%PDF-1.4 not really'), 'x.pdf'),
    status: 415,
    codes: BAD,
  },
];

/** No stack frame, no source path, no SQL and no limit figure in what the client sees. */
function expectNothingRevealed(res: Response) {
  const text = res.text;
  expect(text).not.toMatch(/stacktrace|\n\s+at |node_modules|\.ts:\d+|\.js:\d+/);
  expect(text).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET)\b/);
  expect(text).not.toMatch(/Did you mean/i);
  expect(text).not.toMatch(/limit of|exceeded|more th\w+ \d+|found \d+|\b1000\b/i);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe('attack suite (production configuration)', () => {
  it(`has at least 40 attacks (${attacks.length})`, () => {
    expect(attacks.length).toBeGreaterThanOrEqual(40);
  });

  for (const a of attacks) {
    it(`refuses: ${a.name}`, async () => {
      let res!: Response;
      const statements = await countDataStatements(async () => {
        res = await a.send();
      });
      const code = res.body?.errors?.[0]?.extensions?.code;
      expect({ status: res.status, code }).toEqual({ status: a.status, code: a.codes.includes(code) ? code : a.codes.join(' | ') });
      // Refused before execution: there is no `data` at all, so no resolver ran.
      expect(res.body).not.toHaveProperty('data');
      expect(statements).toBe(a.sql ?? 0);
      expectNothingRevealed(res);
    });
  }

  it('refuses `limit: 100000` by its own validation, before any list SQL', async () => {
    const token = await t.tokenOf('VIEWER');
    let r!: GqlResult;
    const statements = await countDataStatements(async () => {
      r = await t.gql('{ units(limit: 100000) { totalCount nodes { id } } }', {}, { token });
    });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions.fields).toEqual([{ field: 'limit', message: expect.any(String) }]);
    expect(r.data).toBeNull();
    // Only the bearer token's session lookup.
    expect(statements).toBe(1);
  });

  it('answers misspellings without suggesting the real names', async () => {
    const r = await t.gql('{ unitz { totalCount } }', {}, { lang: 'en' });
    expect(r.errors![0].message).toBe('Cannot query field "unitz" on type "Query".');
    const v = await t.gql('query($f: UnitFilter) { units(filter: $f) { totalCount } }', { f: { nme: { eq: 'x' } } });
    expect(v.errors![0].message).not.toMatch(/name/);
  });

  it("answers limit refusals in the caller's language without the figures", async () => {
    const vi = await t.gql(deep(12));
    const en = await t.gql(deep(12), {}, { lang: 'en' });
    expect(vi.errors![0].message).toBe('Truy vấn vượt quá giới hạn cho phép của máy chủ');
    expect(en.errors![0].message).toBe('The query exceeds what the server accepts');
    const tokens = await t.gql(`{ ${'__typename '.repeat(1000)}}`, {}, { lang: 'en' });
    expect(tokens.errors![0].message).toBe('The query exceeds what the server accepts');
  });

  it('accepts what sits just inside the limits', async () => {
    const token = await t.tokenOf('VIEWER');
    const ok = await t.gql(deep(11), {}, { token });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.units.nodes.length).toBeGreaterThan(0);
    expect((await t.gql(aliases(15))).data.a14).toBe('Query');
    const wide = await t.gql('{ units(limit: 500) { nodes { children(limit: 500) { nodes { id } } } } }', {}, { token });
    expect(wide.errors).toBeUndefined();
    expect((await t.gql(`{ ${'... @include(if: true) { __typename } '.repeat(20)}}`)).data.__typename).toBe('Query');
  });

  it('lets a signed-in caller introspect in production', async () => {
    const r = await t.as('VIEWER', '{ __schema { queryType { name } } __type(name: "Unit") { name } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'Unit' } });
    // The full query GraphiQL and code generators send stays inside every limit.
    const full = await t.as(
      'VIEWER',
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    expect(full.errors).toBeUndefined();
    expect(full.data.__schema.types.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['Unit', 'Query', 'Mutation']));
  });

  it('is still healthy after every attack', async () => {
    expect((await t.http.get('/healthz')).status).toBe(200);
    const ready = await t.http.get('/readyz');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await t.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    const units = await t.as('VIEWER', '{ units(filter: { kind: { eq: DISTRICT } }) { totalCount } }');
    expect(units.errors).toBeUndefined();
    expect(units.data.units.totalCount).toBeGreaterThan(0);
  });
});

describe('what /graphql accepts', () => {
  const body = JSON.stringify({ query: '{ __typename }' });
  for (const [encoding, encode] of [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const) {
    it(`a ${encoding}-compressed JSON body`, async () => {
      const res = await t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('content-encoding', encoding)
        .serialize((b: Buffer) => b as unknown as string)
        .send(encode(body));
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });
  }

  it('application/json with a utf-8 charset, a trailing slash, a query string, any case of the path', async () => {
    for (const path of ['/graphql', '/graphql/', '/graphql?x=1', '/GraphQL']) {
      const res = await t.http.post(path).set('content-type', 'application/json; charset=UTF-8').send(body);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: { data: { __typename: 'Query' } } });
    }
  });

  it('refuses an oversized body from its Content-Length without reading it, and closes the connection', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });
});
