import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RULE_VIOLATION'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** A message in both languages the API speaks; Vietnamese is the default. */
export interface Msg {
  vi: string;
  en: string;
}

export interface FieldError {
  field: string;
  message: string;
  /** English text of the message; moved into `message` for Accept-Language: en. */
  en?: string;
}

/** The one error type services throw: a stable code, a bilingual message, optional details. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    readonly msg: Msg,
    extra: Record<string, unknown> = {},
  ) {
    super(msg.vi, { extensions: { code, ...extra, i18n: msg } });
  }
}

export const notFound = (what: Msg = { vi: 'Không tìm thấy bản ghi', en: 'Record not found' }) => new AppError('NOT_FOUND', what);

export const forbidden = (what: Msg = { vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' }) =>
  new AppError('FORBIDDEN', what);

export const unauthenticated = (what: Msg = { vi: 'Cần đăng nhập', en: 'Authentication required' }) =>
  new AppError('UNAUTHENTICATED', what);

export const conflict = (
  what: Msg = {
    vi: 'Bản ghi đã bị người khác thay đổi; hãy tải lại và thử lại',
    en: 'The record was changed by someone else; reload and try again',
  },
  extra: Record<string, unknown> = {},
) => new AppError('CONFLICT', what, extra);

export const ruleViolation = (rule: string, what: Msg, extra: Record<string, unknown> = {}) =>
  new AppError('RULE_VIOLATION', what, { rule, ...extra });

/** Bad input with per-field messages (`extensions.fields`). */
export function badInput(fields: { field: string; vi: string; en: string }[], summary?: Msg): AppError {
  const msg = summary ?? {
    vi: `Dữ liệu không hợp lệ: ${fields.map((f) => `${f.field}: ${f.vi}`).join('; ')}`,
    en: `Invalid input: ${fields.map((f) => `${f.field}: ${f.en}`).join('; ')}`,
  };
  return new AppError('BAD_USER_INPUT', msg, {
    fields: fields.map((f) => ({ field: f.field, message: f.vi, en: f.en })),
  });
}

/** Collects field errors while validating an input, then throws them all at once. */
export class Validation {
  private readonly errors: { field: string; vi: string; en: string }[] = [];
  add(field: string, vi: string, en: string): this {
    this.errors.push({ field, vi, en });
    return this;
  }
  check(ok: boolean, field: string, vi: string, en: string): this {
    if (!ok) this.add(field, vi, en);
    return this;
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
  throwIfAny(): void {
    if (this.errors.length) throw badInput(this.errors);
  }
}
