import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, useTestApp, type GqlResult, type RoleName } from '../support/app';

const t = useTestApp();

beforeAll(async () => {
  // Sign everyone in first, so the audit checks below see only the mutation under test.
  for (const role of ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const) await t.tokenOf(role);
  for (const u of ['td.health', 'td.binhlu']) await t.token(u);
});

type Who = RoleName | { token: string };

const ALLOC = `id version year source plannedAmount allocatedAmount disbursedAmount disbursementRate decisionRef archived createdAt updatedAt
  component { code } unit { code } revisions { plannedAmount allocatedAmount decisionRef reason createdAt }`;
const CREATE = `mutation($i: CreateFundingAllocationInput!) { createFundingAllocation(input: $i) { ${ALLOC} } }`;
const REVISE = `mutation($id: ID!, $v: Int!, $i: ReviseFundingAllocationInput!) { reviseFundingAllocation(id: $id, version: $v, input: $i) { ${ALLOC} } }`;
const DISBURSE = `mutation($i: RecordDisbursementInput!) { recordDisbursement(input: $i) { id date amount reference allocation { id disbursedAmount disbursementRate } } }`;
const SUMMARY = `query($f: FundingAllocationFilter, $g: [FundingDimension!]!, $l: Int, $u: Date) {
  fundingSummary(filter: $f, groupBy: $g, unitLevel: $l, disbursedUntil: $u) {
    year source unit { code } project { code } subProject { code } plannedAmount allocatedAmount disbursedAmount disbursementRate } }`;

const ok = <T = any>(r: GqlResult<T>): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
};

async function create(who: Who, input: Record<string, unknown>) {
  return t.as(who, CREATE, { i: input });
}
async function disburse(who: Who, allocationId: string, date: string, amount: string, extra: Record<string, unknown> = {}) {
  return t.as(who, DISBURSE, { i: { allocationId, date, amount, ...extra } });
}
async function revise(who: Who, id: string, version: number, input: Record<string, unknown>) {
  return t.as(who, REVISE, { id, v: version, i: input });
}
async function componentId(code: string, program = 'GNBV-2021-2025'): Promise<string> {
  const rows = await t.db<{ id: string }>(
    'SELECT c.id::text FROM program_component c JOIN program p ON p.id = c.program_id WHERE c.code = $1 AND p.code = $2',
    [code, program],
  );
  return rows[0].id;
}

/** Rows of a summary as comparable tuples: keys (missing = '-'), then the four figures. */
function summaryRows(r: GqlResult): string[] {
  return ok(r)
    .fundingSummary.map((x: any) =>
      [
        x.year ?? '-',
        x.source ?? '-',
        x.unit?.code ?? '-',
        x.project?.code ?? '-',
        x.subProject?.code ?? '-',
        x.plannedAmount,
        x.allocatedAmount,
        x.disbursedAmount,
        x.disbursementRate ?? 'null',
      ].join(' '),
    )
    .sort();
}

/** Runs a mutation and returns its result with the audit events it wrote (by operation). */
async function audited(operation: string, fn: () => Promise<GqlResult>) {
  const before = await t.db<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM audit_event');
  const r = await fn();
  const events = await t.db<{ operation: string; outcome: string; entity_type: string; entity_id: string; unit_id: string; details: any }>(
    'SELECT operation, outcome, entity_type, entity_id, unit_id::text, details FROM audit_event WHERE id > $1 ORDER BY id',
    [before[0].id],
  );
  expect(events.map((e) => e.operation)).toEqual([operation]);
  return { r, event: events[0] };
}

// ---------------------------------------------------------------------------------------------
// A fixed ledger in a test district of its own (no demo data there), built by ADMIN:
//   province LAICHAU (level 0) > TESTD (district, 1) > TESTD.C1, TESTD.C2 (communes, 2) > TESTD.C1.H1 (3)
//   program TEST-FUND 2030–2031: P1 (project) with sub-projects P1.S1, P1.S2; P2 (project)
//
//   id  component unit  year source              planned              allocated            disbursements (date: amount)
//   A1  P1.S1     C1    2030 CENTRAL_RECURRENT   1,000,000,000 → revised 1,200,000,000 / 800,000,000 → 1,000,000,000
//                                               03-10 +300,000,000; 07-15 +500,000,000; 08-01 −50,000,000 (correction);
//                                               2031-02-20 +150,000,000 (carry-over) → total 900,000,000
//   A2  P1.S2     C2    2030 LOCAL_BUDGET        9,007,199,254,740,993 (2^53+1)  9,007,199,254,740,993
//                                               05-05 +4,503,599,627,370,497; 10-10 +1 → total 4,503,599,627,370,498
//   A3  P1        D     2030 CENTRAL_RECURRENT   500,000,000          500,000,000 → revised 400,000,000
//                                               06-30 +400,000,000 (exactly the allocation) → total 400,000,000
//   A4  P2        H1    2031 CENTRAL_INVESTMENT  300,000,000          0 (rate null)        none
//   A5  P1.S1     C1    2031 CENTRAL_RECURRENT   700,000,000          600,000,000          06-01 +100,000,000
//   A6  P2        C2    2031 LOCAL_BUDGET        18,014,398,509,481,984 (2^54)  18,014,398,509,481,985
//                                               2032-12-31 +6,004,799,503,160,661 (last carry-over day)
// ---------------------------------------------------------------------------------------------
const L: Record<string, string> = {};
const U: Record<string, string> = {};
const C: Record<string, string> = {};

