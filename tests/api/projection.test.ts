import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

/**
 * A nested page reads only the columns its selection needs (graphql/projection.ts); whatever the rule
 * cannot vouch for reads whole rows. Either way the answer is the same.
 */
const t = useTestApp();

const NESTED = (fields: string, fragments = '') =>
  `query { units(filter: { kind: { eq: COMMUNE } }, limit: 20) { nodes { code fundingAllocations(limit: 100) { nodes { ${fields} } } } } } ${fragments}`;

async function run(query: string) {
  const texts: string[] = [];
  const listener = (text: string) => texts.push(text);
  t.onStatement(listener);
  const r = await t.as('COORDINATOR', query);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  const statement = texts.find((x) => x.includes('FROM funding_allocation t') && x.includes('__link')) ?? '';
  texts.length = 0;
  return { data: r.data, statement };
}

const allocations = (data: any) =>
  data.units.nodes.flatMap((u: any) =>
    u.fundingAllocations.nodes.map((a: any) => JSON.stringify(a, (k, v) => (k === 'archived' ? undefined : v))),
  );

describe('nested pages read the columns their selection needs', () => {
  it('reads the selected columns, the links and what a resolver declares, and answers as whole rows do', async () => {
    const fields = 'id year source allocatedAmount disbursementRate component { code } unit { code }';
    const narrow = await run(NESTED(fields));
    expect(narrow.statement).toContain('t."allocated_amount"');
    expect(narrow.statement).toContain('t."disbursed_amount"'); // disbursementRate reads it
    expect(narrow.statement).toContain('t."component_id"');
    expect(narrow.statement).not.toContain('t.*');
    expect(narrow.statement).not.toContain('decision_ref');
    // `archived` is a getter over archived_at: the rule cannot vouch for it, so whole rows are read.
    const whole = await run(NESTED(`${fields} archived`));
    expect(whole.statement).toContain('t.*');
    const rows = allocations(narrow.data);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows).toEqual(allocations(whole.data));
    expect(rows.every((r: string) => !r.includes('null'))).toBe(true);
  });

  it('follows named and inline fragments', async () => {
    const viaFragment = await run(
      NESTED('...A ... on FundingAllocation { plannedAmount }', 'fragment A on FundingAllocation { id allocatedAmount decisionRef }'),
    );
    expect(viaFragment.statement).toContain('t."decision_ref"');
    expect(viaFragment.statement).toContain('t."planned_amount"');
    const direct = await run(NESTED('id allocatedAmount decisionRef plannedAmount'));
    expect(allocations(viaFragment.data)).toEqual(allocations(direct.data));
  });
});

describe('nested pages read their sort keys only for a cursor', () => {
  const PAGE = (args: string, page: string) =>
    `query { units(filter: { kind: { eq: COMMUNE } }, limit: 20, orderBy: [{ field: CODE, direction: ASC }]) { nodes { code fundingAllocations(${args}) { ${page} nodes { id } } } } }`;

  it('leaves them out without endCursor and pages on by the cursor when it is asked for', async () => {
    const plain = await run(PAGE('limit: 3', 'pageInfo { hasNextPage }'));
    expect(plain.statement).not.toMatch(/x\.__s0/);
    const withCursor = await run(PAGE('limit: 3', 'pageInfo { hasNextPage endCursor }'));
    expect(withCursor.statement).toMatch(/x\.__s0/);
    const all = await run(PAGE('limit: 500', ''));
    const nodes = (d: any) => d.units.nodes as { code: string; fundingAllocations: any }[];
    // hasNextPage is the same either way, and right.
    nodes(plain.data).forEach((u, i) => {
      expect(u.fundingAllocations.pageInfo.hasNextPage).toBe(nodes(all.data)[i].fundingAllocations.nodes.length > 3);
      expect(u.fundingAllocations.nodes).toEqual(nodes(withCursor.data)[i].fundingAllocations.nodes);
    });
    const unit = nodes(withCursor.data).findIndex((u) => u.fundingAllocations.pageInfo.hasNextPage);
    expect(unit).toBeGreaterThanOrEqual(0);
    const next = await run(PAGE(`limit: 3, after: "${nodes(withCursor.data)[unit].fundingAllocations.pageInfo.endCursor}"`, ''));
    expect(nodes(next.data)[unit].fundingAllocations.nodes).toEqual(nodes(all.data)[unit].fundingAllocations.nodes.slice(3, 6));
  });
});

describe('a single record reads the records its links name in the same statement', () => {
  it('answers as the loaders would, with one statement per link fewer', async () => {
    const [a] = await t.db<{ id: string; ccode: string; ucode: string; uname: string }>(
      `SELECT a.id::text, c.code AS ccode, u.code AS ucode, u.name AS uname FROM funding_allocation a
       JOIN program_component c ON c.id = a.component_id JOIN unit u ON u.id = a.unit_id ORDER BY a.id LIMIT 1`,
    );
    const q = (fields: string) => t.as('COORDINATOR', `query($id: ID!) { fundingAllocation(id: $id) { ${fields} } }`, { id: a.id });
    const r = await q('id allocatedAmount component { code } unit { code name }');
    expect(r.errors).toBeUndefined();
    expect(r.data.fundingAllocation).toMatchObject({ id: a.id, component: { code: a.ccode }, unit: { code: a.ucode, name: a.uname } });
    const [withLinks, without] = [
      await t.countStatements(() => q('id component { code } unit { code }')),
      await t.countStatements(() => q('id')),
    ];
    expect(withLinks).toBe(without);
    // A link inside a nested field still resolves (loaded as before).
    const nested = await q('id unit { code parent { code } }');
    expect(nested.errors).toBeUndefined();
    expect(nested.data.fundingAllocation.unit.parent.code).toBe('LAICHAU');
  });
});
