import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleInput } from '../../domain/rules';
import type { Db } from '../../store/db';
import type { UserInput } from '../../domain/users';
import { runCli } from '../support/cli';
import { createTestDatabase } from '../support/services';

// Correctness of bulk import and the user/rule commands, run as an operator would; speed is measured
// by `npm run bench`, not here.

const USERS = 100_000;
// User i has (i % 3) + 1 of these rules: 33,334 × 1 + 33,333 × 2 + 33,333 × 3.
const RULES = 199_999;
const TICKERS = ['NVDA', 'AAPL', 'GOOGL', 'AMZN', 'MSFT', 'TSLA', 'META'];
const TIME_ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London'];

function rulesOf(i: number): RuleInput[] {
  return [
    { ticker: TICKERS[i % TICKERS.length] },
    { member: 'Nancy Pelosi', type: 'purchase' },
    { party: 'D', chamber: 'house', minAmount: 15001 },
  ].slice(0, (i % 3) + 1);
}

function importFile(count: number, email = (i: number) => `user${i}@import.test`): UserInput[] {
  return Array.from({ length: count }, (_, i) => ({
    email: email(i),
    timezone: TIME_ZONES[i % TIME_ZONES.length],
    digest: i % 2 ? 'daily' : 'instant',
    rules: rulesOf(i),
  }));
}

let dir = '';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capitolscope-import-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshDatabase(): Promise<{ url: string; db: Db }> {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  return database;
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

async function counts(db: Db): Promise<{ users: number; rules: number }> {
  const { rows } = await db.query(
    'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM alert_rules)::int AS rules',
  );
  return rows[0];
}

/** Every stored user and rule, ids and creation times included: equal fingerprints mean nothing changed. */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await db.query(
    `SELECT (SELECT md5(string_agg(concat_ws('|', id, email, timezone, digest, quiet_start, quiet_end, status,
                                             created_at), ',' ORDER BY id)) FROM users) AS u,
            (SELECT md5(string_agg(concat_ws('|', id, user_id, rule_key, label, created_at), ',' ORDER BY id))
               FROM alert_rules) AS r`,
  );
  return `${rows[0].u}/${rows[0].r}`;
}

