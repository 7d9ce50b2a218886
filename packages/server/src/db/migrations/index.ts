import { Migration20261126000000_extensions } from './Migration20261126000000_extensions';
import { Migration20261126000100_platform } from './Migration20261126000100_platform';
import { Migration20261126000200_audit_guard } from './Migration20261126000200_audit_guard';
import { Migration20261126001000_funding } from './Migration20261126001000_funding';
import { Migration20261126002000_reporting } from './Migration20261126002000_reporting';
import { Migration20261126003000_indicators } from './Migration20261126003000_indicators';
import { Migration20261126004000_monitoring } from './Migration20261126004000_monitoring';
import { Migration20261126005000_rate_limits } from './Migration20261126005000_rate_limits';
import { Migration20261126008000_rls } from './Migration20261126008000_rls';
import { Migration20261126009000_rls_set_tests } from './Migration20261126009000_rls_set_tests';
import { Migration20261126010000_funding_rollup } from './Migration20261126010000_funding_rollup';
import { Migration20261126011000_indicator_rollup } from './Migration20261126011000_indicator_rollup';
import { Migration20261126012000_obligation_standing } from './Migration20261126012000_obligation_standing';
import { Migration20261127000000_rls_sessions_files } from './Migration20261127000000_rls_sessions_files';
import { Migration20261127010000_auth_changed_notify } from './Migration20261127010000_auth_changed_notify';
import { Migration20261127020000_auth_changed_mark } from './Migration20261127020000_auth_changed_mark';

/** Every migration in order; new ones are appended here (the migration check fails on a forgotten one). */
export const migrationsList = [
  { name: 'Migration20261126000000_extensions', class: Migration20261126000000_extensions },
  { name: 'Migration20261126000100_platform', class: Migration20261126000100_platform },
  { name: 'Migration20261126000200_audit_guard', class: Migration20261126000200_audit_guard },
  { name: 'Migration20261126001000_funding', class: Migration20261126001000_funding },
  { name: 'Migration20261126002000_reporting', class: Migration20261126002000_reporting },
  { name: 'Migration20261126003000_indicators', class: Migration20261126003000_indicators },
  { name: 'Migration20261126004000_monitoring', class: Migration20261126004000_monitoring },
  { name: 'Migration20261126005000_rate_limits', class: Migration20261126005000_rate_limits },
  { name: 'Migration20261126008000_rls', class: Migration20261126008000_rls },
  { name: 'Migration20261126009000_rls_set_tests', class: Migration20261126009000_rls_set_tests },
  { name: 'Migration20261126010000_funding_rollup', class: Migration20261126010000_funding_rollup },
  { name: 'Migration20261126011000_indicator_rollup', class: Migration20261126011000_indicator_rollup },
  { name: 'Migration20261126012000_obligation_standing', class: Migration20261126012000_obligation_standing },
  { name: 'Migration20261127000000_rls_sessions_files', class: Migration20261127000000_rls_sessions_files },
  { name: 'Migration20261127010000_auth_changed_notify', class: Migration20261127010000_auth_changed_notify },
  { name: 'Migration20261127020000_auth_changed_mark', class: Migration20261127020000_auth_changed_mark },
];