async function buildLedger() {
  const prov = await t.unitId('LAICHAU');
  const unit = async (code: string, name: string, kind: string, parentId: string) =>
    ok(await t.as('ADMIN', 'mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }', { i: { code, name, kind, parentId } }))
      .createUnit.id;
  U.D = await unit('TESTD', 'Huyện Thử Nghiệm', 'DISTRICT', prov);
  U.C1 = await unit('TESTD.C1', 'Xã Thử Một', 'COMMUNE', U.D);
  U.C2 = await unit('TESTD.C2', 'Xã Thử Hai', 'COMMUNE', U.D);
  U.H1 = await unit('TESTD.C1.H1', 'Bản Thử', 'COMMUNE', U.C1);
  const prog = ok(
    await t.as(
      'ADMIN',
      'mutation { createProgram(input: { code: "TEST-FUND", name: "Chương trình thử", startYear: 2030, endYear: 2031 }) { id } }',
    ),
  ).createProgram.id;
  const comp = async (code: string, kind: string, parentId: string | null) =>
    ok(
      await t.as('ADMIN', 'mutation($i: CreateProgramComponentInput!) { createProgramComponent(input: $i) { id } }', {
        i: { programId: prog, parentId, code, name: `Hợp phần ${code}`, kind },
      }),
    ).createProgramComponent.id;
  C.P1 = await comp('P1', 'PROJECT', null);
  C['P1.S1'] = await comp('P1.S1', 'SUB_PROJECT', C.P1);
  C['P1.S2'] = await comp('P1.S2', 'SUB_PROJECT', C.P1);
  C.P2 = await comp('P2', 'PROJECT', null);

  const alloc = async (key: string, c: string, u: string, year: number, source: string, planned: string, allocated: string) => {
    const a = ok(
      await create('ADMIN', {
        componentId: C[c],
        unitId: U[u],
        year,
        source,
        plannedAmount: planned,
        allocatedAmount: allocated,
        decisionRef: `QĐ ${key}`,
      }),
    );
    L[key] = a.createFundingAllocation.id;
    return a.createFundingAllocation;
  };
  const a1 = await alloc('A1', 'P1.S1', 'C1', 2030, 'CENTRAL_RECURRENT', '1000000000', '800000000');
  await alloc('A2', 'P1.S2', 'C2', 2030, 'LOCAL_BUDGET', '9007199254740993', '9007199254740993');
  const a3 = await alloc('A3', 'P1', 'D', 2030, 'CENTRAL_RECURRENT', '500000000', '500000000');
  await alloc('A4', 'P2', 'H1', 2031, 'CENTRAL_INVESTMENT', '300000000', '0');
  await alloc('A5', 'P1.S1', 'C1', 2031, 'CENTRAL_RECURRENT', '700000000', '600000000');
  await alloc('A6', 'P2', 'C2', 2031, 'LOCAL_BUDGET', '18014398509481984', '18014398509481985');
  ok(
    await revise('ADMIN', L.A1, a1.version, {
      plannedAmount: '1200000000',
      allocatedAmount: '1000000000',
      decisionRef: 'QĐ A1 bổ sung',
      reason: 'Bổ sung vốn',
    }),
  );
  ok(await revise('ADMIN', L.A3, a3.version, { allocatedAmount: '400000000', reason: 'Cắt giảm' }));
  for (const [k, d, amt] of [
    ['A1', '2030-03-10', '300000000'],
    ['A1', '2030-07-15', '500000000'],
    ['A1', '2030-08-01', '-50000000'],
    ['A1', '2031-02-20', '150000000'],
    ['A2', '2030-05-05', '4503599627370497'],
    ['A2', '2030-10-10', '1'],
    ['A3', '2030-06-30', '400000000'],
    ['A5', '2031-06-01', '100000000'],
    ['A6', '2032-12-31', '6004799503160661'],
  ]) {
    ok(await disburse('ADMIN', L[k], d, amt, { reference: `Chứng từ ${k} ${d}` }));
  }
}

