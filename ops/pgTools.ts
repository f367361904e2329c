import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** pg_dump and pg_restore of one PostgreSQL release. */
export interface PgTools {
  binDir: string;
  pgDump: string;
  pgRestore: string;
  /** `15.18` */
  version: string;
  major: number;
}

/** The tools are missing or too old for the server; not worth retrying until an operator acts. */
export class PgToolsError extends Error {
  override readonly name = 'PgToolsError';
}

/**
 * pg_dump and pg_restore for a server of major version `serverMajor`: from `pgBinDir` when set (it
 * must hold them), else the best of the versioned install folders (Debian's
 * /usr/lib/postgresql/N/bin, RHEL's /usr/pgsql-N/bin) and PATH: the server's own major, else the
 * oldest newer one. A pg_dump older than the server cannot dump it faithfully and is refused.
 */
export async function findPgTools(pgBinDir: string | null, serverMajor: number): Promise<PgTools> {
  const fix =
    `install the PostgreSQL ${serverMajor} client tools (Debian: apt-get install postgresql-client-${serverMajor}) ` +
    'or point PG_BIN_DIR at the folder holding pg_dump and pg_restore';
  const dirs = pgBinDir ? [pgBinDir] : await candidateDirs();
  const found: PgTools[] = [];
  for (const dir of dirs) {
    const tools = await toolsIn(dir);
    if (tools) found.push(tools);
  }
  if (found.length === 0) {
    throw new PgToolsError(
      pgBinDir
        ? `PG_BIN_DIR=${pgBinDir} holds no working pg_dump and pg_restore; ${fix}`
        : `pg_dump and pg_restore not found; ${fix}`,
    );
  }
  const best =
    found.find((t) => t.major === serverMajor) ??
    found.filter((t) => t.major > serverMajor).sort((a, b) => a.major - b.major)[0];
  if (!best) {
    const newest = found.sort((a, b) => b.major - a.major)[0]!;
    throw new PgToolsError(
      `pg_dump ${newest.version} (${newest.pgDump}) is older than the database server (PostgreSQL ${serverMajor}) ` +
        `and cannot back it up; ${fix}`,
    );
  }
  return best;
}

async function candidateDirs(): Promise<string[]> {
  const versioned: string[] = [];
  for (const [root, pattern, bin] of [
    ['/usr/lib/postgresql', /^\d+$/, 'bin'],
    ['/usr', /^pgsql-\d+$/, 'bin'],
  ] as const) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names.filter((n) => pattern.test(n))) versioned.push(join(root, name, bin));
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...new Set([...versioned, ...path])];
}

async function toolsIn(dir: string): Promise<PgTools | null> {
  const pgDump = join(dir, 'pg_dump');
  const pgRestore = join(dir, 'pg_restore');
  try {
    await access(pgDump, constants.X_OK);
    await access(pgRestore, constants.X_OK);
    const { stdout } = await run(pgDump, ['--version'], { timeout: 10_000 });
    const version = parseToolVersion(stdout);
    if (!version) return null;
    return { binDir: dir, pgDump, pgRestore, version, major: Number(version.split('.')[0]) };
  } catch {
    return null;
  }
}

/** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → `15.18`. */
export function parseToolVersion(output: string): string | null {
  return /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(output)?.[1] ?? null;
}

/** `server_version_num` 150018 → 15. */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10_000);
}
