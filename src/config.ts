import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Every setting the service reads, validated once at start-up. */
export const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL server; when absent the embedded PGlite in SAKIP_DATA_DIR is used'),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('A streaming read replica of DATABASE_URL that region-wide pulls and lists may read from'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('pg pool size'),
  SAKIP_DATA_DIR: z.string().min(1).default('./data').describe('PGlite data directory (embedded mode)'),
  SAKIP_BOOTSTRAP_CLIENT_ID: z.string().min(3).optional().describe('Admin client created at start'),
  SAKIP_BOOTSTRAP_CLIENT_SECRET: z.string().min(12).optional().describe('Secret of the bootstrap admin'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600).describe('Access token lifetime'),
  AUTH_JWKS_URL: z.url().optional().describe('JWKS of an external identity provider whose tokens are accepted'),
  AUTH_ISSUER: z.string().optional().describe('Required `iss` of external tokens'),
  AUTH_AUDIENCE: z.string().optional().describe('Required `aud` of external tokens'),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(1200)
    .describe('Requests per window per caller: the subject of its verified token, or its IP when it has none'),
  RATE_LIMIT_WINDOW: z.string().default('1 minute').describe('Rate-limit window'),
  TOKEN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(60)
    .describe('Token requests (POST /v1/auth/token, any credential form) per IP per minute'),
  TOKEN_CLIENT_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20)
    .describe('Token requests per client id per minute, right or wrong secret: bounds guessing one client\'s secret'),
  PUBLIC_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(120).describe('Requests per IP per window on the public (no token) report routes'),
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).default(300).describe('Cache-Control max-age of the public report routes'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .describe('Redis server where rate-limit counters are shared by every API process; when absent each process counts its own'),
  REDIS_KEY_PREFIX: z.string().min(1).default('sakip-rate-limit-').describe('Prefix of the rate-limit keys in Redis'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576).describe('Max body size (batch routes allow more)'),
  BATCH_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1_048_576).describe('Max body of batch imports'),
  BATCH_CHUNK_ROWS: z.coerce.number().int().min(1).max(5_000).default(5_000).describe('Rows per transaction of a non-atomic batch import (the unit a crash leaves whole)'),
  TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* headers'),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false)
    .describe('Allow webhook URLs that resolve to private, loopback or link-local addresses (tests, closed networks)'),
  WEBHOOK_DISPATCH: bool.default(true).describe('Run the webhook dispatcher in this process'),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000).describe('How often the dispatcher looks for work'),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8).describe('Deliveries in flight per process'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000).describe('Timeout of one delivery request'),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000).describe('First retry delay; doubles per attempt'),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).default(3_600_000).describe('Longest delay between retries'),
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().min(1).default(86_400_000)
    .describe('How long a failing delivery is retried before the subscription is disabled (24 h)'),
}).superRefine((c, ctx) => {
  if (Boolean(c.SAKIP_BOOTSTRAP_CLIENT_ID) !== Boolean(c.SAKIP_BOOTSTRAP_CLIENT_SECRET)) {
    ctx.addIssue({
      code: 'custom',
      path: [c.SAKIP_BOOTSTRAP_CLIENT_ID ? 'SAKIP_BOOTSTRAP_CLIENT_SECRET' : 'SAKIP_BOOTSTRAP_CLIENT_ID'],
      message: 'SAKIP_BOOTSTRAP_CLIENT_ID and SAKIP_BOOTSTRAP_CLIENT_SECRET go together',
    });
  }
  if (c.DATABASE_READ_URL && !c.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_READ_URL'], message: 'a read replica needs DATABASE_URL (the primary)' });
  }
  if (c.AUTH_JWKS_URL && !c.AUTH_ISSUER) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'required when AUTH_JWKS_URL is set' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
