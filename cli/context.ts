import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../domain/config';
import { connectDb, type Db } from '../store/db';
import { readDevStack } from '../ops/devStackFile';
import { createLogger, type Logger } from '../ops/logger';
import { connectClient } from '../ops/temporalConnection';

/** Configuration from the environment, filled in from a running `capitolscope dev` stack where unset. */
export function cliConfig(env = process.env): Config {
  const stack = readDevStack(env.DATA_DIR || '.data');
  return loadConfig(stack ? { ...stack.env, ...stripEmpty(env) } : env);
}

function stripEmpty(env: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v));
}

/** Lazily opened resources for one command; `close()` releases whatever was opened. */
export class CommandContext {
  private dbPromise: Promise<Db> | null = null;
  private clientPromise: Promise<Client> | null = null;
  readonly logger: Logger;

  constructor(readonly config: Config) {
    // stdout is for results; logs go to stderr.
    this.logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { toStderr: true });
  }

  db(): Promise<Db> {
    if (!this.config.databaseUrl) {
      return Promise.reject(
        new Error('DATABASE_URL is not set (and no `capitolscope dev` stack is running)'),
      );
    }
    return (this.dbPromise ??= connectDb(this.config.databaseUrl, 4));
  }

  temporal(): Promise<Client> {
    return (this.clientPromise ??= connectClient(this.config.temporal, 5));
  }

  async close(): Promise<void> {
    if (this.dbPromise) await (await this.dbPromise.catch(() => null))?.end();
    if (this.clientPromise) await (await this.clientPromise.catch(() => null))?.connection.close();
  }
}

/** Run a command body with a context that is always closed afterwards. */
export async function withContext<T>(fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const ctx = new CommandContext(cliConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
