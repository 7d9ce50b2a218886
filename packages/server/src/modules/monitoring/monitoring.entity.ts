import { Check, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { Program, ProgramComponent } from '../programs/program.entity';
import { FindingKind, MemberRole, MissionStatus, RecommendationStatus } from './monitoring.enums';

/** A unit's yearly monitoring plan (kế hoạch giám sát), issued by a document. */
@ObjectType()
@Entity({ tableName: 'monitoring_plan' })
export class MonitoringPlan extends BaseEntity {
  @ManyToOne(() => Unit, { ref: true, index: true })
  unit!: Ref<Unit>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  documentRef?: string | null;
}

/** A monitoring mission (đợt giám sát): a team set up by a decision visits units on dates. */
@ObjectType()
@Entity({ tableName: 'mission' })
@Index({ properties: ['startDate', 'endDate'] })
@Check({ name: 'mission_dates_ordered', expression: 'start_date <= end_date' })
export class Mission extends BaseEntity {
  @ManyToOne(() => Program, { ref: true, index: true })
  program!: Ref<Program>;

  @ManyToOne(() => MonitoringPlan, { ref: true, nullable: true, index: true })
  plan?: Ref<MonitoringPlan> | null;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => Unit, { ref: true, index: true })
  leadUnit!: Ref<Unit>;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionRef?: string | null;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  endDate!: string;

  @Field(() => MissionStatus)
  @Enum({ items: () => MissionStatus, nativeEnumName: 'mission_status', default: MissionStatus.PLANNED })
  status: MissionStatus = MissionStatus.PLANNED;

  @Field(() => String, { nullable: true, description: 'why the mission was cancelled' })
  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  @Field(() => String, { nullable: true, description: 'why an overlap with other missions was accepted' })
  @Property({ type: 'text', nullable: true })
  overlapJustification?: string | null;

  @ManyToMany({ entity: () => Unit, pivotEntity: () => MissionTargetUnit, joinColumn: 'mission_id', inverseJoinColumn: 'unit_id' })
  targetUnitSet = new Collection<Unit>(this);

  @ManyToMany({
    entity: () => ProgramComponent,
    pivotTable: 'mission_component',
    joinColumn: 'mission_id',
    inverseJoinColumn: 'component_id',
  })
  componentSet = new Collection<ProgramComponent>(this);
}

/** A unit a mission visits; indexed by unit for the overlap check and Unit.missions. */
@Entity({ tableName: 'mission_target_unit' })
@Index({ properties: ['unit'] })
export class MissionTargetUnit {
  [PrimaryKeyProp]?: ['mission', 'unit'];

  @ManyToOne(() => Mission, { ref: true, primary: true, deleteRule: 'cascade' })
  mission!: Ref<Mission>;

  @ManyToOne(() => Unit, { ref: true, primary: true })
  unit!: Ref<Unit>;
}

/** A member of a mission's team; exactly one HEAD per mission. */
@ObjectType()
@Entity({ tableName: 'mission_member' })
export class MissionMember extends BaseEntity {
  @ManyToOne(() => Mission, { ref: true, index: true })
  mission!: Ref<Mission>;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  position?: string | null;

  @ManyToOne(() => Unit, { ref: true, nullable: true })
  organization?: Ref<Unit> | null;

  @Field(() => MemberRole)
  @Enum({ items: () => MemberRole, nativeEnumName: 'member_role' })
  role!: MemberRole;

  @Property({ type: 'smallint', default: 0 })
  sortOrder: number = 0;
}

/** What a mission found at a visited unit (phát hiện). */
@ObjectType()
@Entity({ tableName: 'finding' })
export class Finding extends BaseEntity {
  @ManyToOne(() => Mission, { ref: true, index: true })
  mission!: Ref<Mission>;

  @ManyToOne(() => Unit, { ref: true, nullable: true, index: true })
  unit?: Ref<Unit> | null;

  @ManyToOne(() => ProgramComponent, { ref: true, nullable: true })
  component?: Ref<ProgramComponent> | null;

  @Field(() => FindingKind)
  @Enum({ items: () => FindingKind, nativeEnumName: 'finding_kind' })
  kind!: FindingKind;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;
}

/** A recommendation (kiến nghị) addressed to a unit, followed up to resolution. */
@ObjectType()
@Entity({ tableName: 'recommendation' })
export class Recommendation extends BaseEntity {
  @ManyToOne(() => Mission, { ref: true, index: true })
  mission!: Ref<Mission>;

  @ManyToOne(() => Finding, { ref: true, nullable: true, index: true })
  finding?: Ref<Finding> | null;

  @ManyToOne(() => Unit, { ref: true, index: true })
  addressee!: Ref<Unit>;

  @Field(() => String)
  @Property({ type: 'text' })
  content!: string;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  dueDate?: string | null;

  @Field(() => RecommendationStatus)
  @Enum({ items: () => RecommendationStatus, nativeEnumName: 'recommendation_status', default: RecommendationStatus.OPEN })
  status: RecommendationStatus = RecommendationStatus.OPEN;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  resolution?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;
}
