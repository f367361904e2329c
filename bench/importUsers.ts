import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../store/db';
import { cleanUser } from '../domain/users';
import { ruleRecord, upsertUsers } from '../store/users';
import type { BenchPostgres } from './benchPostgres';
import { msSince, type Measurement } from './measurement';
import { syntheticUsers } from './syntheticUsers';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECTION = 'users import';

type CleanUser = ReturnType<typeof cleanUser>;

export interface ImportBenchResult {
  rows: Measurement[];
  /** The database the set-based import filled, for the matching benchmark. */
  db: Db;
  users: number;
  rules: number;
}

/**
 * Bulk import through `upsertUsers`, side by side with a row-by-row baseline on a sample, then the real
 * `users import` command on the same file, twice (the second time must change nothing).
 */
export async function benchImportUsers(
  pg: BenchPostgres,
  opts: { users: number; naiveSample: number },
): Promise<ImportBenchResult> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });

  const generated = syntheticUsers(opts.users);
  const file = join(pg.dir, 'users.json');
  await writeFile(file, JSON.stringify(generated.users));
  add('users in file', generated.users.length, 'users');
  add('rules in file', generated.rules, 'rules');

  let t = performance.now();
  const clean = generated.users.map((u, i) => cleanUser(u, `user ${i + 1}`));
  add('validate (cleanUser) all users', msSince(t), 'ms');

  const main = await pg.createDatabase('bench');
  t = performance.now();
  await upsertUsers(main.db, clean);
  const setMs = msSince(t);
  const setRate = clean.length / (setMs / 1000);
  await expectCounts(main.db, generated.users.length, generated.rules, 'set-based import');
  add('set-based upsertUsers: wall', setMs, 'ms');
  add('set-based upsertUsers: rate', setRate, 'users/s');
  add('set-based upsertUsers: rule rate', generated.rules / (setMs / 1000), 'rules/s');

  const naive = await pg.createDatabase('bench_naive');
  const sample = clean.slice(0, opts.naiveSample);
  t = performance.now();
  await insertRowByRow(naive.db, sample);
  const naiveMs = msSince(t);
  const naiveRate = sample.length / (naiveMs / 1000);
  add(`row-by-row baseline (${sample.length} users, 1 round-trip each): wall`, naiveMs, 'ms');
  add('row-by-row baseline: rate', naiveRate, 'users/s');
  add(`row-by-row baseline: extrapolated to ${clean.length} users`, (clean.length / naiveRate) * 1000, 'ms');
  add('set-based vs row-by-row (rate ratio)', setRate / naiveRate, '×');
  await naive.db.end();

  const viaCli = await pg.createDatabase('bench_cli');
  const dataDir = join(pg.dir, 'cli-data');
  await mkdir(dataDir, { recursive: true });
  const first = await runImportCommand(file, viaCli.url, dataDir);
  await expectCounts(viaCli.db, generated.users.length, generated.rules, 'CLI import');
  add('CLI `users import` (new users): process wall', first.wallMs, 'ms');
  add('CLI `users import` (new users): its own "seconds"', first.reported.seconds, 's');
  add('CLI `users import` (new users): rate (process wall)', clean.length / (first.wallMs / 1000), 'users/s');
  const before = await fingerprint(viaCli.db);
  const second = await runImportCommand(file, viaCli.url, dataDir);
  const after = await fingerprint(viaCli.db);
  if (before !== after) throw new Error('re-importing the same file changed the users or rules');
  await expectCounts(viaCli.db, generated.users.length, generated.rules, 'CLI re-import');
  add('CLI re-import of the same file: process wall', second.wallMs, 'ms');
  add('CLI re-import: its own "seconds"', second.reported.seconds, 's');
  add('CLI re-import: rules added', second.reported.rulesAdded, 'rules');
  add('CLI re-import: users/rules/ids unchanged', 'yes', '(checked)');
  await viaCli.db.end();

  return { rows, db: main.db, users: generated.users.length, rules: generated.rules };
}

/** What a naive importer does: one statement per user (the user and its rules), each its own commit. */
async function insertRowByRow(db: Db, users: CleanUser[]): Promise<void> {
  const client = await db.connect();
  try {
    for (const u of users) {
      await client.query(
        `WITH u AS (
           INSERT INTO users (email, timezone, digest, quiet_start, quiet_end)
           VALUES ($1, COALESCE($2, 'America/New_York'), COALESCE($3, 'instant'), $4, $5)
           ON CONFLICT ((lower(email))) DO UPDATE SET timezone = EXCLUDED.timezone, digest = EXCLUDED.digest
           RETURNING id)
         INSERT INTO alert_rules (user_id, member, ticker, party, chamber, transaction_type, min_amount, label, rule_key)
         SELECT u.id, r.member, r.ticker, r.party, r.chamber, r.transaction_type, r.min_amount, r.label, r.rule_key
           FROM u, jsonb_to_recordset($6::jsonb) AS r(member text, ticker text, party text, chamber text,
                transaction_type text, min_amount bigint, label text, rule_key text)
         ON CONFLICT (user_id, rule_key) DO NOTHING`,
        [
          u.email,
          u.timezone,
          u.digest,
          u.quietStart,
          u.quietEnd,
          JSON.stringify(u.rules.map((r) => ruleRecord(u.email, r))),
        ],
      );
    }
  } finally {
    client.release();
  }
}

async function runImportCommand(
  file: string,
  databaseUrl: string,
  dataDir: string,
): Promise<{ wallMs: number; reported: { users: number; rulesAdded: number; seconds: number } }> {
  const started = performance.now();
  const stdout = await new Promise<string>((ok, fail) => {
    execFile(
      process.execPath,
      ['bin/capitolscope.js', 'users', 'import', file, '-o', 'json'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, out, errOut) =>
        err ? fail(new Error(`users import failed: ${errOut.trim() || err.message}`)) : ok(out),
    );
  });
  return { wallMs: msSince(started), reported: JSON.parse(stdout) };
}

async function expectCounts(db: Db, users: number, rules: number, what: string): Promise<void> {
  const { rows } = await db.query<{ users: number; rules: number }>(
    'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM alert_rules)::int AS rules',
  );
  const got = rows[0]!;
  if (got.users !== users || got.rules !== rules) {
    throw new Error(
      `${what}: expected ${users} users and ${rules} rules, found ${got.users} and ${got.rules}`,
    );
  }
}

/** A digest of every stored user and rule, ids included: equal digests mean nothing changed. */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await db.query<{ u: string; r: string }>(
    `SELECT (SELECT md5(string_agg(concat_ws('|', id, email, timezone, digest, quiet_start, quiet_end, status), ','
                                   ORDER BY id)) FROM users) AS u,
            (SELECT md5(string_agg(concat_ws('|', id, user_id, rule_key, label, created_at), ',' ORDER BY id))
               FROM alert_rules) AS r`,
  );
  return `${rows[0]!.u}/${rows[0]!.r}`;
}
