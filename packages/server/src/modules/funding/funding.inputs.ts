import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, MoneyScalar } from '../../graphql/scalars';
import { FundingSource } from './funding.enums';

@InputType()
export class CreateFundingAllocationInput {
  @Field(() => ID) componentId!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => Int) year!: number;
  @Field(() => FundingSource) source!: FundingSource;
  @Field(() => MoneyScalar) plannedAmount!: string;
  @Field(() => MoneyScalar) allocatedAmount!: string;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
}

@InputType({ description: 'new figures; an absent amount keeps its current value' })
export class ReviseFundingAllocationInput {
  @Field(() => MoneyScalar, { nullable: true }) plannedAmount?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) allocatedAmount?: string | null;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class RecordDisbursementInput {
  @Field(() => ID) allocationId!: string;
  @Field(() => DateScalar) date!: string;
  @Field(() => MoneyScalar, { description: 'negative: a correction' }) amount!: string;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => String, { nullable: true, description: 'the same key from the same caller records once and answers the same' })
  idempotencyKey?: string | null;
}
