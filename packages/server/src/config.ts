import path from 'node:path';

export interface Config {
  databaseUrl?: string;
  port: number;
  dataDir: string;
  adminUsername: string;
  adminPassword?: string;
  seedDemo: boolean;
  nodeEnv: 'development' | 'production' | 'test';
  tokenTtlHours: number;
  /** RATE_LIMIT=off disables every rate limit (benchmarks). */
  rateLimit: boolean;
  /** Failed logins per username before exponential backoff starts (shared by every instance, in PostgreSQL). */
  loginMaxFailures: number;
  /** Failed logins per client address before exponential backoff starts. */
  loginMaxFailuresPerAddress: number;
  /** First backoff after the limit, doubled on every further failure (capped at 15 minutes). */
  loginBackoffSeconds: number;
  /** GraphQL requests per minute per user or API key (per server instance, in memory). */
  requestsPerMinute: number;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /**
   * Summaries read the roll-up tables kept by triggers (funding_rollup, indicator_rollup) when they can
   * answer the question. SUMMARY_ROLLUPS=off answers every summary from the ledger and the values instead:
   * slower, and a way to rule the roll-ups out when a figure is in doubt.
   */
  summaryRollups: boolean;
  /**
   * Queries run as compiled functions (graphql/executor.ts). COMPILED_QUERIES=off interprets them with graphql-js,
   * as mutations always are: slower, and a way to rule the compiler out when an answer is in doubt.
   */
  compiledQueries: boolean;
}

export class ConfigError extends Error {}

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parsePort(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  return n;
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}

/** "1048576", "512kb" or "1mb". */
function parseBytes(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
  const n = m ? Number(m[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 } as Record<string, number>)[(m[2] ?? 'b').toLowerCase()] : NaN;
  if (!Number.isSafeInteger(n) || n < 1024 || n > 100 * 1024 * 1024) {
    throw new ConfigError(`${name} must be a size between 1kb and 100mb such as "1mb", "512kb" or "1048576", got "${raw}"`);
  }
  return n;
}

/** Reads and validates the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  }
  const adminUsername = env.ADMIN_USERNAME?.trim() || 'admin';
  if (!/^[a-zA-Z0-9._-]{3,64}$/.test(adminUsername)) {
    throw new ConfigError(`ADMIN_USERNAME must be 3-64 letters, digits, dots, dashes or underscores, got "${adminUsername}"`);
  }
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD must have at least 8 characters');
  }
  const ttlRaw = env.TOKEN_TTL_HOURS ?? '12';
  const tokenTtlHours = Number(ttlRaw);
  if (!Number.isFinite(tokenTtlHours) || tokenTtlHours <= 0)
    throw new ConfigError(`TOKEN_TTL_HOURS must be a positive number, got "${ttlRaw}"`);
  return {
    databaseUrl,
    port: env.PORT === undefined || env.PORT === '' ? 4000 : parsePort('PORT', env.PORT),
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    adminUsername,
    adminPassword,
    seedDemo: env.SEED_DEMO === undefined || env.SEED_DEMO === '' ? nodeEnv !== 'production' : parseBool('SEED_DEMO', env.SEED_DEMO),
    nodeEnv,
    tokenTtlHours,
    rateLimit: env.RATE_LIMIT === undefined || env.RATE_LIMIT === '' ? true : parseBool('RATE_LIMIT', env.RATE_LIMIT),
    loginMaxFailures: parsePositiveInt('LOGIN_MAX_FAILURES', env.LOGIN_MAX_FAILURES, 5),
    loginMaxFailuresPerAddress: parsePositiveInt('LOGIN_MAX_FAILURES_PER_ADDRESS', env.LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
    loginBackoffSeconds: parsePositiveInt('LOGIN_BACKOFF_SECONDS', env.LOGIN_BACKOFF_SECONDS, 30),
    requestsPerMinute: parsePositiveInt('REQUESTS_PER_MINUTE', env.REQUESTS_PER_MINUTE, 1200),
    bodyLimitBytes: parseBytes('BODY_LIMIT', env.BODY_LIMIT, 1024 * 1024),
    summaryRollups:
      env.SUMMARY_ROLLUPS === undefined || env.SUMMARY_ROLLUPS === '' ? true : parseBool('SUMMARY_ROLLUPS', env.SUMMARY_ROLLUPS),
    compiledQueries:
      env.COMPILED_QUERIES === undefined || env.COMPILED_QUERIES === '' ? true : parseBool('COMPILED_QUERIES', env.COMPILED_QUERIES),
  };
}
