import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOne } from '../db/sql';
import { Role, type Caller } from './roles';

export interface CallerRow {
  user_id: string;
  username: string;
  role: Role;
  disabled: boolean;
  unit_id: string;
  unit_kind: string;
  unit_path: string;
  parent_id: string | null;
  parent_path: string | null;
}

/** The scope root: the home unit, or for an agency the administrative unit it belongs to. */
export function callerFromRow(row: CallerRow, extra: Partial<Caller> = {}): Caller {
  const agency = row.unit_kind === 'AGENCY' && row.parent_id;
  const admin = row.role === Role.ADMIN;
  return {
    kind: 'user',
    userId: row.user_id,
    username: row.username,
    role: row.role,
    homeUnitId: row.unit_id,
    homeUnitKind: row.unit_kind,
    scopeRootId: admin ? null : agency ? row.parent_id : row.unit_id,
    scopePath: admin ? null : agency ? row.parent_path : row.unit_path,
    ...extra,
  };
}

export const CALLER_COLUMNS = `u.id::text AS user_id, u.username, u.role, u.disabled, hu.id::text AS unit_id, hu.kind AS unit_kind,
  hu.path AS unit_path, pu.id::text AS parent_id, pu.path AS parent_path`;
export const CALLER_JOINS = 'JOIN unit hu ON hu.id = u.unit_id LEFT JOIN unit pu ON pu.id = hu.parent_id';

/**
 * A credential lookup by primary key, named (planned once per connection): on the request's own connection when
 * `em` has one (run as the owner: the request's scope is not set until its caller is known), else on a pooled one
 * (`{ __typename }`, file downloads).
 */
export const lookUpCredential = (em: EntityManager, text: string, params: unknown[]) =>
  sqlOne<Record<string, unknown>>(em, text, params, { prepared: true });
