import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

/**
 * 50 writers × 20 versioned updates on 10 rows, over real HTTP with real concurrency. Optimistic
 * locking must lose nothing: every success bumps the version by exactly one, every loser is told
 * CONFLICT, nothing answers 5xx.
 */
const t = useTestApp({ requestsPerMinute: 1_000_000 });

const WRITERS = 50;
const UPDATES = 20;
const ROWS = 10;

let server: Server;
let url = '';
beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = createServer(t.app.handler).listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function gql(token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] } };
}

describe('concurrent versioned updates', () => {
  it(`${WRITERS} writers × ${UPDATES} updates on ${ROWS} units: no lost update, every loser CONFLICT, no 5xx`, async () => {
    const token = await t.tokenOf('ADMIN');
    const parentId = await t.unitId('LAICHAU');
    const ids: string[] = [];
    for (let r = 0; r < ROWS; r++) {
      const c = await gql(token, 'mutation($i: CreateUnitInput!) { createUnit(input: $i) { id version } }', {
        i: { code: `CONC.${r}`, name: `Đơn vị thử ${r}`, kind: 'AGENCY', parentId },
      });
      expect(c.body.errors).toBeUndefined();
      expect(c.body.data.createUnit.version).toBe(1);
      ids.push(c.body.data.createUnit.id);
    }

    // Per row: the versions successful updates returned, and the name each one wrote.
    const won = ids.map(() => new Map<number, string>());
    const outcomes = { success: 0, conflict: 0, other: [] as unknown[] };

    const writer = async (w: number) => {
      for (let k = 0; k < UPDATES; k++) {
        const row = (w + k) % ROWS;
        const read = await gql(token, 'query($id: ID!) { unit(id: $id) { version } }', { id: ids[row] });
        expect(read.status).toBeLessThan(500);
        const name = `Ghi ${w}-${k}`;
        const u = await gql(
          token,
          'mutation($id: ID!, $v: Int!, $n: String!) { updateUnit(id: $id, version: $v, input: { name: $n }) { version name } }',
          {
            id: ids[row],
            v: read.body.data.unit.version,
            n: name,
          },
        );
        if (u.status >= 500) outcomes.other.push({ status: u.status, body: u.body });
        if (u.body.data?.updateUnit) {
          outcomes.success++;
          const v = u.body.data.updateUnit.version;
          // Two winners with the same version would be a lost update.
          expect(won[row].has(v)).toBe(false);
          won[row].set(v, name);
        } else if (u.body.errors?.[0]?.extensions.code === 'CONFLICT') {
          outcomes.conflict++;
        } else {
          outcomes.other.push({ status: u.status, body: u.body });
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

    expect(outcomes.other).toEqual([]);
    expect(outcomes.success + outcomes.conflict).toBe(WRITERS * UPDATES);
    // Real contention happened: some writers lost.
    expect(outcomes.conflict).toBeGreaterThan(0);

    const rows = await t.db<{ id: string; version: number; name: string }>(
      'SELECT id::text, version, name FROM unit WHERE id = ANY($1::bigint[]) ORDER BY id',
      [ids],
    );
    for (const [i, id] of ids.entries()) {
      const row = rows.find((r) => r.id === id)!;
      const versions = [...won[i].keys()].sort((a, b) => a - b);
      // Final version = 1 + successes, and the successes returned exactly 2, 3, …, final.
      expect(row.version).toBe(1 + won[i].size);
      expect(versions).toEqual(Array.from({ length: won[i].size }, (_, n) => n + 2));
      // The stored name is the one the last winner wrote.
      expect(row.name).toBe(won[i].get(row.version) ?? `Đơn vị thử ${i}`);
    }

    // Every attempt is audited: successes as SUCCESS, losers as CONFLICT (after their rollback).
    const audit = await t.db<{ outcome: string; n: number }>(
      "SELECT outcome, count(*)::int AS n FROM audit_event WHERE operation = 'updateUnit' AND entity_id = ANY($1::text[]) GROUP BY outcome ORDER BY outcome",
      [ids],
    );
    expect(audit).toEqual([
      { outcome: 'CONFLICT', n: outcomes.conflict },
      { outcome: 'SUCCESS', n: outcomes.success },
    ]);
  }, 240_000);
});
