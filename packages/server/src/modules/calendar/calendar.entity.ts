import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar } from '../../graphql/scalars';

/** WORKING_DAY is a make-up Saturday; HOLIDAY and DAY_OFF are weekdays nobody works. */
export enum CalendarDayKind {
  HOLIDAY = 'HOLIDAY',
  DAY_OFF = 'DAY_OFF',
  WORKING_DAY = 'WORKING_DAY',
}
registerEnumType(CalendarDayKind, { name: 'CalendarDayKind', description: 'WORKING_DAY = a make-up Saturday' });

/** One exception to the Monday–Friday working week (DOMAIN.md §4), with where it comes from. */
@ObjectType()
@Entity({ tableName: 'calendar_day' })
export class CalendarDay extends BaseEntity {
  @Field(() => DateScalar)
  @Property({ type: 'date', unique: true })
  date!: string;

  @Field(() => CalendarDayKind)
  @Enum({ items: () => CalendarDayKind, nativeEnumName: 'calendar_day_kind' })
  kind!: CalendarDayKind;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  source?: string | null;
}
