import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, notFound } from '../../common/errors';
import { checkText, clean, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql, sqlOne } from '../../db/sql';
import { isCalendarDate } from '../../graphql/scalars';
import { CalendarDay, CalendarDayKind } from './calendar.entity';
import type { SetCalendarDayInput } from './calendar.inputs';
import { addWarning } from './calendar.warnings';

const DAY_MS = 86_400_000;
const toUtc = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => fromUtc(toUtc(d) + n * DAY_MS);

export function calendarWarning(year: number) {
  return {
    vi: `Lịch làm việc chưa được cập nhật cho năm ${year}: kết quả chỉ tính thứ Bảy, Chủ nhật là ngày nghỉ`,
    en: `The working calendar is not maintained for ${year}: only weekends were treated as days off`,
  };
}

/**
 * The date `days` working days after `date`, counting from the next day (Bộ luật Dân sự Art. 147–148):
 * weekends, HOLIDAY and DAY_OFF do not count, a WORKING_DAY (make-up Saturday) does. Past the last year
 * with calendar data it still answers, with a warning that the calendar is not maintained for that year.
 */
export async function workingDaysAfter(em: EntityManager, date: string, days: number): Promise<{ date: string; warning?: string }> {
  if (!isCalendarDate(date)) throw badInput([{ field: 'date', vi: 'Ngày không hợp lệ', en: 'Invalid date' }]);
  if (!Number.isInteger(days) || days < 0 || days > 3660) {
    throw badInput([{ field: 'days', vi: 'Số ngày làm việc phải từ 0 đến 3660', en: 'days must be between 0 and 3660' }]);
  }
  const last = await sqlOne<{ y: number | null }>(em, 'SELECT extract(year FROM max(date))::int AS y FROM calendar_day');
  const lastYear = last?.y ?? null;
  // Enough calendar to cover the count: at most 2 weekend days per 5, plus a generous margin for holidays.
  const horizon = addDays(date, Math.ceil(days * 1.6) + 60);
  const rows = await sql<{ d: string; kind: CalendarDayKind }>(
    em,
    'SELECT date::text AS d, kind FROM calendar_day WHERE date > ? AND date <= ?',
    [date, horizon],
  );
  const exceptions = new Map(rows.map((r) => [r.d, r.kind]));
  let current = date;
  for (let counted = 0; counted < days; ) {
    current = addDays(current, 1);
    const kind = exceptions.get(current);
    const weekday = new Date(toUtc(current)).getUTCDay();
    const working = kind === CalendarDayKind.WORKING_DAY || (kind === undefined && weekday !== 0 && weekday !== 6);
    if (working) counted++;
  }
  const year = +current.slice(0, 4);
  if (lastYear === null || year > lastYear) return { date: current, warning: calendarWarning(year).en };
  return { date: current };
}

/** The GraphQL form: the warning goes into the response's `extensions.warnings`. */
export async function workingDaysAfterQuery(ctx: Ctx, date: string, days: number): Promise<string> {
  const r = await workingDaysAfter(ctx.em, date, days);
  if (r.warning) addWarning(ctx, calendarWarning(+r.date.slice(0, 4)));
  return r.date;
}

export async function calendarDays(ctx: Ctx, year: number): Promise<CalendarDay[]> {
  if (!Number.isInteger(year) || year < 1900 || year > 2200)
    throw badInput([{ field: 'year', vi: 'Năm không hợp lệ', en: 'Invalid year' }]);
  return ctx.em.find(CalendarDay, { date: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } }, { orderBy: { date: 'asc' } });
}

/** Creates or replaces the entry of a date. */
export async function setCalendarDay(ctx: Ctx, input: SetCalendarDayInput): Promise<CalendarDay> {
  const v = new Validation();
  checkText(v, 'name', input.name, 300);
  checkText(v, 'source', input.source, 1000, false);
  const weekday = new Date(toUtc(input.date)).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (input.kind === CalendarDayKind.WORKING_DAY) {
    v.check(weekend, 'kind', 'Ngày làm bù phải là thứ Bảy hoặc Chủ nhật', 'A make-up working day must fall on a weekend');
  }
  v.throwIfAny();
  const existing = await ctx.em.findOne(CalendarDay, { date: input.date });
  ctx.audit = { entityType: 'CalendarDay', entityId: existing?.id ?? null, before: snapshot(existing) };
  const day = existing ?? ctx.em.create(CalendarDay, { date: input.date, kind: input.kind, name: '' });
  day.kind = input.kind;
  day.name = clean(input.name);
  day.source = input.source ? clean(input.source) : null;
  stamp(ctx, day, !existing);
  return day;
}

/** Calendar days are configuration: the one hard delete the API allows (audited). */
export async function removeCalendarDay(ctx: Ctx, date: string): Promise<boolean> {
  const existing = await ctx.em.findOne(CalendarDay, { date });
  if (!existing) throw notFound();
  ctx.audit = { entityType: 'CalendarDay', entityId: existing.id, before: snapshot(existing), after: null };
  ctx.em.remove(existing);
  return true;
}