describe('funding ledger: a fixed ledger and its golden summaries', () => {
  beforeAll(buildLedger);
  const F = () => ({ underUnit: U.D });

  it('keeps every figure exact above 2^53, revisions in order, running totals and rates', async () => {
    const r = ok(
      await t.as(
        'ADMIN',
        `query($f: FundingAllocationFilter) { fundingAllocations(filter: $f, limit: 10, orderBy: [{ field: YEAR, direction: ASC }]) { totalCount nodes { ${ALLOC} } } }`,
        { f: F() },
      ),
    );
    expect(r.fundingAllocations.totalCount).toBe(6);
    const byId = new Map<string, any>(r.fundingAllocations.nodes.map((n: any) => [n.id, n]));
    const a1 = byId.get(L.A1);
    expect(a1).toMatchObject({
      year: 2030,
      source: 'CENTRAL_RECURRENT',
      plannedAmount: '1200000000',
      allocatedAmount: '1000000000',
      disbursedAmount: '900000000',
      disbursementRate: '0.9000',
      decisionRef: 'QĐ A1 bổ sung',
      archived: false,
      version: 2,
    });
    expect(a1.component.code).toBe('P1.S1');
    expect(a1.unit.code).toBe('TESTD.C1');
    expect(a1.revisions.map((x: any) => [x.plannedAmount, x.allocatedAmount, x.decisionRef, x.reason])).toEqual([
      ['1000000000', '800000000', 'QĐ A1', null],
      ['1200000000', '1000000000', 'QĐ A1 bổ sung', 'Bổ sung vốn'],
    ]);
    // 4,503,599,627,370,498 / 9,007,199,254,740,993 = 0.49999999999999994… → 0.5000
    expect(byId.get(L.A2)).toMatchObject({
      plannedAmount: '9007199254740993',
      disbursedAmount: '4503599627370498',
      disbursementRate: '0.5000',
    });
    // A3: planned stays 500,000,000 when only the allocation is revised; 400,000,000 / 400,000,000 = 1.0000
    expect(byId.get(L.A3)).toMatchObject({
      plannedAmount: '500000000',
      allocatedAmount: '400000000',
      disbursedAmount: '400000000',
      disbursementRate: '1.0000',
      decisionRef: 'QĐ A3',
    });
    expect(byId.get(L.A3).revisions.map((x: any) => x.allocatedAmount)).toEqual(['500000000', '400000000']);
    expect(byId.get(L.A4)).toMatchObject({ allocatedAmount: '0', disbursedAmount: '0', disbursementRate: null, version: 1 });
    // 100,000,000 / 600,000,000 = 0.16666… → 0.1667
    expect(byId.get(L.A5).disbursementRate).toBe('0.1667');
    // 6,004,799,503,160,661 / 18,014,398,509,481,985 = 0.33333333333333331… → 0.3333
    expect(byId.get(L.A6)).toMatchObject({
      plannedAmount: '18014398509481984',
      allocatedAmount: '18014398509481985',
      disbursedAmount: '6004799503160661',
      disbursementRate: '0.3333',
    });
    const stored = await t.db<{ s: string }>(
      'SELECT sum(disbursed_amount)::text s FROM funding_allocation WHERE unit_id = ANY($1::bigint[])',
      [[U.D, U.C1, U.C2, U.H1]],
    );
    expect(stored[0].s).toBe('10508400530531159');
  });

  it('lists disbursements in date order, nested and top level, with corrections as negative entries', async () => {
    const r = ok(
      await t.as(
        'ADMIN',
        `query($id: ID!) { fundingAllocation(id: $id) { disbursements { totalCount nodes { date amount reference allocation { id } } } } }`,
        { id: L.A1 },
      ),
    );
    expect(r.fundingAllocation.disbursements.totalCount).toBe(4);
    expect(r.fundingAllocation.disbursements.nodes.map((d: any) => [d.date, d.amount])).toEqual([
      ['2030-03-10', '300000000'],
      ['2030-07-15', '500000000'],
      ['2030-08-01', '-50000000'],
      ['2031-02-20', '150000000'],
    ]);
    const top = ok(
      await t.as(
        'ADMIN',
        `query($u: ID!) { disbursements(filter: { underUnit: $u, date: { gte: "2031-01-01" } }, orderBy: [{ field: DATE, direction: DESC }]) { totalCount nodes { date amount } } }`,
        { u: U.D },
      ),
    );
    // Dated in 2031 or later: A1 2031-02-20, A5 2031-06-01, A6 2032-12-31
    expect(top.disbursements.nodes.map((d: any) => d.date)).toEqual(['2032-12-31', '2031-06-01', '2031-02-20']);
    const byAlloc = ok(
      await t.as('ADMIN', `query($a: ID!) { disbursements(filter: { allocationId: { eq: $a } }) { totalCount } }`, { a: L.A2 }),
    );
    expect(byAlloc.disbursements.totalCount).toBe(2);
  });

  it('summarizes with no grouping: one total row', async () => {
    // planned  1,200,000,000 + 9,007,199,254,740,993 + 500,000,000 + 300,000,000 + 700,000,000 + 18,014,398,509,481,984 = 27,021,600,464,222,977
    // allocated 1,000,000,000 + 9,007,199,254,740,993 + 400,000,000 + 0 + 600,000,000 + 18,014,398,509,481,985 = 27,021,599,764,222,978
    // disbursed 900,000,000 + 4,503,599,627,370,498 + 400,000,000 + 0 + 100,000,000 + 6,004,799,503,160,661 = 10,508,400,530,531,159
    // rate 10,508,400,530,531,159 / 27,021,599,764,222,978 = 0.38889… → 0.3889
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: [] }))).toEqual([
      '- - - - - 27021600464222977 27021599764222978 10508400530531159 0.3889',
    ]);
  });

  it('groups by YEAR', async () => {
    // 2030: A1+A2+A3 planned 1,200,000,000+9,007,199,254,740,993+500,000,000 = 9,007,200,954,740,993
    //       allocated 1,000,000,000+9,007,199,254,740,993+400,000,000 = 9,007,200,654,740,993
    //       disbursed 900,000,000+4,503,599,627,370,498+400,000,000 = 4,503,600,927,370,498 (carry-over of A1 in 2031 counts for 2030)
    //       rate 0.50000008… → 0.5000
    // 2031: A4+A5+A6 planned 300,000,000+700,000,000+18,014,398,509,481,984 = 18,014,399,509,481,984
    //       allocated 0+600,000,000+18,014,398,509,481,985 = 18,014,399,109,481,985
    //       disbursed 0+100,000,000+6,004,799,503,160,661 = 6,004,799,603,160,661 → 0.33333…→ 0.3333
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['YEAR'] }))).toEqual([
      '2030 - - - - 9007200954740993 9007200654740993 4503600927370498 0.5000',
      '2031 - - - - 18014399509481984 18014399109481985 6004799603160661 0.3333',
    ]);
  });

  it('groups by SOURCE', async () => {
    // CENTRAL_INVESTMENT: A4 300,000,000 / 0 / 0 → rate null
    // CENTRAL_RECURRENT: A1+A3+A5 planned 1,200+500+700 = 2,400 million; allocated 1,000+400+600 = 2,000 million;
    //                    disbursed 900+400+100 = 1,400 million → 0.7000
    // LOCAL_BUDGET: A2+A6 planned 27,021,597,764,222,977; allocated 27,021,597,764,222,978; disbursed 10,508,399,130,531,159 → 0.3889
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['SOURCE'] }))).toEqual([
      '- CENTRAL_INVESTMENT - - - 300000000 0 0 null',
      '- CENTRAL_RECURRENT - - - 2400000000 2000000000 1400000000 0.7000',
      '- LOCAL_BUDGET - - - 27021597764222977 27021597764222978 10508399130531159 0.3889',
    ]);
  });

  it('groups by UNIT, as allocated and rolled up by unitLevel', async () => {
    // As allocated: C1 = A1+A5 (1,900 / 1,600 / 1,000 million → 0.6250); C2 = A2+A6; D = A3; H1 = A4
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['UNIT'] }))).toEqual([
      '- - TESTD - - 500000000 400000000 400000000 1.0000',
      '- - TESTD.C1 - - 1900000000 1600000000 1000000000 0.6250',
      '- - TESTD.C1.H1 - - 300000000 0 0 null',
      '- - TESTD.C2 - - 27021597764222977 27021597764222978 10508399130531159 0.3889',
    ]);
    // unitLevel 2: the hamlet H1 (level 3) rolls into C1: 1,900+300 = 2,200 million planned, 1,600 allocated,
    // 1,000 disbursed → 0.6250; the district D (level 1) is shallower and stays its own row.
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['UNIT'], l: 2 }))).toEqual([
      '- - TESTD - - 500000000 400000000 400000000 1.0000',
      '- - TESTD.C1 - - 2200000000 1600000000 1000000000 0.6250',
      '- - TESTD.C2 - - 27021597764222977 27021597764222978 10508399130531159 0.3889',
    ]);
    // unitLevel 1: everything rolls up to the district = the total row.
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['UNIT'], l: 1 }))).toEqual([
      '- - TESTD - - 27021600464222977 27021599764222978 10508400530531159 0.3889',
    ]);
    // unitLevel 0: up to the province.
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['UNIT'], l: 0 }))).toEqual([
      '- - LAICHAU - - 27021600464222977 27021599764222978 10508400530531159 0.3889',
    ]);
  });

  it('groups by PROJECT (sub-projects roll up) and SUB_PROJECT', async () => {
    // P1 = A1 (P1.S1) + A2 (P1.S2) + A3 (P1) + A5 (P1.S1):
    //   planned 1,200,000,000+9,007,199,254,740,993+500,000,000+700,000,000 = 9,007,201,654,740,993
    //   allocated 1,000,000,000+9,007,199,254,740,993+400,000,000+600,000,000 = 9,007,201,254,740,993
    //   disbursed 900,000,000+4,503,599,627,370,498+400,000,000+100,000,000 = 4,503,601,027,370,498 → 0.5000
    // P2 = A4 + A6: planned 18,014,398,809,481,984; allocated 18,014,398,509,481,985; disbursed 6,004,799,503,160,661 → 0.3333
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['PROJECT'] }))).toEqual([
      '- - - P1 - 9007201654740993 9007201254740993 4503601027370498 0.5000',
      '- - - P2 - 18014398809481984 18014398509481985 6004799503160661 0.3333',
    ]);
    // SUB_PROJECT: P1.S1 = A1+A5; P1.S2 = A2; money on projects themselves (A3, A4, A6) has no sub-project:
    //   planned 500,000,000+300,000,000+18,014,398,509,481,984 = 18,014,399,309,481,984;
    //   allocated 400,000,000+0+18,014,398,509,481,985 = 18,014,398,909,481,985; disbursed 400,000,000+6,004,799,503,160,661
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['SUB_PROJECT'] }))).toEqual([
      '- - - - - 18014399309481984 18014398909481985 6004799903160661 0.3333',
      '- - - - P1.S1 1900000000 1600000000 1000000000 0.6250',
      '- - - - P1.S2 9007199254740993 9007199254740993 4503599627370498 0.5000',
    ]);
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['PROJECT', 'SUB_PROJECT'] }))).toEqual([
      '- - - P1 - 500000000 400000000 400000000 1.0000',
      '- - - P1 P1.S1 1900000000 1600000000 1000000000 0.6250',
      '- - - P1 P1.S2 9007199254740993 9007199254740993 4503599627370498 0.5000',
      '- - - P2 - 18014398809481984 18014398509481985 6004799503160661 0.3333',
    ]);
  });

  it('groups by PROJECT × SOURCE × YEAR', async () => {
    // P1 CENTRAL_RECURRENT 2030 = A1 + A3: 1,700 / 1,400 / 1,300 million → 0.92857… → 0.9286
    // P1 CENTRAL_RECURRENT 2031 = A5: 700 / 600 / 100 million → 0.1667
    // P1 LOCAL_BUDGET 2030 = A2; P2 CENTRAL_INVESTMENT 2031 = A4 (rate null); P2 LOCAL_BUDGET 2031 = A6
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['PROJECT', 'SOURCE', 'YEAR'] }))).toEqual([
      '2030 CENTRAL_RECURRENT - P1 - 1700000000 1400000000 1300000000 0.9286',
      '2030 LOCAL_BUDGET - P1 - 9007199254740993 9007199254740993 4503599627370498 0.5000',
      '2031 CENTRAL_INVESTMENT - P2 - 300000000 0 0 null',
      '2031 CENTRAL_RECURRENT - P1 - 700000000 600000000 100000000 0.1667',
      '2031 LOCAL_BUDGET - P2 - 18014398509481984 18014398509481985 6004799503160661 0.3333',
    ]);
  });

  it('counts only disbursements dated on or before disbursedUntil', async () => {
    // As of 2030-06-30: A1 300,000,000 (03-10); A2 4,503,599,627,370,497 (05-05); A3 400,000,000 (06-30, inclusive)
    //   2030 disbursed = 4,503,600,327,370,497; 2031 allocations nothing yet (0 / 18,014,399,109,481,985 = 0.0000)
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['YEAR'], u: '2030-06-30' }))).toEqual([
      '2030 - - - - 9007200954740993 9007200654740993 4503600327370497 0.5000',
      '2031 - - - - 18014399509481984 18014399109481985 0 0.0000',
    ]);
    // As of 2030-12-31: A1 300+500−50 = 750 million (the 2031 carry-over is not yet counted); A2 all; A3 all
    //   = 750,000,000 + 4,503,599,627,370,498 + 400,000,000 = 4,503,600,777,370,498
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['YEAR'], u: '2030-12-31' }))).toEqual([
      '2030 - - - - 9007200954740993 9007200654740993 4503600777370498 0.5000',
      '2031 - - - - 18014399509481984 18014399109481985 0 0.0000',
    ]);
    // As of 2031-06-30 by YEAR × PROJECT: 2030 P1 complete (4,503,600,927,370,498); 2031 P1 = A5 100 million;
    //   2031 P2 = A6's 2032 payment not yet → 0
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: F(), g: ['YEAR', 'PROJECT'], u: '2031-06-30' }))).toEqual([
      '2030 - - P1 - 9007200954740993 9007200654740993 4503600927370498 0.5000',
      '2031 - - P1 - 700000000 600000000 100000000 0.1667',
      '2031 - - P2 - 18014398809481984 18014398509481985 0 0.0000',
    ]);
  });

  it('takes the allocation list filter, Money comparisons and and/or/not included', async () => {
    // allocated > 2^53: A2 and A6 → the LOCAL_BUDGET totals
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f: { ...F(), allocatedAmount: { gt: '9007199254740992' } }, g: [] }))).toEqual([
      '- - - - - 27021597764222977 27021597764222978 10508399130531159 0.3889',
    ]);
    // (P1.S1 or unit D) and not 2031: A1 + A3 → 1,700 / 1,400 / 1,300 million
    const f = { ...F(), or: [{ componentId: { eq: C['P1.S1'] } }, { unitId: { eq: U.D } }], not: { year: { eq: 2031 } } };
    expect(summaryRows(await t.as('ADMIN', SUMMARY, { f, g: [] }))).toEqual(['- - - - - 1700000000 1400000000 1300000000 0.9286']);
    const list = ok(
      await t.as('ADMIN', `query($f: FundingAllocationFilter) { fundingAllocations(filter: $f) { totalCount nodes { id } } }`, { f }),
    );
    expect(list.fundingAllocations.nodes.map((n: any) => n.id).sort()).toEqual([L.A1, L.A3].sort());
    const planned = ok(
      await t.as('ADMIN', `query($f: FundingAllocationFilter) { fundingAllocations(filter: $f) { totalCount } }`, {
        f: { ...F(), plannedAmount: { gte: '700000000', lte: '1200000000' } },
      }),
    );
    expect(planned.fundingAllocations.totalCount).toBe(2); // A1 (1,200 million) and A5 (700 million)
  });

  it('exposes Unit.fundingAllocations for the unit itself', async () => {
    const r = ok(
      await t.as('ADMIN', `query($id: ID!) { unit(id: $id) { fundingAllocations { totalCount nodes { year component { code } } } } }`, {
        id: U.C1,
      }),
    );
    expect(r.unit.fundingAllocations.totalCount).toBe(2);
    expect(r.unit.fundingAllocations.nodes.map((n: any) => `${n.year} ${n.component.code}`)).toEqual(['2030 P1.S1', '2031 P1.S1']);
  });

  it('hides the ledger outside the caller scope: lists, lookups, summaries and writes', async () => {
    const r = ok(
      await t.as('COORDINATOR', `query($f: FundingAllocationFilter) { fundingAllocations(filter: $f) { totalCount } }`, { f: F() }),
    );
    expect(r.fundingAllocations.totalCount).toBe(0);
    expect(
      ok(await t.as('COORDINATOR', `query($id: ID!) { fundingAllocation(id: $id) { id } }`, { id: L.A1 })).fundingAllocation,
    ).toBeNull();
    expect(ok(await t.as('AGENCY_OFFICER', SUMMARY, { f: F(), g: [] })).fundingSummary).toEqual([
      {
        year: null,
        source: null,
        unit: null,
        project: null,
        subProject: null,
        plannedAmount: '0',
        allocatedAmount: '0',
        disbursedAmount: '0',
        disbursementRate: null,
      },
    ]);
    expect(codeOf(await disburse('COORDINATOR', L.A5, '2031-07-01', '1'))).toBe('NOT_FOUND');
    expect(codeOf(await disburse('AGENCY_OFFICER', L.A5, '2031-07-01', '1'))).toBe('NOT_FOUND');
    expect(codeOf(await revise('COORDINATOR', L.A5, 1, { allocatedAmount: '1' }))).toBe('NOT_FOUND');
    expect(codeOf(await disburse('COMMUNE_OFFICER', L.A5, '2031-07-01', '1'))).toBe('NOT_FOUND');
    expect(
      codeOf(
        await create('COORDINATOR', {
          componentId: C.P2,
          unitId: U.C1,
          year: 2030,
          source: 'MOBILIZED',
          plannedAmount: '1',
          allocatedAmount: '1',
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('refuses what breaks the rules, audited once each and changing nothing', async () => {
    // Exactly at the allocation already (A3: 400,000,000 of 400,000,000): one more dong exceeds it.
    const over = await audited('recordDisbursement', () => disburse('ADMIN', L.A3, '2030-12-01', '1'));
    expect(codeOf(over.r)).toBe('RULE_VIOLATION');
    expect(over.r.errors![0].extensions.rule).toBe('DISBURSEMENT_EXCEEDS_ALLOCATION');
    expect(over.event.outcome).toBe('RULE_VIOLATION');
    // A5 has 100,000,000 disbursed: a correction of −100,000,001 would go below zero.
    const below = await audited('recordDisbursement', () => disburse('ADMIN', L.A5, '2031-12-01', '-100000001'));
    expect(below.r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'DISBURSEMENT_BELOW_ZERO' });
    // A1 has 900,000,000 disbursed: an allocation of 899,999,999 is below it; 900,000,000 is allowed.
    const a1 = ok(await t.as('ADMIN', `query($id: ID!) { fundingAllocation(id: $id) { version } }`, { id: L.A1 })).fundingAllocation;
    const low = await audited('reviseFundingAllocation', () => revise('ADMIN', L.A1, a1.version, { allocatedAmount: '899999999' }));
    expect(low.r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'REVISION_BELOW_DISBURSED' });
    expect(low.event).toMatchObject({ outcome: 'RULE_VIOLATION', entity_type: 'FundingAllocation', entity_id: L.A1, unit_id: U.C1 });
    // A stale version is a CONFLICT and changes nothing.
    expect(codeOf(await revise('ADMIN', L.A1, a1.version - 1, { allocatedAmount: '950000000' }))).toBe('CONFLICT');
    // A duplicate (component, unit, year, source) is a CONFLICT.
    const dup = await audited('createFundingAllocation', () =>
      create('ADMIN', {
        componentId: C['P1.S1'],
        unitId: U.C1,
        year: 2030,
        source: 'CENTRAL_RECURRENT',
        plannedAmount: '1',
        allocatedAmount: '1',
      }),
    );
    expect(codeOf(dup.r)).toBe('CONFLICT');
    expect(dup.event.outcome).toBe('CONFLICT');
    const after = await t.db<{ n: string; total: string; alloc: string; revs: string }>(
      `SELECT (SELECT count(*) FROM disbursement WHERE allocation_id = ANY($1::bigint[]))::text n,
              (SELECT sum(disbursed_amount) FROM funding_allocation WHERE id = ANY($1::bigint[]))::text total,
              (SELECT allocated_amount FROM funding_allocation WHERE id = $2)::text alloc,
              (SELECT count(*) FROM funding_revision WHERE allocation_id = $2)::text revs`,
      [[L.A1, L.A3, L.A5], L.A1],
    );
    expect(after[0]).toEqual({ n: '6', total: '1400000000', alloc: '1000000000', revs: '2' });
    const fine = await audited('reviseFundingAllocation', () =>
      revise('ADMIN', L.A1, a1.version, { allocatedAmount: '900000000', reason: 'Bằng số đã giải ngân' }),
    );
    expect(ok(fine.r).reviseFundingAllocation).toMatchObject({
      allocatedAmount: '900000000',
      disbursementRate: '1.0000',
      version: a1.version + 1,
    });
    expect(fine.event).toMatchObject({ outcome: 'SUCCESS', entity_type: 'FundingAllocation', entity_id: L.A1 });
    expect(fine.event.details.reason).toBe('Bằng số đã giải ngân');
  });

  it('refuses malformed input with BAD_USER_INPUT', async () => {
    const base = { componentId: C.P2, unitId: U.C1, year: 2030, source: 'MOBILIZED', plannedAmount: '100', allocatedAmount: '100' };
    const neg = await create('ADMIN', { ...base, plannedAmount: '-1' });
    expect(codeOf(neg)).toBe('BAD_USER_INPUT');
    expect(neg.errors![0].extensions.fields.map((f: any) => f.field)).toEqual(['plannedAmount']);
    expect(codeOf(await create('ADMIN', { ...base, allocatedAmount: '-5' }))).toBe('BAD_USER_INPUT');
    for (const money of ['12.5', '1e9', 'abc', '', ' 12']) {
      expect(codeOf(await create('ADMIN', { ...base, plannedAmount: money })), money).toBe('BAD_USER_INPUT');
    }
    // Written into the document itself, a fractional amount fails document validation (Apollo's own code).
    expect(
      codeOf(
        await t.as(
          'ADMIN',
          `mutation { createFundingAllocation(input: { componentId: "${C.P2}", unitId: "${U.C1}", year: 2030, source: MOBILIZED, plannedAmount: 1.5, allocatedAmount: "1" }) { id } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    const year = await create('ADMIN', { ...base, year: 2029 });
    expect(year.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'year' }] });
    expect(codeOf(await create('ADMIN', { ...base, componentId: '999999999' }))).toBe('BAD_USER_INPUT');
    const agency = await t.unitId('TAMDUONG.PNNPTNT');
    expect(codeOf(await create('ADMIN', { ...base, unitId: agency }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await revise('ADMIN', L.A4, 1, { plannedAmount: '-300000000' }))).toBe('BAD_USER_INPUT');
    // Dates: before the allocation's year, after 31 December of the next year, not a calendar date.
    for (const date of ['2029-12-31', '2032-01-01']) {
      const r = await disburse('ADMIN', L.A1, date, '1');
      expect(r.errors![0].extensions, date).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'date' }] });
    }
    expect(codeOf(await disburse('ADMIN', L.A1, '2030-02-30', '1'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await disburse('ADMIN', L.A1, '30/06/2030', '1'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await disburse('ADMIN', L.A1, '2030-06-30', '0'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await disburse('ADMIN', L.A1, '2030-06-30', '0.5'))).toBe('BAD_USER_INPUT');
    // English messages on request.
    const en = await t.gql(CREATE, { i: { ...base, plannedAmount: '-1' } }, { token: await t.tokenOf('ADMIN'), lang: 'en' });
    expect(en.errors![0].extensions.fields[0].message).toBe('The amount must not be negative');
    const total = await t.db<{ n: string }>('SELECT count(*)::text n FROM funding_allocation WHERE component_id = $1', [C.P2]);
    expect(total[0].n).toBe('2');
  });

  it('answers an idempotency key once per caller; another payload under the key is a CONFLICT', async () => {
    const first = ok(await disburse('ADMIN', L.A5, '2031-08-01', '20000000', { reference: 'UNC 01', idempotencyKey: 'a5-aug' }));
    const again = await audited('recordDisbursement', () =>
      disburse('ADMIN', L.A5, '2031-08-01', '20000000', { reference: 'UNC 01', idempotencyKey: 'a5-aug' }),
    );
    expect(ok(again.r).recordDisbursement).toEqual(first.recordDisbursement);
    expect(again.event.outcome).toBe('SUCCESS');
    expect(again.event.details.idempotentReplay).toBe(true);
    const other = await disburse('ADMIN', L.A5, '2031-08-01', '20000001', { reference: 'UNC 01', idempotencyKey: 'a5-aug' });
    expect(codeOf(other)).toBe('CONFLICT');
    const stored = await t.db<{ n: string; total: string }>(
      "SELECT count(*)::text n, (SELECT disbursed_amount::text FROM funding_allocation WHERE id = $1) total FROM disbursement WHERE allocation_id = $1 AND reference = 'UNC 01'",
      [L.A5],
    );
    expect(stored[0]).toEqual({ n: '1', total: '120000000' }); // 100,000,000 + 20,000,000, recorded once
    // A key belongs to its caller: the same key from the standing agency would be a new request
    // (here refused only because the record is outside its scope, not as a replay).
    expect(codeOf(await disburse('COORDINATOR', L.A5, '2031-08-01', '20000000', { reference: 'UNC 01', idempotencyKey: 'a5-aug' }))).toBe(
      'NOT_FOUND',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Tam Đường, 2021 (the demo ledger covers 2022–2025): who may write what.
// ---------------------------------------------------------------------------------------------
describe('funding in Tam Đường: lead agencies enter, the coordinator revises', () => {
  const T: Record<string, string> = {};
  let district = '';
  let banbo = '';
  let binhlu = '';

  beforeAll(async () => {
    district = await t.unitId('LAICHAU.TAMDUONG');
    banbo = await t.unitId('TAMDUONG.BANBO');
    binhlu = await t.unitId('TAMDUONG.BINHLU');
  });

  it('lets the agriculture office enter allocations and disbursements for the components it leads', async () => {
    const mk = async (who: Who, code: string, unitId: string, source: string, planned: string, allocated: string) => {
      const { r, event } = await audited('createFundingAllocation', async () =>
        create(who, {
          componentId: await componentIdSync(code),
          unitId,
          year: 2021,
          source,
          plannedAmount: planned,
          allocatedAmount: allocated,
          decisionRef: 'QĐ 123/QĐ-UBND',
        }),
      );
      const a = ok(r).createFundingAllocation;
      expect(event).toMatchObject({ outcome: 'SUCCESS', entity_type: 'FundingAllocation', entity_id: a.id, unit_id: unitId });
      expect(a.revisions).toHaveLength(1);
      return a.id as string;
    };
    T.t1 = await mk('AGENCY_OFFICER', 'DA2', banbo, 'CENTRAL_RECURRENT', '250000000', '200000000');
    T.t2 = await mk('AGENCY_OFFICER', 'DA3.TDA1', binhlu, 'LOCAL_BUDGET', '120000000', '100000000');
    T.t3 = await mk('AGENCY_OFFICER', 'DA3.TDA1', banbo, 'CENTRAL_RECURRENT', '300000000', '300000000');
    T.t4 = await mk({ token: await t.token('td.health') }, 'DA3.TDA2', district, 'CENTRAL_RECURRENT', '80000000', '80000000');

    const d1 = await audited('recordDisbursement', () =>
      disburse('AGENCY_OFFICER', T.t1, '2021-06-15', '24690000', { reference: 'UNC 15/6' }),
    );
    // 24,690,000 / 200,000,000 = 0.12345 exactly → half-up 0.1235 (a float would give 0.1234)
    expect(ok(d1.r).recordDisbursement).toMatchObject({
      date: '2021-06-15',
      amount: '24690000',
      reference: 'UNC 15/6',
      allocation: { id: T.t1, disbursedAmount: '24690000', disbursementRate: '0.1235' },
    });
    expect(d1.event).toMatchObject({
      outcome: 'SUCCESS',
      entity_type: 'Disbursement',
      entity_id: ok(d1.r).recordDisbursement.id,
      unit_id: banbo,
    });
    ok(await disburse('AGENCY_OFFICER', T.t2, '2021-09-01', '60000000'));
    ok(await disburse('AGENCY_OFFICER', T.t2, '2022-03-01', '30000000', { reference: 'Vốn chuyển nguồn' }));
    ok(await disburse('AGENCY_OFFICER', T.t3, '2021-12-01', '100000000'));
    ok(await disburse('AGENCY_OFFICER', T.t3, '2021-12-20', '-10000000', { reference: 'Thu hồi' }));
    ok(await disburse({ token: await t.token('td.health') }, T.t4, '2021-10-10', '20000000'));
  });

  it('refuses writes outside what a role may do: FORBIDDEN when readable, NOT_FOUND when not', async () => {
    const health = { token: await t.token('td.health') };
    const binhluOfficer = { token: await t.token('td.binhlu') };
    // Agriculture does not lead DA4.TDA1 (Phòng LĐ-TB&XH does).
    const notLead = await audited('createFundingAllocation', async () =>
      create('AGENCY_OFFICER', {
        componentId: await componentIdSync('DA4.TDA1'),
        unitId: district,
        year: 2021,
        source: 'MOBILIZED',
        plannedAmount: '1',
        allocatedAmount: '1',
      }),
    );
    expect(codeOf(notLead.r)).toBe('FORBIDDEN');
    expect(notLead.event.outcome).toBe('FORBIDDEN');
    expect(codeOf(await disburse(health, T.t1, '2021-07-01', '1'))).toBe('FORBIDDEN'); // DA2 is agriculture's
    expect(codeOf(await revise(health, T.t2, 1, { allocatedAmount: '100000001' }))).toBe('FORBIDDEN');
    // A commune officer reads its commune's ledger but writes nothing; Bình Lư's is hidden from Bản Bo.
    expect(codeOf(await disburse('COMMUNE_OFFICER', T.t1, '2021-07-01', '1'))).toBe('FORBIDDEN');
    expect(codeOf(await disburse('COMMUNE_OFFICER', T.t2, '2021-07-01', '1'))).toBe('NOT_FOUND');
    expect(codeOf(await revise(binhluOfficer, T.t2, 1, { allocatedAmount: '1' }))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await create('COMMUNE_OFFICER', {
          componentId: await componentIdSync('DA2'),
          unitId: banbo,
          year: 2021,
          source: 'MOBILIZED',
          plannedAmount: '1',
          allocatedAmount: '1',
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(codeOf(await revise('VIEWER', T.t1, 1, { allocatedAmount: '1' }))).toBe('FORBIDDEN');
    expect(codeOf(await disburse('VIEWER', T.t1, '2021-07-01', '1'))).toBe('FORBIDDEN');
    // Duplicate line.
    expect(
      codeOf(
        await create('AGENCY_OFFICER', {
          componentId: await componentIdSync('DA2'),
          unitId: banbo,
          year: 2021,
          source: 'CENTRAL_RECURRENT',
          plannedAmount: '1',
          allocatedAmount: '1',
        }),
      ),
    ).toBe('CONFLICT');
    const n = await t.db<{ n: string }>('SELECT count(*)::text n FROM funding_allocation WHERE year = 2021');
    expect(n[0].n).toBe('4');
  });

  it('lets the coordinator revise; earlier figures stay in order', async () => {
    const cur = ok(await t.as('COORDINATOR', `query($id: ID!) { fundingAllocation(id: $id) { version } }`, { id: T.t1 })).fundingAllocation;
    const { r, event } = await audited('reviseFundingAllocation', () =>
      revise('COORDINATOR', T.t1, cur.version, { allocatedAmount: '180000000', decisionRef: 'QĐ 456/QĐ-UBND', reason: 'Điều chỉnh giảm' }),
    );
    const a = ok(r).reviseFundingAllocation;
    // 24,690,000 / 180,000,000 = 0.137166… → 0.1372
    expect(a).toMatchObject({
      plannedAmount: '250000000',
      allocatedAmount: '180000000',
      disbursedAmount: '24690000',
      disbursementRate: '0.1372',
      version: cur.version + 1,
    });
    expect(a.revisions.map((x: any) => [x.plannedAmount, x.allocatedAmount, x.decisionRef, x.reason])).toEqual([
      ['250000000', '200000000', 'QĐ 123/QĐ-UBND', null],
      ['250000000', '180000000', 'QĐ 456/QĐ-UBND', 'Điều chỉnh giảm'],
    ]);
    expect(event.outcome).toBe('SUCCESS');
    // The agriculture office may revise its own components too, not below what was disbursed (T2: 90,000,000).
    const t2 = ok(
      await t.as('AGENCY_OFFICER', `query($id: ID!) { fundingAllocation(id: $id) { version } }`, { id: T.t2 }),
    ).fundingAllocation;
    const low = await revise('AGENCY_OFFICER', T.t2, t2.version, { allocatedAmount: '89999999' });
    expect(low.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'REVISION_BELOW_DISBURSED' });
  });

  it("matches a hand count of the district's summary by project × source × year", async () => {
    // DA2 CENTRAL_RECURRENT 2021: T1 250,000,000 / 180,000,000 / 24,690,000 → 0.1372
    // DA3 CENTRAL_RECURRENT 2021: T3 (DA3.TDA1, Bản Bo) + T4 (DA3.TDA2, district):
    //    planned 300,000,000 + 80,000,000 = 380,000,000; allocated the same;
    //    disbursed (100,000,000 − 10,000,000) + 20,000,000 = 110,000,000 → 0.28947… → 0.2895
    // DA3 LOCAL_BUDGET 2021: T2 120,000,000 / 100,000,000 / 60,000,000 + 30,000,000 (carry-over) = 90,000,000 → 0.9000
    const r = await t.as('VIEWER', SUMMARY, { f: { underUnit: district, year: { eq: 2021 } }, g: ['PROJECT', 'SOURCE', 'YEAR'] });
    expect(summaryRows(r)).toEqual([
      '2021 CENTRAL_RECURRENT - DA2 - 250000000 180000000 24690000 0.1372',
      '2021 CENTRAL_RECURRENT - DA3 - 380000000 380000000 110000000 0.2895',
      '2021 LOCAL_BUDGET - DA3 - 120000000 100000000 90000000 0.9000',
    ]);
    // As of 2021-12-31 the carry-over of T2 is not counted: 60,000,000 / 100,000,000 = 0.6000
    const cut = await t.as('COORDINATOR', SUMMARY, { f: { year: { eq: 2021 } }, g: ['SOURCE'], u: '2021-12-31' });
    expect(summaryRows(cut)).toEqual([
      '- CENTRAL_RECURRENT - - - 630000000 560000000 134690000 0.2405', // 134,690,000 / 560,000,000 = 0.240517… → 0.2405
      '- LOCAL_BUDGET - - - 120000000 100000000 60000000 0.6000',
    ]);
  });

  it('limits a commune officer to its commune, never rolling up above its scope', async () => {
    const list = ok(
      await t.as('COMMUNE_OFFICER', `{ fundingAllocations(filter: { year: { eq: 2021 } }) { totalCount nodes { unit { code } } } }`),
    );
    expect(list.fundingAllocations.totalCount).toBe(2); // T1 and T3 (Bản Bo)
    expect(list.fundingAllocations.nodes.every((n: any) => n.unit.code === 'TAMDUONG.BANBO')).toBe(true);
    // unitLevel 1 would be the district, above Bản Bo: rows stay at Bản Bo. T1 + T3:
    // 550,000,000 / 480,000,000 / 24,690,000 + 90,000,000 = 114,690,000 → 0.2389375 → 0.2389
    const r = await t.as('COMMUNE_OFFICER', SUMMARY, { f: { year: { eq: 2021 } }, g: ['UNIT'], l: 1 });
    expect(summaryRows(r)).toEqual(['- - TAMDUONG.BANBO - - 550000000 480000000 114690000 0.2389']);
    const ds = ok(await t.as('COMMUNE_OFFICER', `{ disbursements(filter: { date: { lt: "2022-06-01" } }) { totalCount } }`));
    expect(ds.disbursements.totalCount).toBe(3); // T1 one, T3 two; T2 (Bình Lư) and T4 (district) are hidden
  });
});

describe('API keys', () => {
  it("read their unit's ledger and write nothing", async () => {
    const banbo = await t.unitId('TAMDUONG.BANBO');
    const k = ok(
      await t.as('ADMIN', `mutation($u: ID!) { createApiKey(input: { name: "Khóa tỉnh", unitId: $u }) { secret } }`, { u: banbo }),
    );
    const key = { token: k.createApiKey.secret };
    const list = ok(await t.as(key, `{ fundingAllocations(filter: { year: { eq: 2021 } }) { totalCount nodes { id unit { code } } } }`));
    expect(list.fundingAllocations.totalCount).toBe(2); // T1 and T3 of the Tam Đường scenario, both in Bản Bo
    const r = await disburse(key, list.fundingAllocations.nodes[0].id, '2021-07-01', '1');
    expect(codeOf(r)).toBe('FORBIDDEN');
  });
});

describe('statement counts do not grow with the rows', () => {
  it('a page of allocations with component, unit, revisions and disbursements', async () => {
    const q = (limit: number) =>
      t.as(
        'VIEWER',
        `query($l: Int) { fundingAllocations(filter: { year: { eq: 2022 } }, limit: $l) { totalCount nodes { id component { code parent { code } } unit { name } revisions { allocatedAmount } disbursements(limit: 5) { totalCount nodes { amount } } } } }`,
        { l: limit },
      );
    const small = await q(3);
    expect(ok(small).fundingAllocations.nodes).toHaveLength(3);
    const large = await q(80);
    expect(ok(large).fundingAllocations.nodes).toHaveLength(80);
    const a = await t.countStatements(() => q(3));
    const b = await t.countStatements(() => q(80));
    expect(b).toBe(a);
  });

  it('fundingSummary and Unit.fundingAllocations', async () => {
    const district = await t.unitId('LAICHAU.TAMDUONG');
    const s = (f: Record<string, unknown>) => t.as('COORDINATOR', SUMMARY, { f, g: ['UNIT', 'PROJECT', 'SUB_PROJECT', 'YEAR'] });
    const few = summaryRows(await s({ year: { eq: 2022 }, source: { eq: 'LOCAL_BUDGET' }, unitId: { eq: district } }));
    const many = summaryRows(await s({}));
    expect(many.length).toBeGreaterThan(few.length * 10);
    const a = await t.countStatements(() => s({ year: { eq: 2022 }, source: { eq: 'LOCAL_BUDGET' }, unitId: { eq: district } }));
    const b = await t.countStatements(() => s({}));
    expect(b).toBe(a);
    const u = (limit: number) =>
      t.as(
        'VIEWER',
        `query($d: ID!, $l: Int) { units(filter: { parentId: { eq: $d }, kind: { eq: COMMUNE } }, limit: $l) { nodes { fundingAllocations(filter: { year: { eq: 2023 } }) { totalCount nodes { component { code } } } } } }`,
        { d: district, l: limit },
      );
    const all = ok(await u(13)).units.nodes;
    expect(all).toHaveLength(13);
    // Demo ledger: 3 components × 2 sources per commune and year.
    expect(all.every((n: any) => n.fundingAllocations.totalCount === 6)).toBe(true);
    expect(await t.countStatements(() => u(13))).toBe(await t.countStatements(() => u(2)));
  });
});

describe('demo ledger for Tam Đường 2022–2025', () => {
  it('is consistent: running totals equal the disbursements, within the allocations, revisions first-to-last', async () => {
    const [s] = await t.db<any>(`
      SELECT count(*)::int n, count(DISTINCT year)::int years,
        bool_and(a.disbursed_amount = coalesce((SELECT sum(amount) FROM disbursement d WHERE d.allocation_id = a.id), 0)) totals,
        bool_and(a.disbursed_amount BETWEEN 0 AND a.allocated_amount) inside,
        bool_and((SELECT r.allocated_amount FROM funding_revision r WHERE r.allocation_id = a.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1) = a.allocated_amount) revs,
        count(*) FILTER (WHERE (SELECT count(*) FROM funding_revision r WHERE r.allocation_id = a.id) > 1)::int revised
      FROM funding_allocation a JOIN unit u ON u.id = a.unit_id
      WHERE u.path LIKE (SELECT path FROM unit WHERE code = 'LAICHAU.TAMDUONG') || '%' AND a.year BETWEEN 2022 AND 2025`);
    expect(s).toMatchObject({ n: 13 * 3 * 2 * 4 + 4 * 2 * 4, years: 4, totals: true, inside: true, revs: true });
    expect(s.revised).toBeGreaterThan(20);
  });
});

const componentIds = new Map<string, string>();
async function componentIdSync(code: string): Promise<string> {
  if (!componentIds.has(code)) componentIds.set(code, await componentId(code));
  return componentIds.get(code)!;
}
