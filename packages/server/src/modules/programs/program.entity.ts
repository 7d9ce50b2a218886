import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar } from '../../graphql/scalars';
import { Unit, UnitKind } from '../units/unit.entity';
import { ComponentKind, DeadlineKind, ReportType } from './program.enums';

@ObjectType()
@Entity({ tableName: 'program' })
export class Program extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  startYear!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  endYear!: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionRef?: string | null;
}

/** A project or sub-project of a program (codes like DA3, DA3.TDA1). */
@ObjectType()
@Entity({ tableName: 'program_component' })
@Unique({ properties: ['program', 'code'] })
export class ProgramComponent extends BaseEntity {
  @ManyToOne(() => Program, { ref: true })
  program!: Ref<Program>;

  @ManyToOne(() => ProgramComponent, { ref: true, nullable: true, index: true })
  parent?: Ref<ProgramComponent> | null;

  @Field(() => String)
  @Property({ type: 'text' })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ComponentKind)
  @Enum({ items: () => ComponentKind, nativeEnumName: 'component_kind' })
  kind!: ComponentKind;
}

/** The agency that leads a component in a district (cơ quan chủ trì). */
@Entity({ tableName: 'lead_agency' })
@Unique({ properties: ['component', 'unit'] })
export class LeadAgency extends BaseEntity {
  @ManyToOne(() => ProgramComponent, { ref: true })
  component!: Ref<ProgramComponent>;

  @ManyToOne(() => Unit, { ref: true, index: true })
  unit!: Ref<Unit>;

  @ManyToOne(() => Unit, { ref: true, index: true })
  agency!: Ref<Unit>;
}

/** A unit that owes the program's periodic reports, over a period. */
@Entity({ tableName: 'reporting_unit' })
@Index({ properties: ['program', 'unit'] })
export class ReportingUnit extends BaseEntity {
  @ManyToOne(() => Program, { ref: true })
  program!: Ref<Program>;

  @ManyToOne(() => Unit, { ref: true })
  unit!: Ref<Unit>;

  @Property({ type: 'date', nullable: true })
  validFrom?: string | null;

  @Property({ type: 'date', nullable: true })
  validTo?: string | null;
}

/** When a report type is due, per program and submitter level (DOMAIN.md §4), as data. */
@ObjectType()
@Entity({ tableName: 'deadline_rule' })
export class DeadlineRule extends BaseEntity {
  @ManyToOne(() => Program, { ref: true, index: true })
  program!: Ref<Program>;

  @Field(() => ReportType)
  @Enum({ items: () => ReportType, nativeEnumName: 'report_type' })
  reportType!: ReportType;

  @Field(() => UnitKind, { nullable: true, description: "the submitter's unit kind the rule applies to; null: any" })
  @Enum({ items: () => UnitKind, nativeEnumName: 'unit_kind', nullable: true })
  level?: UnitKind | null;

  @Field(() => DeadlineKind)
  @Enum({ items: () => DeadlineKind, nativeEnumName: 'deadline_kind' })
  kind!: DeadlineKind;

  @Field(() => DateScalar, { nullable: true, description: 'FIXED_DATE: the date' })
  @Property({ type: 'date', nullable: true })
  date?: string | null;

  @Field(() => Int, { nullable: true, description: 'YEARLY: month 1-12' })
  @Property({ type: 'smallint', nullable: true })
  month?: number | null;

  @Field(() => Int, { nullable: true, description: 'YEARLY: day of month' })
  @Property({ type: 'smallint', nullable: true })
  day?: number | null;

  @Field(() => Int, { nullable: true, description: 'WORKING_DAYS_AFTER_EVENT: N' })
  @Property({ type: 'smallint', nullable: true })
  workingDays?: number | null;

  @Field(() => Boolean, { description: '"before D": the last on-time day is D − 1' })
  @Property({ type: 'boolean', default: false })
  before: boolean = false;
}
