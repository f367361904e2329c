/**
 * Nightly maintenance (backups, database care) and weekly clean-up: the contracts shared by
 * DailyMaintenanceWorkflow, WeeklyCleanupWorkflow, their activities and the `backup`, `restore` and
 * `cleanup` commands, with the pure rules they apply (file names, retention, secret masking).
 */

// ---- backups ---------------------------------------------------------------------------------------

const PREFIX = 'capitolscope-';
const DUMP_EXT = '.dump';

/** `2025-01-17T07:00:00.000Z` → `capitolscope-20250117T070000Z.dump`: one dated file per run, sortable. */
export function backupFileName(stamp: string): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${JSON.stringify(stamp)}`);
  const compact = d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${PREFIX}${compact}${DUMP_EXT}`;
}

/** When a backup file was taken, from its name; null for files that are not ours. */
export function backupTakenAt(fileName: string): Date | null {
  const m = /^capitolscope-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump$/.exec(fileName);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The folder beside a backup that holds the configuration files copied with it. */
export function configFolderName(backupFile: string): string {
  return backupFile.replace(/\.dump$/, '.config');
}

export interface BackupFile {
  name: string;
  takenAt: Date;
  bytes: number;
}

/**
 * Which backups retention removes: those older than `retentionDays`, except that the newest
 * `minKeep` are always kept however old (a server that stopped backing up keeps its last good ones).
 */
export function backupsToRemove(
  files: readonly BackupFile[],
  now: Date,
  retention: { retentionDays: number; minKeep: number },
): BackupFile[] {
  const newestFirst = [...files].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const cutoff = now.getTime() - retention.retentionDays * 86_400_000;
  return newestFirst.slice(retention.minKeep).filter((f) => f.takenAt.getTime() < cutoff);
}

/** What `takeBackup` wrote. */
export interface BackupTaken {
  backupId: number;
  file: string;
  bytes: number;
  durationMs: number;
  pgDumpVersion: string;
  serverVersion: string;
}

/** What reading a backup back found. `verified` false carries the reason; a run reports it as critical. */
export interface BackupVerification {
  backupId: number;
  file: string;
  verified: boolean;
  tablesExpected: number;
  tablesListed: number;
  missing: string[];
  reason: string | null;
}

export interface ConfigCopyResult {
  folder: string | null;
  copied: number;
  /** Secret values replaced by a mask, over all files. */
  masked: number;
  /** Configured paths that did not exist. */
  missing: string[];
}

export interface BackupPruneResult {
  removed: string[];
  kept: number;
  bytesFreed: number;
}

// ---- database care ---------------------------------------------------------------------------------

export interface TableStat {
  table: string;
  totalBytes: number;
  liveRows: number;
  deadRows: number;
  /** dead / (live + dead), 0 when the table is empty. */
  deadRatio: number;
}

export interface VacuumResult {
  tables: string[];
  durationMs: number;
}

export interface TableStatsResult {
  recorded: number;
  totalBytes: number;
  largest: { table: string; bytes: number }[];
  mostDead: { table: string; deadRatio: number } | null;
}

export interface DailyMaintenanceInput {
  /** Skip the backup (database care only). */
  skipBackup?: boolean;
}

/** What a DailyMaintenanceWorkflow run did; it reads well in the Web UI. */
export interface DailyMaintenanceResult {
  backup:
    | { status: 'verified'; file: string; bytes: number; durationMs: number; tables: number }
    | { status: 'failed' | 'unverified'; file: string | null; reason: string }
    | { status: 'skipped' };
  configFiles: { copied: number; masked: number; missing: string[] } | null;
  backupsRemoved: number;
  vacuumed: string[];
  tableStats: TableStatsResult;
  healthRecordId: number | null;
}

// ---- clean-up --------------------------------------------------------------------------------------

/** What the weekly clean-up removes, each with its own retention. */
export const CLEANUP_KINDS = [
  'health-results',
  'table-stats',
  'notification-bodies',
  'notification-ledger',
  'reports',
  'log-files',
  'backups',
] as const;
export type CleanupKind = (typeof CLEANUP_KINDS)[number];
/** The kinds kept in the database (the others are files). */
export type DatabaseCleanupKind = Exclude<CleanupKind, 'log-files' | 'backups'>;

export interface CleanupKindResult {
  kind: CleanupKind;
  /** Rows deleted, notification bodies cleared, or files deleted. */
  removed: number;
  /** What is kept: `older than 30 days`, `kept forever`, ... */
  rule: string;
  bytesFreed?: number;
}

export interface WeeklyCleanupInput {
  /** Count what would be removed, remove nothing. */
  dryRun?: boolean;
}

export interface WeeklyCleanupResult {
  dryRun: boolean;
  kinds: CleanupKindResult[];
  removed: number;
}

// ---- secrets in copied configuration ----------------------------------------------------------------

const MASK = '********';
const SECRET_NAME =
  /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth|_key$|^key$|salt)/i;

/**
 * Configuration text with every secret replaced by a mask: values of secret-looking keys in env
 * files (`KEY=value`, `export KEY=value`), YAML/INI (`key: value`, `key = value`) and JSON
 * (`"key": "value"`), the password of any URL (`postgres://user:***@host`), and PEM private keys.
 * Returns the masked text and how many values were masked.
 */
export function maskSecrets(text: string): { text: string; masked: number } {
  let masked = 0;
  const hide = () => {
    masked += 1;
    return MASK;
  };
  let out = text.replace(
    /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    (_m, kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----\n${hide()}\n-----END ${kind}PRIVATE KEY-----`,
  );
  // URL credentials anywhere: scheme://user:password@host
  out = out.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]*:)([^\s@/'"]+)@/gi,
    (m, head: string, password: string) => (password === MASK ? m : `${head}${hide()}@`),
  );
  // JSON: "key": "value"
  out = out.replace(
    /("([^"\\]+)"\s*:\s*)"((?:[^"\\]|\\.)*)"/g,
    (m, head: string, key: string, value: string) =>
      SECRET_NAME.test(key) && value !== '' && value !== MASK ? `${head}"${hide()}"` : m,
  );
  // env / INI / YAML: one assignment a line
  out = out.replace(
    /^([ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*(?:=|:(?=[ \t]))[ \t]*)(.*?)[ \t]*$/gm,
    (m, head: string, key: string, value: string) => {
      if (!SECRET_NAME.test(key) || value === '' || value.includes(MASK)) return m;
      const quote = /^(["'])/.exec(value)?.[1] ?? '';
      return `${head}${quote}${hide()}${quote}`;
    },
  );
  return { text: out, masked };
}
