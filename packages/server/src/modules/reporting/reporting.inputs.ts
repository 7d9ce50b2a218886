import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { ReportType } from '../programs/program.enums';

@InputType()
export class CreateObligationInput {
  @Field(() => ID) programId!: string;
  @Field(() => ReportType) type!: ReportType;
  @Field(() => ID) submitterId!: string;
  @Field(() => DateScalar) dueDate!: string;
  @Field(() => ID, { nullable: true }) componentId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'absent or empty: the default recipients (API.md)' }) recipientIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'absent: named after the report type and submitter' }) title?: string | null;
}

@InputType()
export class ReportSectionInput {
  @Field(() => String) key!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
}

@InputType()
export class SaveReportInput {
  @Field(() => ID) obligationId!: string;
  @Field(() => Int, { nullable: true, description: 'required once the report exists' }) version?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => [ReportSectionInput], { nullable: true, description: 'absent on the first save: the default headings of the report type' })
  sections?: ReportSectionInput[] | null;
  @Field(() => [ID], { nullable: true }) attachmentIds?: string[] | null;
}

@InputType()
export class CompletenessFilter {
  @Field(() => ID, { nullable: true }) programId?: string | null;
  @Field(() => Int, { nullable: true }) year?: number | null;
  @Field(() => ReportType, { nullable: true }) type?: ReportType | null;
  @Field(() => ID, { nullable: true }) underUnit?: string | null;
}
