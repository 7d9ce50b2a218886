import { AuditEvent } from '../audit/audit-event.entity';
import { BaseEntity } from '../common/base.entity';
import { DistrictAgency, Unit } from '../modules/units/unit.entity';
import { DeadlineRule, LeadAgency, Program, ProgramComponent, ReportingUnit } from '../modules/programs/program.entity';
import { AppSetting, Session, User } from '../modules/users/user.entity';
import { ApiKey } from '../modules/users/api-key.entity';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { CalendarDay } from '../modules/calendar/calendar.entity';
import { StoredFile } from '../modules/files/file.entity';
import { Report, ReportEvent, ReportingObligation } from '../modules/reporting/reporting.entity';
import { ObligationStanding } from '../modules/reporting/obligation-standing.entity';
import { Disbursement, DisbursementIdempotency, FundingAllocation, FundingRevision } from '../modules/funding/funding.entity';
import { FundingRollup } from '../modules/funding/funding-rollup.entity';
import { Indicator, IndicatorTarget, IndicatorValue } from '../modules/indicators/indicator.entity';
import { IndicatorRollup } from '../modules/indicators/indicator-rollup.entity';

import {
  Finding,
  Mission,
  MissionMember,
  MissionTargetUnit,
  MonitoringPlan,
  Recommendation,
} from '../modules/monitoring/monitoring.entity';
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
  LoginThrottle,
  CalendarDay,
  StoredFile,
  ReportingObligation,
  Report,
  ReportEvent,
  ObligationStanding,
  FundingAllocation,
  FundingRollup,
  FundingRevision,
  Disbursement,
  DisbursementIdempotency,
  Indicator,
  IndicatorTarget,
  IndicatorValue,
  IndicatorRollup,
  MonitoringPlan,
  Mission,
  MissionTargetUnit,
  MissionMember,
  Finding,
  Recommendation,
];
