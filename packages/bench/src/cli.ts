/**
 * `pnpm bench [--scale S] [--seed 42] [--regenerate] [--duration 10] [--warmup 3] [--runs 3]
 *   [--connections 10] [--systems ours,ours-node22,postgraphile,floor] [--queries Q0,…,Q7,MIX]`
 * `pnpm bench:smoke`: the XS scale, one short run per cell, every system; fails on any error.
 *
 * Generates (or reuses) the database, then for one system at a time: starts it, checks every query
 * answers without errors, counts SQL statements per request, runs warm-up plus measured runs per query
 * with autocannon in its own process, samples the server's memory, stops it. Writes JSON and Markdown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync, spawn, spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { dbUrl, generate, ADMIN_PASSWORD, ADMIN_USERNAME, type GenerateResult, type Scale } from './generate';
import { queryCases, WRITE_DATE, type QueryCase, type QueryId } from './queries';
import {
  BENCH_DIR,
  COUNT_SQL,
  NODE22,
  REPO_DIR,
  freePort,
  getJson,
  nodeVersion,
  postJson,
  rssOf,
  sleep,
  start,
  systemNode,
  type Running,
} from './systems';

const NODE = systemNode();
import { writeReport, type Cell, type Equivalence, type Results, type RunResult } from './report';
import { explainCaptured, type Captured, type ExplainRow } from './explain';
import { summarizeProfile, type ProfileSummary } from './profile';

type SystemName = 'ours' | 'ours-node22' | 'postgraphile' | 'postgraphile-rls' | 'floor';
const ALL_SYSTEMS: SystemName[] = ['ours', 'ours-node22', 'postgraphile', 'postgraphile-rls', 'floor'];
/** The systems and cells of the committed tables (`ours-node22` is an optional control). */
const TABLE_SYSTEMS: SystemName[] = ['ours', 'postgraphile', 'postgraphile-rls', 'floor'];
const ALL_CELLS: CellId[] = ['Q0', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'MIX'];
type CellId = QueryId | 'MIX';

interface Options {
  scale: Scale;
  seed: number;
  regenerate: boolean;
  duration: number;
  warmup: number;
  runs: number;
  connections: number;
  systems: SystemName[];
  queries: CellId[];
  smoke: boolean;
  baseUrl: string;
  serverDist: string;
  out: string;
  probe: number;
  buildServer: boolean;
  profile: boolean;
  explain: boolean;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  const scale = (get('scale') ?? (smoke ? 'XS' : 'S')).toUpperCase() as Scale;
  if (!['XS', 'S', 'L'].includes(scale)) throw new Error(`--scale must be XS, S or L, got ${scale}`);
  const list = <T extends string>(v: string | undefined, all: T[]) => (v ? (v.split(',').map((x) => x.trim()) as T[]) : all);
  return {
    scale,
    seed: Number(get('seed') ?? 42),
    regenerate: argv.includes('--regenerate') || smoke,
    duration: Number(get('duration') ?? (smoke ? 1 : 10)),
    warmup: Number(get('warmup') ?? (smoke ? 0 : 3)),
    runs: Number(get('runs') ?? (smoke ? 1 : 3)),
    connections: Number(get('connections') ?? 10),
    systems: list(get('systems'), smoke ? (['ours', 'postgraphile', 'floor'] as SystemName[]) : ALL_SYSTEMS),
    queries: list(get('queries'), ALL_CELLS),
    smoke,
    baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    serverDist: path.resolve(get('server-dist') ?? path.join(REPO_DIR, 'packages/server/dist')),
    out: path.resolve(get('out') ?? (smoke ? path.join(os.tmpdir(), 'ntp-bench-smoke') : path.join(BENCH_DIR, 'results'))),
    probe: Number(get('probe') ?? (smoke ? 2 : 10)),
    buildServer: argv.includes('--build-server'),
    profile: !smoke && !argv.includes('--no-profile'),
    explain: !argv.includes('--no-explain'),
  };
}

/**
 * The name the results are written under: the scale for a run of every system and query (the committed
 * tables), `<scale>-partial` for a run of fewer, so a quick look at one cell never overwrites them.
 */
