import { defineList, SortDirection } from '../../graphql/list';
import { ComponentKind } from './program.enums';
import { Program, ProgramComponent } from './program.entity';

export const programList = defineList({
  name: 'Program',
  entity: Program,
  gqlType: () => Program,
  table: 'program',
  fields: {
    id: { kind: 'id', column: 't.id' },
    code: { kind: 'string', column: 't.code' },
    name: { kind: 'string', column: 't.name' },
    startYear: { kind: 'int', column: 't.start_year' },
    endYear: { kind: 'int', column: 't.end_year' },
  },
  sort: {
    CODE: { column: 't.code' },
    NAME: { column: 't.name', vietnamese: true },
    START_YEAR: { column: 't.start_year' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'START_YEAR', direction: SortDirection.ASC }],
});

export const componentList = defineList({
  name: 'ProgramComponent',
  entity: ProgramComponent,
  gqlType: () => ProgramComponent,
  table: 'program_component',
  fields: {
    id: { kind: 'id', column: 't.id' },
    programId: { kind: 'id', column: 't.program_id' },
    parentId: { kind: 'id', column: 't.parent_id' },
    code: { kind: 'string', column: 't.code' },
    name: { kind: 'string', column: 't.name' },
    kind: { kind: 'enum', column: 't.kind', enumType: ComponentKind, enumName: 'ComponentKind' },
  },
  sort: {
    CODE: { column: 't.code' },
    NAME: { column: 't.name', vietnamese: true },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'CODE', direction: SortDirection.ASC }],
});
