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
  if (!Number.isFinite(tokenTtlHours) || tokenTtlHours <= 0) throw new ConfigError(`TOKEN_TTL_HOURS must be a positive number, got "${ttlRaw}"`);
  return {
    databaseUrl,
    port: env.PORT === undefined || env.PORT === '' ? 4000 : parsePort('PORT', env.PORT),
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    adminUsername,
    adminPassword,
    seedDemo: env.SEED_DEMO === undefined || env.SEED_DEMO === '' ? nodeEnv !== 'production' : parseBool('SEED_DEMO', env.SEED_DEMO),
    nodeEnv,
    tokenTtlHours,
  };
}
