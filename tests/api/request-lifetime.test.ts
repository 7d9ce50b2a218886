import { createServer, Agent, request, type Server } from 'node:http';
import { setFlagsFromString, getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app';

/**
 * A request's objects must die young: once answered, nothing of it may stay reachable from the old generation.
 * Four things did keep it so: an object literal with a getter closing over the request (V8 keeps a literal's
 * accessor pair in old space), in our context and in Apollo's gateway request context (patched:
 * patches/@apollo__server@5.5.1.patch); pg's promise form of `query()`; and `res.end` replaced on every response.
 * Every young collection then copied each recent request's objects and promoted them, until the next full
 * collection: a tenth of the server's time under load, and the p99 of a lookup by id (packages/bench/results/
 * ANALYSIS.md, item 31).
 *
 * Measured as V8 sees it: the old generation's growth over a few hundred requests, after two young collections
 * (which promote whatever survives them) and no full one (which would collect the promoted garbage and hide it).
 * Measured here: `{ __typename }` leaves about 1.5 kB per request, a lookup by id about 4 kB (no request objects
 * among it any more). With Apollo unpatched, 12 and 17.5 kB; with our getter back, `{ __typename }` 13 kB; with
 * pg's promise form of `query()` back (db/request-transaction.ts `send`), a lookup by id 8.3 kB.
 */
const t = useTestApp();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

let server: Server;
let url: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  server = createServer(t.app.handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});

afterAll(async () => {
  agent.destroy();
  await new Promise((ok) => server.close(ok));
});

/** One request over a kept-alive connection, its answer read to the end. */
function post(body: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes each request left in the old generation, median of three rounds of `count` after a warm-up. */
async function leftBehindPerRequest(send: () => Promise<unknown>, count = 300): Promise<number> {
  for (let i = 0; i < 100; i++) await send();
  const rounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    gc();
    const before = oldSpace();
    for (let i = 0; i < count; i++) await send();
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    rounds.push((oldSpace() - before) / count);
  }
  return rounds.sort((a, b) => a - b)[1];
}

describe('request lifetime', () => {
  it('a `{ __typename }` request leaves nothing of itself in the old generation', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    expect(await post(body)).toBe('{"data":{"__typename":"Query"}}\n');
    expect(await leftBehindPerRequest(() => post(body))).toBeLessThan(4_000);
  });

  it('nor does a lookup by id with a signed-in caller (compiled query, one statement)', async () => {
    const token = await t.tokenOf('ADMIN');
    const [{ id }] = await t.db<{ id: string }>('SELECT id::text FROM funding_allocation ORDER BY id LIMIT 1');
    const body = JSON.stringify({
      query: 'query($id: ID!) { fundingAllocation(id: $id) { id year plannedAmount component { code } unit { code } } }',
      variables: { id },
    });
    expect(JSON.parse(await post(body, token)).data.fundingAllocation.id).toBe(id);
    expect(await leftBehindPerRequest(() => post(body, token))).toBeLessThan(6_000);
  });
});
