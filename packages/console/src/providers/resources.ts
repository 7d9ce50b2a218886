import { PART2_RESOURCES } from './resources-part2';

/** How each Refine resource maps onto our GraphQL names (API.md conventions). */
export interface ResourceApi {
  list: string;
  one: string;
  fields: string;
  create?: string;
  update?: string;
  archive?: string;
  /** Input fields each mutation accepts; anything else in the form values is left out. */
  createInput?: string[];
  updateInput?: string[];
}

const unitRef = '{ id code name kind }';

export const RESOURCES: Record<string, ResourceApi> = {
  units: {
    list: 'units',
    one: 'unit',
    fields: `id version code name kind level validFrom validTo archived createdAt updatedAt parent ${unitRef}`,
    create: 'createUnit',
    update: 'updateUnit',
    archive: 'archiveUnit',
    createInput: ['code', 'name', 'kind', 'parentId', 'validFrom', 'validTo'],
    updateInput: ['code', 'name', 'kind', 'parentId', 'validFrom', 'validTo'],
  },
  programs: {
    list: 'programs',
    one: 'program',
    fields: 'id version code name startYear endYear decisionRef archived updatedAt',
    create: 'createProgram',
    update: 'updateProgram',
    archive: 'archiveProgram',
    createInput: ['code', 'name', 'startYear', 'endYear', 'decisionRef'],
    updateInput: ['code', 'name', 'startYear', 'endYear', 'decisionRef'],
  },
  programComponents: {
    list: 'programComponents',
    one: 'programComponent',
    fields: 'id version code name kind archived updatedAt program { id code name } parent { id code name }',
    create: 'createProgramComponent',
    update: 'updateProgramComponent',
    archive: 'archiveProgramComponent',
    createInput: ['programId', 'parentId', 'code', 'name', 'kind'],
    updateInput: ['code', 'name'],
  },
  users: {
    list: 'users',
    one: 'user',
    fields: `id version username displayName role disabled archived updatedAt unit ${unitRef}`,
    create: 'createUser',
    update: 'updateUser',
    createInput: ['username', 'password', 'displayName', 'role', 'unitId'],
    updateInput: ['displayName', 'role', 'unitId', 'disabled'],
  },
  auditEvents: {
    list: 'auditEvents',
    one: 'auditEvents',
    fields: 'id at operation entityType entityId outcome message requestId actor { id username displayName } before after details',
  },
  ...PART2_RESOURCES,
};

export const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `startYear` → `START_YEAR` (our sort-field enums). */
export const sortField = (field: string) => field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
