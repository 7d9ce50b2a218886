/**
 * The query mix, as each system asks it. Bodies are JSON strings with placeholders the load generator
 * fills per request: $PROVINCE_ID$, $PROVINCE_PATH$ (a random province), $ALLOC_ID$ (a random allocation),
 * $W_ALLOC$ / $W_UNIT$ (a 2024 allocation with headroom, and its unit), $KEY$ (a unique idempotency key).
 */
export type QueryId = 'Q0' | 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5' | 'Q6' | 'Q7';
export type SystemKind = 'ours' | 'postgraphile' | 'floor';

export interface QueryCase {
  id: QueryId;
  title: string;
  /** Needs a signed-in caller on our server (all but the HTTP-overhead probe). */
  auth: boolean;
  /** Weight in the mix (0: not in it). */
  weight: number;
  ours: string;
  postgraphile: string;
  /** A write: PostGraphile's answer is its plain insert, a lower bound. */
  write?: boolean;
}

const gql = (query: string, variables: Record<string, unknown> = {}) =>
  JSON.stringify({ query: query.replace(/\s+/g, ' ').trim(), variables });

/** Years and levels the queries use. */
export const Q1_YEAR = 2024;
export const WRITE_DATE = '2024-06-15';
export const DISTRICT_LEVEL = 1;
export const PROVINCE_LEVEL = 0;
export const AS_OF = '2025-12-31';

