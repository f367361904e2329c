import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { maskSecrets, type ConfigCopyResult } from '../domain/maintenance';

/**
 * Copy the operator's configuration files (BACKUP_CONFIG_PATHS: files, or folders whose files are
 * taken one level deep) into `folder`, with every secret masked: a backup is read by more people
 * than the secrets are meant for. Each file keeps its whole path in its name
 * (`/etc/capitolscope/env` → `etc_capitolscope_env`), so two files called `env` cannot collide.
 * Rewrites the folder from scratch, so a retried copy leaves the same result.
 */
export async function copyConfigFiles(paths: readonly string[], folder: string): Promise<ConfigCopyResult> {
  const result: ConfigCopyResult = { folder: null, copied: 0, masked: 0, missing: [] };
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) result.missing.push(p);
    else if (s.isFile()) files.push(resolve(p));
    else if (s.isDirectory()) {
      for (const name of (await readdir(p)).sort()) {
        if ((await stat(join(p, name)).catch(() => null))?.isFile()) files.push(resolve(p, name));
      }
    }
  }
  if (files.length === 0) return result;
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true, mode: 0o700 });
  for (const file of files) {
    const { text, masked } = maskSecrets(await readFile(file, 'utf8'));
    await writeFile(join(folder, flatName(file)), text, { mode: 0o600 });
    result.copied += 1;
    result.masked += masked;
  }
  result.folder = folder;
  return result;
}

function flatName(path: string): string {
  return path.replace(/^\/+/, '').replace(/[/\\]+/g, '_');
}
