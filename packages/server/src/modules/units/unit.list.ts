import { defineList, SortDirection } from '../../graphql/list';
import { DateScalar } from '../../graphql/scalars';
import { Unit, UnitKind } from './unit.entity';

export const unitList = defineList({
  name: 'Unit',
  entity: Unit,
  gqlType: () => Unit,
  table: 'unit',
  reference: true,
  fields: {
    id: { kind: 'id', column: 't.id' },
    code: { kind: 'string', column: 't.code' },
    name: { kind: 'string', column: 't.name' },
    kind: { kind: 'enum', column: 't.kind', enumType: UnitKind, enumName: 'UnitKind' },
    parentId: { kind: 'id', column: 't.parent_id' },
    level: { kind: 'int', column: 't.level' },
    validFrom: { kind: 'date', column: 't.valid_from' },
    validTo: { kind: 'date', column: 't.valid_to' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  extraFilters: {
    validOn: {
      type: () => DateScalar,
      description: 'units valid on that date (open-ended validity counts as valid)',
      apply: (date: string, params) => {
        params.push(date, date);
        return '(t.valid_from IS NULL OR t.valid_from <= ?::date) AND (t.valid_to IS NULL OR t.valid_to >= ?::date)';
      },
    },
  },
  sort: {
    NAME: { column: 't.name', vietnamese: true },
    CODE: { column: 't.code' },
    KIND: { column: 't.kind' },
    LEVEL: { column: 't.level' },
    VALID_FROM: { column: 't.valid_from', nullable: true },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'NAME', direction: SortDirection.ASC }],
});
