import type { Msg } from '../common/errors';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../auth/roles';
import type { Config } from '../config';
import type { Loaders } from './loaders';

export type Lang = 'vi' | 'en';

/** Describes what a mutation changed, for its audit event. */
export interface AuditNote {
  /** The actor when there is no caller yet (a successful login names the user who signed in). */
  actorId?: string | null;
  entityType?: string;
  entityId?: string | null;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

export interface Ctx {
  em: EntityManager;
  caller?: Caller;
  requestId: string;
  lang: Lang;
  config: Config;
  loaders: Loaders;
  audit: AuditNote;
  clientAddress?: string;
  /** Why the presented credentials were not accepted; answered on the first field that needs a caller. */
  authRefusal?: Msg;
}
