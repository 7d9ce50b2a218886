import { Client } from 'pg';

const KEY = 'bench:rls-original';
const ADMIN_FIRST = "(SELECT current_setting('ntp.scope_path', true)) = ''";

interface SavedPolicy {
  table: string;
  name: string;
  cmd: string;
  qual: string | null;
  check: string | null;
}

/**
 * Experiment (`--rls-initplan`), on the bench database only: every row-level security policy gets
 * `(SELECT current_setting('ntp.scope_path', true)) = '' OR …` in front, an InitPlan PostgreSQL evaluates
 * once per statement, so an unscoped caller (ADMIN) no longer runs the per-row visibility functions.
 * Without the flag, a previous run's change is undone first, so measurements start from the migrations' policies.
 */
export async function rlsInitPlan(url: string, apply: boolean): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const alter = (p: SavedPolicy, qual: string | null, check: string | null) =>
      c.query(`ALTER POLICY ${p.name} ON ${p.table}${qual ? ` USING (${qual})` : ''}${check ? ` WITH CHECK (${check})` : ''}`);
    const saved = (await c.query('SELECT value FROM app_setting WHERE key = $1', [KEY])).rows[0];
    if (saved) {
      for (const p of JSON.parse(saved.value) as SavedPolicy[]) await alter(p, p.qual, p.check);
      await c.query('DELETE FROM app_setting WHERE key = $1', [KEY]);
    }
    if (!apply) return 0;
    const policies: SavedPolicy[] = (
      await c.query(
        `SELECT tablename AS table, policyname AS name, cmd, qual, with_check AS check FROM pg_policies
         WHERE schemaname = 'public' AND policyname <> 'ntp_sign_in'`,
      )
    ).rows;
    await c.query('INSERT INTO app_setting (key, value) VALUES ($1, $2)', [KEY, JSON.stringify(policies)]);
    const wrap = (e: string | null) => (e && e !== 'true' ? `${ADMIN_FIRST} OR (${e})` : null);
    for (const p of policies) await alter(p, wrap(p.qual), wrap(p.check));
    return policies.length;
  } finally {
    await c.end();
  }
}
