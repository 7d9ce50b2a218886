import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { UnitKind } from '../units/unit.entity';
import { ComponentKind, DeadlineKind, ReportType } from './program.enums';

@InputType()
export class CreateProgramInput {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) startYear!: number;
  @Field(() => Int) endYear!: number;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
}

@InputType()
export class UpdateProgramInput {
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => Int, { nullable: true }) startYear?: number;
  @Field(() => Int, { nullable: true }) endYear?: number;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
}

@InputType()
export class CreateProgramComponentInput {
  @Field(() => ID) programId!: string;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => ComponentKind) kind!: ComponentKind;
}

@InputType()
export class UpdateProgramComponentInput {
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
}

@InputType()
export class CreateDeadlineRuleInput {
  @Field(() => ID) programId!: string;
  @Field(() => ReportType) reportType!: ReportType;
  @Field(() => UnitKind, { nullable: true }) level?: UnitKind | null;
  @Field(() => DeadlineKind) kind!: DeadlineKind;
  @Field(() => DateScalar, { nullable: true }) date?: string | null;
  @Field(() => Int, { nullable: true }) month?: number | null;
  @Field(() => Int, { nullable: true }) day?: number | null;
  @Field(() => Int, { nullable: true }) workingDays?: number | null;
  @Field(() => Boolean, { nullable: true }) before?: boolean | null;
}

@InputType()
export class UpdateDeadlineRuleInput {
  @Field(() => ReportType, { nullable: true }) reportType?: ReportType;
  @Field(() => UnitKind, { nullable: true }) level?: UnitKind | null;
  @Field(() => DeadlineKind, { nullable: true }) kind?: DeadlineKind;
  @Field(() => DateScalar, { nullable: true }) date?: string | null;
  @Field(() => Int, { nullable: true }) month?: number | null;
  @Field(() => Int, { nullable: true }) day?: number | null;
  @Field(() => Int, { nullable: true }) workingDays?: number | null;
  @Field(() => Boolean, { nullable: true }) before?: boolean | null;
}
