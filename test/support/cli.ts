import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/** Run `capitolscope ...` as a user would, in its own data folder so no dev stack is picked up. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      ['bin/capitolscope.js', ...args],
      {
        env: {
          ...withoutDebug(process.env),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'capitolscope-cli-')),
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          ...env,
        },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function withoutDebug(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DEBUG: _debug, ...rest } = env;
  return rest;
}
