import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../db/sql';
import type { Msg } from '../common/errors';
import { CALLER_COLUMNS, CALLER_JOINS, callerFromRow, lookUpCredential, type CallerRow } from './caller';
import { authenticateApiKey } from './api-keys';
import { callerCacheFor, type CallerCache } from './caller-cache';
import type { Authentication } from './roles';

/** Signing keys per database, so several apps in one process (tests) never mix their tokens. */
const signingKeys = new Map<string, Buffer>();
const dbOf = (em: EntityManager) => String(em.config.get('clientUrl'));

/** Loads (or creates once) the token signing key shared by every server instance on the database. */
export async function loadSigningKey(em: EntityManager): Promise<void> {
  await sql(em, "INSERT INTO app_setting (key, value) VALUES ('token_signing_key', ?) ON CONFLICT (key) DO NOTHING", [
    randomBytes(32).toString('base64'),
  ]);
  const row = await sqlOne<{ value: string }>(em, "SELECT value FROM app_setting WHERE key = 'token_signing_key'");
  signingKeys.set(dbOf(em), Buffer.from(row!.value, 'base64'));
  verifiedPayloads.delete(dbOf(em));
}

function sign(em: EntityManager, payload: string): string {
  const key = signingKeys.get(dbOf(em));
  if (!key) throw new Error('token signing key not loaded');
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** `v1.<payload>.<signature>`; the payload names the session, which the database can revoke. */
export function issueToken(em: EntityManager, sessionId: string, userId: string, expiresAt: Date): string {
  const payload = Buffer.from(JSON.stringify({ s: sessionId, u: userId, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
  return `v1.${payload}.${sign(em, payload)}`;
}

interface TokenClaims {
  s: string;
  u: string;
  e: number;
}

/**
 * Per database, the payloads of tokens whose signature checked out, with that signature and their claims:
 * computing the HMAC again on every request was 2 % of the server's CPU under Q4 (packages/bench). Keyed by
 * the payload, which is no secret; the signature a request presents is still compared in constant time, and
 * expiry and the session's state are still checked on every request. Only verified payloads go in, at most
 * MAX_VERIFIED per database (then it starts again empty).
 */
const verifiedPayloads = new Map<string, Map<string, { signature: Buffer; claims: TokenClaims }>>();
const MAX_VERIFIED = 10_000;

function readToken(em: EntityManager, token: string): TokenClaims | null {
  const [v, payload, sig] = token.split('.');
  const db = dbOf(em);
  if (v !== 'v1' || !payload || !sig || !signingKeys.has(db)) return null;
  let known = verifiedPayloads.get(db);
  if (!known) verifiedPayloads.set(db, (known = new Map()));
  const seen = known.get(payload);
  const expected = seen?.signature ?? Buffer.from(sign(em, payload));
  const actual = Buffer.from(sig);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (seen) return seen.claims;
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return null;
  }
  if (typeof claims?.s !== 'string' || typeof claims.e !== 'number') return null;
  if (known.size >= MAX_VERIFIED) known.clear();
  known.set(payload, { signature: expected, claims });
  return claims;
}

const EXPIRED: Msg = { vi: 'Phiên đăng nhập đã hết hạn hoặc bị thu hồi', en: 'The session has expired or was revoked' };

/**
 * Resolves a bearer token or an API key to its caller; a bad one gives the reason. A credential seen recently
 * is answered from the caller cache (auth/caller-cache.ts) without a statement; otherwise one statement looks
 * it up by primary key (`lookUpCredential`), as the owner: the request role may not read other people's
 * sessions or keys.
 */
export async function authenticate(
  em: EntityManager,
  header: string | undefined,
  cache: CallerCache | undefined = callerCacheFor(dbOf(em)),
): Promise<Authentication> {
  if (!header) return {};
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return { refusal: { vi: 'Tiêu đề Authorization không hợp lệ', en: 'Malformed Authorization header' } };
  const token = m[1];
  if (token.startsWith('ntpk_')) return authenticateApiKey(em, token, cache);
  const claims = readToken(em, token);
  if (!claims) return { refusal: { vi: 'Mã truy cập không hợp lệ', en: 'Invalid token' } };
  if (claims.e * 1000 <= Date.now()) return { refusal: EXPIRED };
  const key = `session:${claims.s}`;
  const known = cache?.get(key);
  if (known) return known;
  const epoch = cache?.snapshot() ?? 0;
  const row = (await lookUpCredential(em, SESSION_LOOKUP, [claims.s])) as SessionRow | undefined;
  const outcome = sessionOutcome(row, claims);
  if (row) cache?.put(key, outcome, epoch, new Date(row.expires_at).getTime());
  return outcome;
}

type SessionRow = CallerRow & { expires_at: string; revoked_at: string | null };

/** What a session row (or its absence) means for the request. */
function sessionOutcome(row: SessionRow | undefined, claims: TokenClaims): Authentication {
  if (!row || row.revoked_at || new Date(row.expires_at).getTime() <= Date.now()) return { refusal: EXPIRED };
  if (row.disabled) return { refusal: { vi: 'Tài khoản đã bị khóa', en: 'The account is disabled' } };
  return { caller: callerFromRow(row, { sessionId: claims.s }) };
}

export const SESSION_LOOKUP = `SELECT ${CALLER_COLUMNS}, s.expires_at, s.revoked_at FROM user_session s JOIN app_user u ON u.id = s.user_id ${CALLER_JOINS}
     WHERE s.id = ?::uuid`;
