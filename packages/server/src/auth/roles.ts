import { registerEnumType } from 'type-graphql';
import type { Msg } from '../common/errors';

export enum Role {
  ADMIN = 'ADMIN',
  COORDINATOR = 'COORDINATOR',
  AGENCY_OFFICER = 'AGENCY_OFFICER',
  COMMUNE_OFFICER = 'COMMUNE_OFFICER',
  VIEWER = 'VIEWER',
}
registerEnumType(Role, { name: 'Role', description: 'A user has exactly one role (API.md, Access)' });

/** Who is calling: a signed-in user or an API key acting as a read-only service user. */
export interface Caller {
  kind: 'user' | 'apiKey';
  userId: string;
  username: string;
  role: Role;
  homeUnitId: string;
  homeUnitKind: string;
  /** The scope root: the home unit, or the administrative unit an agency belongs to. Null for ADMIN (unscoped). */
  scopeRootId: string | null;
  /** Materialized path of the scope root ("/1/4/"), matched as a prefix; null when unscoped. */
  scopePath: string | null;
  apiKeyId?: string;
  sessionId?: string;
}

/**
 * What a request's credentials come to: the caller, or why they were refused (a message, not an error: the
 * UNAUTHENTICATED error is built only when a field needs a caller, `policy.authorize`). Neither for no credentials.
 */
export interface Authentication {
  caller?: Caller;
  refusal?: Msg;
}

export const isAdmin = (c: Caller) => c.kind === 'user' && c.role === Role.ADMIN;
