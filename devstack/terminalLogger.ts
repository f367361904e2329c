import { pino } from 'pino';
import { createLogger, type Logger } from '../ops/logger';

/**
 * The local stack's logger: readable coloured lines when a person watches a terminal (pino-pretty, a
 * development dependency loaded only here), the usual JSON lines otherwise (piped, CI, or a production
 * install without development dependencies).
 */
export async function terminalLogger(level: string, name: string): Promise<Logger> {
  if (!process.stdout.isTTY) return createLogger(level, { name });
  try {
    const { default: pretty } = await import('pino-pretty');
    return pino(
      { level, name, base: { pid: process.pid } },
      pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' }),
    );
  } catch {
    return createLogger(level, { name });
  }
}
