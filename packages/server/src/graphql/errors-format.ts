import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { OptimisticLockError, UniqueConstraintViolationException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { ArgumentValidationError } from 'type-graphql';
import { AppError, badInput, conflict } from '../common/errors';

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RULE_VIOLATION',
  'RATE_LIMITED',
]);

/** Turns whatever a resolver threw into an API error; unknown failures become a masked internal error. */
export function normalizeError(e: unknown): GraphQLError {
  const err = e instanceof GraphQLError && e.originalError ? unwrapResolverError(e) : e;
  if (err instanceof AppError) return err;
  if (err instanceof ArgumentValidationError) {
    return badInput(
      err.extensions.validationErrors.flatMap((v) =>
        Object.values(v.constraints ?? { invalid: 'invalid' }).map((m) => ({
          field: v.property,
          vi: `Giá trị không hợp lệ (${m})`,
          en: m,
        })),
      ),
    );
  }
  if (err instanceof OptimisticLockError) return conflict();
  if (err instanceof UniqueConstraintViolationException) {
    return conflict({ vi: 'Bản ghi trùng với một bản ghi đã có', en: 'A record with the same key already exists' });
  }
  if (err instanceof ForeignKeyConstraintViolationException) {
    return badInput([{ field: 'id', vi: 'Tham chiếu tới bản ghi không tồn tại', en: 'Reference to a record that does not exist' }]);
  }
  // Raw SQL (knex) surfaces PostgreSQL's own error codes.
  const sqlState = (err as { code?: unknown } | null)?.code;
  if (sqlState === '23505') return conflict({ vi: 'Bản ghi trùng với một bản ghi đã có', en: 'A record with the same key already exists' });
  if (sqlState === '40001' || sqlState === '40P01') {
    // Serialization failure or deadlock: PostgreSQL gave up on this request so a concurrent one could finish.
    return conflict({
      vi: 'Yêu cầu trùng lúc với một thao tác khác trên cùng dữ liệu và chưa được thực hiện; hãy thử lại',
      en: 'The request collided with another change to the same data and was not carried out; try again',
    });
  }
  if (sqlState === '23503') {
    return badInput([{ field: 'id', vi: 'Tham chiếu tới bản ghi không tồn tại', en: 'Reference to a record that does not exist' }]);
  }
  if (err instanceof GraphQLError && PASS_THROUGH.has(String(err.extensions?.code))) return err;
  return new AppError('INTERNAL_SERVER_ERROR', { vi: 'Lỗi máy chủ nội bộ', en: 'Internal server error' });
}

export function errorCode(e: GraphQLError): string {
  return String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/** Apollo formatError: masks internals and never lets SQL or stacks out unless we are developing. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, includeStack: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (
    original instanceof AppError ||
    (code && PASS_THROUGH.has(String(code)) && !(original instanceof Error && !(original instanceof GraphQLError)))
  ) {
    return includeStack ? formatted : { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } };
  }
  const normalized = normalizeError(original);
  if (normalized.extensions.code === 'INTERNAL_SERVER_ERROR') {
    console.error('[internal error]', original);
  }
  return {
    message: normalized.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      ...normalized.extensions,
      ...(includeStack && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}),
    },
  };
}

/** Picks the response language: messages carry both, `Accept-Language: en` chooses English. */
export function localizeErrors(errors: readonly GraphQLFormattedError[], lang: 'vi' | 'en'): GraphQLFormattedError[] {
  return errors.map((e) => {
    const ext = { ...(e.extensions ?? {}) } as Record<string, unknown>;
    const i18n = ext.i18n as { vi: string; en: string } | undefined;
    delete ext.i18n;
    if (ext.stacktrace === undefined) delete ext.stacktrace;
    if (Array.isArray(ext.fields)) {
      ext.fields = (ext.fields as { field: string; message: string; en?: string }[]).map((f) => ({
        field: f.field,
        message: lang === 'en' && f.en ? f.en : f.message,
      }));
    }
    return { ...e, message: i18n ? i18n[lang] : e.message, extensions: ext };
  });
}
