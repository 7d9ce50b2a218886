import { Role, type Caller } from './roles';
import { AppError, forbidden, unauthenticated } from '../common/errors';

/**
 * The declared access rule of every root field. A Query or Mutation field without an entry is refused
 * (deny by default); the authorization matrix test reads this table.
 */
export interface AccessRule {
  /** Roles that may call it; 'SIGNED_IN' = every role; 'PUBLIC' = anonymous too. */
  roles: Role[] | 'SIGNED_IN' | 'PUBLIC';
  /** Whether an API key (read-only service user) may call it. Never for mutations. */
  apiKey: boolean;
}

export const accessRules = new Map<string, AccessRule>();

function register(rule: AccessRule): MethodDecorator {
  return (_target, key) => {
    accessRules.set(String(key), rule);
  };
}

/** Decorators for resolver methods; the method name is the root field name. */
export const Allow = {
  /** Every signed-in user and API keys: reads of reference data or of records filtered by scope. */
  read: () => register({ roles: 'SIGNED_IN', apiKey: true }),
  /** Every signed-in user, not API keys (their own account, their own deadlines). */
  signedIn: () => register({ roles: 'SIGNED_IN', apiKey: false }),
  roles: (...roles: Role[]) => register({ roles, apiKey: false }),
  /** Readable by API keys as well, for the roles given. */
  readRoles: (...roles: Role[]) => register({ roles, apiKey: true }),
  public: () => register({ roles: 'PUBLIC', apiKey: true }),
};

export function authorize(field: string, isMutation: boolean, caller: Caller | undefined, authError?: AppError): void {
  const rule = accessRules.get(field);
  if (!rule) throw forbidden({ vi: `Thao tác ${field} chưa được khai báo quyền`, en: `Operation ${field} has no access rule` });
  if (rule.roles === 'PUBLIC') return;
  if (!caller) throw authError ?? unauthenticated();
  if (caller.kind === 'apiKey') {
    if (isMutation || !rule.apiKey) throw forbidden({ vi: 'Khóa API chỉ được đọc dữ liệu', en: 'API keys are read-only' });
    return;
  }
  if (rule.roles === 'SIGNED_IN') return;
  if (!rule.roles.includes(caller.role)) throw forbidden();
}
