/**
 * The load generator, in its own process: autocannon against one system with one query (or the
 * weighted mix). Reads a JSON spec from the file named by argv[2], prints one JSON result line.
 * Spec: { url, headers, connections, duration, seed, pools: { provinces: [[id, path]], allocations: [id],
 *   writable: [[allocationId, unitId]] }, bodies: [{ body, weight }] }.
 * A response counts as an error when its status is not 200 or its body carries GraphQL "errors".
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

let a = spec.seed >>> 0;
const rand = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const totalWeight = spec.bodies.reduce((s, b) => s + b.weight, 0);
const chooseBody = () => {
  if (spec.bodies.length === 1) return spec.bodies[0].body;
  let x = rand() * totalWeight;
  for (const b of spec.bodies) {
    x -= b.weight;
    if (x < 0) return b.body;
  }
  return spec.bodies[spec.bodies.length - 1].body;
};

let keySeq = 0;
const keyPrefix = `bench-${process.pid}-${Date.now().toString(36)}`;
const fill = (template) => {
  let body = template;
  if (body.includes('$PROVINCE_')) {
    const [id, path] = pick(spec.pools.provinces);
    body = body.replaceAll('$PROVINCE_ID$', id).replaceAll('$PROVINCE_PATH$', path);
  }
  if (body.includes('$ALLOC_ID$')) body = body.replaceAll('$ALLOC_ID$', String(pick(spec.pools.allocations)));
  if (body.includes('$W_')) {
    const [alloc, unit] = pick(spec.pools.writable);
    body = body.replaceAll('$W_ALLOC$', String(alloc)).replaceAll('$W_UNIT$', String(unit));
  }
  if (body.includes('$KEY$')) body = body.replaceAll('$KEY$', `${keyPrefix}-${++keySeq}`);
  return body;
};

const latencies = [];
let errors = 0;
let firstError = null;
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    pipelining: 1,
    timeout: 30,
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: fill(chooseBody()) }),
        onResponse: (status, body) => {
          if (status !== 200 || body.includes('"errors"')) {
            errors++;
            if (!firstError) firstError = `${status} ${String(body).slice(0, 500)}`;
          }
        },
      },
    ],
  },
  (err, result) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    latencies.sort((x, y) => x - y);
    const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : null);
    const seconds = spec.duration;
    process.stdout.write(
      `${JSON.stringify({
        requests: latencies.length,
        rps: latencies.length / seconds,
        p50: q(50),
        p95: q(95),
        p99: q(99),
        max: latencies.length ? latencies[latencies.length - 1] : null,
        errors: errors + result.errors + result.timeouts,
        non2xx: result.non2xx,
        socketErrors: result.errors,
        timeouts: result.timeouts,
        firstError,
        bytesPerSecond: result.throughput.average,
      })}\n`,
    );
  },
);
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