describe('users import', () => {
  let url = '';
  let db: Db;

  beforeAll(async () => {
    ({ url, db } = await freshDatabase());
  });

  it('imports 100,000 users with their rules, and importing the same file again changes nothing', async () => {
    const file = await writeJson('users.json', importFile(USERS));

    const first = await runCli(['users', 'import', file, '-o', 'json'], { DATABASE_URL: url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ users: USERS, rulesAdded: RULES });
    expect(await counts(db)).toEqual({ users: USERS, rules: RULES });

    // One user, end to end: its settings and all three of its rules, as the file gave them.
    const { rows: user } = await db.query(
      `SELECT u.email, u.timezone, u.digest, array_agg(r.label ORDER BY r.label) AS labels
         FROM users u JOIN alert_rules r ON r.user_id = u.id WHERE u.email = 'user5@import.test'
        GROUP BY u.id`,
    );
    expect(user).toEqual([
      {
        email: 'user5@import.test',
        timezone: 'America/Chicago',
        digest: 'daily',
        labels: ['Democrats, the House, $15,001 or more', 'member Nancy Pelosi, purchases', 'ticker TSLA'],
      },
    ]);

    const before = await fingerprint(db);
    const again = await runCli(['users', 'import', file, '-o', 'json'], { DATABASE_URL: url });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ users: USERS, rulesAdded: 0 });
    expect(await counts(db)).toEqual({ users: USERS, rules: RULES });
    expect(await fingerprint(db)).toBe(before);
  }, 150_000);

  it('matches emails case-insensitively: Alice@X.com and alice@x.com are one user', async () => {
    // The same users as before under other capitalisations: nothing new, nothing changed.
    const before = await fingerprint(db);
    const upper = importFile(3_000, (i) => `User${i}@IMPORT.Test`);
    const r = await runCli(['users', 'import', await writeJson('upper.json', upper), '-o', 'json'], {
      DATABASE_URL: url,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rulesAdded: 0 });
    expect(await fingerprint(db)).toBe(before);

    // Within one file too: the two spellings become one user holding both rules.
    const pair = [
      { email: 'Alice@X.com', rules: [{ ticker: 'NVDA' }] },
      { email: 'alice@x.com', rules: [{ member: 'Pelosi' }] },
    ];
    const p = await runCli(['users', 'import', await writeJson('alice.json', pair)], { DATABASE_URL: url });
    expect(p.code).toBe(0);
    expect(await counts(db)).toEqual({ users: USERS + 1, rules: RULES + 2 });
    const { rows } = await db.query(
      `SELECT r.label FROM alert_rules r JOIN users u ON u.id = r.user_id
        WHERE lower(u.email) = 'alice@x.com' ORDER BY r.label`,
    );
    expect(rows.map((x) => x.label)).toEqual(['member Pelosi', 'ticker NVDA']);
  }, 60_000);

  // The bad row sits in the second chunk of 5,000, so a writer that went chunk by chunk would have
  // stored the first one: the command validates the whole file before writing. The four files are
  // independent (each writes nothing), so they run side by side.
  it.concurrent.for([
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'unknown time zone "Mars/Olympus"'],
    ['a bad email address', { email: 'not-an-email' }, '"not-an-email" is not an email address'],
    [
      'a rule with no condition',
      { rules: [{ ticker: 'NVDA' }, {}] },
      'rule 2: a rule needs at least one condition (member, ticker, party, chamber, type or minimum amount)',
    ],
    ['a bad party', { rules: [{ party: 'X' }] }, 'rule 1: party must be D, R or I, not "X"'],
  ] as [string, Partial<UserInput>, string][])(
    'a file with %s fails, naming the user, and writes nothing',
    async ([what, bad, message], { expect }) => {
      const users = importFile(6_000, (i) => `bad${i}@import.test`);
      users[5_500] = { ...users[5_500]!, ...bad };
      const file = await writeJson(`bad-${what.replaceAll(' ', '-')}.json`, users);

      const r = await runCli(['users', 'import', file], { DATABASE_URL: url });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      // Users are numbered from 1 in messages: index 5,500 is "user 5501".
      expect(r.stderr.trim()).toBe(`error: ${file}: user 5501: ${message}`);
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM users WHERE email LIKE 'bad%@import.test'",
      );
      expect(rows[0].n).toBe(0);
    },
  );

  it('refuses a file that is not an array of users', async () => {
    const file = await writeJson('object.json', { email: 'a@b.com' });
    const r = await runCli(['users', 'import', file], { DATABASE_URL: url });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`error: ${file}: expected a JSON array of users`);
  });

  it('names the user of a malformed row: not an object, rules not a list, a rule not an object', async () => {
    for (const [bad, message] of [
      [null, 'not a user object like {"email": "...", "rules": [...]}'],
      [{ email: 'r@x.com', rules: 'NVDA' }, 'rules must be an array of rules'],
      [{ email: 'r@x.com', rules: [null] }, 'rule 1: a rule must be an object like {"ticker": "NVDA"}'],
    ] as const) {
      const file = await writeJson('malformed.json', [{ email: 'ok@x.com' }, bad]);
      const r = await runCli(['users', 'import', file], { DATABASE_URL: url });
      expect(r.stderr.trim()).toBe(`error: ${file}: user 2: ${message}`);
    }
  });

  it('re-importing a user without settings keeps the settings already saved', async () => {
    const first = await writeJson('settings-1.json', [
      { email: 'kept@x.com', timezone: 'America/Chicago', digest: 'daily', rules: [{ ticker: 'NVDA' }] },
    ]);
    const again = await writeJson('settings-2.json', [{ email: 'KEPT@x.com', rules: [{ ticker: 'AAPL' }] }]);
    const change = await writeJson('settings-3.json', [{ email: 'kept@x.com', digest: 'weekly' }]);
    const settings = async () =>
      (await db.query(`SELECT timezone, digest FROM users WHERE lower(email) = 'kept@x.com'`)).rows[0];
    expect((await runCli(['users', 'import', first], { DATABASE_URL: url })).code).toBe(0);
    expect((await runCli(['users', 'import', again], { DATABASE_URL: url })).code).toBe(0);
    expect(await settings()).toEqual({ timezone: 'America/Chicago', digest: 'daily' });
    expect((await runCli(['users', 'import', change], { DATABASE_URL: url })).code).toBe(0);
    expect(await settings()).toEqual({ timezone: 'America/Chicago', digest: 'weekly' });
  });
});

