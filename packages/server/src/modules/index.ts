import { UnitResolver } from './units/unit.resolver';
import { DeadlineRuleResolver, ProgramComponentResolver, ProgramResolver } from './programs/program.resolver';
import { ApiKeyResolver, UserResolver } from './users/user.resolver';
import { AuditResolver } from './audit/audit.resolver';

/** Every resolver of the schema; feature issues add theirs here. */
export const resolvers = [
  UnitResolver,
  ProgramResolver,
  ProgramComponentResolver,
  DeadlineRuleResolver,
  UserResolver,
  ApiKeyResolver,
  AuditResolver,
];
