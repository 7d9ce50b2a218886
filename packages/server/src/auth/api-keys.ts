import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../db/sql';
import type { Msg } from '../common/errors';
import { CALLER_COLUMNS, CALLER_JOINS, callerFromRow } from './caller';
import { Role, type Authentication } from './roles';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const BAD_KEY: Msg = { vi: 'Khóa API không hợp lệ hoặc đã bị thu hồi', en: 'Invalid or revoked API key' };

/** `ntpk_<id>_<random>`: the id finds the row, the hash proves the secret. */
export async function authenticateApiKey(em: EntityManager, secret: string): Promise<Authentication> {
  const bad = { refusal: BAD_KEY };
  const m = /^ntpk_(\d{1,18})_[A-Za-z0-9_-]{20,}$/.exec(secret);
  if (!m) return bad;
  const row = await sqlOne<Record<string, unknown>>(
    em,
    `SELECT ${CALLER_COLUMNS}, k.secret_hash, k.revoked_at, k.archived_at, k.id::text AS key_id, k.unit_id::text AS key_unit, ku.path AS key_path
     FROM api_key k JOIN app_user u ON u.id = k.service_user_id ${CALLER_JOINS} JOIN unit ku ON ku.id = k.unit_id WHERE k.id = ?`,
    [m[1]],
  );
  // A revoked or archived key, or one whose service user was disabled, is refused at once.
  if (!row || row.revoked_at || row.archived_at || row.disabled) return bad;
  const a = Buffer.from(String(row.secret_hash));
  const b = Buffer.from(hashSecret(secret));
  if (a.length !== b.length || !timingSafeEqual(a, b)) return bad;
  // Recorded at most once a minute, off the request's path.
  void sql(
    em.fork(),
    "UPDATE api_key SET last_used_at = now() WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [m[1]],
  ).catch(() => undefined);
  const base = callerFromRow(row as never);
  return {
    caller: {
      ...base,
      kind: 'apiKey',
      role: Role.VIEWER,
      apiKeyId: String(row.key_id),
      scopeRootId: String(row.key_unit),
      scopePath: String(row.key_path),
    },
  };
}
