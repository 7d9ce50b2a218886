import { AuditEvent } from '../audit/audit-event.entity';
import { BaseEntity } from '../common/base.entity';
import { DistrictAgency, Unit } from '../modules/units/unit.entity';
import { DeadlineRule, LeadAgency, Program, ProgramComponent, ReportingUnit } from '../modules/programs/program.entity';
import { AppSetting, Session, User } from '../modules/users/user.entity';
import { ApiKey } from '../modules/users/api-key.entity';

/** Every entity the ORM maps; feature issues add theirs here. */
export const entities = [
  BaseEntity,
  AuditEvent,
  Unit,
  DistrictAgency,
  Program,
  ProgramComponent,
  LeadAgency,
  ReportingUnit,
  DeadlineRule,
  User,
  Session,
  AppSetting,
  ApiKey,
];
