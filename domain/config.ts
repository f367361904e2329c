import { z } from 'zod';
import { defaultSendRate, type SendRate } from './mailRelay';

/** Real public sites; every base URL can point at a mirror or a local server, path prefix included. */
export const PUBLIC_SITES = {
  houseClerk: 'https://disclosures-clerk.house.gov',
  senateEfd: 'https://efdsearch.senate.gov',
  congressApi: 'https://api.congress.gov',
  prices: 'https://query1.finance.yahoo.com',
} as const;

const url = z.url({ protocol: /^https?$/ }).transform((s) => s.replace(/\/+$/, ''));
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const emailList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()));

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TLS: z.stringbool().default(false),
  TEMPORAL_API_KEY: z.string().optional(),
  // mTLS (self-hosted Temporal, or Temporal Cloud with certificates), named as the `temporal` CLI names
  // them so one environment serves both; any of these turns TLS on.
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL')
    .default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().min(3).default('CapitolScope Alerts <alerts@capitolscope.local>'),
  ADMIN_EMAILS: emailList.default([]),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:8080'),
  UNSUBSCRIBE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  HOUSE_CLERK_BASE_URL: url.default(PUBLIC_SITES.houseClerk),
  SENATE_EFD_BASE_URL: url.default(PUBLIC_SITES.senateEfd),
  CONGRESS_API_BASE_URL: url.default(PUBLIC_SITES.congressApi),
  CONGRESS_API_KEY: z.string().optional(),
  PRICES_BASE_URL: url.default(PUBLIC_SITES.prices),
  HOUSE_INDEX_YEARS: z
    .string()
    .regex(/^\d{4}(,\d{4})*$/, 'must be years like 2025 or 2024,2025')
    .transform((s) => s.split(',').map(Number))
    .optional(),
  SCHEDULE_TIMEZONE: z.string().default('America/New_York'),
  TRADE_SYNC_INTERVAL: z
    .string()
    .regex(/^\d+\s*(m|h)$/, 'must be a duration like 30m or 2h')
    .default('2h'),
  HTTP_PORT: port.default(8080),
  WORKER_HTTP_PORT: port.default(9464),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  DISK_PATH: z.string().default('/'),
  DISK_WARN_PERCENT: positiveInt.max(100).default(80),
  DISK_CRITICAL_PERCENT: positiveInt.max(100).default(90),
  MEMORY_WARN_PERCENT: positiveInt.max(100).default(85),
  MEMORY_CRITICAL_PERCENT: positiveInt.max(100).default(95),
  SHUTDOWN_GRACE_SECONDS: positiveInt.default(60),
  ALERT_MAX_FILING_AGE_DAYS: z.coerce.number().int().min(0).default(30),
  NOTIFICATION_RATE_PER_SECOND: z
    .union([z.literal('unlimited'), z.coerce.number().positive()], {
      error: 'must be a number of emails per second above 0, or unlimited',
    })
    .optional(),
  SMTP_POOL_SIZE: positiveInt.max(100).default(5),
  NOTIFICATION_CONCURRENCY: positiveInt.max(1000).optional(),
  WORKFLOW_CACHE_SIZE: positiveInt.max(10_000).optional(),
  SENATE_REQUEST_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  DATA_DIR: z.string().default('.data'),
});

export type Config = ReturnType<typeof toConfig>;

