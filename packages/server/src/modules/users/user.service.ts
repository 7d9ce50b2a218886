import { randomBytes } from 'node:crypto';
import { scopeSetting, withSignInScope } from '../../db/rls';
import { CALLER_COLUMNS, CALLER_JOINS, callerFromRow, type CallerRow } from '../../auth/caller';
import { ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, conflict, forbidden, unauthenticated } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql, sqlOne } from '../../db/sql';
import { findInScope } from '../../graphql/list';
import { checkPasswordStrength, DUMMY_HASH, hashPassword, verifyPassword } from '../../auth/passwords';
import { issueToken } from '../../auth/tokens';
import { hashSecret } from '../../auth/api-keys';
import { Role } from '../../auth/roles';
import { Unit } from '../units/unit.entity';
import { Session, User } from './user.entity';
import { ApiKey } from './api-key.entity';
import { apiKeyList, userList } from './user.list';
import type { CreateApiKeyInput, CreateUserInput, UpdateUserInput } from './user.inputs';

const USERNAME_RE = /^[a-zA-Z0-9._-]{3,64}$/;

const loginFailed = () => unauthenticated({ vi: 'Tên đăng nhập hoặc mật khẩu không đúng', en: 'Wrong username or password' });

export async function login(ctx: Ctx, username: string, password: string) {
  // Under RLS the request's scope is the caller's (if it carries a token): look the user up as sign-in does.
  const user = await withSignInScope(ctx.em, () => ctx.em.findOne(User, { username: clean(username), serviceAccount: false }));
  // Same work and the same answer whether or not the user exists.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  ctx.audit = { entityType: 'User', entityId: user?.id ?? null, unitId: user?.unit.id ?? null, after: null };
  if (!user || !ok || user.disabled) throw loginFailed();
  // From here on the request acts in the scope of the person who signed in: row-level security stores a
  // session only for a person in the request's scope, and an anonymous request's scope holds nobody.
  if (ctx.em.isInTransaction()) {
    const row = await withSignInScope(ctx.em, () =>
      sqlOne<CallerRow>(ctx.em, `SELECT ${CALLER_COLUMNS} FROM app_user u ${CALLER_JOINS} WHERE u.id = ?`, [user.id]),
    );
    await sql(ctx.em, "SELECT set_config('ntp.scope_path', ?, true)", [scopeSetting(row ? callerFromRow(row) : undefined)]);
  }
  const expiresAt = new Date(Date.now() + ctx.config.tokenTtlHours * 3600_000);
  const session = ctx.em.create(Session, { user: ref(user), expiresAt });
  await ctx.em.flush();
  ctx.audit.details = { sessionId: session.id };
  ctx.audit.actorId = user.id;
  return { token: issueToken(ctx.em, session.id, user.id, expiresAt), expiresAt, user };
}

/** Revokes the user's sessions, all or all but the current one. */
async function revokeSessions(ctx: Ctx, userId: string, keepSessionId?: string) {
  await sql(ctx.em, 'UPDATE user_session SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL AND id IS DISTINCT FROM ?::uuid', [
    userId,
    keepSessionId ?? null,
  ]);
}

export async function logout(ctx: Ctx): Promise<boolean> {
  const caller = ctx.caller!;
  ctx.audit = { entityType: 'User', entityId: caller.userId };
  await revokeSessions(ctx, caller.userId);
  return true;
}

