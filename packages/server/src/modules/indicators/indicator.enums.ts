import { registerEnumType } from 'type-graphql';

/** What a value measures; PERCENT values are points (12.35 means 12.35 %). */
export enum Measure {
  NUMBER = 'NUMBER',
  PERCENT = 'PERCENT',
  QUALITATIVE = 'QUALITATIVE',
}
registerEnumType(Measure, { name: 'Measure', description: 'PERCENT values are points: 12.35 means 12.35 %' });

/** Which way is progress. */
export enum Direction {
  INCREASE = 'INCREASE',
  DECREASE = 'DECREASE',
}
registerEnumType(Direction, { name: 'Direction' });

/** How values roll up across units (API.md, Indicators). */
export enum Aggregation {
  SUM = 'SUM',
  AVERAGE = 'AVERAGE',
  RATIO = 'RATIO',
  LAST = 'LAST',
}
registerEnumType(Aggregation, { name: 'Aggregation' });

/** The period a value covers: the whole year or one half. */
export enum Period {
  YEAR = 'YEAR',
  H1 = 'H1',
  H2 = 'H2',
}
registerEnumType(Period, { name: 'Period' });

export enum IndicatorDimension {
  UNIT = 'UNIT',
  YEAR = 'YEAR',
  INDICATOR = 'INDICATOR',
}
registerEnumType(IndicatorDimension, { name: 'IndicatorDimension' });