/** Thrown with one line that names the variable and what is wrong with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse and validate configuration from an environment; pure (pass `process.env`). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set", as in most process managers' env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${name}: ${issue.message}`);
  }
  const v = parsed.data;
  if (v.DISK_WARN_PERCENT >= v.DISK_CRITICAL_PERCENT) {
    throw new ConfigError('invalid configuration: DISK_WARN_PERCENT must be below DISK_CRITICAL_PERCENT');
  }
  if ((v.TEMPORAL_TLS_CLIENT_CERT_PATH === undefined) !== (v.TEMPORAL_TLS_CLIENT_KEY_PATH === undefined)) {
    throw new ConfigError(
      'invalid configuration: TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together',
    );
  }
  if (v.MEMORY_WARN_PERCENT >= v.MEMORY_CRITICAL_PERCENT) {
    throw new ConfigError('invalid configuration: MEMORY_WARN_PERCENT must be below MEMORY_CRITICAL_PERCENT');
  }
  return toConfig(v);
}

function toConfig(v: z.infer<typeof schema>) {
  return {
    databaseUrl: v.DATABASE_URL ?? null,
    temporal: {
      address: v.TEMPORAL_ADDRESS,
      namespace: v.TEMPORAL_NAMESPACE,
      tls:
        v.TEMPORAL_TLS ||
        [
          v.TEMPORAL_TLS_CLIENT_CERT_PATH,
          v.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
          v.TEMPORAL_TLS_SERVER_NAME,
        ].some(Boolean),
      apiKey: v.TEMPORAL_API_KEY ?? null,
      clientCert:
        v.TEMPORAL_TLS_CLIENT_CERT_PATH && v.TEMPORAL_TLS_CLIENT_KEY_PATH
          ? { certPath: v.TEMPORAL_TLS_CLIENT_CERT_PATH, keyPath: v.TEMPORAL_TLS_CLIENT_KEY_PATH }
          : null,
      caPath: v.TEMPORAL_TLS_SERVER_CA_CERT_PATH ?? null,
      serverName: v.TEMPORAL_TLS_SERVER_NAME ?? null,
    },
    mail: {
      smtpUrl: v.SMTP_URL,
      from: v.MAIL_FROM,
      adminEmails: v.ADMIN_EMAILS,
      /** Open connections to the relay per worker process. */
      poolSize: v.SMTP_POOL_SIZE,
      /** Alert emails in progress at once per notifications worker process; null: follow the pool and rate. */
      concurrency: v.NOTIFICATION_CONCURRENCY ?? null,
      /** Alert emails per second per notifications worker process (null: no limit), and why that figure. */
      sendRate: sendRate(v.NOTIFICATION_RATE_PER_SECOND, v.SMTP_URL),
    },
    publicBaseUrl: v.PUBLIC_BASE_URL,
    unsubscribeSecret: v.UNSUBSCRIBE_SECRET ?? null,
    sites: {
      houseClerk: v.HOUSE_CLERK_BASE_URL,
      senateEfd: v.SENATE_EFD_BASE_URL,
      congressApi: v.CONGRESS_API_BASE_URL,
      prices: v.PRICES_BASE_URL,
    },
    congressApiKey: v.CONGRESS_API_KEY ?? null,
    /** Which yearly House indexes to read; default: this year, and last year too in January. */
    houseIndexYears: v.HOUSE_INDEX_YEARS ?? null,
    schedules: { timezone: v.SCHEDULE_TIMEZONE, tradeSyncInterval: v.TRADE_SYNC_INTERVAL },
    httpPort: v.HTTP_PORT,
    workerHttpPort: v.WORKER_HTTP_PORT,
    logLevel: v.LOG_LEVEL,
    health: {
      diskPath: v.DISK_PATH,
      diskWarnPercent: v.DISK_WARN_PERCENT,
      diskCriticalPercent: v.DISK_CRITICAL_PERCENT,
      memoryWarnPercent: v.MEMORY_WARN_PERCENT,
      memoryCriticalPercent: v.MEMORY_CRITICAL_PERCENT,
    },
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    alerts: { maxFilingAgeDays: v.ALERT_MAX_FILING_AGE_DAYS },
    /** Workflow executions a worker process keeps cached (the SDK's default when unset). */
    workflowCacheSize: v.WORKFLOW_CACHE_SIZE ?? null,
    senateRequestIntervalMs: v.SENATE_REQUEST_INTERVAL_MS,
    dataDir: v.DATA_DIR,
  };
}

function sendRate(configured: number | 'unlimited' | undefined, smtpUrl: string): SendRate {
  if (configured === 'unlimited') return { perSecond: null, source: 'NOTIFICATION_RATE_PER_SECOND' };
  if (configured !== undefined) return { perSecond: configured, source: 'NOTIFICATION_RATE_PER_SECOND' };
  return defaultSendRate(smtpUrl);
}
