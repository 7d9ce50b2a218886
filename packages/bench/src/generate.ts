import path from 'node:path';
import { createRequire } from 'node:module';
import { Client } from 'pg';
import { rng, type Rng } from './rng';
import { copyRows, progressPrinter } from './copy';

export type Scale = 'XS' | 'S' | 'L';

/** How big each scale is: provinces, districts per province, communes per district. */
export const SCALES: Record<Scale, { provinces: number; districts: [number, number]; communes: [number, number]; note: string }> = {
  XS: { provinces: 1, districts: [2, 2], communes: [3, 3], note: 'CI smoke: 1 province, 2 districts, 6 communes' },
  // Lai Châu: 8 districts, 106 communes.
  S: { provinces: 1, districts: [8, 8], communes: [13, 14], note: 'one province: 8 districts, 106 communes' },
  L: { provinces: 34, districts: [6, 10], communes: [8, 16], note: 'national: 34 provinces, ~3,300 communes' },
};

export const YEARS = [2021, 2022, 2023, 2024, 2025];
export const SOURCES = ['CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED'];
/** Share of (component, source) lines that exist per unit and year: ~1M lines at L. */
const LINE_SHARE = 0.72;
/** Components run by district agencies (allocated to the district itself); the others are funded per commune too. */
const DISTRICT_PREFIXES = ['DA4', 'DA6', 'DA7'];
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'bench-admin-pass';

const SYLLABLES = [
  'An',
  'Bình',
  'Phúc',
  'Khánh',
  'Hòa',
  'Thạnh',
  'Sơn',
  'Lâm',
  'Tân',
  'Hưng',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Phong',
  'Quang',
  'Minh',
  'Đức',
  'Thủy',
  'Mường',
  'Nậm',
  'Pú',
  'Tà',
  'Sìn',
  'Hồ',
  'Bản',
  'Lùng',
  'Thèn',
  'Khun',
];
const name = (r: Rng, prefix: string, n: number) => `${prefix} ${r.pick(SYLLABLES)} ${r.pick(SYLLABLES)} ${n}`.normalize('NFC');

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** A date `days` after y-m-d. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
/** An instant at hh:00 Vietnam time on `date`. */
const vnAt = (date: string, hour: number) => new Date(Date.parse(`${date}T00:00:00+07:00`) + hour * 3600000).toISOString();

export interface GenerateOptions {
  /** postgres://… of a server; the database `database` is (re)created there. */
  baseUrl: string;
  database: string;
  scale: Scale;
  seed: number;
  serverDist: string;
  log?: (line: string) => void;
}

export interface GenerateResult {
  scale: Scale;
  seed: number;
  database: string;
  seconds: { migrateAndSeed: number; load: number; analyze: number; total: number };
  rows: Record<string, number>;
  provinces: { id: string; path: string }[];
  programId: string;
}