// Each command is its own process (about 2 s to start); calls that do not depend on each other run
// side by side.
describe('users and rules commands', () => {
  let env: Record<string, string> = {};
  let db: Db;
  const ruleIds = async () =>
    (await db.query('SELECT id FROM alert_rules ORDER BY id')).rows.map((r: { id: number }) => r.id);
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '-o', 'json'], env);
    if (r.code !== 0) throw new Error(`capitolscope ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const cliError = async (...args: string[]) => {
    const r = await runCli(args, env);
    if (r.code === 0) throw new Error(`capitolscope ${args.join(' ')} succeeded: ${r.stdout}`);
    expect(r.stdout).toBe('');
    return r.stderr.trim();
  };

  beforeAll(async () => {
    const database = await freshDatabase();
    env = { DATABASE_URL: database.url };
    db = database.db;
  });

  it('add, list and remove users and rules, with every rule option', async () => {
    const alice = ['--timezone', 'America/Chicago', '--digest', 'daily', '--quiet-hours', '22-7'];
    expect(
      await Promise.all([
        cli('users', 'add', '--email', 'Alice@X.com', ...alice),
        cli('users', 'add', '--email', 'bob@y.org'),
      ]),
    ).toEqual([
      { email: 'Alice@X.com', saved: true },
      { email: 'bob@y.org', saved: true },
    ]);

    const every = [
      ['--member', 'Nancy Pelosi'],
      ['--ticker', 'nvda'],
      ['--party', 'd'],
      ['--chamber', 'House'],
      ['--type', 'Purchase'],
      ['--min-amount', '15,001'],
    ].flat();
    const label = 'member Nancy Pelosi, ticker NVDA, Democrats, the House, purchases, $15,001 or more';
    const added = await cli('rules', 'add', '--email', 'alice@x.com', ...every);
    expect(added).toEqual({ id: expect.any(Number), label, created: true });
    const [again, second] = await Promise.all([
      // The same rule again (other capitalisation of the email) is the same rule.
      cli('rules', 'add', '--email', 'ALICE@x.com', ...every),
      cli('rules', 'add', '--email', 'alice@x.com', '--type', 'sale', '--chamber', 'senate'),
    ]);
    expect(again).toEqual({ id: added.id, label, created: false });
    expect(second).toEqual({ id: expect.any(Number), label: 'the Senate, sales', created: true });

    const [rules, users] = await Promise.all([
      cli('rules', 'list', '--email', 'Alice@x.COM'),
      cli('users', 'list'),
    ]);
    expect(rules).toEqual([
      {
        id: added.id,
        label,
        member: 'Nancy Pelosi',
        ticker: 'NVDA',
        party: 'D',
        chamber: 'house',
        transactionType: 'purchase',
        minAmount: 15001,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      {
        id: second.id,
        label: 'the Senate, sales',
        member: null,
        ticker: null,
        party: null,
        chamber: 'senate',
        transactionType: 'sale',
        minAmount: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    const alicesRow = {
      id: expect.any(Number),
      email: 'Alice@X.com',
      timezone: 'America/Chicago',
      digest: 'daily',
      status: 'active',
      statusReason: null,
      quietStart: 22,
      quietEnd: 7,
      digestHour: 8,
      lastDigestAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      rules: 2,
    };
    // Listed in id order; the two were added side by side, so compare by email.
    const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
    expect([...users].sort(byEmail)).toEqual([
      alicesRow,
      {
        ...alicesRow,
        email: 'bob@y.org',
        timezone: 'America/New_York',
        digest: 'instant',
        quietStart: null,
        quietEnd: null,
        rules: 0,
      },
    ]);

    expect(await cli('rules', 'remove', String(added.id), '--email', 'alice@x.com')).toEqual({
      id: added.id,
      removed: true,
    });
    const [removedTwice, notBobs] = await Promise.all([
      cliError('rules', 'remove', String(added.id), '--email', 'alice@x.com'),
      // A rule belongs to its user: bob cannot remove alice's.
      cliError('rules', 'remove', String(second.id), '--email', 'bob@y.org'),
    ]);
    expect(await ruleIds()).toEqual([second.id]);
    expect(removedTwice).toBe(`error: no rule ${added.id} for alice@x.com`);
    expect(notBobs).toBe(`error: no rule ${second.id} for bob@y.org`);

    expect(await cli('users', 'remove', '--email', 'ALICE@X.COM')).toEqual({
      email: 'ALICE@X.COM',
      removed: true,
    });
    const [remaining, goneTwice] = await Promise.all([
      cli('users', 'list'),
      cliError('users', 'remove', '--email', 'alice@x.com'),
    ]);
    expect(remaining.map((u: { email: string }) => u.email)).toEqual(['bob@y.org']);
    expect(goneTwice).toBe('error: no user with email alice@x.com');
    // Removing a user removes their rules.
    expect(await ruleIds()).toEqual([]);
  }, 120_000);

  it('refuses bad input with a clear message, writing nothing', async () => {
    expect(
      await Promise.all([
        cliError('rules', 'add', '--email', 'bob@y.org'),
        cliError('rules', 'add', '--email', 'bob@y.org', '--party', 'G'),
        cliError('rules', 'add', '--email', 'nobody@y.org', '--ticker', 'NVDA'),
        cliError('users', 'add', '--email', 'carol@z.net', '--timezone', 'Mars/Olympus'),
      ]),
    ).toEqual([
      'error: a rule needs at least one condition (member, ticker, party, chamber, type or minimum amount)',
      'error: party must be D, R or I, not "G"',
      'error: no user with email nobody@y.org (add one with `users add`)',
      'error: unknown time zone "Mars/Olympus"',
    ]);
    expect(await ruleIds()).toEqual([]);
    expect((await db.query("SELECT 1 FROM users WHERE email = 'carol@z.net'")).rowCount).toBe(0);
  }, 60_000);

  it('prints sentences and aligned tables for people, JSON only when asked', async () => {
    const text = async (...args: string[]) => {
      const r = await runCli(args, env);
      if (r.code !== 0) throw new Error(`capitolscope ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    };
    expect(
      await text('users', 'add', '--email', 'dana@w.io', '--digest', 'weekly', '--quiet-hours', '23-6'),
    ).toBe('Saved dana@w.io (weekly digest at 8:00, America/New_York, quiet 23-6).\n');
    const added = await text('rules', 'add', '--email', 'dana@w.io', '--ticker', 'AAPL', '--type', 'sale');
    expect(added).toMatch(/^Added rule \d+ for dana@w\.io: ticker AAPL, sales\.\n$/);
    const [rules, users] = await Promise.all([
      text('rules', 'list', '--email', 'dana@w.io'),
      text('users', 'list'),
    ]);
    const ruleLines = rules.trimEnd().split('\n');
    expect(ruleLines[0]).toMatch(/^ID +RULE +CREATED \(UTC\)$/);
    expect(ruleLines[1]).toMatch(/^ *\d+ +ticker AAPL, sales +\d{4}-\d\d-\d\d \d\d:\d\d$/);
    // Columns line up: every row's second column starts where its header does.
    const userLines = users.trimEnd().split('\n');
    const header = userLines[0]!;
    expect(header).toMatch(/^ID +EMAIL +DELIVERY +TIME ZONE +QUIET HOURS +RULES +STATUS$/);
    const dana = userLines.find((l) => l.includes('dana@w.io'))!;
    for (const column of ['EMAIL', 'DELIVERY', 'TIME ZONE', 'QUIET HOURS']) {
      expect(dana.slice(header.indexOf(column)).split(/ {2,}/)[0]).toBe(
        { EMAIL: 'dana@w.io', DELIVERY: 'weekly', 'TIME ZONE': 'America/New_York', 'QUIET HOURS': '23-6' }[
          column
        ],
      );
    }
    expect(JSON.parse(await text('users', 'list', '--output', 'json'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: 'dana@w.io', digest: 'weekly', rules: 1 })]),
    );
    const bad = await runCli(['users', 'list', '-o', 'yaml'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('error: --output must be table or json, not "yaml"');
  }, 60_000);
});
