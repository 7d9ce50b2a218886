import { Migration } from '@mikro-orm/migrations';

/** Tables whose rows a request may legitimately delete: configuration, throttling and link tables replaced as a whole. */
const DELETABLE = [
  'calendar_day',
  'login_throttle',
  'mission_target_unit',
  'mission_component',
  'mission_member',
  'report_attachment',
  'reporting_obligation_recipient',
  'unit_successor',
];

/** In scope: the caller is unscoped ('' = ADMIN) or the unit lies under the caller's scope path. */
const unitIn = (col: string) => `ntp_unit_visible(${col})`;

/** [table, USING, WITH CHECK] for every unit-tied table (mirrors each list's unitLink). */
const POLICIES: [string, string, string][] = [
  ['app_user', unitIn('unit_id'), unitIn('unit_id')],
  ['api_key', unitIn('unit_id'), unitIn('unit_id')],
  ['funding_allocation', unitIn('unit_id'), unitIn('unit_id')],
  ['disbursement', unitIn('unit_id'), unitIn('unit_id')],
  ['funding_revision', 'ntp_allocation_visible(allocation_id)', 'ntp_allocation_visible(allocation_id)'],
  ['monitoring_plan', unitIn('unit_id'), unitIn('unit_id')],
  ['indicator_target', unitIn('unit_id'), unitIn('unit_id')],
  ['indicator_value', unitIn('unit_id'), unitIn('unit_id')],
  ['mission', `${unitIn('lead_unit_id')} OR ntp_mission_visible(id)`, `${unitIn('lead_unit_id')} OR ntp_mission_visible(id)`],
  ['mission_member', 'ntp_mission_visible(mission_id)', 'ntp_mission_visible(mission_id)'],
  ['mission_target_unit', 'ntp_mission_visible(mission_id)', 'ntp_mission_visible(mission_id)'],
  ['mission_component', 'ntp_mission_visible(mission_id)', 'ntp_mission_visible(mission_id)'],
  [
    'finding',
    `${unitIn('unit_id')} OR ntp_mission_lead_visible(mission_id)`,
    `${unitIn('unit_id')} OR ntp_mission_lead_visible(mission_id)`,
  ],
  // A recommendation may be addressed outside the scope (the province): its mission or its addressee counts.
  [
    'recommendation',
    `${unitIn('addressee_id')} OR ntp_mission_visible(mission_id)`,
    `${unitIn('addressee_id')} OR ntp_mission_visible(mission_id)`,
  ],
  [
    'reporting_obligation',
    `${unitIn('submitter_id')} OR ntp_obligation_visible(id)`,
    `${unitIn('submitter_id')} OR ntp_obligation_visible(id)`,
  ],
  ['reporting_obligation_recipient', 'ntp_obligation_visible(obligation_id)', 'ntp_obligation_visible(obligation_id)'],
  ['report', 'ntp_obligation_visible(obligation_id)', 'ntp_obligation_visible(obligation_id)'],
  ['report_event', 'ntp_report_visible(report_id)', 'ntp_report_visible(report_id)'],
  ['report_attachment', 'ntp_report_visible(report_id)', 'ntp_report_visible(report_id)'],
];

/**
 * Defense in depth (issue 8): every GraphQL request runs as the non-owner role `ntp_request` with the
 * caller's scope path in the transaction setting `ntp.scope_path` ('' = unscoped ADMIN, '-' = anonymous);
 * row-level security on the unit-tied tables then hides and refuses rows outside that scope even when a
 * service forgets its filter. The owner (migrations, seeds, the refused-mutation audit writer) bypasses RLS.
 */