export function dbUrl(baseUrl: string, database: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Migrates and seeds (reference data and the administrator) with the server's own code. */
async function migrateAndSeed(serverDist: string, url: string): Promise<void> {
  const req = createRequire(path.join(serverDist, 'main.js'));
  req('reflect-metadata');
  const { initOrm, migrate } = req(path.join(serverDist, 'db/orm.js'));
  const { seed } = req(path.join(serverDist, 'db/seed/index.js'));
  const { loadConfig } = req(path.join(serverDist, 'config.js'));
  const orm = await initOrm(url, 2);
  try {
    await migrate(orm);
    await seed(orm.em.fork(), {
      ...loadConfig({ NODE_ENV: 'production' }),
      adminUsername: ADMIN_USERNAME,
      adminPassword: ADMIN_PASSWORD,
      seedDemo: false,
    });
  } finally {
    await orm.close(true);
  }
}

async function nextId(c: Client, table: string): Promise<number> {
  const r = await c.query(`SELECT COALESCE(max(id), 0)::int8 AS m FROM ${table}`);
  return Number(r.rows[0].m) + 1;
}

/** Creates the database, migrates and seeds it, then loads the generated data with COPY. */
export async function generate(o: GenerateOptions): Promise<GenerateResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const t0 = Date.now();
  const admin = new Client({ connectionString: o.baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${o.database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${o.database}`);
  await admin.end();
  const url = dbUrl(o.baseUrl, o.database);
  log(`generate ${o.scale} (seed ${o.seed}) into ${o.database}: migrating and seeding with the server's code`);
  await migrateAndSeed(o.serverDist, url);
  const t1 = Date.now();

  const c = new Client({ connectionString: url });
  await c.connect();
  // The generator guarantees referential integrity; skipping per-row FK triggers makes COPY several times faster.
  await c.query("SET session_replication_role = 'replica'");
  const progress = progressPrinter(log);
  const rows: Record<string, number> = {};
  const spec = SCALES[o.scale];
  const r = rng(o.seed);

  const program = (await c.query('SELECT id::text, start_year FROM program ORDER BY id LIMIT 1')).rows[0] as { id: string };
  const comps = (
    await c.query(
      `SELECT c.id::int8 AS id, c.code FROM program_component c
       WHERE c.program_id = $1 AND NOT EXISTS (SELECT 1 FROM program_component k WHERE k.parent_id = c.id) ORDER BY c.code`,
      [program.id],
    )
  ).rows.map((x) => ({ id: Number(x.id), code: x.code as string }));
  const districtComps = comps.filter((x) => DISTRICT_PREFIXES.some((p) => x.code.startsWith(p)));
  const rules = new Map(
    (await c.query('SELECT id::int8 AS id, report_type FROM deadline_rule WHERE program_id = $1', [program.id])).rows.map((x) => [
      x.report_type as string,
      Number(x.id),
    ]),
  );
  const indicators = (await c.query('SELECT id::int8 AS id, code, measure::text, aggregation::text FROM indicator ORDER BY code')).rows.map(
    (x) => ({
      id: Number(x.id),
      code: x.code as string,
      measure: x.measure as string,
      aggregation: x.aggregation as string,
    }),
  );

  // ---- Units: provinces (level 0), districts with two agencies each, communes.
  interface U {
    id: number;
    code: string;
    name: string;
    kind: string;
    parent: number | null;
    path: string;
    level: number;
  }
  const units: U[] = [];
  let uid = await nextId(c, 'unit');
  const provinces: U[] = [];
  const districts: (U & { agencies: [number, number]; communes: U[] })[] = [];
  for (let p = 1; p <= spec.provinces; p++) {
    const pu: U = { id: uid++, code: `BENCH.P${pad(p)}`, name: name(r, 'Tỉnh', p), kind: 'PROVINCE', parent: null, path: '', level: 0 };
    pu.path = `/${pu.id}/`;
    units.push(pu);
    provinces.push(pu);
    const nd = r.int(...spec.districts);
    for (let d = 1; d <= nd; d++) {
      const du: U = {
        id: uid++,
        code: `${pu.code}.D${pad(d)}`,
        name: name(r, 'Huyện', d),
        kind: 'DISTRICT',
        parent: pu.id,
        path: '',
        level: 1,
      };
      du.path = `${pu.path}${du.id}/`;
      units.push(du);
      const agencies: U[] = ['LDTBXH', 'TCKH'].map((a, i) => {
        const au: U = {
          id: uid++,
          code: `${du.code}.${a}`,
          name: i === 0 ? `Phòng Lao động - Thương binh và Xã hội ${du.name}` : `Phòng Tài chính - Kế hoạch ${du.name}`,
          kind: 'AGENCY',
          parent: du.id,
          path: '',
          level: 2,
        };
        au.path = `${du.path}${au.id}/`;
        units.push(au);
        return au;
      });
      const communes: U[] = [];
      const nc = r.int(...spec.communes);
      for (let k = 1; k <= nc; k++) {
        const cu: U = {
          id: uid++,
          code: `${du.code}.X${pad(k)}`,
          name: name(r, 'Xã', k),
          kind: 'COMMUNE',
          parent: du.id,
          path: '',
          level: 2,
        };
        cu.path = `${du.path}${cu.id}/`;
        units.push(cu);
        communes.push(cu);
      }
      districts.push({ ...du, agencies: [agencies[0].id, agencies[1].id], communes });
    }
  }
  // S: exactly 106 communes, as in Lai Châu.
  if (o.scale === 'S') {
    let total = districts.reduce((s, d) => s + d.communes.length, 0);
    for (const d of districts) {
      while (total > 106 && d.communes.length > 13) {
        const drop = d.communes.pop()!;
        units.splice(units.indexOf(drop), 1);
        total--;
      }
    }
  }
  log(
    `  units: ${provinces.length} provinces, ${districts.length} districts, ${districts.reduce((s, d) => s + d.communes.length, 0)} communes`,
  );
  rows.unit = await copyRows(
    c,
    'unit',
    ['id', 'code', 'name', 'kind', 'parent_id', 'path', 'level'],
    units.map((u) => [u.id, u.code, u.name, u.kind, u.parent, u.path, u.level]),
    progress,
  );
  rows.district_agency = await copyRows(
    c,
    'district_agency',
    ['unit_id', 'role', 'agency_id'],
    districts.flatMap((d) => [
      [d.id, 'STANDING_AGENCY', d.agencies[0]],
      [d.id, 'FINANCE_PLANNING', d.agencies[1]],
    ]),
    progress,
  );
  const submitters: { id: number; district: (typeof districts)[number] }[] = districts.flatMap((d) => [
    { id: d.id, district: d },
    ...d.communes.map((cu) => ({ id: cu.id, district: d })),
  ]);
  rows.reporting_unit = await copyRows(
    c,
    'reporting_unit',
    ['program_id', 'unit_id'],
    submitters.map((s) => [program.id, s.id]),
    progress,
  );

  // ---- Funding: allocation lines, their revisions, disbursements (running totals kept exact).
  const allocIdStart = await nextId(c, 'funding_allocation');
  const alloc = {
    unit: [] as number[],
    year: [] as number[],
    allocated: [] as number[],
    disbursed: [] as number[],
    planned: [] as number[],
    revised: [] as boolean[],
  };
  const lineUnits = [
    ...districts.map((d) => ({ id: d.id, comps: districtComps })),
    ...districts.flatMap((d) => d.communes.map((cu) => ({ id: cu.id, comps }))),
  ];
  function* allocationRows() {
    let id = allocIdStart;
    for (const u of lineUnits) {
      for (const year of YEARS) {
        for (const comp of u.comps) {
          for (const source of SOURCES) {
            if (!r.chance(LINE_SHARE)) continue;
            const base = source === 'LOCAL_BUDGET' || source === 'MOBILIZED' ? r.int(30, 300) : r.int(50, 1500);
            const planned = base * 1_000_000;
            const allocated = Math.round((planned * r.int(90, 100)) / 100 / 1_000_000) * 1_000_000;
            const share = year === 2025 ? r.int(20, 60) : r.int(50, 98);
            const disbursed = Math.round((allocated * share) / 100 / 1000) * 1000;
            alloc.unit.push(u.id);
            alloc.year.push(year);
            alloc.allocated.push(allocated);
            alloc.disbursed.push(disbursed);
            alloc.planned.push(planned);
            alloc.revised.push(r.chance(0.1));
            yield [
              id++,
              comp.id,
              u.id,
              year,
              source,
              planned,
              allocated,
              disbursed,
              `Quyết định giao kế hoạch vốn năm ${year}`,
              vnAt(iso(year, 1, 15), 9),
            ];
          }
        }
      }
    }
  }
  rows.funding_allocation = await copyRows(
    c,
    'funding_allocation',
    [
      'id',
      'component_id',
      'unit_id',
      'year',
      'source',
      'planned_amount',
      'allocated_amount',
      'disbursed_amount',
      'decision_ref',
      'created_at',
    ],
    allocationRows(),
    progress,
  );
  const nAlloc = alloc.unit.length;
  function* revisionRows() {
    for (let i = 0; i < nAlloc; i++) {
      const id = allocIdStart + i;
      const y = alloc.year[i];
      if (!alloc.revised[i]) {
        yield [id, alloc.planned[i], alloc.allocated[i], `Quyết định giao kế hoạch vốn năm ${y}`, null, vnAt(iso(y, 1, 15), 9)];
        continue;
      }
      // The original figures were lower; a mid-year decision raised them to today's.
      const orig = Math.max(alloc.disbursed[i], Math.round((alloc.allocated[i] * 0.9) / 1_000_000) * 1_000_000);
      yield [id, Math.min(alloc.planned[i], orig), orig, `Quyết định giao kế hoạch vốn năm ${y}`, null, vnAt(iso(y, 1, 15), 9)];
      yield [
        id,
        alloc.planned[i],
        alloc.allocated[i],
        `Quyết định điều chỉnh kế hoạch vốn năm ${y}`,
        'Điều chỉnh, bổ sung kế hoạch vốn giữa năm',
        vnAt(iso(y, 7, 20), 9),
      ];
    }
  }
  rows.funding_revision = await copyRows(
    c,
    'funding_revision',
    ['allocation_id', 'planned_amount', 'allocated_amount', 'decision_ref', 'reason', 'created_at'],
    revisionRows(),
    progress,
  );
  function* disbursementRows() {
    for (let i = 0; i < nAlloc; i++) {
      const total = alloc.disbursed[i];
      if (total === 0) continue;
      const y = alloc.year[i];
      const k = r.int(1, 9);
      const weights = Array.from({ length: k }, () => 1 + r.next());
      const wsum = weights.reduce((s, w) => s + w, 0);
      const parts = weights.map((w) => Math.floor((total * w) / wsum / 1000) * 1000);
      parts[0] += total - parts.reduce((s, p) => s + p, 0);
      // Now and then a correction: an entry overstated by 1 million, taken back by a negative one.
      const correct = parts[0] > 2_000_000 && r.chance(0.05);
      if (correct) parts[0] += 1_000_000;
      const id = allocIdStart + i;
      const u = alloc.unit[i];
      for (let j = 0; j < k; j++) {
        // Spread over March..December, and for earlier years the carry-over into the next March.
        const date = j === k - 1 && y < 2025 && k > 3 ? iso(y + 1, 3, r.int(1, 28)) : iso(y, 3 + Math.floor((j * 10) / k), r.int(1, 28));
        yield [id, u, date, parts[j], `Giải ngân đợt ${j + 1} năm ${y}`, vnAt(date, 10)];
      }
      if (correct) yield [id, u, iso(y, 12, 20), -1_000_000, 'Thu hồi, điều chỉnh giảm số đã giải ngân', vnAt(iso(y, 12, 20), 10)];
    }
  }
  rows.disbursement = await copyRows(
    c,
    'disbursement',
    ['allocation_id', 'unit_id', 'date', 'amount', 'reference', 'created_at'],
    disbursementRows(),
    progress,
  );

  // ---- Reporting: yearly obligations from the deadline rules plus ad hoc ones, reports and their history.
  const obligationIdStart = await nextId(c, 'reporting_obligation');
  const yearly: [string, number, number][] = [
    ['MONITORING_SEMIANNUAL', 5, 14],
    ['MONITORING_ANNUAL', 11, 14],
    ['EVALUATION_ANNUAL', 11, 19],
  ];
  const obl: { submitter: number; due: string; cancelled: boolean; recipients: [number, number] }[] = [];
  function* obligationRows() {
    let id = obligationIdStart;
    for (const s of submitters) {
      for (const year of YEARS) {
        const list: [string, string, number | null][] = yearly.map(([t, m, d]) => [t, iso(year, m, d), rules.get(t) ?? null]);
        const adhoc = r.int(1, 4) - 1;
        for (let a = 0; a < adhoc; a++) list.push(['MONITORING_ADHOC', iso(year, r.int(1, 12), r.int(1, 28)), null]);
        for (const [type, due, rule] of list) {
          const cancelled = r.chance(0.02);
          obl.push({ submitter: s.id, due, cancelled, recipients: s.district.agencies });
          yield [
            id++,
            type,
            program.id,
            s.id,
            year,
            due,
            rule,
            `Báo cáo ${type === 'MONITORING_ADHOC' ? 'đột xuất' : 'định kỳ'} năm ${year}`,
            cancelled ? vnAt(due, -240) : null,
            cancelled ? 'Không còn cần thiết' : null,
          ];
        }
      }
    }
  }
  rows.reporting_obligation = await copyRows(
    c,
    'reporting_obligation',
    ['id', 'type', 'program_id', 'submitter_id', 'year', 'due_date', 'rule_id', 'title', 'cancelled_at', 'cancel_reason'],
    obligationRows(),
    progress,
  );
  rows.reporting_obligation_recipient = await copyRows(
    c,
    'reporting_obligation_recipient',
    ['obligation_id', 'unit_id'],
    (function* () {
      for (let i = 0; i < obl.length; i++) for (const u of obl[i].recipients) yield [obligationIdStart + i, u];
    })(),
    progress,
  );
  const reportIdStart = await nextId(c, 'report');
  const events: [number, string, string, string | null][] = [];
  const sections = JSON.stringify([{ key: 'tong-quan', title: 'Tổng quan', body: 'Kết quả thực hiện Chương trình trong kỳ báo cáo.' }]);
  function* reportRows() {
    let id = reportIdStart;
    for (let i = 0; i < obl.length; i++) {
      const o = obl[i];
      const roll = r.next();
      if (o.cancelled || roll < 0.08) continue;
      const submitted = vnAt(addDays(o.due, r.chance(0.75) ? -r.int(0, 20) : r.int(1, 15)), 15);
      const reviewed = vnAt(addDays(submitted.slice(0, 10), r.int(3, 20)), 9);
      let status: string;
      if (roll < 0.12) status = 'DRAFT';
      else if (roll < 0.3) status = 'SUBMITTED';
      else if (roll < 0.35) status = 'RETURNED';
      else status = 'ACCEPTED';
      if (status !== 'DRAFT') events.push([id, 'SUBMITTED', submitted, null]);
      if (status === 'RETURNED') events.push([id, 'RETURNED', reviewed, 'Bổ sung số liệu']);
      if (status === 'ACCEPTED') events.push([id, 'ACCEPTED', reviewed, null]);
      yield [
        id++,
        obligationIdStart + i,
        'Báo cáo kết quả thực hiện',
        sections,
        status,
        status === 'DRAFT' ? null : submitted,
        status === 'RETURNED' || status === 'ACCEPTED' ? reviewed : null,
        status === 'RETURNED' ? 'Bổ sung số liệu' : null,
      ];
    }
  }
  rows.report = await copyRows(
    c,
    'report',
    ['id', 'obligation_id', 'title', 'sections', 'status', 'submitted_at', 'reviewed_at', 'return_reason'],
    reportRows(),
    progress,
  );
  rows.report_event = await copyRows(c, 'report_event', ['report_id', 'status', 'at', 'reason'], events, progress);

  // ---- Indicators: values per commune, year and period; targets for provinces and districts (yearly and phase), communes (phase).
  function* valueRows() {
    for (const d of districts) {
      for (const cu of d.communes) {
        const households = r.int(500, 3000);
        for (const year of YEARS) {
          for (const ind of indicators) {
            if (ind.measure === 'QUALITATIVE') {
              yield [ind.id, cu.id, year, 'YEAR', null, 'Đạt kế hoạch đề ra', null, null];
              continue;
            }
            const periods = ind.aggregation === 'SUM' ? ['H1', 'H2'] : ['H1', 'H2', 'YEAR'];
            for (const period of periods) {
              if (ind.aggregation === 'RATIO') {
                const den = households;
                const num = Math.floor((den * r.int(50, 350)) / 1000);
                const value = ind.measure === 'PERCENT' ? ((num * 100) / den).toFixed(2) : (num / den).toFixed(4);
                yield [ind.id, cu.id, year, period, value, null, num, den];
              } else {
                yield [ind.id, cu.id, year, period, r.int(0, 500), null, null, null];
              }
            }
          }
        }
      }
    }
  }
  rows.indicator_value = await copyRows(
    c,
    'indicator_value',
    ['indicator_id', 'unit_id', 'year', 'period', 'value', 'text_value', 'numerator', 'denominator'],
    valueRows(),
    progress,
  );
  function* targetRows() {
    const quantitative = indicators.filter((i) => i.measure !== 'QUALITATIVE');
    const targetUnits = [
      ...provinces.map((p) => ({ id: p.id, yearly: true })),
      ...districts.map((d) => ({ id: d.id, yearly: true })),
      ...districts.flatMap((d) => d.communes.map((cu) => ({ id: cu.id, yearly: false }))),
    ];
    for (const u of targetUnits) {
      for (const ind of quantitative) {
        const baseline = ind.aggregation === 'RATIO' ? r.int(150, 350) / 10 : r.int(100, 5000);
        const step = ind.aggregation === 'RATIO' ? -1.5 : Math.max(1, Math.round(baseline * 0.05));
        for (const year of u.yearly ? [...YEARS, null] : [null]) {
          const n = year === null ? YEARS.length : year - 2020;
          yield [ind.id, u.id, year, baseline, Math.round((baseline + step * n) * 100) / 100];
        }
      }
    }
  }
  rows.indicator_target = await copyRows(
    c,
    'indicator_target',
    ['indicator_id', 'unit_id', 'year', 'baseline', 'target'],
    targetRows(),
    progress,
  );

  for (const t of ['unit', 'funding_allocation', 'reporting_obligation', 'report']) {
    await c.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
  }
  // The load ran with triggers off, so the roll-ups the server keeps by trigger are built once here.
  await c.query("SET session_replication_role = 'origin'");
  log('  funding and indicator roll-ups, obligation standing');
  await c.query('SELECT ntp_funding_rollup_rebuild()');
  await c.query('SELECT ntp_indicator_rollup_rebuild()');
  await c.query('SELECT ntp_obligation_standing_rebuild()');
  const t2 = Date.now();
  log('  VACUUM ANALYZE');
  await c.query('VACUUM ANALYZE');
  await c.end();
  const t3 = Date.now();
  const result: GenerateResult = {
    scale: o.scale,
    seed: o.seed,
    database: o.database,
    seconds: { migrateAndSeed: (t1 - t0) / 1000, load: (t2 - t1) / 1000, analyze: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
    rows,
    provinces: provinces.map((p) => ({ id: String(p.id), path: p.path })),
    programId: program.id,
  };
  log(`generated ${o.scale} in ${result.seconds.total.toFixed(1)} s (load ${result.seconds.load.toFixed(1)} s)`);
  return result;
}