function reportBase(o: Options): string {
  if (o.smoke) return 'smoke';
  const everything = TABLE_SYSTEMS.every((s) => o.systems.includes(s)) && ALL_CELLS.every((q) => o.queries.includes(q));
  return everything ? o.scale : `${o.scale}-partial`;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
/**
 * A run's latency for the median: a run in which no request finished (PostGraphile under RLS, national Q3: each
 * one takes longer than the run) was slower than any run that finished some, so it counts as +∞ (reported as
 * "–", and never better than a measured p95), not as a missing value.
 */
const latencyOf = (r: RunResult, k: 'p50' | 'p95' | 'p99') => r[k] ?? (r.requests === 0 ? Infinity : NaN);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** Reuses the database when it holds this scale and seed, else generates it. */
async function ensureData(o: Options, database: string): Promise<GenerateResult> {
  if (!o.regenerate) {
    const c = new Client({ connectionString: dbUrl(o.baseUrl, database) });
    try {
      await c.connect();
      const r = await c.query("SELECT value FROM app_setting WHERE key = 'bench:generated'");
      const g = r.rows[0] && (JSON.parse(r.rows[0].value) as GenerateResult);
      if (g && g.scale === o.scale && g.seed === o.seed) {
        log(`reusing ${database} (${o.scale}, seed ${o.seed}, generated in ${g.seconds.total.toFixed(1)} s)`);
        return g;
      }
    } catch {
      // missing or foreign database: generate
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  const g = await generate({ baseUrl: o.baseUrl, database, scale: o.scale, seed: o.seed, serverDist: o.serverDist, log });
  const c = new Client({ connectionString: dbUrl(o.baseUrl, database) });
  await c.connect();
  await c.query(
    "INSERT INTO app_setting (key, value) VALUES ('bench:generated', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    [JSON.stringify(g)],
  );
  await c.end();
  return g;
}

interface Pools {
  provinces: [string, string][];
  allocations: string[];
  writable: [string, string][];
}

async function loadPools(url: string, g: GenerateResult): Promise<Pools> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const allocations = (await c.query('SELECT id::text FROM funding_allocation ORDER BY md5(id::text) LIMIT 2000')).rows.map(
    (r) => r.id as string,
  );
  const writable = (
    await c.query(
      `SELECT id::text, unit_id::text FROM funding_allocation WHERE year = $1 AND allocated_amount - disbursed_amount >= 5000000
       ORDER BY md5(id::text) LIMIT 2000`,
      [Number(WRITE_DATE.slice(0, 4))],
    )
  ).rows.map((r) => [r.id, r.unit_id] as [string, string]);
  await c.end();
  return { provinces: g.provinces.map((p) => [p.id, p.path]), allocations, writable };
}

/** The vars a capture or a probe uses: the first province, the largest sampled ids (no clash with small ids). */
function fixedVars(p: Pools, key: string) {
  const alloc = [...p.allocations].sort((a, b) => Number(b) - Number(a))[0];
  const w = [...p.writable].sort((a, b) => Number(b[0]) - Number(a[0]))[0];
  return { provinceId: p.provinces[0][0], provincePath: p.provinces[0][1], allocId: alloc, wAlloc: w[0], wUnit: w[1], key };
}

function fill(template: string, v: ReturnType<typeof fixedVars>): string {
  return template
    .replaceAll('$PROVINCE_ID$', v.provinceId)
    .replaceAll('$PROVINCE_PATH$', v.provincePath)
    .replaceAll('$ALLOC_ID$', v.allocId)
    .replaceAll('$W_ALLOC$', v.wAlloc)
    .replaceAll('$W_UNIT$', v.wUnit)
    .replaceAll('$KEY$', v.key);
}

const floorBody = (q: QueryId) =>
  JSON.stringify({
    q,
    vars: {
      provinceId: '$PROVINCE_ID$',
      provincePath: '$PROVINCE_PATH$',
      allocId: '$ALLOC_ID$',
      wAlloc: '$W_ALLOC$',
      wUnit: '$W_UNIT$',
      key: '$KEY$',
    },
  });

/** Records in arrays of objects that hold no further arrays of objects: comparable result sizes across systems. */
function leafRows(v: unknown): number {
  if (Array.isArray(v)) {
    const objs = v.filter((x) => x && typeof x === 'object' && !Array.isArray(x));
    const nested = objs.reduce((s: number, x) => s + leafRows(x), 0);
    return nested > 0 ? nested : objs.length;
  }
  if (v && typeof v === 'object') return Object.values(v).reduce((s: number, x) => s + leafRows(x), 0);
  return 0;
}

function bodyFor(system: SystemName, q: QueryCase): string {
  if (system === 'floor') return floorBody(q.id);
  return system.startsWith('postgraphile') ? q.postgraphile : q.ours;
}

async function runLoad(
  o: Options,
  sys: Running,
  headers: Record<string, string>,
  bodies: { body: string; weight: number }[],
  pools: Pools,
  duration: number,
  seed: number,
): Promise<RunResult> {
  const specFile = path.join(os.tmpdir(), `ntp-bench-spec-${process.pid}.json`);
  fs.writeFileSync(specFile, JSON.stringify({ url: sys.url, headers, connections: o.connections, duration, seed, pools, bodies }));
  const before = sys.countUrl ? (await getJson<{ statements: number }>(sys.countUrl)).statements : 0;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(sys.proc.pid!))), 250);
  // autocannon runs in its own process (Node of this orchestrator), so its work is not the server's.
  const child = spawn(NODE, [path.join(BENCH_DIR, 'load/runner.mjs'), specFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(sys.proc.pid!));
  if (code !== 0) throw new Error(`load runner failed (${code}): ${stdout}`);
  const r = JSON.parse(stdout.trim().split('\n').pop()!);
  const after = sys.countUrl ? (await getJson<{ statements: number }>(sys.countUrl)).statements : 0;
  return { ...r, statementsPerRequest: r.requests ? (after - before) / r.requests : null, rssPeakBytes: peak };
}

