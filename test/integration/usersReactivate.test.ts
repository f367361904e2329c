import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db';
import { matchUnmatchedFilings } from '../../store/matching';
import { setUserStatus } from '../../store/users';
import { runCli } from '../support/cli';
import { seedFiling, seedUser } from '../support/seed';
import { createTestDatabase } from '../support/services';
import { trade } from '../support/trades';

/**
 * `capitolscope users reactivate`, run as an operator runs it, against a real PostgreSQL: undoing a
 * wrong suppression, and importing users never undoing one by accident.
 */

const RELAY_REFUSAL = 'SMTP 554 5.7.1: Relay access denied';
let db: Db;
let url: string;
let drop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase());
  dir = await mkdtemp(join(tmpdir(), 'capitolscope-reactivate-'));
});
afterAll(async () => {
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

/** Ann and Bob were suppressed by a relay's refusal (their pending alert with them); Cat unsubscribed. */
beforeEach(async () => {
  await db.query('TRUNCATE users, filings RESTART IDENTITY CASCADE');
  const ids: Record<string, number> = {};
  for (const name of ['ann', 'bob', 'cat', 'dan'])
    ids[name] = await seedUser(db, `${name}@example.com`, [{ ticker: 'NVDA' }]);
  await seedFiling(db, { transactions: [trade()] });
  await matchUnmatchedFilings(db, { syncId: 's1', maxFilingAgeDays: 0 });
  await setUserStatus(db, ids.ann!, 'suppressed', RELAY_REFUSAL);
  await setUserStatus(db, ids.bob!, 'suppressed', RELAY_REFUSAL);
  await setUserStatus(db, ids.cat!, 'unsubscribed', 'unsubscribed by the user');
  // Ann's suppression is older: a day ago.
  await db.query(`UPDATE users SET status_changed_at = now() - interval '1 day' WHERE id = $1`, [ids.ann]);
});

async function cli(...args: string[]) {
  return runCli(args, { DATABASE_URL: url });
}

async function states(): Promise<Record<string, string>> {
  const { rows } = await db.query(
    `SELECT u.email, u.status, n.status AS alert FROM users u JOIN notifications n ON n.user_id = u.id ORDER BY u.email`,
  );
  return Object.fromEntries(rows.map((r) => [r.email.split('@')[0], `${r.status}/${r.alert}`]));
}

describe('users reactivate', () => {
  it('--email sends a suppressed user mail again, their suppressed alert pending again', async () => {
    const r = await cli('users', 'reactivate', '--email', 'ANN@example.com');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^EMAIL\s+SUPPRESSED \(UTC\)\s+ALERTS RESTORED\s+REASON$/m);
    expect(r.stdout).toMatch(/^ann@example\.com\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1\s+SMTP 554 5\.7\.1/m);
    expect(r.stdout).toContain('Reactivated 1 user; 1 alert pending again');
    expect(await states()).toEqual({
      ann: 'active/pending',
      bob: 'suppressed/suppressed',
      cat: 'unsubscribed/suppressed',
      dan: 'active/pending',
    });
  });

  it('--suppressed-since takes everyone suppressed since then, and prints JSON with -o json', async () => {
    const r = await cli('users', 'reactivate', '--suppressed-since', '2h', '-o', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      alertsRestored: 1,
      reactivated: [{ email: 'bob@example.com', reason: RELAY_REFUSAL, alertsRestored: 1 }],
    });
    expect((await states()).bob).toBe('active/pending');
    // Ann's suppression is a day old: still in place. A date reaches it.
    expect((await states()).ann).toBe('suppressed/suppressed');
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const all = await cli('users', 'reactivate', '--suppressed-since', since);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Reactivated 1 user');
    expect((await states()).ann).toBe('active/pending');
  });

  it('never touches an unsubscribe: that is the user’s own choice', async () => {
    const r = await cli('users', 'reactivate', '--email', 'cat@example.com');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'error: cat@example.com unsubscribed themselves; only they can subscribe again',
    );
    const all = await cli('users', 'reactivate', '--suppressed-since', '30d');
    expect(all.code).toBe(0);
    expect((await states()).cat).toBe('unsubscribed/suppressed');
  });

  it('says so when there is nothing to do, and refuses unclear requests with one line', async () => {
    const active = await cli('users', 'reactivate', '--email', 'dan@example.com');
    expect(active.code).toBe(0);
    expect(active.stdout).toBe('dan@example.com is not suppressed: nothing to do.\n');
    const refusals = [
      [[], /give --email or --suppressed-since/],
      [['--email', 'ann@example.com', '--suppressed-since', '1h'], /give --email or --suppressed-since/],
      [['--suppressed-since', 'yesterday'], /--suppressed-since must be a past date or time/],
      [['--suppressed-since', '2999-01-01'], /--suppressed-since must be a past date or time/],
      [['--email', 'nobody@example.com'], /no user with email nobody@example.com/],
    ] as const;
    // Independent of each other: side by side.
    const results = await Promise.all(refusals.map(([args]) => cli('users', 'reactivate', ...args)));
    refusals.forEach(([args, message], i) => {
      const r = results[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});

describe('users import', () => {
  it('never reactivates anyone: suppressed and unsubscribed users stay so, and the import says so', async () => {
    const file = join(dir, 'again.json');
    await writeFile(
      file,
      JSON.stringify(['ann', 'bob', 'cat', 'dan'].map((n) => ({ email: `${n}@example.com`, rules: [] }))),
    );
    const r = await cli('users', 'import', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'No mail to 2 users suppressed (`users reactivate` sends them mail again) and 1 user unsubscribed: importing changes neither.',
    );
    expect(await states()).toEqual({
      ann: 'suppressed/suppressed',
      bob: 'suppressed/suppressed',
      cat: 'unsubscribed/suppressed',
      dan: 'active/pending',
    });
    const json = await cli('users', 'import', file, '-o', 'json');
    expect(JSON.parse(json.stdout).notReceiving).toEqual({ unsubscribed: 1, suppressed: 2 });
  });
});
