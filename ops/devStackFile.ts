import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `capitolscope dev` into its data folder so other commands find the local stack without configuration. */
export const DEV_STACK_FILE = 'dev-stack.json';

export interface DevStackInfo {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  env: Record<string, string>;
}

/** The running local stack's settings, or null when none runs from this data folder. */
export function readDevStack(dataDir: string): DevStackInfo | null {
  const file = join(dataDir, DEV_STACK_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevStackInfo) : null;
}