export class Migration20261126008000_rls extends Migration {
  override async up(): Promise<void> {
    // Roles are cluster-wide: another database on the cluster may have created it already (even concurrently).
    this.addSql(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ntp_request') THEN
        BEGIN
          CREATE ROLE ntp_request NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'ntp_request', 'MEMBER') THEN
        EXECUTE format('GRANT ntp_request TO %I', current_user);
      END IF;
    END $$;`);
    this.addSql('GRANT USAGE ON SCHEMA public TO ntp_request;');
    this.addSql('GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ntp_request;');
    this.addSql('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ntp_request;');
    this.addSql('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO ntp_request;');
    this.addSql('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ntp_request;');
    this.addSql(`GRANT DELETE ON ${DELETABLE.join(', ')} TO ntp_request;`);
    this.addSql('REVOKE ALL ON mikro_orm_migrations FROM ntp_request;');

    this.addSql(`CREATE OR REPLACE FUNCTION ntp_unit_visible(u bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT current_setting('ntp.scope_path', true) = ''
          OR u IN (SELECT id FROM unit WHERE path LIKE current_setting('ntp.scope_path', true) || '%')
    $$;`);
    // The composite checks look through RLS-protected tables, so they run as the owner (no recursion).
    this
      .addSql(`CREATE OR REPLACE FUNCTION ntp_mission_visible(m bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT current_setting('ntp.scope_path', true) = ''
          OR EXISTS (SELECT 1 FROM mission x WHERE x.id = m AND ntp_unit_visible(x.lead_unit_id))
          OR EXISTS (SELECT 1 FROM mission_target_unit x WHERE x.mission_id = m AND ntp_unit_visible(x.unit_id))
    $$;`);
    this
      .addSql(`CREATE OR REPLACE FUNCTION ntp_mission_lead_visible(m bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT current_setting('ntp.scope_path', true) = ''
          OR EXISTS (SELECT 1 FROM mission x WHERE x.id = m AND ntp_unit_visible(x.lead_unit_id))
    $$;`);
    this
      .addSql(`CREATE OR REPLACE FUNCTION ntp_obligation_visible(o bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT current_setting('ntp.scope_path', true) = ''
          OR EXISTS (SELECT 1 FROM reporting_obligation x WHERE x.id = o AND ntp_unit_visible(x.submitter_id))
          OR EXISTS (SELECT 1 FROM reporting_obligation_recipient x WHERE x.obligation_id = o AND ntp_unit_visible(x.unit_id))
    $$;`);
    this
      .addSql(`CREATE OR REPLACE FUNCTION ntp_report_visible(r bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT EXISTS (SELECT 1 FROM report x WHERE x.id = r AND ntp_obligation_visible(x.obligation_id))
    $$;`);
    this
      .addSql(`CREATE OR REPLACE FUNCTION ntp_allocation_visible(a bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT EXISTS (SELECT 1 FROM funding_allocation x WHERE x.id = a AND ntp_unit_visible(x.unit_id))
    $$;`);

    for (const [table, using, check] of POLICIES) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY ntp_scope ON ${table} FOR ALL TO ntp_request USING (${using}) WITH CHECK (${check});`);
    }
    // Sign-in runs with no caller and looks the user up by name: anonymous requests (which may call
    // nothing but `login`) read people's accounts, never service accounts, and write none.
    this.addSql(
      `CREATE POLICY ntp_sign_in ON app_user FOR SELECT TO ntp_request USING (current_setting('ntp.scope_path', true) = '-' AND NOT service_account);`,
    );
    // Audit: read within scope (unit-less events: unscoped callers only); every request writes its own event.
    this.addSql('ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;');
    this.addSql(`CREATE POLICY ntp_scope_read ON audit_event FOR SELECT TO ntp_request USING (${unitIn('unit_id')});`);
    this.addSql('CREATE POLICY ntp_append ON audit_event FOR INSERT TO ntp_request WITH CHECK (true);');
  }

  override async down(): Promise<void> {
    for (const [table] of POLICIES) {
      this.addSql(`DROP POLICY IF EXISTS ntp_scope ON ${table};`);
      this.addSql(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`);
    }
    this.addSql('DROP POLICY IF EXISTS ntp_sign_in ON app_user;');
    this.addSql('DROP POLICY IF EXISTS ntp_scope_read ON audit_event;');
    this.addSql('DROP POLICY IF EXISTS ntp_append ON audit_event;');
    this.addSql('ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY;');
    for (const f of [
      'ntp_report_visible',
      'ntp_obligation_visible',
      'ntp_mission_lead_visible',
      'ntp_mission_visible',
      'ntp_allocation_visible',
      'ntp_unit_visible',
    ]) {
      this.addSql(`DROP FUNCTION IF EXISTS ${f}(bigint);`);
    }
    this.addSql('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ntp_request;');
    this.addSql('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ntp_request;');
    this.addSql('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ntp_request;');
    this.addSql('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ntp_request;');
    this.addSql('REVOKE USAGE ON SCHEMA public FROM ntp_request;');
    // The role is cluster-wide and other databases may still use it: it stays.
  }
}
