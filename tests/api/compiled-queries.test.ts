import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useTestApp, type RoleName } from '../support/app';
import { executionCounts } from '../../packages/server/src/graphql/executor';

/**
 * Queries run compiled (graphql-jit, graphql/executor.ts); with `compiledQueries` off (COMPILED_QUERIES=off)
 * graphql-js interprets them. Every answer here — data, errors with their codes, paths, locations and
 * language, HTTP status — must be the same both ways, for a scoped and an unscoped caller.
 */
const t = useTestApp();

beforeAll(async () => {
  // Obligations with one submitted report, so completeness has rows to compare.
  const programId = (await t.db<{ id: string }>(`SELECT id::text FROM program WHERE code = 'GNBV-2021-2025'`))[0].id;
  const g = await t.as('COORDINATOR', `mutation($p: ID!) { generateObligations(programId: $p, year: 2024) { id submitter { code } } }`, {
    p: programId,
  });
  expect(g.errors).toBeUndefined();
  const obligation = g.data.generateObligations.find((o: { submitter: { code: string } }) => o.submitter.code === 'TAMDUONG.BANBO');
  const saved = await t.as('ADMIN', `mutation($i: SaveReportInput!) { saveReport(input: $i) { id version } }`, {
    i: { obligationId: obligation.id },
  });
  const submitted = await t.as('ADMIN', `mutation($id: ID!, $v: Int!) { submitReport(id: $id, version: $v) { id } }`, {
    id: saved.data.saveReport.id,
    v: saved.data.saveReport.version,
  });
  expect(submitted.errors).toBeUndefined();
});

const NESTED = `
query Nested($d: ID!, $withParent: Boolean!, $skipCode: Boolean!, $f: FundingAllocationFilter) {
  __typename
  communes: units(filter: { underUnit: $d, kind: { eq: COMMUNE } }, limit: 50, orderBy: [{ field: CODE, direction: ASC }]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      ...UnitFields
      ... on Unit { parent @include(if: $withParent) { name code } }
      fundingAllocations(filter: $f, limit: 5) {
        nodes { id year source plannedAmount allocatedAmount disbursedAmount disbursementRate createdAt component { code name } }
      }
    }
  }
  again: unit(id: $d) { ...UnitFields @include(if: $withParent) level ancestors { code } }
}
fragment UnitFields on Unit { id name code @skip(if: $skipCode) }
query Other { units(limit: 2) { nodes { code } } }`;

const SUMMARIES = `query($d: ID!) {
  fundingSummary(filter: { underUnit: $d }, groupBy: [UNIT, YEAR, SOURCE], unitLevel: 2) {
    unit { id code } year source plannedAmount allocatedAmount disbursedAmount disbursementRate }
  indicatorProgress(groupBy: [INDICATOR, UNIT], unitLevel: 2) { indicator { code component { code } } unit { name } actual target achievement }
  reportingCompleteness(groupBy: [UNIT], unitLevel: 2, asOf: "2025-12-31") { unit { code } expected actual onTime reportingRate onTimeRate }
}`;

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  lang?: string;
  /** What the answer must hold, so that equal answers are not equally empty. */
  expect: (body: { status: number; data?: Record<string, any> | null; errors?: { extensions: Record<string, any> }[] }) => void;
}

