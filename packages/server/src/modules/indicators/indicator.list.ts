import { defineList, SortDirection } from '../../graphql/list';
import { Aggregation, Direction, Measure, Period } from './indicator.enums';
import { Indicator, IndicatorTarget, IndicatorValue } from './indicator.entity';

/** The catalog: reference data, readable by every signed-in caller. */
export const indicatorList = defineList({
  name: 'Indicator',
  entity: Indicator,
  gqlType: () => Indicator,
  table: 'indicator',
  fields: {
    id: { kind: 'id', column: 't.id' },
    code: { kind: 'string', column: 't.code' },
    name: { kind: 'string', column: 't.name' },
    unitOfMeasure: { kind: 'string', column: 't.unit_of_measure' },
    measure: { kind: 'enum', column: 't.measure', enumType: Measure, enumName: 'Measure' },
    direction: { kind: 'enum', column: 't.direction', enumType: Direction, enumName: 'Direction' },
    aggregation: { kind: 'enum', column: 't.aggregation', enumType: Aggregation, enumName: 'Aggregation' },
    componentId: { kind: 'id', column: 't.component_id' },
  },
  sort: {
    CODE: { column: 't.code' },
    NAME: { column: 't.name', vietnamese: true },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'CODE', direction: SortDirection.ASC }],
});

export const indicatorTargetList = defineList({
  name: 'IndicatorTarget',
  entity: IndicatorTarget,
  gqlType: () => IndicatorTarget,
  table: 'indicator_target',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    indicatorId: { kind: 'id', column: 't.indicator_id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    year: { kind: 'int', column: 't.year' },
    baseline: { kind: 'decimal', column: 't.baseline' },
    target: { kind: 'decimal', column: 't.target' },
  },
  sort: {
    YEAR: { column: 't.year', nullable: true },
    UNIT_ID: { column: 't.unit_id' },
    INDICATOR_ID: { column: 't.indicator_id' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [
    { field: 'INDICATOR_ID', direction: SortDirection.ASC },
    { field: 'UNIT_ID', direction: SortDirection.ASC },
    { field: 'YEAR', direction: SortDirection.ASC },
  ],
});

export const indicatorValueList = defineList({
  name: 'IndicatorValue',
  entity: IndicatorValue,
  gqlType: () => IndicatorValue,
  table: 'indicator_value',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    indicatorId: { kind: 'id', column: 't.indicator_id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    year: { kind: 'int', column: 't.year' },
    period: { kind: 'enum', column: 't.period', enumType: Period, enumName: 'Period' },
    value: { kind: 'decimal', column: 't.value' },
    textValue: { kind: 'string', column: 't.text_value' },
  },
  sort: {
    YEAR: { column: 't.year' },
    PERIOD: { column: 't.period' },
    UNIT_ID: { column: 't.unit_id' },
    INDICATOR_ID: { column: 't.indicator_id' },
    VALUE: { column: 't.value', nullable: true },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [
    { field: 'INDICATOR_ID', direction: SortDirection.ASC },
    { field: 'UNIT_ID', direction: SortDirection.ASC },
    { field: 'YEAR', direction: SortDirection.ASC },
    { field: 'PERIOD', direction: SortDirection.ASC },
  ],
});
