import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { callerCacheFor } from '../../packages/server/src/auth/caller-cache';
import { useTestApp } from '../support/app';
import { sql } from '../../packages/server/src/db/sql';

/**
 * Lookups by primary key go to PostgreSQL as named prepared statements (db/sql.ts, `prepared`), planned once
 * per connection; everything else stays unnamed, planned on every call with its own parameters.
 */
const t = useTestApp();

const ALLOCATION = `query($id: ID!) { fundingAllocation(id: $id) { id year plannedAmount component { code } unit { code } } }`;

describe('prepared statements', () => {
  it('a lookup by id is sent named, planned once and reused, with the same answer as before', async () => {
    const em = t.orm.em.fork() as EntityManager;
    const ids = (await t.db<{ id: string }>('SELECT id::text FROM unit ORDER BY id LIMIT 3')).map((r) => r.id);
    const text = 'SELECT id::text, code FROM unit WHERE id = ANY(?) ORDER BY id';
    const seen = await em.transactional(async (tx) => {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await sql<{ id: string }>(tx as EntityManager, text, [ids], { prepared: true }));
      const unnamed = await sql(tx as EntityManager, 'SELECT id::text FROM unit WHERE id = ANY(?) AND TRUE', [ids]);
      // Prepared statements belong to the connection: read them on the one the statements went to.
      const prepared = await sql<{ name: string; statement: string; runs: number; from_sql: boolean }>(
        tx as EntityManager,
        `SELECT name, statement, (generic_plans + custom_plans)::int AS runs, from_sql FROM pg_prepared_statements WHERE statement LIKE '%FROM unit WHERE id = ANY%'`,
      );
      return { runs, unnamed, prepared };
    });
    for (const rows of seen.runs) expect(rows.map((r) => r.id)).toEqual(ids);
    expect(seen.unnamed).toHaveLength(3);
    expect(seen.prepared).toHaveLength(1); // the unnamed one is not kept
    expect(seen.prepared[0]).toMatchObject({
      statement: 'SELECT id::text, code FROM unit WHERE id = ANY($1) ORDER BY id',
      runs: 3,
      from_sql: false,
    });
    expect(seen.prepared[0].name).toMatch(/^ntp_[0-9a-f]{24}$/);
  });

  it('the session lookup, a record asked for by id and the records its links name are read by named statements; lists are not', async () => {
    const [allocation] = await t.db<{ id: string }>('SELECT id::text FROM funding_allocation ORDER BY id LIMIT 1');
    const sent: { text: string; name?: string }[] = [];
    t.onStatement((text, name) => sent.push({ text, name }));
    const first = await t.as('COORDINATOR', ALLOCATION, { id: allocation.id });
    const again = await t.as('COORDINATOR', ALLOCATION, { id: allocation.id });
    expect(first.errors).toBeUndefined();
    expect(again).toEqual(first);
    expect(first.data.fundingAllocation).toMatchObject({
      id: allocation.id,
      component: { code: expect.any(String) },
      unit: { code: expect.any(String) },
    });
    const lookups = sent.filter((s) => s.text.includes('FROM funding_allocation t') && s.text.includes('WHERE t.id = $1'));
    expect(lookups).toHaveLength(2);
    // The same text, under the same name, both times.
    expect(lookups[0].name).toMatch(/^ntp_[0-9a-f]{24}$/);
    expect(lookups[1].name).toBe(lookups[0].name);
    // So is the session lookup, sent when the session is not in the caller cache (the first time after signing in).
    const sessionLookups = sent.filter((s) => s.text.includes('FROM user_session s'));
    expect(sessionLookups.length).toBeLessThanOrEqual(1);
    for (const s of sessionLookups) expect(s.name).toMatch(/^ntp_[0-9a-f]{24}$/);
    await callerCacheFor(t.dbUrl)!.sync();
    callerCacheFor(t.dbUrl)!.invalidate();
    sent.length = 0;
    await t.as('COORDINATOR', ALLOCATION, { id: allocation.id });
    const afterEmptying = sent.filter((s) => s.text.includes('FROM user_session s'));
    expect(afterEmptying).toHaveLength(1);
    expect(afterEmptying[0].name).toMatch(/^ntp_[0-9a-f]{24}$/);
    // A page of a list is planned with its own filters and limit: unnamed.
    sent.length = 0;
    const page = await t.as('COORDINATOR', `query { fundingAllocations(limit: 5) { nodes { id } } }`);
    expect(page.errors).toBeUndefined();
    const listStatements = sent.filter((s) => s.text.includes('FROM funding_allocation t'));
    expect(listStatements.length).toBeGreaterThan(0);
    for (const s of listStatements) expect(s.name).toBeUndefined();
  });

  it('a by-id statement, built once per field of a document, joins what that selection asks for and keeps each caller in scope', async () => {
    const officerPage = await t.as('COMMUNE_OFFICER', 'query { fundingAllocations(limit: 500) { nodes { id } } }');
    const inScope = new Set<string>(officerPage.data.fundingAllocations.nodes.map((n: { id: string }) => n.id));
    const all = await t.db<{ id: string; unit: string; component: string }>(
      `SELECT a.id::text, u.code AS unit, c.code AS component FROM funding_allocation a
       JOIN unit u ON u.id = a.unit_id JOIN program_component c ON c.id = a.component_id ORDER BY a.id`,
    );
    const inside = all.find((a) => inScope.has(a.id))!;
    const outside = all.find((a) => !inScope.has(a.id))!;
    expect(inside && outside).toBeTruthy();
    // The record's own columns follow its selection too (as a page's do): a computed field brings the columns its
    // list declares it reads, a link its key; a field the rule cannot vouch for (`archived`) reads every column.
    const ALL_COLUMNS = 15;
    const documents: Record<string, { query: string; joins: string[]; columns: string[] | number }> = {
      both: {
        query: ALLOCATION,
        joins: ['program_component', 'unit'],
        columns: ['id', 'year', 'planned_amount', 'component_id', 'unit_id'],
      },
      unitOnly: {
        query: 'query($id: ID!) { fundingAllocation(id: $id) { id unit { code } } }',
        joins: ['unit'],
        columns: ['id', 'unit_id'],
      },
      none: { query: 'query($id: ID!) { fundingAllocation(id: $id) { id year } }', joins: [], columns: ['id', 'year'] },
      computed: {
        query: 'query($id: ID!) { fundingAllocation(id: $id) { id disbursementRate } }',
        joins: [],
        columns: ['id', 'disbursed_amount', 'allocated_amount'],
      },
      unknown: { query: 'query($id: ID!) { fundingAllocation(id: $id) { id archived } }', joins: [], columns: ALL_COLUMNS },
    };
    const sent: string[] = [];
    t.onStatement((text) => sent.push(text));
    for (const { query, joins, columns } of Object.values(documents)) {
      // Twice over, so the second round runs on statements built by the first.
      for (let round = 0; round < 2; round++) {
        for (const role of ['ADMIN', 'COMMUNE_OFFICER'] as const) {
          for (const a of [inside, outside]) {
            sent.length = 0;
            const r = await t.as(role, query, { id: a.id });
            expect(r.errors).toBeUndefined();
            const got = r.data.fundingAllocation;
            if (role === 'COMMUNE_OFFICER' && a === outside) expect(got).toBeNull();
            else {
              expect(got.id).toBe(a.id);
              if (joins.includes('unit')) expect(got.unit).toEqual({ code: a.unit });
              if (joins.includes('program_component')) expect(got.component).toEqual({ code: a.component });
            }
            const lookup = sent.filter((text) => text.includes('FROM funding_allocation t'));
            expect(lookup).toHaveLength(1);
            expect([...lookup[0].matchAll(/LEFT JOIN (\w+)/g)].map((m) => m[1])).toEqual(joins);
            const own = [...lookup[0].matchAll(/\bt\."(\w+)"(?=[,\s])/g)].map((m) => m[1]).filter((c, i, all) => all.indexOf(c) === i);
            if (typeof columns === 'number') expect(own).toHaveLength(columns);
            else expect(own).toEqual(columns);
          }
        }
      }
    }
  });

  it('a summary without parameters is named (one plan either way); with a filter it is planned for its values', async () => {
    const sent: { text: string; name?: string }[] = [];
    t.onStatement((text, name) => sent.push({ text, name }));
    const NATIONAL = 'query { fundingSummary(groupBy: [UNIT, YEAR], unitLevel: 0) { unit { code } year allocatedAmount } }';
    const first = await t.as('ADMIN', NATIONAL);
    const again = await t.as('ADMIN', NATIONAL);
    expect(first.errors).toBeUndefined();
    expect(first.data.fundingSummary.length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    const summaries = sent.filter((s) => s.text.includes('AS planned'));
    expect(summaries).toHaveLength(2);
    expect(summaries[0].name).toMatch(/^ntp_[0-9a-f]{24}$/);
    expect(summaries[1].name).toBe(summaries[0].name);
    sent.length = 0;
    const filtered = await t.as(
      'ADMIN',
      'query { fundingSummary(groupBy: [YEAR], filter: { year: { eq: 2024 } }) { year allocatedAmount } }',
    );
    expect(filtered.errors).toBeUndefined();
    const withValues = sent.filter((s) => s.text.includes('AS planned'));
    expect(withValues).toHaveLength(1);
    expect(withValues[0].name).toBeUndefined();
  });

  it('keep working after a migration adds a column to a table they read (their columns are listed, not `*`)', async () => {
    const [allocation] = await t.db<{ id: string }>('SELECT id::text FROM funding_allocation ORDER BY id DESC LIMIT 1');
    const ask = () => t.as('COORDINATOR', ALLOCATION, { id: allocation.id });
    // Prepared on every pooled connection the requests happen to use.
    const before = await Promise.all(Array.from({ length: 12 }, ask));
    for (const r of before) expect(r.errors).toBeUndefined();
    await t.db('ALTER TABLE funding_allocation ADD COLUMN added_by_a_later_migration int');
    await t.db('ALTER TABLE unit ADD COLUMN added_by_a_later_migration int');
    try {
      const after = await Promise.all(Array.from({ length: 12 }, ask));
      for (const r of after) expect(r).toEqual(before[0]);
    } finally {
      await t.db('ALTER TABLE funding_allocation DROP COLUMN added_by_a_later_migration');
      await t.db('ALTER TABLE unit DROP COLUMN added_by_a_later_migration');
    }
  });
});
