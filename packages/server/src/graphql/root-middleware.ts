import type { MiddlewareFn } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { getNamedType, isObjectType, type GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Ctx } from './context';
import { authorize } from '../auth/policy';
import { errorCode, normalizeError } from './errors-format';
import { snapshot } from '../audit/snapshot';
import { sql } from '../db/sql';
import { transactional } from '../db/transactional';
import { Loaders } from './loaders';
import type { AppError } from '../common/errors';

/** Secrets never reach the audit trail, even as arguments. */
const SECRET_ARGS = /password|secret|token/i;
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_ARGS.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

const toJson = (v: unknown) => JSON.stringify(v ?? null, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** What a refused mutation was about when its service never said: the record type it returns and its `id` argument. */
function presumedTarget(info: GraphQLResolveInfo, args: Record<string, unknown>) {
  const type = getNamedType(info.returnType);
  return {
    entityType: isObjectType(type) && type.getFields().id ? type.name : null,
    entityId: typeof args.id === 'string' ? args.id : null,
  };
}

async function writeAudit(
  em: EntityManager,
  ctx: Ctx,
  operation: string,
  args: Record<string, unknown>,
  outcome: string,
  result: unknown,
  error?: GraphQLError,
  presumed?: { entityType: string | null; entityId: string | null },
) {
  const note = ctx.audit;
  const resultEntity = result && typeof result === 'object' && 'id' in result ? (result as { id: string }) : undefined;
  const after = note.after !== undefined ? note.after : outcome === 'SUCCESS' ? snapshot(result) : null;
  const details = { args: redact(args), ...(note.details ?? {}) };
  await sql(
    em,
    `INSERT INTO audit_event (at, actor_id, api_key_id, operation, entity_type, entity_id, unit_id, before, after, details, request_id, outcome, message)
     VALUES (clock_timestamp(), ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)`,
    [
      note.actorId ?? ctx.caller?.userId ?? null,
      ctx.caller?.apiKeyId ?? null,
      operation,
      note.entityType ?? (resultEntity ? resultEntity.constructor.name : (presumed?.entityType ?? null)),
      note.entityId ?? resultEntity?.id ?? presumed?.entityId ?? null,
      note.unitId ?? ctx.caller?.homeUnitId ?? null,
      toJson(note.before),
      toJson(after),
      toJson(details),
      ctx.requestId,
      outcome,
      error ? ((error as AppError).msg?.vi ?? error.message) : null,
    ],
  );
}

/**
 * Runs before every root field. Queries: the access rule. Mutations: the access rule, then one
 * transaction around the resolver with its audit event inside it; a refusal rolls everything back
 * and is audited on its own.
 */
export const rootFieldMiddleware: MiddlewareFn<Ctx> = async ({ context: ctx, info, args }, next) => {
  const parent = info.parentType.name;
  if (parent !== 'Query' && parent !== 'Mutation') return next();
  const field = info.fieldName;
  if (parent === 'Query') {
    authorize(field, false, ctx.caller, ctx.authRefusal);
    return next();
  }
  ctx.audit = {};
  const outerEm = ctx.em;
  try {
    authorize(field, true, ctx.caller, ctx.authRefusal);
    const result = await transactional(outerEm, async (tx) => {
      ctx.em = tx as EntityManager;
      const value = await next();
      await tx.flush();
      await writeAudit(tx as EntityManager, ctx, field, args, 'SUCCESS', value);
      return value;
    });
    return result;
  } catch (e) {
    const err = normalizeError(e);
    ctx.em = outerEm;
    // Inside the request's transaction (its savepoint is rolled back by now; the audit table takes every
    // request's INSERT under RLS): a second pooled connection per refusal could starve the pool under load.
    const requestTrx = outerEm.getTransactionContext<{ isCompleted(): boolean }>();
    const auditEm = requestTrx && !requestTrx.isCompleted() ? outerEm : outerEm.fork();
    await writeAudit(auditEm, ctx, field, args, errorCode(err), null, err, presumedTarget(info, args));
    throw err;
  } finally {
    ctx.em = outerEm;
    // Anything cached before the change may be stale now.
    ctx.loaders = new Loaders(() => ctx);
  }
};
