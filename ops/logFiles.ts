import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Level, StreamEntry } from 'pino';
import pinoRoll from 'pino-roll';
import type { Config } from '../domain/config';
import { createLogger, type Logger } from './logger';

/**
 * Log files beside stdout when LOG_DIR is set, one set per process name (`worker-maintenance`,
 * `serve`), each rolled by pino-roll by day and by size and pruned to the newest `count`:
 *
 *   <name>-all.<date>.<n>.log     every line at info and above (or LOG_LEVEL, if lower)
 *   <name>-error.<date>.<n>.log   errors only
 *   <name>-tasks.<date>.<n>.log   workflow and activity lines (they carry the workflow or activity type)
 *   <name>-health.<date>.<n>.log  health-check lines (the health-checks queue's work)
 */
export interface LogFileSettings {
  dir: string;
  /** Names this process's files, so several processes can share one folder. */
  name: string;
  /** `50m`, `500k`, `1g`: a file that reaches it rolls to the next number. */
  maxSize: string;
  /** Rolled files kept per stream, besides the current one. */
  count: number;
}

export interface LogFiles {
  streams: StreamEntry[];
  /** Write out what is buffered and close the files. */
  close(): void;
}

const TASK_LINE = /"(workflowType|activityType)":/;
const HEALTH_LINE = /"taskQueue":"health-checks"|"component":"health"/;

export async function openLogFiles(s: LogFileSettings, level: Level = 'info'): Promise<LogFiles> {
  const open = (suffix: string) =>
    pinoRoll({
      file: join(s.dir, `${s.name}-${suffix}`),
      extension: '.log',
      frequency: 'daily',
      dateFormat: 'yyyy-MM-dd',
      size: s.maxSize,
      limit: { count: s.count, removeOtherLogFiles: true },
      mkdir: true,
      // Lines reach the file before the process can die (as stdout is written synchronously too).
      sync: true,
    });
  const [all, errors, tasks, health] = await Promise.all(['all', 'error', 'tasks', 'health'].map(open));
  const minLevel: Level = level === 'trace' || level === 'debug' ? level : 'info';
  return {
    streams: [
      { level: minLevel, stream: all! },
      { level: 'error', stream: errors! },
      { level, stream: only(TASK_LINE, tasks!) },
      { level, stream: only(HEALTH_LINE, health!) },
    ],
    close() {
      for (const f of [all, errors, tasks, health]) {
        try {
          f!.flushSync();
        } catch {
          // already closed
        }
        f!.end();
      }
    },
  };
}

/** A stream that passes on only the lines matching `pattern` (a pino line is one JSON object). */
function only(pattern: RegExp, dest: { write(line: string): unknown }) {
  return { write: (line: string) => (pattern.test(line) ? dest.write(line) : true) };
}

/**
 * Log files in `dir` last written more than `retentionDays` ago: the rolled files of pino-roll and
 * of logrotate (`*.log`, `*.log.1`, `*.log.2.gz`). The newest file of each name is never taken, as a
 * process may still be writing to it. Removes them unless `dryRun`.
 */
export async function pruneOldLogFiles(
  dir: string,
  retentionDays: number,
  now: Date,
  dryRun: boolean,
): Promise<{ removed: string[]; bytesFreed: number }> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const files: { name: string; group: string; mtime: number; bytes: number }[] = [];
  for (const name of names) {
    if (!/\.log(\.\d+)?(\.gz)?$/.test(name)) continue;
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile()) files.push({ name, group: name.split('.')[0]!, mtime: s.mtimeMs, bytes: s.size });
  }
  const newest = new Map<string, number>();
  for (const f of files) newest.set(f.group, Math.max(newest.get(f.group) ?? 0, f.mtime));
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const old = files.filter((f) => f.mtime < cutoff && f.mtime < newest.get(f.group)!);
  if (!dryRun) for (const f of old) await rm(join(dir, f.name), { force: true });
  return { removed: old.map((f) => f.name).sort(), bytesFreed: old.reduce((n, f) => n + f.bytes, 0) };
}

/**
 * The logger of a long-running process (`worker`, `serve`): stdout, plus the log files when LOG_DIR
 * is set. `name` names its files (`worker-maintenance`).
 */
export async function createProcessLogger(config: Config, name: string): Promise<Logger> {
  const { dir, maxSize, count } = config.logFiles;
  const files = dir ? await openLogFiles({ dir, name, maxSize, count }, config.logLevel) : undefined;
  return createLogger(config.logLevel, { streams: files?.streams });
}
