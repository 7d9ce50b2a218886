import { describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { codeOf, useTestApp } from '../support/app';
import { CallerCache, callerCacheFor, LISTENER_NAME } from '../../packages/server/src/auth/caller-cache';
import { Role } from '../../packages/server/src/auth/roles';
import { beginDeferred, openRequestConnection, sql } from '../../packages/server/src/db/sql';
import { endScopedTransaction } from '../../packages/server/src/db/rls';

/**
 * The caller cache (auth/caller-cache.ts): a known session or API key costs a request no statement, and every
 * change to who a caller is (sign-out, revocation, a disabled user, a moved unit, a revoked key) is honoured by
 * the next request, whether this server made it or anyone else did.
 */
const t = useTestApp();

const ME = '{ me { username role } }';
const sessionLookups = () => {
  let n = 0;
  t.onStatement((text) => {
    if (/FROM user_session s JOIN app_user u/.test(text)) n++;
  });
  return () => n;
};

describe('caller cache over HTTP', () => {
  it('looks a session up once; later requests with the same token send no lookup', async () => {
    const token = await t.token('td.viewer');
    const lookups = sessionLookups();
    expect((await t.as({ token }, ME)).data.me.username).toBe('td.viewer');
    const afterFirst = lookups();
    expect(afterFirst).toBeLessThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect((await t.as({ token }, ME)).data.me.username).toBe('td.viewer');
    expect(lookups()).toBe(afterFirst);
    // A health probe with a token touches no table at all once the caller is known.
    expect(await t.countRoundTrips(() => t.gql('{ __typename }', {}, { token }))).toBe(0);
  });

  it('a sign-out through this server is refused on the very next request', async () => {
    const token = await t.token('td.health');
    expect((await t.as({ token }, ME)).data.me.username).toBe('td.health');
    expect((await t.as({ token }, ME)).data.me.username).toBe('td.health'); // from the cache
    expect((await t.gql('mutation { logout }', {}, { token })).data).toEqual({ logout: true });
    expect(codeOf(await t.as({ token }, ME))).toBe('UNAUTHENTICATED');
  });

  it('changes made behind the server (another server, psql) are honoured once PostgreSQL has notified it', async () => {
    const token = await t.token('td.coordinator');
    const who = async () => (await t.as({ token }, ME)).data?.me?.role;
    expect(await who()).toBe('COORDINATOR');
    expect(await who()).toBe('COORDINATOR'); // cached
    // t.db waits for the notification to be delivered (tests/support/app.ts), not for any expiry.
    await t.db("UPDATE app_user SET role = 'VIEWER' WHERE username = 'td.coordinator'");
    expect(await who()).toBe(Role.VIEWER);
    await t.db("UPDATE app_user SET role = 'COORDINATOR' WHERE username = 'td.coordinator'");
    expect(await who()).toBe('COORDINATOR');
    await t.db("UPDATE user_session SET revoked_at = now() WHERE user_id = (SELECT id FROM app_user WHERE username = 'td.coordinator')");
    expect(codeOf(await t.as({ token }, ME))).toBe('UNAUTHENTICATED');
  });

  it('a unit moved in the tree moves the scope of the callers under it', async () => {
    const token = await t.token('td.banbo');
    const [unit] = await t.db<{ id: string; path: string }>(
      "SELECT u.id::text, u.path FROM unit u JOIN app_user a ON a.unit_id = u.id WHERE a.username = 'td.banbo'",
    );
    // The commune's own allocations: in scope while the scope is the commune's current path.
    const own = async () => (await t.as({ token }, '{ fundingAllocations(limit: 1) { totalCount } }')).data.fundingAllocations.totalCount;
    const before = await own();
    expect(before).toBeGreaterThan(0);
    // Moved behind the server: a caller kept with the old path as its scope would see none of them now.
    await t.db("UPDATE unit SET path = '/999999/' || id || '/' WHERE id = $1", [unit.id]);
    expect(await own()).toBe(before);
    await t.db('UPDATE unit SET path = $1 WHERE id = $2', [unit.path, unit.id]);
    expect(await own()).toBe(before);
  });

  it('a revoked API key is refused at once; one archived behind the server once notified', async () => {
    const unitId = await t.unitId('LAICHAU');
    const create = async (name: string) =>
      (
        await t.as('ADMIN', 'mutation($u: ID!, $n: String!) { createApiKey(input: { name: $n, unitId: $u }) { apiKey { id } secret } }', {
          u: unitId,
          n: name,
        })
      ).data.createApiKey;
    const k1 = await create('Khóa cache 1');
    const k2 = await create('Khóa cache 2');
    for (const k of [k1, k2]) {
      expect((await t.as({ token: k.secret }, ME)).data.me.role).toBe('VIEWER');
      expect((await t.as({ token: k.secret }, ME)).data.me.role).toBe('VIEWER');
    }
    const revoked = await t.as('ADMIN', 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: k1.apiKey.id });
    expect(revoked.errors).toBeUndefined();
    expect(codeOf(await t.as({ token: k1.secret }, ME))).toBe('UNAUTHENTICATED');
    expect((await t.as({ token: k2.secret }, ME)).data.me.role).toBe('VIEWER'); // looked up again, cached again
    await t.db('UPDATE api_key SET archived_at = now() WHERE id = $1', [k2.apiKey.id]);
    expect(codeOf(await t.as({ token: k2.secret }, ME))).toBe('UNAUTHENTICATED');
  });

  it('while the listener is disconnected nothing is answered from the cache; it comes back by itself', async () => {
    const token = await t.token('td.agriculture');
    const cache = callerCacheFor(t.dbUrl)!;
    expect((await t.as({ token }, ME)).data.me.username).toBe('td.agriculture');
    expect(cache.active).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // The listening backend is killed (a restart, a network cut): the cache stops answering at once.
      const [killed] = await t.db<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_NAME],
      );
      expect(killed.n).toBe(1);
      await vi.waitFor(() => expect(cache.active).toBe(false), { timeout: 5_000 });
      const lookups = sessionLookups();
      expect((await t.as({ token }, ME)).data.me.username).toBe('td.agriculture');
      expect((await t.as({ token }, ME)).data.me.username).toBe('td.agriculture');
      expect(lookups()).toBe(2);
      await vi.waitFor(() => expect(cache.active).toBe(true), { timeout: 10_000, interval: 100 });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/listener lost/), expect.anything());
    } finally {
      warn.mockRestore();
    }
    const lookups = sessionLookups();
    await t.as({ token }, ME);
    await t.as({ token }, ME);
    expect(lookups()).toBe(1);
  });
});

