import { defineList, SortDirection } from '../../graphql/list';
import { Role } from '../../auth/roles';
import { User } from './user.entity';
import { ApiKey } from './api-key.entity';

export const userList = defineList({
  name: 'User',
  entity: User,
  gqlType: () => User,
  table: 'app_user',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    username: { kind: 'string', column: 't.username' },
    displayName: { kind: 'string', column: 't.display_name' },
    role: { kind: 'enum', column: 't.role', enumType: Role, enumName: 'Role' },
    unitId: { kind: 'id', column: 't.unit_id' },
    disabled: { kind: 'boolean', column: 't.disabled' },
  },
  extraFilters: {},
  sort: {
    USERNAME: { column: 't.username' },
    DISPLAY_NAME: { column: 't.display_name', vietnamese: true },
    ROLE: { column: 't.role' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'USERNAME', direction: SortDirection.ASC }],
});

export const apiKeyList = defineList({
  name: 'ApiKey',
  entity: ApiKey,
  gqlType: () => ApiKey,
  table: 'api_key',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    name: { kind: 'string', column: 't.name' },
    unitId: { kind: 'id', column: 't.unit_id' },
  },
  sort: { NAME: { column: 't.name', vietnamese: true }, CREATED_AT: { column: 't.created_at' } },
  defaultSort: [{ field: 'CREATED_AT', direction: SortDirection.DESC }],
});
