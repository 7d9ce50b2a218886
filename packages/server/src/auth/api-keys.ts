import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql';
import type { Msg } from '../common/errors';
import { CALLER_COLUMNS, CALLER_JOINS, callerFromRow, lookUpCredential } from './caller';
import { Role, type Authentication } from './roles';
import type { CallerCache } from './caller-cache';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const BAD_KEY: Msg = { vi: 'Khóa API không hợp lệ hoặc đã bị thu hồi', en: 'Invalid or revoked API key' };

const API_KEY_LOOKUP = `SELECT ${CALLER_COLUMNS}, k.secret_hash, k.revoked_at, k.archived_at, k.id::text AS key_id, k.unit_id::text AS key_unit, ku.path AS key_path
     FROM api_key k JOIN app_user u ON u.id = k.service_user_id ${CALLER_JOINS} JOIN unit ku ON ku.id = k.unit_id WHERE k.id = ?`;

/**
 * `ntpk_<id>_<random>`: the id finds the row, the hash proves the secret. A key seen recently is answered from
 * the caller cache, keyed by the secret's hash (so only the right secret finds it).
 */
export async function authenticateApiKey(em: EntityManager, secret: string, cache: CallerCache | undefined): Promise<Authentication> {
  const bad = { refusal: BAD_KEY };
  const m = /^ntpk_(\d{1,18})_[A-Za-z0-9_-]{20,}$/.exec(secret);
  if (!m) return bad;
  const hash = hashSecret(secret);
  const key = `apiKey:${hash}`;
  const known = cache?.get(key);
  if (known) return known;
  const epoch = cache?.snapshot() ?? 0;
  const row = await lookUpCredential(em, API_KEY_LOOKUP, [m[1]]);
  // A revoked or archived key, or one whose service user was disabled, is refused at once.
  if (!row || row.revoked_at || row.archived_at || row.disabled) return bad;
  const a = Buffer.from(String(row.secret_hash));
  const b = Buffer.from(hash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return bad;
  // Recorded at most once a minute, off the request's path (a cached key is looked up again within the cache's
  // entry lifetime, under a minute).
  void sql(
    em.fork(),
    "UPDATE api_key SET last_used_at = now() WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [m[1]],
  ).catch(() => undefined);
  const base = callerFromRow(row as never);
  const authentication: Authentication = {
    caller: {
      ...base,
      kind: 'apiKey',
      role: Role.VIEWER,
      apiKeyId: String(row.key_id),
      scopeRootId: String(row.key_unit),
      scopePath: String(row.key_path),
    },
  };
  cache?.put(key, authentication, epoch);
  return authentication;
}
