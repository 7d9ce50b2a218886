import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DecimalScalar } from '../../graphql/scalars';
import { ProgramComponent } from '../programs/program.entity';
import { Unit } from '../units/unit.entity';
import { Aggregation, Direction, Measure, Period } from './indicator.enums';

/** A catalog entry (reference data): what is measured, which way is better, how it rolls up. */
@ObjectType()
@Entity({ tableName: 'indicator' })
export class Indicator extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  unitOfMeasure?: string | null;

  @Field(() => Measure)
  @Enum({ items: () => Measure, nativeEnumName: 'indicator_measure' })
  measure!: Measure;

  @Field(() => Direction)
  @Enum({ items: () => Direction, nativeEnumName: 'indicator_direction' })
  direction!: Direction;

  @Field(() => Aggregation)
  @Enum({ items: () => Aggregation, nativeEnumName: 'indicator_aggregation' })
  aggregation!: Aggregation;

  @ManyToOne(() => ProgramComponent, { ref: true, nullable: true, index: true })
  component?: Ref<ProgramComponent> | null;
}

/**
 * Baseline and target of an indicator for a unit and year; `year` null is the phase target.
 * Unique per (indicator, unit, year) through an expression index in the migration (null years included).
 */
@ObjectType()
@Entity({ tableName: 'indicator_target' })
@Index({
  name: 'indicator_target_key',
  expression: 'create unique index "indicator_target_key" on "indicator_target" ("indicator_id", "unit_id", coalesce("year", -1))',
})
@Index({ properties: ['unit'] })
export class IndicatorTarget extends BaseEntity {
  @ManyToOne(() => Indicator, { ref: true })
  indicator!: Ref<Indicator>;

  @ManyToOne(() => Unit, { ref: true })
  unit!: Ref<Unit>;

  @Field(() => Int, { nullable: true, description: 'null: the phase target' })
  @Property({ type: 'integer', nullable: true })
  year?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  baseline?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  target?: string | null;
}

/** A result of an indicator for a unit, year and period; exact decimals, never floats. */
@ObjectType()
@Entity({ tableName: 'indicator_value' })
@Unique({ properties: ['indicator', 'unit', 'year', 'period'] })
@Index({ properties: ['unit', 'year'] })
export class IndicatorValue extends BaseEntity {
  @ManyToOne(() => Indicator, { ref: true })
  indicator!: Ref<Indicator>;

  @ManyToOne(() => Unit, { ref: true })
  unit!: Ref<Unit>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Period)
  @Enum({ items: () => Period, nativeEnumName: 'indicator_period' })
  period!: Period;

  @Field(() => DecimalScalar, { nullable: true, description: 'RATIO: numerator / denominator (× 100 for PERCENT), rounded to 4 decimals' })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  value?: string | null;

  @Field(() => String, { nullable: true, description: 'QUALITATIVE indicators' })
  @Property({ type: 'text', nullable: true })
  textValue?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  numerator?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  denominator?: string | null;
}
