import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of real upstream data (`fixtures/`, `corpus/`) that the demo, tests and benchmarks read:
 * `../shared` beside the checkout, or wherever SHARED_DIR points. It is never copied into the repository.
 */
export function sharedDir(): string {
  const dir = process.env.SHARED_DIR ?? fileURLToPath(new URL('../../shared', import.meta.url));
  if (!existsSync(join(dir, 'fixtures'))) {
    throw new Error(
      `shared fixtures not found at ${dir}/fixtures (set SHARED_DIR to the folder holding fixtures/)`,
    );
  }
  return resolve(dir);
}