describe('CallerCache', () => {
  const caller = {
    caller: {
      kind: 'user' as const,
      userId: '1',
      username: 'x',
      role: Role.VIEWER,
      homeUnitId: '1',
      homeUnitKind: 'COMMUNE',
      scopeRootId: '1',
      scopePath: '/1/',
    },
  };

  it('a lookup under way while the cache was emptied does not store its answer', async () => {
    const cache = new CallerCache(t.dbUrl);
    await cache.start();
    try {
      const epoch = cache.snapshot();
      cache.invalidate(); // e.g. a sign-out committed while the lookup ran
      cache.put('session:a', caller, epoch);
      expect(cache.get('session:a')).toBeUndefined();
      cache.put('session:a', caller, cache.snapshot());
      expect(cache.get('session:a')).toBe(caller);
    } finally {
      await cache.stop();
    }
  });

  it('keeps an entry at most its lifetime, and never past the session expiry; nothing before it listens', async () => {
    const cache = new CallerCache(t.dbUrl, 200);
    cache.put('session:early', caller, cache.snapshot());
    await cache.start();
    try {
      expect(cache.get('session:early')).toBeUndefined();
      cache.put('session:long', caller, cache.snapshot());
      cache.put('session:expiring', caller, cache.snapshot(), Date.now() + 50);
      cache.put('session:refused', { refusal: { vi: 'x', en: 'x' } }, cache.snapshot());
      expect(cache.get('session:long')).toBe(caller);
      expect(cache.get('session:refused')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 80));
      expect(cache.get('session:expiring')).toBeUndefined();
      expect(cache.get('session:long')).toBe(caller);
      await new Promise((r) => setTimeout(r, 150));
      expect(cache.get('session:long')).toBeUndefined();
    } finally {
      await cache.stop();
    }
    expect(cache.active).toBe(false);
  });

  it('a request whose committed transaction changed who a caller is empties it; one that wrote something else, or only read, does not', async () => {
    // A recorder in the cache's place: the real one is also emptied by the notifications these commits send.
    const invalidate = vi.fn();
    const cache = { invalidate };
    /** Runs `statements` in a request transaction of their own and commits it. */
    const committed = async (...statements: string[]) => {
      const em = t.orm.em.fork() as EntityManager;
      const trx = await beginDeferred(em);
      trx.callerCache = cache;
      for (const text of statements) await sql(em, text);
      await endScopedTransaction(em, true);
    };
    try {
      await committed("INSERT INTO app_setting (key, value) VALUES ('cc_test', 'x')");
      const read = t.orm.em.fork() as EntityManager;
      const readTrx = await openRequestConnection(read);
      readTrx.callerCache = cache;
      readTrx.runAs('');
      await sql(read, 'SELECT 1');
      await endScopedTransaction(read, true);
      // A change made and then undone by its savepoint (a refused mutation) changed no one.
      await committed('SAVEPOINT s', 'UPDATE app_user SET role = role WHERE false', 'ROLLBACK TO SAVEPOINT s');
      expect(invalidate).not.toHaveBeenCalled();
      // The triggers fire per statement naming a watched column, whatever it touched: here, nothing.
      await committed('UPDATE user_session SET revoked_at = revoked_at WHERE false');
      expect(invalidate).toHaveBeenCalledTimes(1);
      // And the mark ends with its transaction: the next commit of something else empties nothing.
      await committed("UPDATE app_setting SET value = 'y' WHERE key = 'cc_test'");
      expect(invalidate).toHaveBeenCalledTimes(1);
    } finally {
      await t.db("DELETE FROM app_setting WHERE key = 'cc_test'");
    }
  });
});
