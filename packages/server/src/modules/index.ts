import { UnitResolver } from './units/unit.resolver';
import { DeadlineRuleResolver, ProgramComponentResolver, ProgramResolver } from './programs/program.resolver';
import { ApiKeyResolver, UserResolver } from './users/user.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { CalendarResolver } from './calendar/calendar.resolver';
import { CompletenessRowResolver, ReportEventResolver, ReportResolver, ReportingObligationResolver } from './reporting/reporting.resolver';
import {
  DisbursementResolver,
  FundingAllocationResolver,
  FundingSummaryRowResolver,
  UnitFundingResolver,
} from './funding/funding.resolver';
import {
  IndicatorProgressRowResolver,
  IndicatorResolver,
  IndicatorTargetResolver,
  IndicatorValueResolver,
} from './indicators/indicator.resolver';

import {
  FindingResolver,
  MissionMemberResolver,
  MissionResolver,
  MonitoringPlanResolver,
  ObligationMissionResolver,
  RecommendationResolver,
  UnitMonitoringResolver,
} from './monitoring/monitoring.resolver';
import { ImportResolver } from './imports/import.resolver';
import { ExportResolver } from './exports/export.resolver';
/** Every resolver of the schema; feature issues add theirs here. */
export const resolvers = [
  UnitResolver,
  ProgramResolver,
  ProgramComponentResolver,
  DeadlineRuleResolver,
  UserResolver,
  ApiKeyResolver,
  AuditResolver,
  CalendarResolver,
  ReportingObligationResolver,
  ReportResolver,
  ReportEventResolver,
  CompletenessRowResolver,
  FundingAllocationResolver,
  DisbursementResolver,
  FundingSummaryRowResolver,
  UnitFundingResolver,
  IndicatorResolver,
  IndicatorTargetResolver,
  IndicatorValueResolver,
  IndicatorProgressRowResolver,
  MonitoringPlanResolver,
  MissionResolver,
  MissionMemberResolver,
  FindingResolver,
  RecommendationResolver,
  UnitMonitoringResolver,
  ObligationMissionResolver,
  ImportResolver,
  ExportResolver,
];
