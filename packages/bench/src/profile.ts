import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of sampled time per function (self time), busiest first. */
  self: { share: number; fn: string; where: string }[];
  /** Share of sampled time spent inside each package or server file (inclusive), busiest first. */
  inclusive: { share: number; name: string }[];
}

const where = (url: string) => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  return dist >= 0 ? `server:${url.slice(dist + 6)}` : url.replace(/^node:/, 'node:');
};

const owner = (url: string): string | null => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return `server:${url.slice(dist + 6)}`;
  return url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : null;
};

/** Reads a V8 .cpuprofile (node --cpu-prof) and sums self and inclusive time. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  p.samples.forEach((s, i) => time.set(s, (time.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const t of time.values()) total += t;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, t] of time) {
    const cf = nodes.get(id)!.callFrame;
    const key = `${cf.functionName || '(anonymous)'}\t${cf.url ? `${where(cf.url)}:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + t);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const name = owner(nodes.get(x)!.callFrame.url);
      if (name && name !== 'node:internal' && !seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + t);
      }
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: total / 1000,
    self: sorted(self).map(([k, t]) => ({ share: t / total, fn: k.split('\t')[0], where: k.split('\t')[1] })),
    inclusive: sorted(incl).map(([name, t]) => ({ share: t / total, name })),
  };
}
