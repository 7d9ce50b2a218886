import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import { sql, sqlOne } from '../sql';
import { transactional } from '../transactional';
import { seedCalendar } from '../../modules/calendar/calendar.seed';
import { hashPassword } from '../../auth/passwords';
import {
  AGENCY,
  COMPONENTS,
  DEADLINE_RULES,
  DEMO_PASSWORD,
  DEMO_USERS,
  DISTRICT_CODE,
  PROGRAM,
  PROVINCE_AGENCY,
  PROVINCE_CODE,
  REPORTING_UNITS,
  UNITS,
} from './reference-data';
import { seedFundingDemo } from '../../modules/funding/funding.seed';
import { seedIndicatorCatalog, seedIndicatorDemo } from '../../modules/indicators/indicator.seed';
import { seedMonitoringDemo } from '../../modules/monitoring/monitoring.seed';

/** Each seed step runs once per database, marked in app_setting, so later edits are never overwritten. */
async function once(em: EntityManager, key: string, step: (tx: EntityManager) => Promise<void>): Promise<boolean> {
  const done = await sqlOne(em, 'SELECT 1 FROM app_setting WHERE key = ?', [key]);
  if (done) return false;
  await transactional(em, async (tx) => {
    await step(tx as EntityManager);
    await sql(tx as EntityManager, 'INSERT INTO app_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      new Date().toISOString(),
    ]);
  });
  return true;
}

const unitId = async (em: EntityManager, code: string) =>
  (await sqlOne<{ id: string }>(em, 'SELECT id::text FROM unit WHERE code = ?', [code]))!.id;