export async function changePassword(ctx: Ctx, currentPassword: string, newPassword: string): Promise<boolean> {
  const caller = ctx.caller!;
  const user = await ctx.em.findOneOrFail(User, { id: caller.userId });
  ctx.audit = { entityType: 'User', entityId: user.id, after: null };
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw badInput([{ field: 'currentPassword', vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' }]);
  }
  const weak = checkPasswordStrength(newPassword);
  if (weak) throw badInput([{ field: 'newPassword', ...weak }]);
  user.passwordHash = await hashPassword(newPassword);
  stamp(ctx, user);
  await revokeSessions(ctx, user.id, caller.sessionId);
  return true;
}

export async function resetPassword(ctx: Ctx, userId: string, newPassword: string): Promise<boolean> {
  const user = requireFound(await getUser(ctx, userId));
  ctx.audit = { entityType: 'User', entityId: user.id, unitId: user.unit.id, after: null };
  const weak = checkPasswordStrength(newPassword);
  if (weak) throw badInput([{ field: 'newPassword', ...weak }]);
  user.passwordHash = await hashPassword(newPassword);
  stamp(ctx, user);
  await revokeSessions(ctx, user.id, user.id === ctx.caller?.userId ? ctx.caller.sessionId : undefined);
  return true;
}

export const getUser = (ctx: Ctx, id: string) => findInScope(ctx, userList, id);

async function loadUnit(ctx: Ctx, unitId: string): Promise<Unit> {
  const unit = /^\d{1,18}$/.test(unitId) ? await ctx.em.findOne(Unit, { id: unitId }) : null;
  if (!unit) throw badInput([{ field: 'unitId', vi: 'Đơn vị không tồn tại', en: 'Unit does not exist' }]);
  return unit;
}

export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<User> {
  const v = new Validation();
  v.check(
    USERNAME_RE.test(input.username),
    'username',
    'Tên đăng nhập 3–64 ký tự: chữ, số, . _ -',
    'Username: 3-64 letters, digits, . _ -',
  );
  checkText(v, 'displayName', input.displayName, 200);
  const weak = checkPasswordStrength(input.password);
  if (weak) v.add('password', weak.vi, weak.en);
  v.throwIfAny();
  const unit = await loadUnit(ctx, input.unitId);
  if (await sqlOne(ctx.em, 'SELECT 1 FROM app_user WHERE username = ?', [input.username])) {
    throw conflict({ vi: 'Tên đăng nhập đã tồn tại', en: 'Username already exists' });
  }
  const user = ctx.em.create(User, {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    displayName: clean(input.displayName),
    role: input.role,
    unit: ref(unit),
  });
  stamp(ctx, user, true);
  ctx.audit = { entityType: 'User', unitId: unit.id };
  return user;
}

export async function updateUser(ctx: Ctx, id: string, version: number, input: UpdateUserInput): Promise<User> {
  const user = requireFound(await getUser(ctx, id));
  ctx.audit = { entityType: 'User', entityId: user.id, unitId: user.unit.id, before: snapshot(user) };
  checkVersion(user, version);
  const v = new Validation();
  if (input.displayName !== undefined) checkText(v, 'displayName', input.displayName, 200);
  if (user.id === ctx.caller?.userId && (input.disabled || (input.role && input.role !== Role.ADMIN))) {
    v.add('role', 'Không thể tự khóa hoặc tự hạ quyền của mình', 'You cannot disable or demote yourself');
  }
  v.throwIfAny();
  if (input.displayName !== undefined) user.displayName = clean(input.displayName);
  if (input.role) user.role = input.role;
  if (input.unitId) user.unit = ref(await loadUnit(ctx, input.unitId));
  if (input.disabled !== undefined && input.disabled !== null) {
    user.disabled = input.disabled;
    if (input.disabled) await revokeSessions(ctx, user.id);
  }
  stamp(ctx, user);
  return user;
}

export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput) {
  const v = new Validation();
  checkText(v, 'name', input.name, 200);
  v.throwIfAny();
  const unit = await loadUnit(ctx, input.unitId);
  const [{ id }] = await sql<{ id: string }>(ctx.em, "SELECT nextval(pg_get_serial_sequence('api_key', 'id'))::text AS id");
  const secret = `ntpk_${id}_${randomBytes(24).toString('base64url')}`;
  const serviceUser = ctx.em.create(User, {
    username: `apikey-${id}`,
    passwordHash: '!',
    displayName: clean(input.name),
    role: Role.VIEWER,
    unit: ref(unit),
    serviceAccount: true,
  });
  stamp(ctx, serviceUser, true);
  const apiKey = ctx.em.create(ApiKey, {
    id,
    name: clean(input.name),
    unit: ref(unit),
    serviceUser: ref(serviceUser),
    secretHash: hashSecret(secret),
    prefix: secret.slice(0, 12),
  });
  stamp(ctx, apiKey, true);
  // The answer carries the secret, so the audit keeps a snapshot of the key alone (no hash, no secret).
  ctx.audit = { entityType: 'ApiKey', entityId: id, unitId: unit.id, after: snapshot(apiKey) };
  return { apiKey, secret };
}

export async function revokeApiKey(ctx: Ctx, id: string) {
  const key = requireFound(await findInScope(ctx, apiKeyList, id));
  ctx.audit = { entityType: 'ApiKey', entityId: key.id, unitId: key.unit.id, before: snapshot(key) };
  if (!key.revokedAt) key.revokedAt = new Date();
  stamp(ctx, key);
  return key;
}

export function ensureNotApiKey(ctx: Ctx) {
  if (ctx.caller?.kind === 'apiKey') throw forbidden();
}
