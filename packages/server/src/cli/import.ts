import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import { initOrm } from '../db/orm';
import { sql, sqlOne } from '../db/sql';
import { transactional } from '../db/transactional';
import { CALLER_COLUMNS, CALLER_JOINS, callerFromRow, type CallerRow } from '../auth/caller';
import { AppError } from '../common/errors';
import { runImport } from '../modules/imports/import.service';
import { ImportKind } from '../modules/imports/import.types';

const USAGE = `Usage: pnpm run import <file.xlsx|file.csv> --kind units|allocations|disbursements|indicator-values [--dry-run] [--user <username>]

Checks every row and, without --dry-run and without errors, writes them all in one transaction
(all or nothing), as <username> (default: ADMIN_USERNAME) with that user's scope; one audit event.
Needs DATABASE_URL. Exit code 0: done; 1: row errors (nothing written); 2: usage or setup error.`;

interface Args {
  file: string;
  kind: ImportKind;
  dryRun: boolean;
  user?: string;
}

function parseArgs(argv: string[]): Args {
  let file: string | undefined;
  let kind: string | undefined;
  let user: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') dryRun = true;
    else if (a === '--kind') kind = argv[++i];
    else if (a.startsWith('--kind=')) kind = a.slice(7);
    else if (a === '--user') user = argv[++i];
    else if (a.startsWith('--user=')) user = a.slice(7);
    else if (a === '--') continue;
    else if (a.startsWith('--')) throw new ConfigError(`Unknown option ${a}\n\n${USAGE}`);
    else if (!file) file = a;
    else throw new ConfigError(`Only one file, got "${a}" too\n\n${USAGE}`);
  }
  const k = (kind ?? '').toUpperCase().replace(/-/g, '_') as ImportKind;
  if (!file || !Object.values(ImportKind).includes(k)) throw new ConfigError(USAGE);
  return { file, kind: k, dryRun, user };
}

/** A progress bar on stderr (when it is a terminal, else one line per phase). */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastPhase = '';
  let lastDraw = 0;
  return {
    update(phase: string, done: number, total: number) {
      const now = Date.now();
      if (phase === lastPhase && now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
      const line = `${phase.padEnd(6)} [${bar}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`;
      if (tty) process.stderr.write(`${phase !== lastPhase && lastPhase ? '\n' : '\r'}${line}`);
      else if (phase !== lastPhase) process.stderr.write(`${phase}...\n`);
      lastPhase = phase;
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required (the command line does not start an embedded database)');
  const data = fs.readFileSync(args.file);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const username = args.user ?? config.adminUsername;
  const orm = await initOrm(config.databaseUrl, 2);
  const bar = progressBar();
  try {
    const em = orm.em.fork() as EntityManager;
    const row = await sqlOne<CallerRow>(em, `SELECT ${CALLER_COLUMNS} FROM app_user u ${CALLER_JOINS} WHERE u.username = ?`, [username]);
    if (!row || row.disabled) throw new ConfigError(`No active user "${username}"`);
    const caller = callerFromRow(row);
    const t0 = Date.now();
    const result = await transactional(em, async (tx) => {
      const r = await runImport({
        em: tx as EntityManager,
        caller,
        lang: 'vi',
        kind: args.kind,
        dryRun: args.dryRun,
        data,
        fileName: path.basename(args.file),
        progress: (phase, done, total) => bar.update(phase, done, total),
      });
      const counts = { created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.errors.length, committed: r.committed };
      await sql(
        tx as EntityManager,
        `INSERT INTO audit_event (at, actor_id, operation, entity_type, unit_id, after, details, request_id, outcome)
         VALUES (clock_timestamp(), ?, 'importFile', ?, ?, ?::jsonb, ?::jsonb, ?, 'SUCCESS')`,
        [
          caller.userId,
          args.kind,
          caller.homeUnitId,
          JSON.stringify(counts),
          JSON.stringify({ source: 'cli', fileName: path.basename(args.file), sha256, kind: args.kind, dryRun: args.dryRun, ...counts }),
          `cli-${randomUUID()}`,
        ],
      );
      return r;
    });
    bar.end();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    for (const e of result.errors.slice(0, 200)) {
      console.log(`dòng ${e.row ?? '-'}${e.column ? `, cột ${e.column}` : ''}${e.value != null ? ` (${e.value})` : ''}: ${e.message}`);
    }
    if (result.errors.length > 200) console.log(`… ${result.errors.length - 200} lỗi khác`);
    console.log(
      `${args.dryRun ? 'Chạy thử' : result.committed ? 'Đã nhập' : 'Không nhập (có lỗi)'}: tạo mới ${result.created}, cập nhật ${result.updated}, không đổi ${result.unchanged}, lỗi ${result.errors.length} — ${secs} s`,
    );
    process.exitCode = result.errors.length ? 1 : 0;
  } finally {
    await orm.close(true);
  }
}

main().catch((e) => {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  if (e instanceof AppError) {
    console.error(e.msg.vi);
    process.exit(2);
  }
  console.error(e);
  process.exit(2);
});
