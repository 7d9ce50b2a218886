import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type GqlResult } from '../support/app';

const t = useTestApp();

const CREATE = `mutation($i: CreateFundingAllocationInput!) { createFundingAllocation(input: $i) { id } }`;
const DISBURSE = `mutation($i: RecordDisbursementInput!) { recordDisbursement(input: $i) { id amount } }`;

let token = '';
let district = '';
let component = '';

/** A fresh allocation in Tam Đường (DA7.TDA2 at the district, 2021: outside the demo ledger). */
async function allocation(source: string, allocated: string): Promise<string> {
  const r = await t.gql(
    CREATE,
    { i: { componentId: component, unitId: district, year: 2021, source, plannedAmount: allocated, allocatedAmount: allocated } },
    { token },
  );
  expect(r.errors).toBeUndefined();
  return r.data.createFundingAllocation.id;
}

const stored = async (id: string) =>
  (
    await t.db<{ total: string; n: string; sum: string }>(
      'SELECT disbursed_amount::text total, (SELECT count(*) FROM disbursement WHERE allocation_id = $1)::text n, (SELECT coalesce(sum(amount), 0) FROM disbursement WHERE allocation_id = $1)::text sum FROM funding_allocation WHERE id = $1',
      [id],
    )
  )[0];

beforeAll(async () => {
  token = await t.token('td.coordinator');
  district = await t.unitId('LAICHAU.TAMDUONG');
  component = (await t.db<{ id: string }>("SELECT id::text FROM program_component WHERE code = 'DA7.TDA2'"))[0].id;
});

describe('concurrent disbursements', () => {
  it('50 simultaneous disbursements of 30,000 into 1,000,000: exactly the 33 that fit succeed', async () => {
    const id = await allocation('MOBILIZED', '1000000');
    const auditBefore = await t.db<{ n: string }>("SELECT count(*)::text n FROM audit_event WHERE operation = 'recordDisbursement'");
    const results: GqlResult[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.gql(DISBURSE, { i: { allocationId: id, date: '2021-07-01', amount: '30000', reference: `Đợt ${i + 1}` } }, { token }),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    // 33 × 30,000 = 990,000 ≤ 1,000,000 < 34 × 30,000 = 1,020,000
    expect(ok).toHaveLength(33);
    expect(refused).toHaveLength(17);
    expect(
      refused.every(
        (r) => r.errors![0].extensions.code === 'RULE_VIOLATION' && r.errors![0].extensions.rule === 'DISBURSEMENT_EXCEEDS_ALLOCATION',
      ),
    ).toBe(true);
    expect(await stored(id)).toEqual({ total: '990000', n: '33', sum: '990000' });
    // One audit event per request, done or refused.
    const auditAfter = await t.db<{ n: string; ok: string }>(
      "SELECT count(*)::text n, count(*) FILTER (WHERE outcome = 'SUCCESS')::text ok FROM audit_event WHERE operation = 'recordDisbursement'",
    );
    expect(Number(auditAfter[0].n) - Number(auditBefore[0].n)).toBe(50);
  });

  it('50 simultaneous disbursements and corrections of different sizes: the stored total is the sum of those that succeeded', async () => {
    const id = await allocation('INTEGRATED', '1000000');
    // Amounts 10,000 … 59,000 (sum 1,725,000 > 1,000,000), every fifth a correction of −15,000 instead.
    const amounts = Array.from({ length: 50 }, (_, i) => (i % 5 === 4 ? -15000 : 10000 + i * 1000));
    const results = await Promise.all(
      amounts.map((a) => t.gql(DISBURSE, { i: { allocationId: id, date: '2021-08-01', amount: String(a) } }, { token })),
    );
    const okAmounts = amounts.filter((_, i) => !results[i].errors);
    const refused = results.filter((r) => r.errors);
    const sum = okAmounts.reduce((s, a) => s + a, 0);
    const row = await stored(id);
    expect(row.total).toBe(String(sum));
    expect(row.sum).toBe(String(sum));
    expect(Number(row.n)).toBe(okAmounts.length);
    expect(sum).toBeLessThanOrEqual(1000000);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.errors![0].extensions.code === 'RULE_VIOLATION')).toBe(true);
  });

  it('100 concurrent replays of one idempotency key record one disbursement and all answer it', async () => {
    const id = await allocation('POLICY_CREDIT', '5000000');
    const input = { allocationId: id, date: '2021-09-09', amount: '1234567', reference: 'UNC 0909', idempotencyKey: 'replay-0909' };
    const results = await Promise.all(Array.from({ length: 100 }, () => t.gql(DISBURSE, { i: input }, { token })));
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions.code)).toEqual([]);
    const ids = new Set(results.map((r) => r.data.recordDisbursement.id));
    expect(ids.size).toBe(1);
    expect(await stored(id)).toEqual({ total: '1234567', n: '1', sum: '1234567' });
    const keys = await t.db<{ n: string }>("SELECT count(*)::text n FROM disbursement_idempotency WHERE key = 'replay-0909'");
    expect(keys[0].n).toBe('1');
    // The same key from another caller is that caller's own request.
    const other = await t.as('ADMIN', DISBURSE, { i: input });
    expect(other.errors).toBeUndefined();
    expect(other.data.recordDisbursement.id).not.toBe([...ids][0]);
    expect(await stored(id)).toEqual({ total: '2469134', n: '2', sum: '2469134' });
  });

  it('concurrent replays with a different payload under the same key are CONFLICTs', async () => {
    const id = await allocation('CENTRAL_INVESTMENT', '5000000');
    const base = { allocationId: id, date: '2021-10-10', reference: 'UNC 1010', idempotencyKey: 'replay-1010' };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql(DISBURSE, { i: { ...base, amount: String(100000 + (i % 2)) } }, { token })),
    );
    const ok = results.filter((r) => !r.errors);
    // Whichever payload came first wins; every request with the same payload answers it, the others conflict.
    const winner = ok[0].data.recordDisbursement.amount;
    expect(ok.every((r) => r.data.recordDisbursement.amount === winner)).toBe(true);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.errors).every((r) => r.errors![0].extensions.code === 'CONFLICT')).toBe(true);
    expect(await stored(id)).toEqual({ total: winner, n: '1', sum: winner });
  });
});
