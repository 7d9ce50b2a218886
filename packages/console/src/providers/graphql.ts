import type { HttpError } from '@refinedev/core';
import i18n from './i18n';

const TOKEN_KEY = 'ntp.token';

export const tokenStore = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; fields?: { field: string; message: string }[]; retryAfter?: number; rule?: string; [key: string]: any };
}

/** An API failure as Refine expects it: a message for people, field errors for forms, our code. */
export interface ApiError extends HttpError {
  code: string;
  /** The server's extensions (e.g. `rule`, and `missions` of a MISSION_OVERLAP refusal). */
  extensions?: Record<string, any>;
}

const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RULE_VIOLATION: 422,
  RATE_LIMITED: 429,
};

/** Codes whose server message is already written for the user (and localized); others get ours. */
const SERVER_WORDS = new Set(['CONFLICT', 'RULE_VIOLATION', 'BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED']);

export function toApiError(code: string, serverMessage: string | undefined, extensions: GraphQLErrorBody['extensions'] = {}): ApiError {
  const fields = extensions.fields ?? [];
  const errors: Record<string, string[]> = {};
  for (const f of fields) (errors[f.field] ??= []).push(f.message);
  let message: string;
  if (code === 'BAD_USER_INPUT' && fields.length) message = i18n.t('errors.fields');
  else if (code === 'RATE_LIMITED') message = i18n.t('errors.RATE_LIMITED', { seconds: extensions.retryAfter ?? 60 });
  else if (SERVER_WORDS.has(code) && serverMessage) message = serverMessage;
  else message = i18n.t(`errors.${code}`, { defaultValue: i18n.t('errors.INTERNAL_SERVER_ERROR') });
  return { message, statusCode: STATUS_OF_CODE[code] ?? 500, errors, code, extensions };
}

/** Listeners told when the server says the token is no longer valid. */
const unauthenticatedListeners = new Set<() => void>();
export const onUnauthenticated = (fn: () => void) => {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
};

/** One GraphQL request to our server; throws an ApiError with words a user understands. */
export async function gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'accept-language': i18n.language?.startsWith('en') ? 'en' : 'vi',
  };
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw toApiError('NETWORK', undefined);
  }
  let body: { data?: T; errors?: GraphQLErrorBody[] };
  try {
    body = await res.json();
  } catch {
    throw toApiError(res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', undefined);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code === 'UNAUTHENTICATED' && token) unauthenticatedListeners.forEach((fn) => fn());
    throw toApiError(code, first.message, first.extensions);
  }
  return body.data as T;
}