export async function insertUnit(
  em: EntityManager,
  u: { code: string; name: string; kind: string; parentCode?: string; validFrom?: string; validTo?: string },
) {
  const parent = u.parentCode
    ? await sqlOne<{ id: string; path: string; level: number }>(em, 'SELECT id, path, level FROM unit WHERE code = ?', [u.parentCode])
    : undefined;
  const [{ id }] = await sql<{ id: string }>(em, "SELECT nextval(pg_get_serial_sequence('unit', 'id'))::text AS id");
  await sql(
    em,
    `INSERT INTO unit (id, code, name, kind, parent_id, path, level, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      u.code,
      u.name.normalize('NFC'),
      u.kind,
      parent?.id ?? null,
      `${parent?.path ?? '/'}${id}/`,
      parent ? parent.level + 1 : 0,
      u.validFrom ?? null,
      u.validTo ?? null,
    ],
  );
  return id;
}

async function seedReference(em: EntityManager) {
  for (const u of UNITS) await insertUnit(em, { ...u, parentCode: u.parent });
  for (const u of UNITS) {
    for (const s of u.successors ?? []) {
      await sql(em, 'INSERT INTO unit_successor (unit_id, successor_id) VALUES (?, ?)', [await unitId(em, u.code), await unitId(em, s)]);
    }
  }
  const district = await unitId(em, DISTRICT_CODE);
  const province = await unitId(em, PROVINCE_CODE);
  for (const [unit, standing, finance] of [
    [district, AGENCY.labour, AGENCY.finance],
    [province, PROVINCE_AGENCY.standing, PROVINCE_AGENCY.finance],
  ]) {
    await sql(em, "INSERT INTO district_agency (unit_id, role, agency_id) VALUES (?, 'STANDING_AGENCY', ?), (?, 'FINANCE_PLANNING', ?)", [
      unit,
      await unitId(em, standing),
      unit,
      await unitId(em, finance),
    ]);
  }
  const [{ id: programId }] = await sql<{ id: string }>(
    em,
    'INSERT INTO program (code, name, start_year, end_year, decision_ref) VALUES (?, ?, ?, ?, ?) RETURNING id::text',
    [PROGRAM.code, PROGRAM.name, PROGRAM.startYear, PROGRAM.endYear, PROGRAM.decisionRef],
  );
  const componentIds = new Map<string, string>();
  for (const [code, name, parent, lead] of COMPONENTS) {
    const [{ id }] = await sql<{ id: string }>(
      em,
      'INSERT INTO program_component (program_id, parent_id, code, name, kind) VALUES (?, ?, ?, ?, ?) RETURNING id::text',
      [programId, parent ? componentIds.get(parent) : null, code, name, parent ? 'SUB_PROJECT' : 'PROJECT'],
    );
    componentIds.set(code, id);
    if (lead)
      await sql(em, 'INSERT INTO lead_agency (component_id, unit_id, agency_id) VALUES (?, ?, ?)', [id, district, await unitId(em, lead)]);
  }
  for (const r of DEADLINE_RULES) {
    await sql(
      em,
      'INSERT INTO deadline_rule (program_id, report_type, level, kind, date, month, day, working_days, before) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)',
      [programId, r.reportType, r.kind, r.date ?? null, r.month ?? null, r.day ?? null, r.workingDays ?? null, r.before],
    );
  }
  for (const r of REPORTING_UNITS) {
    await sql(em, 'INSERT INTO reporting_unit (program_id, unit_id, valid_from, valid_to) VALUES (?, ?, ?, ?)', [
      programId,
      await unitId(em, r.code),
      r.validFrom ?? null,
      r.validTo ?? null,
    ]);
  }
}

export type SeedStep = (em: EntityManager, config: Config) => Promise<void>;
/** Feature modules register their own reference and demo seed steps here. */
export const referenceSteps: [string, SeedStep][] = [
  ['calendar-2021-2026:v1', (em) => seedCalendar(em)],
  ['indicators:v1', (em) => seedIndicatorCatalog(em)],
];
export const demoSteps: [string, SeedStep][] = [
  ['funding-demo:v1', (em) => seedFundingDemo(em)],
  ['indicators-demo:v1', (em) => seedIndicatorDemo(em)],
  ['monitoring-demo:v1', (em) => seedMonitoringDemo(em)],
];

/** First start: reference data always, the first administrator, demo data per SEED_DEMO. Idempotent. */
export async function seed(em: EntityManager, config: Config, log: (m: string) => void = () => undefined): Promise<void> {
  if (await once(em, 'seed:reference:v1', seedReference)) log('Seeded reference data (Lai Châu, Tam Đường, program 2021–2025)');
  for (const [key, step] of referenceSteps) await once(em, `seed:${key}`, (tx) => step(tx, config));
  const anyUser = await sqlOne(em, 'SELECT 1 FROM app_user WHERE service_account = false LIMIT 1');
  if (!anyUser) {
    const password = config.adminPassword ?? randomBytes(12).toString('base64url');
    await sql(
      em,
      "INSERT INTO app_user (username, password_hash, display_name, role, unit_id) VALUES (?, ?, 'Quản trị hệ thống', 'ADMIN', ?)",
      [config.adminUsername, await hashPassword(password), await unitId(em, PROVINCE_CODE)],
    );
    if (config.adminPassword) log(`Created administrator "${config.adminUsername}" with ADMIN_PASSWORD`);
    else
      log(`Created administrator "${config.adminUsername}" with generated password: ${password}  (shown once; change it after signing in)`);
  }
  if (config.seedDemo) {
    const seeded = await once(em, 'seed:demo-users:v1', async (tx) => {
      const hash = await hashPassword(DEMO_PASSWORD);
      for (const u of DEMO_USERS) {
        await sql(
          tx,
          'INSERT INTO app_user (username, password_hash, display_name, role, unit_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING',
          [u.username, hash, u.displayName, u.role, await unitId(tx, u.unit)],
        );
      }
    });
    if (seeded) log(`Seeded demo users (${DEMO_USERS.map((u) => u.username).join(', ')}), password ${DEMO_PASSWORD}`);
    for (const [key, step] of demoSteps) await once(em, `seed:${key}`, (tx) => step(tx, config));
  }
}
