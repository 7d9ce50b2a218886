import { registerEnumType } from 'type-graphql';

export enum ReportStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(ReportStatus, { name: 'ReportStatus' });

/** Computed from the obligation and its report (never stored). */
export enum ObligationStatus {
  PENDING = 'PENDING',
  OVERDUE = 'OVERDUE',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ObligationStatus, { name: 'ObligationStatus' });

export enum CompletenessDimension {
  UNIT = 'UNIT',
  TYPE = 'TYPE',
  YEAR = 'YEAR',
}
registerEnumType(CompletenessDimension, { name: 'CompletenessDimension' });
