import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { ReportStatus } from './reporting.enums';

/**
 * Where each obligation's report stands now, from its event history: the latest event's status (by time,
 * then id), that event's time, and the latest submission's time. reportingCompleteness reads it for every
 * obligation whose history ends before the as-of day (the standing then is today's), and reads the history
 * itself only for the others (issue 11). Kept exact by statement-level triggers on `report_event` and
 * `report` in the writer's transaction (migration Migration20261126012000_obligation_standing). Never
 * written by the application; an obligation without events has no row.
 */
@Entity({ tableName: 'obligation_standing' })
export class ObligationStanding {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  obligationId!: string;

  @Enum({ items: () => ReportStatus, nativeEnumName: 'report_status', nullable: true })
  status?: ReportStatus | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastEventAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSubmittedAt?: Date | null;
}