const cases = (district: string): Case[] => [
  ...[
    { withParent: true, skipCode: false, f: { or: [{ year: { eq: 2024 } }, { not: { year: { gte: 2023 } } }] } },
    { withParent: false, skipCode: true, f: null },
  ].map(
    (v): Case => ({
      name: `nested lists, fragments, aliases and directives ${JSON.stringify(v)}`,
      query: NESTED,
      operationName: 'Nested',
      variables: { d: district, ...v },
      expect: (b) => {
        expect(b.errors).toBeUndefined();
        expect(b.data!.communes.nodes.length).toBeGreaterThan(0);
        expect('code' in b.data!.communes.nodes[0]).toBe(!v.skipCode);
        expect('parent' in b.data!.communes.nodes[0]).toBe(v.withParent);
      },
    }),
  ),
  {
    name: 'one operation of several, by name',
    query: NESTED.replace('query Nested', 'query Nested2') + ' query Nested { __typename }',
    operationName: 'Nested',
    expect: (b) => expect(b.data).toEqual({ __typename: 'Query' }),
  },
  {
    name: 'the three summaries with their links',
    query: SUMMARIES,
    variables: { d: district },
    expect: (b) => {
      expect(b.errors).toBeUndefined();
      expect(b.data!.fundingSummary.length).toBeGreaterThan(3);
      expect(b.data!.reportingCompleteness.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'scalar literals written in the query (Money, DateTime, enums, lists)',
    query: `{ fundingAllocations(filter: { allocatedAmount: { gte: "1000" }, createdAt: { gte: "2020-01-01T00:00:00Z" },
        year: { in: [2023, 2024] }, source: { in: [CENTRAL_INVESTMENT, CENTRAL_RECURRENT] } }, limit: 5,
        orderBy: [{ field: YEAR, direction: DESC }]) { totalCount nodes { id year source allocatedAmount createdAt } } }`,
    expect: (b) => {
      expect(b.errors).toBeUndefined();
      expect(b.data!.fundingAllocations.nodes.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'JSON values and a nullable link (the audit trail)',
    query: `{ auditEvents(limit: 5, orderBy: [{ field: AT, direction: DESC }]) { nodes { id at operation outcome before after details actor { username } } } }`,
    expect: (b) => {
      expect(b.errors).toBeUndefined();
      expect(b.data!.auditEvents.nodes.some((e: { after: unknown }) => e.after && typeof e.after === 'object')).toBe(true);
    },
  },
  {
    name: 'a record that does not exist, beside one that does',
    query: `query($d: ID!) { missing: fundingAllocation(id: "987654321") { id } unit(id: $d) { code } }`,
    variables: { d: district },
    expect: (b) => expect(b.data!.unit.code).toBe('LAICHAU.TAMDUONG'),
  },
  {
    name: 'an error in a nested field, in English, nulling its parent, with the other fields answered',
    query: `query($d: ID!) { unit(id: $d) { code fundingAllocations(limit: 501) { totalCount } } programs { totalCount } }`,
    variables: { d: district },
    lang: 'en',
    expect: (b) => {
      expect(b.errors).toHaveLength(1);
      expect(b.errors![0]).toMatchObject({ path: ['unit', 'fundingAllocations'], extensions: { code: 'BAD_USER_INPUT' } });
      expect(b.data).toEqual({ unit: null, programs: { totalCount: expect.any(Number) } });
    },
  },
  {
    name: 'an error in a non-null root field',
    query: `{ units(limit: 501) { totalCount } }`,
    expect: (b) => {
      expect(b.errors?.[0]).toMatchObject({ path: ['units'], extensions: { code: 'BAD_USER_INPUT' } });
      expect(b.data).toBeNull();
    },
  },
  {
    name: 'a variable of the wrong type',
    query: `query($y: Int!) { fundingAllocations(filter: { year: { eq: $y } }) { totalCount } }`,
    variables: { y: 'two thousand' },
    expect: (b) => {
      expect(b.status).toBe(400);
      expect(b.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(b.data).toBeUndefined();
    },
  },
  {
    name: 'a recursive filter variable that is wrong deep down',
    query: `query($f: FundingAllocationFilter) { fundingAllocations(filter: $f) { totalCount } }`,
    variables: { f: { and: [{ or: [{ not: { source: { eq: 'NO_SUCH_SOURCE' } } }] }] } },
    expect: (b) => expect(b.errors?.[0].extensions.code).toBe('BAD_USER_INPUT'),
  },
  {
    name: 'introspection',
    query: `{ __schema { queryType { name } } __type(name: "FundingAllocation") { name fields { name type { kind name ofType { name } } } } }`,
    expect: (b) => expect(b.data!.__type.fields.length).toBeGreaterThan(5),
  },
];

/** Stack traces name the executor's own frames; everything else must match. */
const withoutStacks = (body: Record<string, any>) =>
  JSON.parse(JSON.stringify(body), (key, value) => (key === 'stacktrace' ? undefined : value)) as Record<string, any>;

describe('compiled queries', () => {
  it('answer exactly as graphql-js interprets them: data, errors, codes, paths, language and status', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    for (const role of ['ADMIN', 'COMMUNE_OFFICER'] as RoleName[]) {
      const token = await t.tokenOf(role);
      for (const c of cases(district)) {
        const answer = async (compiled: boolean) => {
          t.config.compiledQueries = compiled;
          const res = await t.http
            .post('/graphql')
            .set('authorization', `Bearer ${token}`)
            .set('accept-language', c.lang ?? 'vi')
            .send({ query: c.query, variables: c.variables, operationName: c.operationName });
          return { status: res.status, ...withoutStacks(res.body) };
        };
        // A document runs compiled from its second run on (the first is interpreted).
        await answer(true);
        const before = { ...executionCounts };
        const compiled = await answer(true);
        const ranCompiled = executionCounts.compiled - before.compiled;
        const interpreted = await answer(false);
        t.config.compiledQueries = true;
        expect(interpreted, `${role}: ${c.name}`).toEqual(compiled);
        if (role === 'ADMIN') c.expect(compiled as never);
        // Everything that got past validation and variable coercion ran compiled.
        if (compiled.status === 200) expect(ranCompiled, c.name).toBe(1);
      }
    }
  });

  it('are compiled from their second run: a query sent once is only interpreted', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    // A text no other test sends, so its first run here is its first run at all.
    const query = `query FirstAndSecondRun($d: ID!) { unit(id: $d) { code name } }`;
    const counts = async () => {
      const before = { ...executionCounts };
      const r = await t.as('ADMIN', query, { d: district });
      expect(r.errors).toBeUndefined();
      expect(r.data.unit.code).toBe('LAICHAU.TAMDUONG');
      return { compiled: executionCounts.compiled - before.compiled, interpreted: executionCounts.interpreted - before.interpreted };
    };
    expect(await counts()).toEqual({ compiled: 0, interpreted: 1 });
    expect(await counts()).toEqual({ compiled: 1, interpreted: 0 });
    expect(await counts()).toEqual({ compiled: 1, interpreted: 0 });
  });

  it('leave mutations to graphql-js', async () => {
    const signIn = await t.gql(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`, {
      u: 'admin',
      p: ADMIN_PASSWORD,
    });
    const before = { ...executionCounts };
    const r = await t.as({ token: signIn.data.login.token }, `mutation { logout }`);
    expect(r.status).toBe(200);
    expect(executionCounts.interpreted - before.interpreted).toBe(1);
    expect(executionCounts.compiled - before.compiled).toBe(0);
  });
});
