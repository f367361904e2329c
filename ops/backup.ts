import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { backupTakenAt, configFolderName, type BackupFile } from '../domain/maintenance';
import type { PgTools } from './pgTools';

/** pg_dump or pg_restore failed; the message carries the tool's own last words (no password). */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/**
 * A libpq URL without its password, and the environment that passes the password instead, so it
 * never shows in the process list or in an error message.
 */
export function toolConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/**
 * `pg_dump --format=custom` of the database into `file`, written beside it first and renamed when
 * complete, so a file with the final name is always a whole dump. `onProgress` gets each table as it
 * is dumped.
 */
export async function dumpDatabase(opts: {
  tools: PgTools;
  databaseUrl: string;
  file: string;
  onProgress?: (note: string) => void;
  /** Stops pg_dump (a cancelled activity must not leave it running). */
  signal?: AbortSignal;
}): Promise<{ bytes: number; durationMs: number }> {
  const started = Date.now();
  const partial = `${opts.file}.partial`;
  const { url, env } = toolConnection(opts.databaseUrl);
  try {
    await runTool(
      opts.tools.pgDump,
      ['--format=custom', '--no-password', '--verbose', `--file=${partial}`, `--dbname=${url}`],
      {
        env,
        signal: opts.signal,
        onLine: progressLines(/dumping contents of table "([^"]+)"/, opts.onProgress),
      },
    );
    await rename(partial, opts.file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { bytes: (await stat(opts.file)).size, durationMs: Date.now() - started };
}

export interface TocEntry {
  type: 'TABLE' | 'TABLE DATA';
  schema: string;
  name: string;
}

/** The tables and table data a `pg_restore --list` table of contents names. */
export function parseTableOfContents(list: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const line of list.split('\n')) {
    const m = /^\d+;\s+\d+\s+\d+\s+(TABLE DATA|TABLE)\s+(\S+)\s+(\S+)(\s|$)/.exec(line);
    if (m) entries.push({ type: m[1] as TocEntry['type'], schema: m[2]!, name: m[3]! });
  }
  return entries;
}

/**
 * Read a backup back: its table of contents must name every expected table (definition and data),
 * and every data block must read and decompress to the end (`pg_restore` into /dev/null), which is
 * what catches a truncated or damaged file.
 */
export async function verifyBackupFile(opts: {
  tools: PgTools;
  file: string;
  schema: string;
  expectedTables: readonly string[];
  onProgress?: (note: string) => void;
  signal?: AbortSignal;
}): Promise<{ verified: boolean; tablesListed: number; missing: string[]; reason: string | null }> {
  let toc: TocEntry[];
  try {
    toc = parseTableOfContents(
      await runTool(opts.tools.pgRestore, ['--list', opts.file], { signal: opts.signal }),
    );
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return {
      verified: false,
      tablesListed: 0,
      missing: [...opts.expectedTables],
      reason: (err as Error).message,
    };
  }
  const listed = (type: TocEntry['type']) =>
    new Set(toc.filter((e) => e.type === type && e.schema === opts.schema).map((e) => e.name));
  const tables = listed('TABLE');
  const data = listed('TABLE DATA');
  const missing = opts.expectedTables.filter((t) => !tables.has(t) || !data.has(t));
  if (missing.length > 0) {
    return {
      verified: false,
      tablesListed: tables.size,
      missing,
      reason: `the backup does not hold ${missing.length} of the database's tables: ${missing.join(', ')}`,
    };
  }
  try {
    await runTool(opts.tools.pgRestore, ['--verbose', '--file=/dev/null', opts.file], {
      signal: opts.signal,
      onLine: progressLines(/processing data for table "([^"]+)"/, opts.onProgress),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { verified: false, tablesListed: tables.size, missing: [], reason: (err as Error).message };
  }
  return { verified: true, tablesListed: tables.size, missing: [], reason: null };
}

/**
 * Load a backup into the database `databaseUrl` names, in one transaction (all or nothing).
 * `clean` first drops the objects the backup holds (restoring over an existing database).
 */
export async function restoreBackupFile(opts: {
  tools: PgTools;
  file: string;
  databaseUrl: string;
  clean: boolean;
  onProgress?: (note: string) => void;
}): Promise<{ durationMs: number }> {
  const started = Date.now();
  const { url, env } = toolConnection(opts.databaseUrl);
  await runTool(
    opts.tools.pgRestore,
    [
      '--no-owner',
      '--no-privileges',
      '--no-password',
      '--exit-on-error',
      '--single-transaction',
      '--verbose',
      ...(opts.clean ? ['--clean', '--if-exists'] : []),
      `--dbname=${url}`,
      opts.file,
    ],
    { env, onLine: progressLines(/processing data for table "([^"]+)"/, opts.onProgress) },
  );
  return { durationMs: Date.now() - started };
}

/** Our backup files in `dir` (named by `backupFileName`), newest first; other files are ignored. */
export async function listBackupFiles(dir: string): Promise<BackupFile[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const files: BackupFile[] = [];
  for (const name of names) {
    const takenAt = backupTakenAt(name);
    if (!takenAt) continue;
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile()) files.push({ name, takenAt, bytes: s.size });
  }
  return files.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** Delete a backup and the configuration copied beside it. Deleting one already gone is no error. */
export async function removeBackupFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, name), { force: true });
  await rm(join(dir, configFolderName(name)), { recursive: true, force: true });
}

export async function ensureBackupDir(dir: string): Promise<void> {
  // Backups hold every user's address: only the service user may read them.
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

function progressLines(pattern: RegExp, onProgress?: (note: string) => void) {
  if (!onProgress) return undefined;
  return (line: string) => {
    const m = pattern.exec(line);
    if (m) onProgress(m[1]!);
  };
}

/** What pg_dump and pg_restore say with --verbose about their progress (not warnings or errors). */
const VERBOSE_PROGRESS =
  /^pg_(dump|restore): (dumping|processing|reading|saving|identifying|finding|flagging|last built-in|creating|executing|connecting|implied data-only|launching|dropping|from TOC)/;

/**
 * Run a PostgreSQL client tool; resolve with its stdout, or reject with a BackupError carrying the
 * last lines it wrote to stderr. stderr is read line by line for progress.
 */
function runTool(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    const out: Buffer[] = [];
    const errTail: string[] = [];
    const onLine = (line: string) => {
      if (!line.trim()) return;
      opts.onLine?.(line);
      // Verbose progress is not worth keeping for the error message; warnings and errors are.
      if (!VERBOSE_PROGRESS.test(line)) {
        errTail.push(line);
        if (errTail.length > 8) errTail.shift();
      }
    };
    let pending = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      pending += b.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.on('error', (err) => {
      if (opts.signal?.aborted) fail(opts.signal.reason ?? err);
      else fail(new BackupError(`${command} could not be started: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (pending) onLine(pending);
      if (code === 0) return ok(Buffer.concat(out).toString('utf8'));
      const tool = command.split('/').pop();
      const why = errTail.join('; ') || (signal ? `killed by ${signal}` : `exit code ${code}`);
      fail(new BackupError(`${tool} failed: ${why}`));
    });
  });
}
