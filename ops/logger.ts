import { pino, type Level, type Logger as PinoLogger, type StreamEntry } from 'pino';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';

export type Logger = PinoLogger;

/**
 * JSON lines on stdout (or stderr for CLI commands whose stdout is data), and also to `streams`: the
 * log files when LOG_DIR is set (see ops/logFiles.ts).
 */
export function createLogger(
  level: string,
  opts: { name?: string; toStderr?: boolean; streams?: StreamEntry[] } = {},
): Logger {
  const out = pino.destination({ dest: opts.toStderr ? 2 : 1, sync: true });
  return pino(
    { level, name: opts.name ?? 'capitolscope', base: { pid: process.pid } },
    opts.streams ? pino.multistream([{ level: level as Level, stream: out }, ...opts.streams]) : out,
  );
}

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal runtime's logger (SDK, workflow and activity context loggers, forwarded Core logs),
 * written through pino so every line has the same shape. The SDK already attaches the workflow id/type,
 * activity type and attempt as metadata.
 */
export function temporalLoggerFor(logger: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) =>
    logger[LEVELS[level]](meta ?? {}, message);
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
