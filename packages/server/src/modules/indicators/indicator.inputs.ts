import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { Aggregation, Direction, Measure, Period } from './indicator.enums';
import { Indicator } from './indicator.entity';

@InputType()
export class CreateIndicatorInput {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) unitOfMeasure?: string | null;
  @Field(() => Measure) measure!: Measure;
  @Field(() => Direction) direction!: Direction;
  @Field(() => Aggregation) aggregation!: Aggregation;
  @Field(() => ID, { nullable: true }) componentId?: string | null;
}

@InputType()
export class UpdateIndicatorInput {
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) unitOfMeasure?: string | null;
  @Field(() => Measure, { nullable: true }) measure?: Measure;
  @Field(() => Direction, { nullable: true }) direction?: Direction;
  @Field(() => Aggregation, { nullable: true }) aggregation?: Aggregation;
  @Field(() => ID, { nullable: true }) componentId?: string | null;
}

@InputType()
export class SetIndicatorTargetInput {
  @Field(() => ID) indicatorId!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => Int, { nullable: true, description: 'null: the phase target' }) year?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) baseline?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) target?: string | null;
}

@InputType()
export class RecordIndicatorValueInput {
  @Field(() => ID) indicatorId!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => Int) year!: number;
  @Field(() => Period) period!: Period;
  @Field(() => DecimalScalar, { nullable: true, description: 'ignored for RATIO indicators: computed from numerator and denominator' })
  value?: string | null;
  @Field(() => String, { nullable: true, description: 'required for QUALITATIVE indicators' }) textValue?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'required for RATIO indicators' }) numerator?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'required for RATIO indicators' }) denominator?: string | null;
}

@InputType()
export class IndicatorProgressFilter {
  @Field(() => [ID], { nullable: true }) indicatorIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'that unit and its descendants (narrowed to the caller scope)' }) underUnit?:
    | string
    | null;
  @Field(() => Int, { nullable: true }) year?: number | null;
}

/** One row of indicatorProgress; it carries the keys it was grouped by (the indicator always). */
@ObjectType()
export class IndicatorProgressRow {
  @Field(() => Indicator) indicator!: Indicator;
  @Field(() => Unit, { nullable: true }) unit?: Unit | null;
  @Field(() => Int, { nullable: true }) year?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) baseline?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) target?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'null for QUALITATIVE indicators and undefined ratios' }) actual?:
    | string
    | null;
  @Field(() => DecimalScalar, { nullable: true, description: '(actual − baseline)/(target − baseline), 4 decimals; null when undefined' })
  achievement?: string | null;

  indicatorId!: string;
  unitId?: string | null;
}
