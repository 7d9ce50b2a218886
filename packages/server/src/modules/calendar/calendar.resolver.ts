import { Arg, Ctx as GqlCtx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { DateScalar } from '../../graphql/scalars';
import { CalendarDay } from './calendar.entity';
import { SetCalendarDayInput } from './calendar.inputs';
import * as calendar from './calendar.service';

@Resolver(() => CalendarDay)
export class CalendarResolver {
  @Allow.read()
  @Query(() => [CalendarDay], { description: 'holidays, days off and make-up Saturdays of a year, by date' })
  calendarDays(@Arg('year', () => Int) year: number, @GqlCtx() ctx: Ctx) {
    return calendar.calendarDays(ctx, year);
  }

  @Allow.read()
  @Query(() => DateScalar, {
    description:
      'counts from the next day; weekends, HOLIDAY and DAY_OFF do not count, WORKING_DAY does. Past the calendar data: extensions.warnings',
  })
  workingDaysAfter(@Arg('date', () => DateScalar) date: string, @Arg('days', () => Int) days: number, @GqlCtx() ctx: Ctx) {
    return calendar.workingDaysAfterQuery(ctx, date, days);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => CalendarDay)
  setCalendarDay(@Arg('input', () => SetCalendarDayInput) input: SetCalendarDayInput, @GqlCtx() ctx: Ctx) {
    return calendar.setCalendarDay(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'hard delete (configuration), audited' })
  removeCalendarDay(@Arg('date', () => DateScalar) date: string, @GqlCtx() ctx: Ctx) {
    return calendar.removeCalendarDay(ctx, date);
  }
}
