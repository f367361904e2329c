import { z } from 'zod';
import { mailFromDomain } from './mailFrom';
import { maintenanceEnv, toMaintenanceConfig } from './maintenanceConfig';
import { defaultSendRate, type SendRate } from './mailRelay';

/** Real public sites; every base URL can point at a mirror or a local server, path prefix included. */
export const PUBLIC_SITES = {
  houseClerk: 'https://disclosures-clerk.house.gov',
  senateEfd: 'https://efdsearch.senate.gov',
  congressApi: 'https://api.congress.gov',
  prices: 'https://query1.finance.yahoo.com',
  finnhub: 'https://finnhub.io',
  alphaVantage: 'https://www.alphavantage.co',
} as const;

const url = z.url({ protocol: /^https?$/ }).transform((s) => s.replace(/\/+$/, ''));
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const percent = positiveInt.max(100);
/** `90s`, `30m`, `2h`, `1d` in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+\s*(s|m|h|d)$/, 'must be a duration like 90s, 30m, 2h or 1d')
  .transform(durationMs);
const pathList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, 'must name at least one path'));
const emailList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()));

function hasMailDomain(value: string): boolean {
  try {
    mailFromDomain(value);
    return true;
  } catch {
    return false;
  }
}

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
  // Checked at start: without a domain every send would fail (no Message-ID, relays refuse it).
  MAIL_FROM: z
    .string()
    .refine(
      hasMailDomain,
      'must be an address with a domain, like "CapitolScope Alerts <alerts@example.org>"',
    )
    .default('CapitolScope Alerts <alerts@capitolscope.local>'),
  ADMIN_EMAILS: emailList.default([]),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:8080'),
  UNSUBSCRIBE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // Earlier secrets whose links are still accepted after a rotation (comma-separated).
  UNSUBSCRIBE_PREVIOUS_SECRETS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(16, 'every secret must be at least 16 characters')))
    .default([]),
  HOUSE_CLERK_BASE_URL: url.default(PUBLIC_SITES.houseClerk),
  SENATE_EFD_BASE_URL: url.default(PUBLIC_SITES.senateEfd),
  CONGRESS_API_BASE_URL: url.default(PUBLIC_SITES.congressApi),
  CONGRESS_API_KEY: z.string().optional(),
  PRICES_BASE_URL: url.default(PUBLIC_SITES.prices),
  FINNHUB_BASE_URL: url.default(PUBLIC_SITES.finnhub),
  FINNHUB_API_KEY: z.string().optional(),
  ALPHA_VANTAGE_BASE_URL: url.default(PUBLIC_SITES.alphaVantage),
  ALPHA_VANTAGE_API_KEY: z.string().optional(),
  PRICE_TRACK_DAYS: positiveInt.default(365),
  // Per-source request budgets, shared by all price workers (Finnhub's and Alpha Vantage's free plans).
  PRICES_REQUESTS_PER_MINUTE: z.coerce.number().positive().default(480),
  FINNHUB_REQUESTS_PER_MINUTE: z.coerce.number().positive().default(60),
  ALPHA_VANTAGE_REQUESTS_PER_MINUTE: z.coerce.number().positive().default(5),
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
  HEALTH_DISK_PATHS: pathList.optional(),
  DISK_WARN_PERCENT: percent.default(80),
  DISK_CRITICAL_PERCENT: percent.default(90),
  MEMORY_WARN_PERCENT: percent.default(85),
  MEMORY_CRITICAL_PERCENT: percent.default(95),
  HEALTH_DB_LATENCY_WARNING_MS: positiveInt.default(500),
  HEALTH_DB_LATENCY_CRITICAL_MS: positiveInt.default(2000),
  HEALTH_DB_CONNECTIONS_WARNING_PERCENT: percent.default(80),
  HEALTH_DB_CONNECTIONS_CRITICAL_PERCENT: percent.default(90),
  HEALTH_DB_TRANSACTION_WARNING: duration.prefault('30m'),
  HEALTH_DB_TRANSACTION_CRITICAL: duration.prefault('2h'),
  HEALTH_DB_SIZE_WARNING_GB: z.coerce.number().positive().optional(),
  HEALTH_DB_SIZE_CRITICAL_GB: z.coerce.number().positive().optional(),
  HEALTH_POLLER_STALE_AFTER: duration.prefault('2m'),
  HEALTH_QUEUE_BACKLOG_WARNING: positiveInt.default(100),
  HEALTH_QUEUE_BACKLOG_CRITICAL: positiveInt.default(500),
  HEALTH_QUEUE_TASK_AGE_WARNING: duration.prefault('10m'),
  HEALTH_QUEUE_TASK_AGE_CRITICAL: duration.prefault('1h'),
  HEALTH_FAILED_FILINGS_WARNING: positiveInt.default(1),
  HEALTH_FAILED_FILINGS_CRITICAL: positiveInt.default(10),
  HEALTH_FAILED_NOTIFICATIONS_WARNING: positiveInt.default(1),
  HEALTH_FAILED_NOTIFICATIONS_CRITICAL: positiveInt.default(50),
  HEALTH_UPSTREAM_LATENCY_WARNING_MS: positiveInt.default(5000),
  ADMIN_ALERT_REPEAT: duration.prefault('6h'),
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
  // Attempts at a filing in a row that end without an outcome (timed out, out of memory, the worker
  // died) before it is marked failed.
  FILING_MAX_ATTEMPTS: positiveInt.max(100).default(3),
  // Reading the text of one PDF, in a process of its own: its deadline (one ingest attempt has 15
  // minutes, for the download, the text and the OCR of a scan) and its heap.
  PDF_PARSE_TIMEOUT_SECONDS: positiveInt
    .max(300, 'must be at most 300 (an ingest attempt has 15 minutes, OCR of a scan included)')
    .default(90),
  PDF_PARSE_MEMORY_MB: z.coerce.number().int().min(128, 'must be at least 128').max(8192).default(256),
  DATA_DIR: z.string().default('.data'),
  ...maintenanceEnv,
  PAPER_OCR: z.stringbool().default(true),
  PAPER_OCR_TIMEOUT_SECONDS: positiveInt.default(600),
  PAPER_OCR_MEMORY_MB: positiveInt.min(64).default(512),
  PAPER_OCR_CONCURRENCY: positiveInt.default(1),
});

export type Config = ReturnType<typeof toConfig>;

/** Warning limits that must be below their critical limits. */
const ORDERED_PAIRS = [
  ['DISK_WARN_PERCENT', 'DISK_CRITICAL_PERCENT'],
  ['MEMORY_WARN_PERCENT', 'MEMORY_CRITICAL_PERCENT'],
  ['HEALTH_DB_LATENCY_WARNING_MS', 'HEALTH_DB_LATENCY_CRITICAL_MS'],
  ['HEALTH_DB_CONNECTIONS_WARNING_PERCENT', 'HEALTH_DB_CONNECTIONS_CRITICAL_PERCENT'],
  ['HEALTH_DB_TRANSACTION_WARNING', 'HEALTH_DB_TRANSACTION_CRITICAL'],
  ['HEALTH_DB_SIZE_WARNING_GB', 'HEALTH_DB_SIZE_CRITICAL_GB'],
  ['HEALTH_QUEUE_BACKLOG_WARNING', 'HEALTH_QUEUE_BACKLOG_CRITICAL'],
  ['HEALTH_QUEUE_TASK_AGE_WARNING', 'HEALTH_QUEUE_TASK_AGE_CRITICAL'],
  ['HEALTH_FAILED_FILINGS_WARNING', 'HEALTH_FAILED_FILINGS_CRITICAL'],
  ['HEALTH_FAILED_NOTIFICATIONS_WARNING', 'HEALTH_FAILED_NOTIFICATIONS_CRITICAL'],
] as const satisfies readonly (readonly [keyof z.infer<typeof schema>, keyof z.infer<typeof schema>])[];