/** Node flags our server runs with in production (`pnpm start`, docker/Dockerfile). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

async function startSystem(
  o: Options,
  name: SystemName,
  url: string,
  logDir: string,
  capturedFile: string,
  nodeArgs: string[] = [],
): Promise<Running> {
  const port = await freePort();
  const countPort = await freePort();
  const countEnv = { BENCH_COUNT_SQL: '1', BENCH_COUNT_PORT: String(countPort) };
  const gqlReady = (u: string) => async () => (await postJson(u, '{"query":"{ __typename }"}')).status === 200;
  if (name === 'ours' || name === 'ours-node22') {
    const u = `http://127.0.0.1:${port}/graphql`;
    return start(
      name,
      name === 'ours' ? NODE : NODE22,
      [...SERVER_NODE_FLAGS, ...nodeArgs, '-r', COUNT_SQL, path.join(o.serverDist, 'main.js')],
      {
        ...countEnv,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        PORT: String(port),
        RATE_LIMIT: 'off',
        SEED_DEMO: 'false',
        ADMIN_USERNAME,
        ADMIN_PASSWORD,
      },
      u,
      gqlReady(u),
      logDir,
      `http://127.0.0.1:${countPort}/count`,
    );
  }
  if (name === 'postgraphile' || name === 'postgraphile-rls') {
    const u = `http://127.0.0.1:${port}/graphql`;
    return start(
      name,
      NODE22,
      ['-r', COUNT_SQL, path.join(BENCH_DIR, 'peers/postgraphile.mjs')],
      {
        ...countEnv,
        BENCH_PG_FROM: path.join(BENCH_DIR, 'peers'),
        GRAPHILE_ENV: 'production',
        NODE_ENV: 'production',
        DATABASE_URL: url,
        PORT: String(port),
        POOL_MAX: '10',
        ...(name === 'postgraphile-rls' ? { PGL_ROLE: 'ntp_request' } : {}),
      },
      u,
      gqlReady(u),
      logDir,
      `http://127.0.0.1:${countPort}/count`,
    );
  }
  const u = `http://127.0.0.1:${port}/`;
  return start(
    name,
    NODE,
    [path.join(BENCH_DIR, 'peers/floor.mjs')],
    { DATABASE_URL: url, PORT: String(port), POOL_MAX: '10', CAPTURE_FILE: capturedFile },
    u,
    async () => (await fetch(`http://127.0.0.1:${port}/count`)).ok,
    logDir,
    `http://127.0.0.1:${port}/count`,
  );
}

async function login(url: string): Promise<string> {
  const r = await postJson(
    url,
    JSON.stringify({
      query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: ADMIN_USERNAME, p: ADMIN_PASSWORD },
    }),
  );
  const token = JSON.parse(r.text)?.data?.login?.token;
  if (!token) throw new Error(`login failed: ${r.text.slice(0, 500)}`);
  return token;
}

/** The system under test, stopped on Ctrl-C so no server outlives the run. */
let current: Running | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    current?.proc.kill('SIGKILL');
    process.exit(130);
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const database = o.smoke ? 'ntp_bench_smoke' : `ntp_bench_${o.scale.toLowerCase()}`;
  // The commit whose code is measured: read before the run, which can outlast later commits.
  const versionsAtStart = versions();
  if (o.buildServer) o.serverDist = buildServerSnapshot();
  if (!fs.existsSync(path.join(o.serverDist, 'main.js'))) throw new Error(`no server build at ${o.serverDist}: run \`pnpm build\` first`);
  fs.mkdirSync(o.out, { recursive: true });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-bench-logs-'));
  const g = await ensureData(o, database);
  const url = dbUrl(o.baseUrl, database);
  // PostGraphile's view and functions (schema bench_pgl), recreated each run.
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(fs.readFileSync(path.join(BENCH_DIR, 'peers/postgraphile.sql'), 'utf8'));
  const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version as string;
  await admin.end();
  const pools = await loadPools(url, g);
  const cases = queryCases(g.programId);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const capturedFile = path.join(logDir, 'captured.json');
  const cells: Cell[] = [];
  const equivalence: Equivalence[] = [];
  const systemsInfo: Results['systems'] = {};
  let problems = 0;
  let seed = o.seed;

  // The floor replays what our server ran: ours goes first, and runs to capture it even when not measured.
  const needCapture = o.systems.includes('floor') || o.systems.includes('ours');
  const systems = ALL_SYSTEMS.filter((s) => o.systems.includes(s) || (s === 'ours' && needCapture));
  let explain: ExplainRow[] = [];
  for (const name of systems) {
    log(`\n== ${name}: starting`);
    const sys = await startSystem(o, name, url, logDir, capturedFile);
    current = sys;
    systemsInfo[name] = { node: sys.node, rssAfterStartBytes: rssOf(sys.proc.pid!) };
    log(`   ${name} ready on ${sys.url} (Node ${sys.node})`);
    try {
      const headers: Record<string, string> = name.startsWith('ours') ? { authorization: `Bearer ${await login(sys.url)}` } : {};
      const isOurs = name.startsWith('ours');
      // Correctness first: every query once, no errors; result sizes for the equivalence table.
      const captured: Record<string, unknown> = {};
      for (const q of cases) {
        const vars = fixedVars(pools, `capture-${name}-${q.id}-${Date.now()}`);
        const countPort = sys.countUrl && isOurs ? sys.countUrl.replace('/count', '/capture') : undefined;
        if (name === 'ours' && needCapture && countPort) {
          // Captured warm, as under load: the caller known, the connections switched to the caller's role and scope
          // (a request after a mutation, or the first on a connection, sends a lookup or a switch more).
          await postJson(sys.url, fill(bodyFor(name, q), fixedVars(pools, `warm-${name}-${q.id}-${Date.now()}`)), q.auth ? headers : {});
          await getJson(countPort, 'POST');
        }
        const r = await postJson(sys.url, fill(bodyFor(name, q), vars), q.auth ? headers : {});
        const stmts = name === 'ours' && needCapture && countPort ? await getJson<unknown[]>(countPort) : undefined;
        if (stmts) captured[q.id] = { vars, statements: stmts };
        const ok = r.status === 200 && !r.text.includes('"errors"');
        if (!ok) {
          problems++;
          log(`   ${name} ${q.id}: ERROR ${r.status} ${r.text.slice(0, 400)}`);
        }
        if (name !== 'floor') {
          let rows = 0;
          try {
            rows = leafRows(JSON.parse(r.text).data);
          } catch {
            rows = -1;
          }
          equivalence.push({ system: name, query: q.id, ok, rows, bytes: r.text.length });
        }
      }
      if (name === 'ours' && needCapture) {
        fs.writeFileSync(capturedFile, JSON.stringify(captured));
        fs.copyFileSync(capturedFile, path.join(o.out, `${reportBase(o)}.captured-sql.json`));
        // The request role: named by a switch the capture holds (not a switch back to the owner, 'none'), or
        // (captured warm, on connections already switched) by the session the statements ran under
        // (count-sql.cjs `session`: a scope, null for the owner).
        const ranScoped = Object.values(captured as Record<string, Captured>).some((c) =>
          c.statements.some((st) => typeof (st as { session?: unknown }).session === 'string'),
        );
        const switched = [...JSON.stringify(captured).matchAll(/set_config\('role', '([a-z_]+)'/g)]
          .map((m) => m[1])
          .find((r) => r !== 'none');
        const role = switched ?? (ranScoped ? 'ntp_request' : null);
        if (o.explain) {
          log(`   EXPLAIN ANALYZE of the captured statements (request role ${role ?? 'none'} vs owner)`);
          explain = await explainCaptured(url, captured as Record<string, Captured>, role);
        }
      }
      if (!o.systems.includes(name)) continue;

      // SQL statements per request: sequential probes, exact.
      const statements: Partial<Record<QueryId, number>> = {};
      if (sys.countUrl) {
        for (const q of cases) {
          const before = (await getJson<{ statements: number }>(sys.countUrl)).statements;
          for (let i = 0; i < o.probe; i++) {
            await postJson(
              sys.url,
              fill(bodyFor(name, q), fixedVars(pools, `probe-${name}-${q.id}-${Date.now()}-${i}`)),
              q.auth ? headers : {},
            );
          }
          statements[q.id] = ((await getJson<{ statements: number }>(sys.countUrl)).statements - before) / o.probe;
        }
      }

      for (const cellId of o.queries) {
        const bodies =
          cellId === 'MIX'
            ? cases.filter((c) => c.weight > 0).map((c) => ({ body: bodyFor(name, c), weight: c.weight }))
            : [{ body: bodyFor(name, byId.get(cellId)!), weight: 1 }];
        // A query that needs no caller (Q0) is sent without the token, as the statement-count probes send it.
        const cellHeaders = cellId === 'MIX' || byId.get(cellId)!.auth ? headers : {};
        if (o.warmup > 0) await runLoad(o, sys, cellHeaders, bodies, pools, o.warmup, seed++);
        const runs: RunResult[] = [];
        for (let i = 0; i < o.runs; i++) runs.push(await runLoad(o, sys, cellHeaders, bodies, pools, o.duration, seed++));
        const errors = runs.reduce((s, r) => s + r.errors, 0);
        if (errors) {
          problems++;
          log(`   ${name} ${cellId}: ${errors} errors, first: ${runs.find((r) => r.firstError)?.firstError}`);
        }
        const mixStatements =
          cellId === 'MIX'
            ? (() => {
                const w = cases.filter((c) => c.weight > 0);
                const tw = w.reduce((s, c) => s + c.weight, 0);
                return w.every((c) => statements[c.id] !== undefined)
                  ? w.reduce((s, c) => s + (statements[c.id]! * c.weight) / tw, 0)
                  : undefined;
              })()
            : undefined;
        const cell: Cell = {
          system: name,
          query: cellId,
          runs,
          rps: median(runs.map((r) => r.rps)),
          p50: median(runs.map((r) => latencyOf(r, 'p50'))),
          p95: median(runs.map((r) => latencyOf(r, 'p95'))),
          p99: median(runs.map((r) => latencyOf(r, 'p99'))),
          errors,
          statementsPerRequest:
            cellId === 'MIX' ? (mixStatements ?? null) : name === 'floor' || sys.countUrl ? (statements[cellId] ?? null) : null,
          rssPeakBytes: Math.max(...runs.map((r) => r.rssPeakBytes)),
        };
        cells.push(cell);
        log(
          `   ${name} ${cellId}: ${cell.rps.toFixed(0)} req/s, p50 ${cell.p50.toFixed(1)} ms, p95 ${cell.p95.toFixed(1)} ms, p99 ${cell.p99.toFixed(1)} ms, ` +
            `errors ${errors}, SQL/req ${cell.statementsPerRequest?.toFixed(2) ?? '–'}, RSS ${(cell.rssPeakBytes / 1048576).toFixed(0)} MB`,
        );
      }
    } finally {
      current = undefined;
      await sys.stop();
      await sleep(500);
    }
  }

  // Where our server spends its CPU: a separate, unmeasured pass under the MIX with V8's sampling profiler.
  let profile: ProfileSummary | null = null;
  if (o.profile && o.systems.includes('ours')) {
    const dir = fs.mkdtempSync(path.join(logDir, 'profile-'));
    log(`\n== ours with --cpu-prof under the MIX (${Math.max(20, o.duration)} s, not measured)`);
    const sys = await startSystem(o, 'ours', url, logDir, capturedFile, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    current = sys;
    try {
      const headers = { authorization: `Bearer ${await login(sys.url)}` };
      const bodies = cases.filter((c) => c.weight > 0).map((c) => ({ body: c.ours, weight: c.weight }));
      await runLoad(o, sys, headers, bodies, pools, Math.max(20, o.duration), seed++);
      const exited = new Promise((r) => sys.proc.once('exit', r));
      sys.proc.kill('SIGUSR2');
      await exited;
      const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profile = summarizeProfile(path.join(dir, file));
    } finally {
      current = undefined;
      await sys.stop();
    }
  }

  const results: Results = {
    scale: o.scale,
    seed: o.seed,
    smoke: o.smoke,
    startedAt: new Date(t0).toISOString(),
    seconds: (Date.now() - t0) / 1000,
    options: { duration: o.duration, warmup: o.warmup, runs: o.runs, connections: o.connections, probe: o.probe },
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      postgres: pgVersion,
      loadAverageAtStart: os.loadavg(),
    },
    versions: versionsAtStart,
    generate: g,
    systems: systemsInfo,
    queries: cases.map((c) => ({ id: c.id, title: c.title, weight: c.weight, ours: c.ours, postgraphile: c.postgraphile })),
    equivalence,
    explain,
    profile,
    cells,
  };
  const base = reportBase(o);
  writeReport(results, path.join(o.out, `${base}.json`), path.join(o.out, `${base}.md`));
  log(`\nwrote ${path.join(o.out, `${base}.md`)} and .json in ${results.seconds.toFixed(0)} s; logs in ${logDir}`);
  if (problems) {
    log(`FAILED: ${problems} cell(s) with errors`);
    process.exit(1);
  }
}

