import fs from 'node:fs';
import type { GenerateResult } from './generate';
import type { ExplainRow } from './explain';
import type { ProfileSummary } from './profile';

export interface RunResult {
  requests: number;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  errors: number;
  non2xx: number;
  firstError: string | null;
  statementsPerRequest: number | null;
  rssPeakBytes: number;
}

export interface Cell {
  system: string;
  query: string;
  runs: RunResult[];
  /** Medians over the measured runs. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  statementsPerRequest: number | null;
  rssPeakBytes: number;
}

export interface Equivalence {
  system: string;
  query: string;
  ok: boolean;
  rows: number;
  bytes: number;
}

export interface Results {
  scale: string;
  seed: number;
  smoke: boolean;
  startedAt: string;
  seconds: number;
  options: { duration: number; warmup: number; runs: number; connections: number; probe: number };
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  generate: GenerateResult;
  systems: Record<string, { node: string; rssAfterStartBytes: number }>;
  queries: { id: string; title: string; weight: number; ours: string; postgraphile: string }[];
  equivalence: Equivalence[];
  explain: ExplainRow[];
  profile: ProfileSummary | null;
  cells: Cell[];
}

const f0 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(0));
const f1 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(1));
const f2 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(2));
const mb = (b: number) => (b / 1048576).toFixed(0);
const SUMMARIES = new Set(['Q2', 'Q3', 'Q6', 'Q7']);

export function renderMarkdown(r: Results): string {
  const L: string[] = [];
  const cell = (system: string, q: string) => r.cells.find((c) => c.system === system && c.query === q);
  const queries = [...new Set(r.cells.map((c) => c.query))];
  const systems = [...new Set(r.cells.map((c) => c.system))];
  L.push(`# Benchmark, scale ${r.scale}${r.smoke ? ' (smoke, not timed)' : ''}`);
  L.push('');
  L.push(
    `${r.startedAt}, ${r.seconds.toFixed(0)} s. Seed ${r.seed}. ${r.options.connections} connections (pool size 10 everywhere), ` +
      `warm-up ${r.options.warmup} s, then ${r.options.runs} × ${r.options.duration} s per cell; medians of the runs. autocannon ${r.versions.autocannon} in its own process.`,
  );
  L.push('');
  L.push(
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}, PostgreSQL ${r.machine.postgres}; load average at start ${(r.machine.loadAverageAtStart as number[]).map((x) => x.toFixed(2)).join(' / ')}.`,
  );
  L.push('');
  L.push(
    'Systems: ' +
      Object.entries(r.systems)
        .map(([k, v]) => `**${k}** on Node ${v.node} (RSS after start ${mb(v.rssAfterStartBytes)} MB)`)
        .join('; ') +
      '.',
  );
  L.push('');
  L.push(
    'Versions: ' +
      Object.entries(r.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
  );
  L.push('');
  const g = r.generate;
  L.push(
    `Data (${g.database}): ` +
      Object.entries(g.rows)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ') +
      `. Generated in ${g.seconds.total.toFixed(1)} s (migrate + seed ${g.seconds.migrateAndSeed.toFixed(1)} s, COPY ${g.seconds.load.toFixed(1)} s, VACUUM ANALYZE ${g.seconds.analyze.toFixed(1)} s).`,
  );
  L.push('');
  L.push('## Results');
  L.push('');
  L.push(
    '| query | system | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/req | peak RSS MB | req/s ÷ PostGraphile | p95 ÷ PostGraphile | req/s ÷ PostGraphile (RLS) | p95 ÷ PostGraphile (RLS) | req/s ÷ floor | p95 ÷ floor |',
  );
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const q of queries) {
    const pgl = cell('postgraphile', q);
    const pglRls = cell('postgraphile-rls', q);
    const floor = cell('floor', q);
    for (const s of systems) {
      const c = cell(s, q);
      if (!c) continue;
      const ratios = s.startsWith('ours')
        ? [
            pgl ? f2(c.rps / pgl.rps) : '–',
            pgl ? f2(c.p95 / pgl.p95) : '–',
            pglRls ? f2(c.rps / pglRls.rps) : '–',
            pglRls ? f2(c.p95 / pglRls.p95) : '–',
            floor ? f2(c.rps / floor.rps) : '–',
            floor ? f2(c.p95 / floor.p95) : '–',
          ]
        : ['', '', '', '', '', ''];
      L.push(
        `| ${q} | ${s} | ${f0(c.rps)} | ${f1(c.p50)} | ${f1(c.p95)} | ${f1(c.p99)} | ${c.errors} | ${f2(c.statementsPerRequest)} | ${mb(c.rssPeakBytes)} | ${ratios.join(' | ')} |`,
      );
    }
  }
  L.push('');
  L.push('## Targets (issue 11), ours on its production Node');
  L.push('');
  L.push(
    '| query | req/s ≥ PostGraphile | p95 ≤ PostGraphile | req/s ≥ PostGraphile (RLS) | p95 ≤ PostGraphile (RLS) | summary p95 ≤ 1.5 × floor | zero errors |',
  );
  L.push('|---|---|---|---|---|---|---|');
  const yes = (b: boolean | undefined) => (b === undefined ? '–' : b ? 'yes' : '**no**');
  for (const q of queries) {
    const c = cell('ours', q);
    const pgl = cell('postgraphile', q);
    const floor = cell('floor', q);
    if (!c || q === 'Q0') continue;
    const pglRls = cell('postgraphile-rls', q);
    const vs = (p: Cell | undefined) => (q === 'Q5' || !p ? [undefined, undefined] : [c.rps >= p.rps, c.p95 <= p.p95]);
    const fl = SUMMARIES.has(q) && floor ? c.p95 <= 1.5 * floor.p95 : undefined;
    L.push(`| ${q} | ${[...vs(pgl), ...vs(pglRls), fl, c.errors === 0].map(yes).join(' | ')} |`);
  }
  const q3 = cell('ours', 'Q3');
  if (q3) L.push(`\nQ3 p95 ${f1(q3.p95)} ms (target at L: under 100 ms).`);
  L.push('');
  L.push('## Same answers? (one request each, before the load)');
  L.push('');
  L.push('Rows = records in the innermost lists of the answer (Q1: allocations; summaries: rows).');
  L.push('');
  const eqSystems = [...new Set(r.equivalence.map((e) => e.system))];
  L.push(`| query | ${eqSystems.map((s) => `${s} rows / bytes`).join(' | ')} |`);
  L.push(`|---|${eqSystems.map(() => '---:').join('|')}|`);
  for (const q of [...new Set(r.equivalence.map((e) => e.query))]) {
    L.push(
      `| ${q} | ${eqSystems
        .map((s) => {
          const e = r.equivalence.find((x) => x.system === s && x.query === q);
          return e ? `${e.ok ? '' : 'ERROR '}${e.rows} / ${e.bytes}` : '–';
        })
        .join(' | ')} |`,
    );
  }
  L.push('');
  if (r.explain.length) {
    L.push('## Where the SQL time goes (EXPLAIN ANALYZE of our statements, median of 3)');
    L.push('');
    L.push(
      'Each read statement our server ran for the query, executed as the request role (row-level security on, ADMIN scope, as in production) and as the table owner (no RLS, as PostGraphile runs here).',
    );
    L.push('');
    L.push('| query | # | statement | as request role ms | as owner ms | RLS × | planning ms |');
    L.push('|---|---:|---|---:|---:|---:|---:|');
    for (const e of r.explain) {
      const x = e.requestRoleMs != null && e.ownerMs ? e.requestRoleMs / e.ownerMs : null;
      L.push(
        `| ${e.query} | ${e.index} | \`${e.sql.replace(/\|/g, '\\|')}\` | ${f2(e.requestRoleMs)} | ${f2(e.ownerMs)} | ${x == null ? '–' : f1(x)} | ${f2(e.planningMs)} |`,
      );
    }
    L.push('');
  }
  if (r.profile) {
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    L.push('## Where our server spends its CPU (V8 sampling profile under the MIX, separate unmeasured pass)');
    L.push('');
    L.push(`${r.profile.totalMs.toFixed(0)} ms sampled. Inclusive share by package or server file (a frame counts once per stack):`);
    L.push('');
    L.push(r.profile.inclusive.map((x) => `${x.name} ${pct(x.share)}`).join(' · '));
    L.push('');
    L.push('| self share | function | where |');
    L.push('|---:|---|---|');
    for (const x of r.profile.self) L.push(`| ${pct(x.share)} | \`${x.fn}\` | ${x.where} |`);
    L.push('');
  }
  L.push('## What each system answers');
  L.push('');
  L.push(
    '- **ours**: `node packages/server/dist/main.js`, `NODE_ENV=production`, `RATE_LIMIT=off`, pool 10, signed in as ADMIN. **ours-node22**: the same build on Node 22 (control).',
  );
  L.push(
    "- **postgraphile-rls**: the same PostGraphile with `pgSettings` `{ role: 'ntp_request', 'ntp.scope_path': '' }`: each request in a transaction as our request role, row-level security on (ADMIN scope), as our server runs.",
  );
  L.push(
    '- **postgraphile**: PostGraphile 5 (Amber + pg-aggregates + connection-filter, `PgIndexBehaviorsPlugin` off, `GRAPHILE_ENV=production`), pool 10, no auth, connected as the database owner, so **row-level security does not apply to it** (ours and the floor run as the request role). Q2/Q3 group a plain view `bench_pgl.allocation_rollup` (allocation + its province and district ids); Q6/Q7 call SQL functions holding the same SQL as our services (`peers/postgraphile.sql`). Q4 does not compute `disbursementRate`; summary rows carry keys, not units. **Q5 is its plain `createDisbursement` insert: no row lock, no running total, no idempotency key, no audit event — a lower bound, not a peer.**',
  );
  L.push(
    '- **floor**: a bare `http` + `pg` server replaying, per request, the exact statements our server ran for that query (text and values recorded through `node-postgres`), on one pooled connection, rows returned as JSON.',
  );
  L.push('- **Q0** `{ __typename }`: HTTP and GraphQL overhead, no SQL.');
  L.push(
    '- SQL/req: statements sent through node-postgres per request (sequential probes; BEGIN/COMMIT count), read from a counter preloaded into each server (`peers/count-sql.cjs`, `BENCH_COUNT_SQL=1`). MIX: weighted from the single-query counts.',
  );
  L.push(
    `- MIX weights: ${r.queries
      .filter((q) => q.weight > 0)
      .map((q) => `${q.id} ${q.weight}`)
      .join(', ')}.`,
  );
  L.push('');
  L.push('## Queries');
  L.push('');
  for (const q of r.queries) {
    L.push(`### ${q.id}: ${q.title}`);
    L.push('');
    L.push('```graphql');
    L.push(`# ours\n${JSON.parse(q.ours).query}\n# postgraphile\n${JSON.parse(q.postgraphile).query}`);
    L.push('```');
    L.push('');
  }
  return `${L.join('\n')}\n`;
}

export function writeReport(r: Results, jsonFile: string, mdFile: string) {
  fs.writeFileSync(jsonFile, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(mdFile, renderMarkdown(r));
}
