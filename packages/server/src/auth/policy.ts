import { Role, type Caller } from './roles';
import { forbidden, unauthenticated, type Msg } from '../common/errors';

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

/** `refusal`: why the request's credentials were refused, if it carried some (a missing caller then says that). */
export function authorize(field: string, isMutation: boolean, caller: Caller | undefined, refusal?: Msg): void {
  const rule = accessRules.get(field);
  if (!rule) throw forbidden({ vi: `Thao tác ${field} chưa được khai báo quyền`, en: `Operation ${field} has no access rule` });
  if (rule.roles === 'PUBLIC') return;
  // Built only here: an error object (with its stack) for every request with a bad token cost a sixth of the CPU
  // of answering it, whether or not anything needed a caller (packages/bench/results/ANALYSIS.md, item 27).
  if (!caller) throw unauthenticated(refusal);
  if (caller.kind === 'apiKey') {
    if (isMutation || !rule.apiKey) throw forbidden({ vi: 'Khóa API chỉ được đọc dữ liệu', en: 'API keys are read-only' });
    return;
  }
  if (rule.roles === 'SIGNED_IN') return;
  if (!rule.roles.includes(caller.role)) throw forbidden();
}
