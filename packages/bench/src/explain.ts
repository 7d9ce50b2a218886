import { Client } from 'pg';

export interface Captured {
  vars: Record<string, string>;
  statements: { text: string; values: unknown[] }[];
}

export interface ExplainRow {
  query: string;
  index: number;
  sql: string;
  /** Median execution ms of three EXPLAIN ANALYZE runs, as the request role (RLS on) and as the owner. */
  requestRoleMs: number | null;
  ownerMs: number | null;
  planningMs: number | null;
}

const SKIP = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SELECT set_config|INSERT|UPDATE|DELETE)/i;

async function execMs(c: Client, text: string, values: unknown[], asRequestRole: string | null): Promise<{ exec: number; plan: number }> {
  const times: { exec: number; plan: number }[] = [];
  for (let i = 0; i < 3; i++) {
    await c.query('BEGIN');
    try {
      if (asRequestRole) await c.query(`SELECT set_config('role', $1, true), set_config('ntp.scope_path', '', true)`, [asRequestRole]);
      const r = await c.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${text}`, values);
      const plan = r.rows[0]['QUERY PLAN'][0];
      times.push({ exec: plan['Execution Time'], plan: plan['Planning Time'] });
    } finally {
      await c.query('ROLLBACK');
    }
  }
  times.sort((a, b) => a.exec - b.exec);
  return times[1];
}

/**
 * EXPLAIN ANALYZE of every read statement our server ran per query, once as the request role (row-level
 * security applies, as in production; ADMIN scope) and once as the owner (as PostGraphile runs here).
 */
export async function explainCaptured(url: string, captured: Record<string, Captured>, requestRole: string | null): Promise<ExplainRow[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const out: ExplainRow[] = [];
  try {
    for (const [q, rec] of Object.entries(captured)) {
      for (const [i, st] of rec.statements.entries()) {
        const text = st.text.trim();
        if (SKIP.test(text) || /FROM user_session/.test(text)) continue;
        const owner = await execMs(c, text, st.values, null).catch(() => null);
        const req = requestRole ? await execMs(c, text, st.values, requestRole).catch(() => null) : null;
        out.push({
          query: q,
          index: i,
          sql: text.replace(/\s+/g, ' ').slice(0, 120),
          requestRoleMs: req?.exec ?? null,
          ownerMs: owner?.exec ?? null,
          planningMs: (req ?? owner)?.plan ?? null,
        });
      }
    }
  } finally {
    await c.end();
  }
  return out;
}
