import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar, DecimalScalar, MoneyScalar } from '../../graphql/scalars';
import { ProgramComponent } from '../programs/program.entity';
import { Unit } from '../units/unit.entity';
import { FundingSource } from './funding.enums';

/**
 * One line of the funding ledger: a component's money for a unit, year and source. Changes only by
 * revision; `disbursedAmount` is the running total of its disbursements, kept under a row lock.
 */
@ObjectType()
@Entity({ tableName: 'funding_allocation' })
@Unique({ properties: ['component', 'unit', 'year', 'source'] })
@Check({
  name: 'funding_allocation_amounts_check',
  expression: 'planned_amount >= 0 and allocated_amount >= 0 and disbursed_amount >= 0 and disbursed_amount <= allocated_amount',
})
export class FundingAllocation extends BaseEntity {
  @ManyToOne(() => ProgramComponent, { ref: true, index: true })
  component!: Ref<ProgramComponent>;

  @ManyToOne(() => Unit, { ref: true, index: true })
  unit!: Ref<Unit>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => FundingSource)
  @Enum({ items: () => FundingSource, nativeEnumName: 'funding_source' })
  source!: FundingSource;

  @Field(() => MoneyScalar)
  @Property({ type: 'numeric', precision: 30, scale: 0 })
  plannedAmount!: string;

  @Field(() => MoneyScalar)
  @Property({ type: 'numeric', precision: 30, scale: 0 })
  allocatedAmount!: string;

  @Field(() => MoneyScalar, { description: 'running total of the disbursements' })
  @Property({ type: 'numeric', precision: 30, scale: 0, default: 0 })
  disbursedAmount!: string;

  @Field(() => String, { nullable: true, description: 'the deciding document of the current figures' })
  @Property({ type: 'text', nullable: true })
  decisionRef?: string | null;
}

/** One set of figures of an allocation; the original is the first. */
@ObjectType()
@Entity({ tableName: 'funding_revision' })
export class FundingRevision extends BaseEntity {
  @ManyToOne(() => FundingAllocation, { ref: true, index: true })
  allocation!: Ref<FundingAllocation>;

  @Field(() => MoneyScalar)
  @Property({ type: 'numeric', precision: 30, scale: 0 })
  plannedAmount!: string;

  @Field(() => MoneyScalar)
  @Property({ type: 'numeric', precision: 30, scale: 0 })
  allocatedAmount!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionRef?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}

/** A dated amount paid out of an allocation; negative amounts are corrections. Never edited. */
@ObjectType()
@Entity({ tableName: 'disbursement' })
export class Disbursement extends BaseEntity {
  @ManyToOne(() => FundingAllocation, { ref: true, index: true })
  allocation!: Ref<FundingAllocation>;

  /** The allocation's unit, copied so scope checks need no join. */
  @ManyToOne(() => Unit, { ref: true, index: true })
  unit!: Ref<Unit>;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  date!: string;

  @Field(() => MoneyScalar)
  @Property({ type: 'numeric', precision: 30, scale: 0 })
  amount!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;
}

/** recordDisbursement's idempotency keys: one per caller and key, with a hash of what it recorded. */
@Entity({ tableName: 'disbursement_idempotency' })
@Unique({ properties: ['userId', 'key'] })
export class DisbursementIdempotency {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  userId!: string;

  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  payloadHash!: string;

  @ManyToOne(() => Disbursement, { ref: true, nullable: true })
  disbursement?: Ref<Disbursement> | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** One row of fundingSummary: the keys it was grouped by, then the sums. */
@ObjectType()
export class FundingSummaryRow {
  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => FundingSource, { nullable: true })
  source?: FundingSource | null;

  unitId?: string | null;
  projectId?: string | null;
  subProjectId?: string | null;

  @Field(() => MoneyScalar)
  plannedAmount!: string;

  @Field(() => MoneyScalar)
  allocatedAmount!: string;

  @Field(() => MoneyScalar)
  disbursedAmount!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'disbursed / allocated, half-up to 4 decimals; null when nothing is allocated',
  })
  disbursementRate?: string | null;
}
