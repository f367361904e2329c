import { pino, type Level, type Logger as PinoLogger, type StreamEntry } from 'pino';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';

export type Logger = PinoLogger;

/**
 * Fields that must never reach a log line. The Temporal SDK adds an activity's task token to every
 * line logged in or about that activity (and dumps whole tasks on internal errors): whoever holds a
 * token can complete or fail that activity.
 */
export const REDACTED_LOG_PATHS = [
  'taskToken',
  'base64TaskToken',
  'task',
  'taskEncoded',
  '*.taskToken',
  '*.base64TaskToken',
];

/**
 * JSON lines on stdout (or stderr for CLI commands whose stdout is data, or `destination`), and also
 * to `streams`: the log files when LOG_DIR is set (see ops/logFiles.ts). Task tokens are redacted.
 */
export function createLogger(
  level: string,
  opts: {
    name?: string;
    toStderr?: boolean;
    streams?: StreamEntry[];
    destination?: pino.DestinationStream;
  } = {},
): Logger {
  const out = opts.destination ?? pino.destination({ dest: opts.toStderr ? 2 : 1, sync: true });
  return pino(
    {
      level,
      name: opts.name ?? 'capitolscope',
      base: { pid: process.pid },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    },
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