/**
 * Compiles the server's current sources into a private folder (its node_modules linked), so a long run
 * measures one build even while packages/server/dist is rebuilt by others.
 */
function buildServerSnapshot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-bench-server-'));
  fs.symlinkSync(path.join(REPO_DIR, 'packages/server/node_modules'), path.join(dir, 'node_modules'));
  const dist = path.join(dir, 'dist');
  log(`compiling packages/server into ${dist}`);
  const r = spawnSync(
    NODE,
    [
      path.join(REPO_DIR, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(REPO_DIR, 'packages/server/tsconfig.build.json'),
      '--outDir',
      dist,
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('the server does not compile');
  return dist;
}

function versions(): Record<string, string> {
  const pkg = (p: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(p, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'unknown';
    }
  };
  const nm = path.join(BENCH_DIR, 'node_modules');
  const server = path.join(REPO_DIR, 'packages/server/node_modules');
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: REPO_DIR, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    commit,
    orchestratorNode: process.version,
    loadGeneratorNode: nodeVersion(NODE),
    autocannon: pkg(path.join(nm, 'autocannon')),
    postgraphile: pkg(path.join(nm, 'postgraphile')),
    '@graphile/pg-aggregates': pkg(path.join(nm, '@graphile/pg-aggregates')),
    'postgraphile-plugin-connection-filter': pkg(path.join(nm, 'postgraphile-plugin-connection-filter')),
    pg: pkg(path.join(nm, 'pg')),
    '@apollo/server': pkg(path.join(server, '@apollo/server')),
    '@mikro-orm/core': pkg(path.join(server, '@mikro-orm/core')),
    'type-graphql': pkg(path.join(server, 'type-graphql')),
    graphql: pkg(path.join(server, 'graphql')),
  };
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
