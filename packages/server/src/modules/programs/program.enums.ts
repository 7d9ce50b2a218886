import { registerEnumType } from 'type-graphql';

export enum ComponentKind {
  PROJECT = 'PROJECT',
  SUB_PROJECT = 'SUB_PROJECT',
}
registerEnumType(ComponentKind, { name: 'ComponentKind' });

export enum ReportType {
  MONITORING_MISSION = 'MONITORING_MISSION',
  MONITORING_SEMIANNUAL = 'MONITORING_SEMIANNUAL',
  MONITORING_ANNUAL = 'MONITORING_ANNUAL',
  MONITORING_ADHOC = 'MONITORING_ADHOC',
  EVALUATION_BASELINE = 'EVALUATION_BASELINE',
  EVALUATION_MIDTERM = 'EVALUATION_MIDTERM',
  EVALUATION_ANNUAL = 'EVALUATION_ANNUAL',
  EVALUATION_FINAL = 'EVALUATION_FINAL',
  EVALUATION_ADHOC = 'EVALUATION_ADHOC',
}
registerEnumType(ReportType, { name: 'ReportType' });

export enum DeadlineKind {
  FIXED_DATE = 'FIXED_DATE',
  YEARLY = 'YEARLY',
  WORKING_DAYS_AFTER_EVENT = 'WORKING_DAYS_AFTER_EVENT',
  ON_REQUEST = 'ON_REQUEST',
}
registerEnumType(DeadlineKind, { name: 'DeadlineKind' });
