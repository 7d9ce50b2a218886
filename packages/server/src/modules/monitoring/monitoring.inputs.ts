import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { FindingKind, MemberRole, RecommendationStatus } from './monitoring.enums';

@InputType()
export class CreateMonitoringPlanInput {
  @Field(() => ID) unitId!: string;
  @Field(() => Int) year!: number;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) documentRef?: string | null;
}

@InputType()
export class MissionMemberInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) position?: string | null;
  @Field(() => ID, { nullable: true }) organizationId?: string | null;
  @Field(() => MemberRole) role!: MemberRole;
}

@InputType()
export class CreateMissionInput {
  @Field(() => ID, { nullable: true, description: 'absent: the program running on startDate' }) programId?: string | null;
  @Field(() => ID, { nullable: true, description: 'absent: an ad hoc mission' }) planId?: string | null;
  @Field(() => ID) leadUnitId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
  @Field(() => [ID]) targetUnitIds!: string[];
  @Field(() => [ID], { nullable: true }) componentIds?: string[] | null;
  @Field(() => [MissionMemberInput]) members!: MissionMemberInput[];
  @Field(() => String, { nullable: true, description: 'lets an overlap with other missions through; recorded and audited' })
  overlapJustification?: string | null;
}

@InputType()
export class UpdateMissionInput {
  @Field(() => ID, { nullable: true }) planId?: string | null;
  @Field(() => ID, { nullable: true }) leadUnitId?: string;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => String, { nullable: true }) decisionRef?: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: string;
  @Field(() => DateScalar, { nullable: true }) endDate?: string;
  @Field(() => [ID], { nullable: true }) targetUnitIds?: string[];
  @Field(() => [ID], { nullable: true }) componentIds?: string[];
  @Field(() => [MissionMemberInput], { nullable: true }) members?: MissionMemberInput[];
  @Field(() => String, { nullable: true }) overlapJustification?: string | null;
}

@InputType()
export class CreateFindingInput {
  @Field(() => ID) missionId!: string;
  @Field(() => ID, { nullable: true }) unitId?: string | null;
  @Field(() => ID, { nullable: true }) componentId?: string | null;
  @Field(() => FindingKind) kind!: FindingKind;
  @Field(() => String) description!: string;
}

@InputType()
export class CreateRecommendationInput {
  @Field(() => ID) missionId!: string;
  @Field(() => ID, { nullable: true }) findingId?: string | null;
  @Field(() => ID, { description: 'any unit, the province too' }) addresseeId!: string;
  @Field(() => String) content!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate?: string | null;
}

@InputType()
export class UpdateRecommendationInput {
  @Field(() => RecommendationStatus, { nullable: true }) status?: RecommendationStatus;
  @Field(() => String, { nullable: true }) resolution?: string | null;
}
