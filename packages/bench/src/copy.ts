import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

type Cell = string | number | bigint | boolean | null | undefined;

/** One value in COPY's text format. */
function cell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v !== 'string') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

export interface Progress {
  (table: string, rows: number, done: boolean): void;
}

/** Prints "table: N rows (r/s)" at most every two seconds, and once at the end. */
export function progressPrinter(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Progress {
  const started = new Map<string, number>();
  let last = 0;
  return (table, rows, done) => {
    const now = Date.now();
    if (!started.has(table)) started.set(table, now);
    if (!done && now - last < 2000) return;
    last = now;
    const s = (now - started.get(table)!) / 1000;
    log(
      `  ${table}: ${rows.toLocaleString('en')} rows${done ? ' done' : ''} in ${s.toFixed(1)} s (${Math.round(rows / Math.max(s, 0.001)).toLocaleString('en')}/s)`,
    );
  };
}

/**
 * Streams rows into `table` with COPY FROM STDIN (text format), in chunks, with backpressure.
 * Returns the number of rows.
 */
export async function copyRows(
  client: Client,
  table: string,
  columns: string[],
  rows: Iterable<Cell[]>,
  progress?: Progress,
): Promise<number> {
  let n = 0;
  function* chunks() {
    let buf: string[] = [];
    for (const r of rows) {
      buf.push(r.map(cell).join('\t'));
      n++;
      if (buf.length >= 2000) {
        yield `${buf.join('\n')}\n`;
        buf = [];
        progress?.(table, n, false);
      }
    }
    if (buf.length) yield `${buf.join('\n')}\n`;
  }
  const sink = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks()), sink);
  progress?.(table, n, true);
  return n;
}
