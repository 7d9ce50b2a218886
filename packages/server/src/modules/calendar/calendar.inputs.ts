import { Field, InputType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { CalendarDayKind } from './calendar.entity';

@InputType()
export class SetCalendarDayInput {
  @Field(() => DateScalar) date!: string;
  @Field(() => CalendarDayKind) kind!: CalendarDayKind;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) source?: string | null;
}
