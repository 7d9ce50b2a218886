import { Migration20261126000000_extensions } from './Migration20261126000000_extensions';
import { Migration20261126000100_platform } from './Migration20261126000100_platform';
import { Migration20261126000200_audit_guard } from './Migration20261126000200_audit_guard';

/** Every migration in order; new ones are appended here (the migration check fails on a forgotten one). */
export const migrationsList = [
  { name: 'Migration20261126000000_extensions', class: Migration20261126000000_extensions },
  { name: 'Migration20261126000100_platform', class: Migration20261126000100_platform },
  { name: 'Migration20261126000200_audit_guard', class: Migration20261126000200_audit_guard },
];
