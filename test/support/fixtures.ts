import { join } from 'node:path';
import { sharedDir } from '../../devstack/sharedDir';

/** A path inside `../shared/fixtures` (real upstream data, read where it lies). */
export function fixturePath(...parts: string[]): string {
  return join(sharedDir(), 'fixtures', ...parts);
}

/** A path inside `../shared/corpus` (150 more real House PTRs, no answers). */
export function corpusPath(...parts: string[]): string {
  return join(sharedDir(), 'corpus', ...parts);
}
