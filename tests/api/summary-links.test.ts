import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

/**
 * A summary row names its unit, project or indicator by id; when the query asks nothing of it but its id,
 * the answer comes from the id the summary's own scoped SQL found, without a statement to load the rows.
 */
const t = useTestApp();

const FUNDING = (unit: string) =>
  `{ fundingSummary(groupBy: [UNIT, PROJECT], unitLevel: 2) { unit ${unit} project ${unit} allocatedAmount } }`;
const PROGRESS = (sel: string) => `{ indicatorProgress(groupBy: [INDICATOR, UNIT], unitLevel: 2) { indicator ${sel} unit ${sel} actual } }`;

describe('summary links asked for their id only', () => {
  it('answer the same ids without loading the records, and load them as soon as another field is asked', async () => {
    for (const [query, field] of [
      [FUNDING, 'fundingSummary'],
      [PROGRESS, 'indicatorProgress'],
    ] as const) {
      const idOnly = await t.as('COORDINATOR', query('{ id }'));
      const full = await t.as('COORDINATOR', query('{ id code }'));
      expect(idOnly.errors).toBeUndefined();
      expect(full.errors).toBeUndefined();
      const rows = idOnly.data[field] as Record<string, { id: string } | null>[];
      expect(rows.length).toBeGreaterThan(3);
      const ids = (r: Record<string, unknown>[]) => r.map((x) => JSON.stringify(x, (k, v) => (k === 'code' ? undefined : v)));
      expect(ids(rows)).toEqual(ids(full.data[field]));
      expect(
        (full.data[field] as { unit: { code: string } | null }[]).every((r) => r.unit === null || typeof r.unit.code === 'string'),
      ).toBe(true);
      // Two link tables loaded for `{ id code }`, none for `{ id }`.
      const [a, b] = [
        await t.countStatements(() => t.as('COORDINATOR', query('{ id }'))),
        await t.countStatements(() => t.as('COORDINATOR', query('{ id code }'))),
      ];
      expect(b - a).toBe(2);
    }
  });

  it('a fragment or __typename beside the id still answers', async () => {
    const r = await t.as('COORDINATOR', `{ reportingCompleteness(groupBy: [UNIT], unitLevel: 1) { unit { __typename id } expected } }`);
    expect(r.errors).toBeUndefined();
    for (const row of r.data.reportingCompleteness) expect(row.unit).toMatchObject({ __typename: 'Unit', id: expect.any(String) });
    const f = await t.as(
      'COORDINATOR',
      `{ fundingSummary(groupBy: [UNIT], unitLevel: 1) { unit { ... on Unit { id code } } allocatedAmount } }`,
    );
    expect(f.errors).toBeUndefined();
    expect(f.data.fundingSummary[0].unit.code).toBe('LAICHAU.TAMDUONG');
  });
});