function pair(
  warning: number | null,
  critical: number | null,
): { warning: number | null; critical: number | null } {
  return { warning, critical };
}

/** `90s`, `30m`, `2h`, `1d` → milliseconds (the format is checked by the schema). */
export function durationMs(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

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
  for (const [warning, critical] of ORDERED_PAIRS) {
    const w = v[warning];
    const c = v[critical];
    if (w !== undefined && c !== undefined && w >= c) {
      throw new ConfigError(`invalid configuration: ${warning} must be below ${critical}`);
    }
  }
  if ((v.TEMPORAL_TLS_CLIENT_CERT_PATH === undefined) !== (v.TEMPORAL_TLS_CLIENT_KEY_PATH === undefined)) {
    throw new ConfigError(
      'invalid configuration: TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together',
    );
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
    /** Secrets rotated out whose unsubscribe links still work, newest first. */
    unsubscribePreviousSecrets: v.UNSUBSCRIBE_PREVIOUS_SECRETS,
    sites: {
      houseClerk: v.HOUSE_CLERK_BASE_URL,
      senateEfd: v.SENATE_EFD_BASE_URL,
      congressApi: v.CONGRESS_API_BASE_URL,
      prices: v.PRICES_BASE_URL,
    },
    congressApiKey: v.CONGRESS_API_KEY ?? null,
    prices: {
      trackDays: v.PRICE_TRACK_DAYS,
      finnhub: { baseUrl: v.FINNHUB_BASE_URL, apiKey: v.FINNHUB_API_KEY ?? null },
      alphaVantage: { baseUrl: v.ALPHA_VANTAGE_BASE_URL, apiKey: v.ALPHA_VANTAGE_API_KEY ?? null },
      requestsPerMinute: {
        yahoo: v.PRICES_REQUESTS_PER_MINUTE,
        finnhub: v.FINNHUB_REQUESTS_PER_MINUTE,
        alphavantage: v.ALPHA_VANTAGE_REQUESTS_PER_MINUTE,
      },
    },
    /** Which yearly House indexes to read; default: this year, and last year too in January. */
    houseIndexYears: v.HOUSE_INDEX_YEARS ?? null,
    schedules: { timezone: v.SCHEDULE_TIMEZONE, tradeSyncInterval: v.TRADE_SYNC_INTERVAL },
    httpPort: v.HTTP_PORT,
    workerHttpPort: v.WORKER_HTTP_PORT,
    logLevel: v.LOG_LEVEL,
    health: {
      /** The data folder by default: where this installation keeps its files. */
      diskPaths: v.HEALTH_DISK_PATHS ?? [v.DATA_DIR],
      diskPercent: pair(v.DISK_WARN_PERCENT, v.DISK_CRITICAL_PERCENT),
      memoryPercent: pair(v.MEMORY_WARN_PERCENT, v.MEMORY_CRITICAL_PERCENT),
      dbLatencyMs: pair(v.HEALTH_DB_LATENCY_WARNING_MS, v.HEALTH_DB_LATENCY_CRITICAL_MS),
      dbConnectionsPercent: pair(
        v.HEALTH_DB_CONNECTIONS_WARNING_PERCENT,
        v.HEALTH_DB_CONNECTIONS_CRITICAL_PERCENT,
      ),
      dbTransactionMs: pair(v.HEALTH_DB_TRANSACTION_WARNING, v.HEALTH_DB_TRANSACTION_CRITICAL),
      dbSizeGb: pair(v.HEALTH_DB_SIZE_WARNING_GB ?? null, v.HEALTH_DB_SIZE_CRITICAL_GB ?? null),
      /** A worker the server last heard from longer ago than this is gone (its long polls renew every minute). */
      pollerStaleAfterMs: v.HEALTH_POLLER_STALE_AFTER,
      queueBacklog: pair(v.HEALTH_QUEUE_BACKLOG_WARNING, v.HEALTH_QUEUE_BACKLOG_CRITICAL),
      queueTaskAgeMs: pair(v.HEALTH_QUEUE_TASK_AGE_WARNING, v.HEALTH_QUEUE_TASK_AGE_CRITICAL),
      failedFilings: pair(v.HEALTH_FAILED_FILINGS_WARNING, v.HEALTH_FAILED_FILINGS_CRITICAL),
      failedNotifications: pair(
        v.HEALTH_FAILED_NOTIFICATIONS_WARNING,
        v.HEALTH_FAILED_NOTIFICATIONS_CRITICAL,
      ),
      upstreamLatencyWarningMs: v.HEALTH_UPSTREAM_LATENCY_WARNING_MS,
      /** How often a lasting problem is announced to admins again. */
      adminAlertRepeatMs: v.ADMIN_ALERT_REPEAT,
    },
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    alerts: { maxFilingAgeDays: v.ALERT_MAX_FILING_AGE_DAYS },
    /** Workflow executions a worker process keeps cached (the SDK's default when unset). */
    workflowCacheSize: v.WORKFLOW_CACHE_SIZE ?? null,
    senateRequestIntervalMs: v.SENATE_REQUEST_INTERVAL_MS,
    ingestion: {
      maxAttempts: v.FILING_MAX_ATTEMPTS,
      pdfLimits: { timeoutMs: v.PDF_PARSE_TIMEOUT_SECONDS * 1000, memoryMb: v.PDF_PARSE_MEMORY_MB },
    },
    dataDir: v.DATA_DIR,
    ...toMaintenanceConfig(v, v.DATA_DIR),
    /** Reading scanned paper filings (OCR in a child process, bounded in time and heap). */
    paperOcr: {
      enabled: v.PAPER_OCR,
      timeoutMs: v.PAPER_OCR_TIMEOUT_SECONDS * 1000,
      memoryMb: v.PAPER_OCR_MEMORY_MB,
      /** Scans read at once by one worker process (each takes several hundred MiB). */
      concurrency: v.PAPER_OCR_CONCURRENCY,
    },
  };
}

function sendRate(configured: number | 'unlimited' | undefined, smtpUrl: string): SendRate {
  if (configured === 'unlimited') return { perSecond: null, source: 'NOTIFICATION_RATE_PER_SECOND' };
  if (configured !== undefined) return { perSecond: configured, source: 'NOTIFICATION_RATE_PER_SECOND' };
  return defaultSendRate(smtpUrl);
}
