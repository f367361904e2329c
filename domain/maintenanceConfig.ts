import { z } from 'zod';

/** The environment variables of backups, log files and retention (merged into `domain/config.ts`). */

const days = z.coerce.number().int().min(0);
const positive = z.coerce.number().int().positive();
const pathList = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

export const maintenanceEnv = {
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_RETENTION_DAYS: positive.default(30),
  BACKUP_MIN_KEEP: positive.default(7),
  BACKUP_CONFIG_PATHS: pathList.default([]),
  PG_BIN_DIR: z.string().min(1).optional(),
  LOG_DIR: z.string().min(1).optional(),
  LOG_FILE_MAX_SIZE: z
    .string()
    .regex(/^\d+[kmg]$/i, 'must be a size like 500k, 50m or 1g')
    .default('50m'),
  LOG_FILE_COUNT: positive.default(14),
  LOG_RETENTION_DAYS: positive.default(30),
  HEALTH_RETENTION_DAYS: positive.default(30),
  NOTIFICATION_BODY_RETENTION_DAYS: positive.default(90),
  NOTIFICATION_LEDGER_RETENTION_DAYS: days
    .refine((n) => n === 0 || n >= 365, 'must be 0 (keep forever) or at least 365')
    .default(0),
  REPORT_RETENTION_DAYS: positive.default(400),
  CLEANUP_BATCH_SIZE: positive.max(100_000).default(5000),
};

type MaintenanceEnv = z.infer<z.ZodObject<typeof maintenanceEnv>>;

export function toMaintenanceConfig(v: MaintenanceEnv, dataDir: string) {
  return {
    backup: {
      dir: v.BACKUP_DIR ?? `${dataDir.replace(/\/+$/, '')}/backups`,
      retentionDays: v.BACKUP_RETENTION_DAYS,
      minKeep: v.BACKUP_MIN_KEEP,
      configPaths: v.BACKUP_CONFIG_PATHS,
      /** Where pg_dump and pg_restore are; null: found by version (see ops/pgTools.ts). */
      pgBinDir: v.PG_BIN_DIR ?? null,
    },
    logFiles: {
      dir: v.LOG_DIR ?? null,
      maxSize: v.LOG_FILE_MAX_SIZE.toLowerCase(),
      count: v.LOG_FILE_COUNT,
      retentionDays: v.LOG_RETENTION_DAYS,
    },
    retention: {
      healthDays: v.HEALTH_RETENTION_DAYS,
      notificationBodyDays: v.NOTIFICATION_BODY_RETENTION_DAYS,
      /** 0: the (user, transaction) ledger is kept forever. */
      notificationLedgerDays: v.NOTIFICATION_LEDGER_RETENTION_DAYS,
      reportDays: v.REPORT_RETENTION_DAYS,
      batchSize: v.CLEANUP_BATCH_SIZE,
    },
  };
}

export type MaintenanceConfig = ReturnType<typeof toMaintenanceConfig>;
