import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLString, Kind, valueFromAST, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../common/errors';
import { sql } from '../db/sql';
import { transactional } from '../db/transactional';
import type { Config } from '../config';
import type { Ctx } from '../graphql/context';

/** `RATE_LIMITED`, HTTP 429 with `Retry-After`, and `extensions.retryAfter` in seconds. */
export function rateLimited(retryAfter: number): AppError {
  const s = Math.max(1, Math.ceil(retryAfter));
  return new AppError(
    'RATE_LIMITED',
    { vi: `Quá nhiều yêu cầu; hãy thử lại sau ${s} giây`, en: `Too many requests; try again in ${s} seconds` },
    { retryAfter: s, http: { status: 429, headers: new HeaderMap([['retry-after', String(s)]]) } },
  );
}

/**
 * Requests per minute per user or API key: a token bucket per caller, refilled continuously, so a
 * burst of a minute's allowance passes and then requests flow at the steady rate. Kept in memory per
 * server instance (N instances allow N times the rate).
 */
export class RequestLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request from the caller's allowance: 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= 100_000) this.prune(t);
      b = { tokens: this.perMinute, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** Forgets callers whose allowance is full again (they look exactly like new callers). */
  private prune(t: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}

/** Longest wait after repeated failures, and how long a quiet key keeps its failure count. */
const MAX_BACKOFF_SECONDS = 900;
const FORGIVE_AFTER = "interval '1 hour'";

const userKey = (username: string) => `user:${username.normalize('NFC').trim().toLowerCase().slice(0, 200)}`;
const addressKey = (address: string | undefined) => `addr:${(address ?? 'unknown').slice(0, 100)}`;

/**
 * Failed logins per username and per client address, in PostgreSQL so every instance sees the same
 * counts. Each attempt is counted before the password is checked (so parallel guesses are counted
 * too) and a success takes its count back. After `max` counted failures a key must wait
 * `base * 2^(failures - max)` seconds (at most 15 minutes) since its last failure; a key quiet for an
 * hour starts again from zero. The check and the count happen under the keys' row locks, taken in key
 * order, so concurrent attempts are counted one by one; a refused attempt counts nothing.
 */
export async function admitLoginAttempt(em: EntityManager, config: Config, username: string, address: string | undefined): Promise<void> {
  const max = `(CASE WHEN t.key LIKE 'user:%' THEN ${Math.trunc(config.loginMaxFailures)} ELSE ${Math.trunc(config.loginMaxFailuresPerAddress)} END)`;
  const wait = `make_interval(secs => LEAST(${MAX_BACKOFF_SECONDS}, ${Math.trunc(config.loginBackoffSeconds)} * power(2, GREATEST(t.failures - ${max}, 0))))`;
  const blocked = `(t.failures >= ${max} AND t.last_failure_at > clock_timestamp() - ${FORGIVE_AFTER} AND clock_timestamp() < t.last_failure_at + ${wait})`;
  const keys = [userKey(username), addressKey(address)].sort();
  const retryAfter = await transactional(em, async (tx) => {
    await sql(
      tx,
      "INSERT INTO login_throttle (key, failures, last_failure_at) SELECT k, 0, 'epoch' FROM unnest(?::text[]) AS k ON CONFLICT (key) DO NOTHING",
      [keys],
    );
    const rows = await sql<{ retry_after: number | null }>(
      tx,
      `SELECT CASE WHEN ${blocked} THEN CEIL(EXTRACT(EPOCH FROM (t.last_failure_at + ${wait} - clock_timestamp())))::int END AS retry_after
       FROM login_throttle t WHERE t.key = ANY(?) ORDER BY t.key FOR UPDATE`,
      [keys],
    );
    const waits = rows.flatMap((r) => (r.retry_after === null ? [] : [r.retry_after]));
    if (waits.length) return Math.max(...waits);
    await sql(
      tx,
      `UPDATE login_throttle SET failures = CASE WHEN last_failure_at <= clock_timestamp() - ${FORGIVE_AFTER} THEN 1 ELSE failures + 1 END,
         last_failure_at = clock_timestamp()
       WHERE key = ANY(?)`,
      [keys],
    );
    return 0;
  });
  if (retryAfter) throw rateLimited(retryAfter);
  if (Math.random() < 0.01) {
    await sql(em, `DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day'`);
  }
}

/** A successful login clears its username's failures and takes back its attempt from the address. */
export async function loginSucceeded(em: EntityManager, username: string, address: string | undefined): Promise<void> {
  await sql(em, 'DELETE FROM login_throttle WHERE key = ?', [userKey(username)]);
  await sql(em, 'UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ?', [addressKey(address)]);
}

/** Root fields of the operation, through inline fragments and fragment spreads. */
function rootFields(set: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): FieldNode[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, document, seen);
    if (seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    const def = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
    return def && def.kind === Kind.FRAGMENT_DEFINITION ? rootFields(def.selectionSet, document, seen) : [];
  });
}

/**
 * Applies both limits before execution (so a refused request runs no resolver): the caller's
 * request allowance, and for `login` mutations the failed-login backoff of the username and the
 * client address; after the response, successful logins take their attempt back.
 */
export function rateLimitPlugin(config: Config): ApolloServerPlugin<Ctx> {
  if (!config.rateLimit) return {};
  const limiter = new RequestLimiter(config.requestsPerMinute);
  return {
    async requestDidStart({ contextValue }) {
      const caller = contextValue.caller;
      const wait = caller ? limiter.take(caller.apiKeyId ? `key:${caller.apiKeyId}` : `user:${caller.userId}`) : 0;
      const logins: { responseKey: string; username: string }[] = [];
      return {
        async didResolveOperation({ operation, document, request, contextValue: ctx }) {
          if (wait) throw rateLimited(wait);
          if (operation?.operation !== 'mutation') return;
          for (const field of rootFields(operation.selectionSet, document)) {
            if (field.name.value !== 'login') continue;
            const arg = field.arguments?.find((a) => a.name.value === 'username');
            const username = arg ? valueFromAST(arg.value, GraphQLString, request.variables ?? undefined) : undefined;
            const login = { responseKey: field.alias?.value ?? field.name.value, username: typeof username === 'string' ? username : '' };
            await admitLoginAttempt(ctx.em, config, login.username, ctx.clientAddress);
            logins.push(login);
          }
        },
        async willSendResponse({ response, contextValue: ctx }) {
          if (!logins.length || response.body.kind !== 'single') return;
          const data = response.body.singleResult.data as Record<string, unknown> | null | undefined;
          for (const l of logins) {
            // The sign-in already happened; failing to take the attempt back only costs the user one allowance.
            if (data?.[l.responseKey])
              await loginSucceeded(ctx.em, l.username, ctx.clientAddress).catch((e) => console.error('[rate limit]', e));
          }
        },
      };
    },
  };
}