export function queryCases(programId: string): QueryCase[] {
  return [
    {
      id: 'Q0',
      title: '{ __typename } (HTTP overhead)',
      auth: false,
      weight: 0,
      ours: gql('{ __typename }'),
      postgraphile: gql('{ __typename }'),
    },
    {
      id: 'Q1',
      title: 'communes of a province with their 2024 allocations and components (3 levels)',
      auth: true,
      weight: 15,
      ours: gql(
        `query Q1($p: ID!) { units(filter: { underUnit: $p, kind: { eq: COMMUNE } }, limit: 20) {
           nodes { id name fundingAllocations(filter: { year: { eq: ${Q1_YEAR} } }, limit: 100) { nodes { component { code } allocatedAmount } } } } }`,
        { p: '$PROVINCE_ID$' },
      ),
      postgraphile: gql(
        `query Q1($path: String!) { allUnits(filter: { path: { startsWith: $path }, kind: { equalTo: COMMUNE }, archivedAt: { isNull: true } }, first: 20, orderBy: NAME_ASC) {
           nodes { rowId name fundingAllocationsByUnitId(filter: { year: { equalTo: ${Q1_YEAR} }, archivedAt: { isNull: true } }, first: 100, orderBy: YEAR_ASC) {
             nodes { programComponentByComponentId { code } allocatedAmount } } } } }`,
        { path: '$PROVINCE_PATH$' },
      ),
    },
    {
      id: 'Q2',
      title: 'fundingSummary of a province by district × year × source',
      auth: true,
      weight: 10,
      ours: gql(
        `query Q2($p: ID!) { fundingSummary(filter: { underUnit: $p }, groupBy: [UNIT, YEAR, SOURCE], unitLevel: ${DISTRICT_LEVEL}) {
           unit { id code } year source plannedAmount allocatedAmount disbursedAmount disbursementRate } }`,
        { p: '$PROVINCE_ID$' },
      ),
      postgraphile: gql(
        `query Q2($path: String!) { allBenchPglAllocationRollups(filter: { unitPath: { startsWith: $path }, archivedAt: { isNull: true } }) {
           groupedAggregates(groupBy: [DISTRICT_ID, YEAR, SOURCE]) { keys sum { plannedAmount allocatedAmount disbursedAmount } } } }`,
        { path: '$PROVINCE_PATH$' },
      ),
    },
    {
      id: 'Q3',
      title: 'fundingSummary nationally by province × year',
      auth: true,
      weight: 5,
      ours: gql(
        `query Q3 { fundingSummary(groupBy: [UNIT, YEAR], unitLevel: ${PROVINCE_LEVEL}) {
           unit { id code } year plannedAmount allocatedAmount disbursedAmount disbursementRate } }`,
      ),
      postgraphile: gql(
        `query Q3 { allBenchPglAllocationRollups(filter: { archivedAt: { isNull: true } }) {
           groupedAggregates(groupBy: [PROVINCE_ID, YEAR]) { keys sum { plannedAmount allocatedAmount disbursedAmount } } } }`,
      ),
    },
    {
      id: 'Q4',
      title: 'one allocation by id',
      auth: true,
      weight: 40,
      ours: gql(
        `query Q4($id: ID!) { fundingAllocation(id: $id) {
           id year source plannedAmount allocatedAmount disbursedAmount disbursementRate component { code } unit { code } } }`,
        { id: '$ALLOC_ID$' },
      ),
      postgraphile: gql(
        `query Q4($id: BigInt!) { fundingAllocationByRowId(rowId: $id) {
           rowId year source plannedAmount allocatedAmount disbursedAmount programComponentByComponentId { code } unitByUnitId { code } } }`,
        { id: '$ALLOC_ID$' },
      ),
    },
    {
      id: 'Q5',
      title: 'recordDisbursement (PostGraphile: plain createDisbursement, a lower bound)',
      auth: true,
      weight: 10,
      write: true,
      ours: gql(
        `mutation Q5($a: ID!, $k: String!) { recordDisbursement(input: { allocationId: $a, date: "${WRITE_DATE}", amount: "1000", reference: "bench", idempotencyKey: $k }) {
           id amount } }`,
        { a: '$W_ALLOC$', k: '$KEY$' },
      ),
      postgraphile: gql(
        `mutation Q5($a: BigInt!, $u: BigInt!) { createDisbursement(input: { disbursement: { allocationId: $a, unitId: $u, date: "${WRITE_DATE}", amount: "1000", reference: "bench" } }) {
           disbursement { rowId amount } } }`,
        { a: '$W_ALLOC$', u: '$W_UNIT$' },
      ),
    },
    {
      id: 'Q6',
      title: 'reportingCompleteness of a province by district × year',
      auth: true,
      weight: 10,
      ours: gql(
        `query Q6($p: ID!) { reportingCompleteness(filter: { programId: "${programId}", underUnit: $p }, groupBy: [UNIT, YEAR], unitLevel: ${DISTRICT_LEVEL}, asOf: "${AS_OF}") {
           unit { id } year expected actual onTime reportingRate onTimeRate } }`,
        { p: '$PROVINCE_ID$' },
      ),
      postgraphile: gql(
        `query Q6($p: BigInt!) { benchPglReportingCompleteness(pProgram: "${programId}", pUnder: $p, pLevel: ${DISTRICT_LEVEL}, pAsOf: "${AS_OF}") {
           nodes { unitId year expected actual onTime reportingRate onTimeRate } } }`,
        { p: '$PROVINCE_ID$' },
      ),
    },
    {
      id: 'Q7',
      title: 'indicatorProgress of a province by indicator × district × year',
      auth: true,
      weight: 10,
      ours: gql(
        `query Q7($p: ID!) { indicatorProgress(filter: { underUnit: $p }, groupBy: [INDICATOR, UNIT, YEAR], unitLevel: ${DISTRICT_LEVEL}) {
           indicator { id } unit { id } year actual baseline target achievement } }`,
        { p: '$PROVINCE_ID$' },
      ),
      postgraphile: gql(
        `query Q7($p: BigInt!) { benchPglIndicatorProgress(pUnder: $p, pLevel: ${DISTRICT_LEVEL}) {
           nodes { indicatorId unitId year actual baseline target achievement } } }`,
        { p: '$PROVINCE_ID$' },
      ),
    },
  ];
}
