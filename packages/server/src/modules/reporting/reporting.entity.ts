import { BigIntType, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { DeadlineRule, Program, ProgramComponent } from '../programs/program.entity';
import { ReportType } from '../programs/program.enums';
import { StoredFile } from '../files/file.entity';
import { ReportStatus } from './reporting.enums';

/** What a unit owes: one report of a type by a due date, to several recipients. */
@ObjectType()
@Entity({ tableName: 'reporting_obligation' })
@Index({ properties: ['dueDate'] })
@Index({
  name: 'reporting_obligation_generated_unique',
  expression:
    'create unique index "reporting_obligation_generated_unique" on "reporting_obligation" ("rule_id", "submitter_id", "year") where "rule_id" is not null',
})
export class ReportingObligation extends BaseEntity {
  @Field(() => ReportType)
  @Enum({ items: () => ReportType, nativeEnumName: 'report_type' })
  type!: ReportType;

  @ManyToOne(() => Program, { ref: true, index: true })
  program!: Ref<Program>;

  @ManyToOne(() => ProgramComponent, { ref: true, nullable: true })
  component?: Ref<ProgramComponent> | null;

  @ManyToOne(() => Unit, { ref: true, index: true })
  submitter!: Ref<Unit>;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  year?: number | null;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  dueDate!: string;

  /** The monitoring mission whose report this is (no foreign key: missions live in their own module). */
  @Field(() => ID, { nullable: true, description: 'the monitoring mission this report follows' })
  @Index()
  @Property({ type: new BigIntType('string'), nullable: true })
  missionId?: string | null;

  /** The deadline rule a generated obligation came from (null for ad hoc and event obligations). */
  @ManyToOne(() => DeadlineRule, { ref: true, nullable: true })
  rule?: Ref<DeadlineRule> | null;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  @ManyToMany({
    entity: () => Unit,
    pivotTable: 'reporting_obligation_recipient',
    joinColumn: 'obligation_id',
    inverseJoinColumn: 'unit_id',
  })
  recipientUnits = new Collection<Unit>(this);
}

@ObjectType()
export class ReportSection {
  @Field(() => String) key!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
}

/** The one report of an obligation: a draft, then submitted, returned or accepted. */
@ObjectType()
@Entity({ tableName: 'report' })
export class Report extends BaseEntity {
  @ManyToOne(() => ReportingObligation, { ref: true, unique: true })
  obligation!: Ref<ReportingObligation>;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => [ReportSection])
  @Property({ type: 'jsonb' })
  sections: ReportSection[] = [];

  @Field(() => ReportStatus)
  @Enum({ items: () => ReportStatus, nativeEnumName: 'report_status' })
  status: ReportStatus = ReportStatus.DRAFT;

  /** Stamped by the server at the standing submission. */
  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  submittedBy?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  reviewedAt?: Date | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  reviewedBy?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  returnReason?: string | null;

  @ManyToMany({ entity: () => StoredFile, pivotTable: 'report_attachment', joinColumn: 'report_id', inverseJoinColumn: 'file_id' })
  attachmentFiles = new Collection<StoredFile>(this);
}

/** One status change of a report: who, when, why. Completeness reads the standing status from these. */
@ObjectType()
@Entity({ tableName: 'report_event' })
@Index({ properties: ['report', 'at'] })
export class ReportEvent extends BaseEntity {
  @ManyToOne(() => Report, { ref: true })
  report!: Ref<Report>;

  @Field(() => ReportStatus)
  @Enum({ items: () => ReportStatus, nativeEnumName: 'report_status' })
  status!: ReportStatus;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  at!: Date;

  @Property({ type: new BigIntType('string'), nullable: true })
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}
