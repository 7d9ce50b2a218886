import { Client } from 'pg';
import type { Authentication } from './roles';

/**
 * Callers recently authenticated, by session id or API key, so a request with a known credential needs no
 * statement to say who is calling (issue 11: the session lookup, and the transaction it needed, made a lookup by
 * id three round trips and four statements where PostGraphile sends one; packages/bench/results/ANALYSIS.md).
 *
 * It stays correct after writes:
 * - every server LISTENs on `ntp_auth_changed`, which triggers on the sessions, users, units and API keys a
 *   caller is read from raise when they change, by any writer (Migration20261127010000_auth_changed_notify);
 *   a notification empties the cache;
 * - a request of this server that commits such a change empties it too, before its answer goes out (the
 *   triggers mark the transaction; db/request-transaction.ts `callerCache`), so a sign-out or a revoked session
 *   is refused at once by the server that did it, without waiting for its own notification;
 * - a lookup that was under way while the cache was emptied does not put its (maybe stale) answer in;
 * - while the listener is not connected (at start, or after the connection broke) nothing is cached and
 *   nothing is answered from the cache: every request looks its credential up, as before;
 * - an entry lives at most `maxAgeMs`, and never past its session's expiry: the bound if a change ever
 *   escapes the triggers (they do not fire under `session_replication_role = replica`).
 * What another server changes reaches this one when PostgreSQL delivers the notification, within
 * milliseconds of the commit.
 */
/** The listening connection's `application_name` (seen in pg_stat_activity). */
export const LISTENER_NAME = 'ntp-caller-cache';

export class CallerCache {
  private readonly entries = new Map<string, { authentication: Authentication; until: number }>();
  /** Moves on every emptying: a lookup started before it must not store its answer. */
  private epoch = 0;
  private listener: Client | undefined;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly maxAgeMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly log: (message: string, e?: unknown) => void = (m, e) => console.warn(`[caller cache] ${m}`, e ?? ''),
  ) {}

  /** Connects the listener; the cache works from when it is listening. Retries in the background if it cannot. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000, application_name: LISTENER_NAME });
    const broken = (e?: unknown) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = false;
      this.invalidate();
      client.end().catch(() => undefined);
      if (!this.stopped) {
        this.log('listener lost; answering without the cache until it is back', e);
        this.retry = setTimeout(() => void this.connect(), 1_000);
      }
    };
    this.listener = client;
    client.on('notification', () => this.invalidate());
    client.on('error', broken);
    client.on('end', () => broken());
    try {
      await client.connect();
      await client.query('LISTEN ntp_auth_changed');
      if (this.listener !== client) return;
      // Whatever changed while nobody listened: start empty.
      this.invalidate();
      this.listening = true;
    } catch (e) {
      broken(e);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    this.listening = false;
    this.invalidate();
    await client?.end().catch(() => undefined);
  }

  /** Whether answers come from the cache (the listener is connected). */
  get active(): boolean {
    return this.listening;
  }

  get(key: string): Authentication | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.authentication;
  }

  /** Call before looking a credential up; hand the result to `put`. */
  snapshot(): number {
    return this.epoch;
  }

  /** Stores a caller looked up since `snapshot` returned `epoch`, until `expiresAt` (ms) at the latest. */
  put(key: string, authentication: Authentication, epoch: number, expiresAt = Infinity): void {
    if (!this.listening || epoch !== this.epoch || !authentication.caller) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { authentication, until: Math.min(Date.now() + this.maxAgeMs, expiresAt) });
  }

  invalidate(): void {
    this.epoch++;
    this.entries.clear();
  }

  /**
   * Resolves once every notification of a transaction committed before the call has been handled: a round trip
   * on the listening connection, which PostgreSQL answers only after the notifications queued before it.
   */
  async sync(): Promise<void> {
    // Without a listener nothing is answered from the cache, so there is nothing to wait for.
    await this.listener?.query('SELECT 1').catch(() => undefined);
  }
}

/** The cache of each database's running app (tests run several apps, on several databases, in one process). */
const caches = new Map<string, CallerCache>();

export function callerCacheFor(databaseUrl: string): CallerCache | undefined {
  return caches.get(databaseUrl);
}

/** Starts the cache for an app on `databaseUrl`; the returned function stops it. */
export async function startCallerCache(databaseUrl: string): Promise<() => Promise<void>> {
  const cache = new CallerCache(databaseUrl);
  await cache.start();
  caches.set(databaseUrl, cache);
  return async () => {
    if (caches.get(databaseUrl) === cache) caches.delete(databaseUrl);
    await cache.stop();
  };
}
