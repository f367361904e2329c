import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { markAttempt, markFilingStatus } from '../../store/filingStorage';
import { pendingFilingIds, recordDiscoveredFilings } from '../../store/filingDiscovery';
import { type DiscoveredFiling } from '../../domain/sync';
import { matchUnmatchedFilings } from '../../store/matching';
import { setUserStatus } from '../../store/users';
import { runCli } from '../support/cli';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { createTestDatabase } from '../support/services';
import {
  FIXTURE_FILINGS,
  houseIndexXml,
  serveHouseIndex,
  startTestSystem,
  type TestSystem,
} from '../support/system';

/**
 * `capitolscope filings ...` and `capitolscope notifications ...`, run as an operator runs them (the
 * real CLI in its own process) against a real PostgreSQL; then a failed filing and failed notifications
 * retried through the real workers.
 */

/** Run the CLI; parse its JSON output when it succeeds. */
async function cli(url: string, ...args: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const r = await runCli([...args, '-o', 'json'], { DATABASE_URL: url });
  return { code: r.code, json: r.code === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

async function ok<T = Record<string, unknown>>(url: string, ...args: string[]): Promise<T> {
  const r = await cli(url, ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.json as T;
}

/** The one line an operator gets for a refused command, and that it exits non-zero. */
async function refused(url: string, ...args: string[]): Promise<string> {
  const r = await cli(url, ...args);
  expect(r.code).not.toBe(0);
  return r.stderr.trim();
}

function listed(chamber: 'house' | 'senate', sourceId: string, filer = 'Dan Crenshaw'): DiscoveredFiling {
  return {
    chamber,
    sourceId,
    filerName: filer,
    stateDistrict: chamber === 'house' ? 'TX02' : null,
    year: 2025,
    filedDate: '2025-02-03',
    rawUrl: `https://example.test/${chamber}/${sourceId}`,
    amendment: false,
    kind: null,
  };
}

/** A filing that discovery recorded and ingestion then gave a status and reason, as the sync does. */
async function seedUnstored(
  db: Db,
  f: DiscoveredFiling,
  status: 'failed' | 'not_posted',
  reason: string,
): Promise<number> {
  const [id] = await recordDiscoveredFilings(db, [f], { baseline: false });
  await markAttempt(db, id!);
  await markFilingStatus(db, id!, status, reason);
  return id!;
}

interface FilingOut {
  source: string;
  filingId: string;
  status: string;
  reason: string | null;
  transactions: number;
  amends: string | null;
}

describe('operator commands on the database', () => {
  let url: string;
  let db: Db;
  let drop: () => Promise<void>;
  const ids: Record<string, number> = {};
  const notes: Record<string, number> = {};

  beforeAll(async () => {
    ({ url, db, drop } = await createTestDatabase());
    // Three users following Pelosi since before any filing below was seen.
    await seedUser(db, 'alice@example.com', [{ member: 'Pelosi' }]);
    await seedUser(db, 'Bob@Example.com', [{ member: 'Pelosi' }], { digest: 'daily' });
    const carol = await seedUser(db, 'carol@example.com', [{ member: 'Pelosi' }]);
    await db.query(`UPDATE alert_rules SET created_at = now() - interval '1 day'`);
    const match = () => matchUnmatchedFilings(db, { syncId: 'seed', maxFilingAgeDays: 0 });
    const seen = (id: number, minutesAgo: number) =>
      db.query(`UPDATE filings SET first_seen_at = now() - $2 * interval '1 minute' WHERE id = $1`, [
        id,
        minutesAgo,
      ]);

    // Oldest first: a parsed filing, its amendment, then filings that failed or wait for their document.
    ids.parsed = await seedFiling(db, {
      filingId: '20030001',
      filedDate: '2025-01-17',
      transactions: [trade(), trade({ ticker: 'AAPL', assetName: 'Apple Inc.', transactionType: 'sale' })],
    });
    await seen(ids.parsed, 60);
    await match();
    ids.amendment = await seedFiling(db, {
      filingId: '20030002',
      filedDate: '2025-01-20',
      amendment: true,
      transactions: [trade({ filingStatus: 'amended', amountMin: 50001, amountMax: 100000 })],
    });
    await seen(ids.amendment, 50);
    await match();
    ids.failed = await seedUnstored(
      db,
      listed('house', '20030003'),
      'failed',
      'not a PDF: starts with "GIF89a"',
    );
    await seen(ids.failed, 40);
    ids.notPosted = await seedUnstored(db, listed('house', '20030004'), 'not_posted', 'HTTP 404 for ...');
    await seen(ids.notPosted, 30);
    ids.senateFailed = await seedUnstored(
      db,
      listed('senate', 'b1d6c3a2-0000-4000-8000-000000000001', 'Tommy Tuberville'),
      'failed',
      'Senate PTR: no transactions table',
    );
    await seen(ids.senateFailed, 20);
    // The same upstream id in both chambers: naming it needs --source.
    ids.twinHouse = await seedUnstored(db, listed('house', 'TWIN1'), 'failed', 'house reason');
    await seen(ids.twinHouse, 10);
    ids.twinSenate = await seedUnstored(db, listed('senate', 'TWIN1'), 'failed', 'senate reason');
    await seen(ids.twinSenate, 5);

    // The notifications of the two parsed filings (two alerts and a correction per user), in every state.
    const { rows } = await db.query<{ id: number; email: string; ticker: string; kind: string }>(
      `SELECT n.id, u.email, t.ticker, n.kind FROM notifications n
         JOIN users u ON u.id = n.user_id JOIN transactions t ON t.id = n.transaction_id ORDER BY n.id`,
    );
    for (const r of rows) notes[`${r.email.toLowerCase().split('@')[0]}-${r.ticker}-${r.kind}`] = r.id;
    expect(Object.keys(notes).sort()).toEqual([
      'alice-AAPL-alert',
      'alice-NVDA-alert',
      'alice-NVDA-correction',
      'bob-AAPL-alert',
      'bob-NVDA-alert',
      'bob-NVDA-correction',
      'carol-AAPL-alert',
      'carol-NVDA-alert',
      'carol-NVDA-correction',
    ]);
    await db.query(
      `UPDATE notifications SET status = 'sent', sent_at = now(), attempts = 1, message_id = '<m@x>' WHERE id = $1`,
      [notes['alice-NVDA-alert']],
    );
    // Delivery gave up on these after an SMTP outage.
    await db.query(
      `UPDATE notifications SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = ANY ($1::bigint[])`,
      [
        [notes['alice-AAPL-alert'], notes['bob-AAPL-alert'], notes['carol-AAPL-alert']],
        'SMTP 421 service not available',
      ],
    );
    // Carol's address was then rejected for good: her pending ones are suppressed, her failed one stays.
    await setUserStatus(db, carol, 'suppressed', 'SMTP 550 no such user');
  });
  afterAll(async () => drop());

  describe('filings list', () => {
    it('lists every filing newest first, with status, reason, rows and the filing amended', async () => {
      const all = await ok<FilingOut[]>(url, 'filings', 'list');
      expect(all.map((f) => `${f.source}:${f.filingId}`)).toEqual([
        'senate:TWIN1',
        'house:TWIN1',
        'senate:b1d6c3a2-0000-4000-8000-000000000001',
        'house:20030004',
        'house:20030003',
        'house:20030002',
        'house:20030001',
      ]);
      expect(all.find((f) => f.filingId === '20030003')).toEqual({
        source: 'house',
        filingId: '20030003',
        filer: 'Dan Crenshaw',
        filedDate: '2025-02-03',
        kind: null,
        status: 'failed',
        reason: 'not a PDF: starts with "GIF89a"',
        firstSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastTried: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        retriedAt: null,
        attempts: 1,
        transactions: 0,
        amends: null,
        scan: null,
      });
      expect(all.find((f) => f.filingId === '20030002')).toMatchObject({
        status: 'parsed',
        kind: 'electronic',
        reason: null,
        transactions: 1,
        amends: '20030001',
      });
      expect(all.find((f) => f.filingId === '20030001')).toMatchObject({ transactions: 2, amends: null });
    });

    it('filters by status and source, and stops at --limit', async () => {
      const failed = await ok<FilingOut[]>(url, 'filings', 'list', '--status', 'failed');
      expect(failed.map((f) => f.filingId)).toEqual([
        'TWIN1',
        'TWIN1',
        'b1d6c3a2-0000-4000-8000-000000000001',
        '20030003',
      ]);
      const senate = await ok<FilingOut[]>(url, 'filings', 'list', '--source', 'senate');
      expect(senate.every((f) => f.source === 'senate')).toBe(true);
      expect(senate).toHaveLength(2);
      const both = await ok<FilingOut[]>(url, 'filings', 'list', '--status', 'failed', '--source', 'house');
      expect(both.map((f) => f.filingId)).toEqual(['TWIN1', '20030003']);
      expect(await ok<FilingOut[]>(url, 'filings', 'list', '--status', 'not_posted')).toMatchObject([
        { filingId: '20030004', reason: 'HTTP 404 for ...' },
      ]);
      expect(await ok<FilingOut[]>(url, 'filings', 'list', '--limit', '2')).toHaveLength(2);
    });

    it('refuses bad options with one line', async () => {
      expect(await refused(url, 'filings', 'list', '--status', 'broken')).toBe(
        'error: --status must be one of discovered, parsed, paper, not_posted, failed, not "broken"',
      );
      expect(await refused(url, 'filings', 'list', '--source', 'both')).toBe(
        'error: --source must be house or senate, not "both"',
      );
      expect(await refused(url, 'filings', 'list', '--limit', '0')).toBe(
        'error: --limit must be a whole number of 1 or more, not "0"',
      );
    });
  });

  describe('filings show', () => {
    it('shows a filing with its normalised transactions', async () => {
      const shown = await ok(url, 'filings', 'show', '20030001');
      expect(shown).toMatchObject({
        source: 'house',
        filingId: '20030001',
        filer: 'Nancy Pelosi',
        status: 'parsed',
        kind: 'electronic',
        amendment: false,
        baseline: false,
        amends: null,
        amendedBy: ['20030002'],
        url: 'https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/20030001.pdf',
        matchedAt: expect.any(String),
      });
      expect(shown.transactions).toEqual([
        {
          id: expect.any(Number),
          ordinal: 0,
          owner: 'self',
          assetName: 'NVIDIA Corporation - Common Stock',
          ticker: 'NVDA',
          receivedTicker: null,
          assetType: 'ST',
          transactionType: 'purchase',
          transactionDate: '2025-01-10',
          notificationDate: '2025-01-10',
          amountMin: 15001,
          amountMax: 50000,
          filingStatus: 'new',
          description: null,
          comment: null,
          subholdingOf: null,
          readFromScan: false,
          confidence: null,
          scanReading: null,
        },
        expect.objectContaining({ ordinal: 1, ticker: 'AAPL', transactionType: 'sale' }),
      ]);
      expect(await ok(url, 'filings', 'show', '20030003')).toMatchObject({
        status: 'failed',
        reason: 'not a PDF: starts with "GIF89a"',
        transactions: [],
      });
    });

    it('says so when the filing is unknown, and asks for --source when the id is in both chambers', async () => {
      expect(await refused(url, 'filings', 'show', '99999999')).toBe(
        'error: no filing 99999999 (see `capitolscope filings list`)',
      );
      expect(await refused(url, 'filings', 'show', '20030001', '--source', 'senate')).toBe(
        'error: no senate filing 20030001 (see `capitolscope filings list`)',
      );
      expect(await refused(url, 'filings', 'show', 'TWIN1')).toBe(
        'error: filing TWIN1 exists for both house and senate: pass --source house or --source senate',
      );
      expect(await ok(url, 'filings', 'show', 'TWIN1', '--source', 'senate')).toMatchObject({
        source: 'senate',
        reason: 'senate reason',
      });
    });
  });

  describe('filings retry', () => {
    const state = async (id: number) =>
      (
        await db.query(
          `SELECT status, failure_reason AS reason, baseline, first_seen_at AS "firstSeen", retried_at AS "retriedAt",
                  matched_at AS "matchedAt" FROM filings WHERE id = $1`,
          [id],
        )
      ).rows[0];

    it('refuses a stored filing, and then changes nothing, not even the retryable ones named with it', async () => {
      expect(await refused(url, 'filings', 'retry', '20030004', '20030001')).toBe(
        'error: filing 20030001 (house) is parsed: only failed, not_posted or paper filings can be retried',
      );
      expect(await refused(url, 'filings', 'retry', '20030003', '424242')).toBe(
        'error: no filing 424242 (see `capitolscope filings list`)',
      );
      expect(await state(ids.notPosted!)).toMatchObject({ status: 'not_posted', retriedAt: null });
      expect(await state(ids.failed!)).toMatchObject({ status: 'failed', retriedAt: null });
      expect(await refused(url, 'filings', 'retry')).toBe('error: give filing ids, or --all-failed');
      expect(await refused(url, 'filings', 'retry', '20030003', '--all-failed')).toBe(
        'error: give filing ids or --all-failed, not both',
      );
    });

    it('puts a failed filing back where the next sync ingests it, keeping what alerting reads', async () => {
      const before = await state(ids.failed!);
      const out = await ok(url, 'filings', 'retry', '20030003');
      expect(out).toEqual({
        retried: 1,
        filings: [
          {
            source: 'house',
            filingId: '20030003',
            previousStatus: 'failed',
            previousReason: 'not a PDF: starts with "GIF89a"',
          },
        ],
        alerts: true,
        next: 'the next trade sync fetches and parses them again; to sync now: capitolscope sync --wait',
      });
      const after = await state(ids.failed!);
      expect(after).toEqual({
        status: 'discovered',
        reason: null,
        baseline: false,
        // first_seen_at decides which rules apply and how old the filing was when seen: unchanged.
        firstSeen: before.firstSeen,
        retriedAt: expect.any(Date),
        matchedAt: null,
      });
      expect(await pendingFilingIds(db, 'house')).toContain(ids.failed);
      // Retrying it again: it is no longer failed.
      expect(await refused(url, 'filings', 'retry', '20030003')).toBe(
        'error: filing 20030003 (house) is discovered: the next trade sync ingests it already',
      );
    });

    it('--all-failed --source retries only that chamber’s failed filings; --no-alerts stores them silently', async () => {
      const out = await ok<{ retried: number; filings: FilingOut[] }>(
        url,
        'filings',
        'retry',
        '--all-failed',
        '--source',
        'senate',
        '--no-alerts',
      );
      expect(out.filings.map((f) => `${f.source}:${f.filingId}`)).toEqual([
        'senate:b1d6c3a2-0000-4000-8000-000000000001',
        'senate:TWIN1',
      ]);
      expect(await state(ids.senateFailed!)).toMatchObject({ status: 'discovered', baseline: true });
      expect(await state(ids.twinHouse!)).toMatchObject({
        status: 'failed',
        baseline: false,
        retriedAt: null,
      });
      // Twice is harmless: nothing failed is left in the Senate.
      expect(await ok(url, 'filings', 'retry', '--all-failed', '--source', 'senate')).toMatchObject({
        retried: 0,
        next: 'nothing to retry',
      });
    });

    it('a not_posted filing can be given a fresh two weeks', async () => {
      expect(await ok(url, 'filings', 'retry', '20030004')).toMatchObject({
        retried: 1,
        filings: [{ filingId: '20030004', previousStatus: 'not_posted' }],
      });
      expect(await state(ids.notPosted!)).toMatchObject({
        status: 'discovered',
        retriedAt: expect.any(Date),
      });
    });
  });

  interface NotificationOut {
    id: number;
    user: string;
    kind: string;
    status: string;
    trade: string;
  }

  describe('notifications list', () => {
    it('shows every notification with its user, state and trade in one line', async () => {
      const all = await ok<NotificationOut[]>(url, 'notifications', 'list');
      expect(all).toHaveLength(9);
      expect(all.find((n) => n.id === notes['alice-AAPL-alert'])).toEqual({
        id: notes['alice-AAPL-alert'],
        user: 'alice@example.com',
        kind: 'alert',
        delivery: 'instant',
        status: 'failed',
        attempts: 1,
        lastError: 'SMTP 421 service not available',
        created: expect.stringMatching(/^\d{4}-/),
        sentAt: null,
        retriedAt: null,
        trade: 'Nancy Pelosi · AAPL · Sale · 2025-01-10',
        source: 'house',
        filingId: '20030001',
      });
      expect(all.find((n) => n.id === notes['bob-NVDA-correction'])).toMatchObject({
        kind: 'correction',
        delivery: 'daily',
        status: 'pending',
        trade: 'Nancy Pelosi · NVDA · Purchase · 2025-01-10',
        filingId: '20030002',
      });
    });

    it('filters by status and by user (email in any case)', async () => {
      // Each command is its own process; these read only, so they run side by side.
      const [failed, suppressed, bob, aliceSent, firstFour, badStatus, nobody] = await Promise.all([
        ok<NotificationOut[]>(url, 'notifications', 'list', '--status', 'failed'),
        ok<NotificationOut[]>(url, 'notifications', 'list', '--status', 'suppressed'),
        ok<NotificationOut[]>(url, 'notifications', 'list', '--user', 'bob@example.com'),
        ok<NotificationOut[]>(
          url,
          'notifications',
          'list',
          '--user',
          'alice@example.com',
          '--status',
          'sent',
        ),
        ok<NotificationOut[]>(url, 'notifications', 'list', '--limit', '4'),
        refused(url, 'notifications', 'list', '--status', 'bounced'),
        refused(url, 'notifications', 'list', '--user', 'nobody@example.com'),
      ]);
      expect(failed.map((n) => n.id).sort()).toEqual(
        [notes['alice-AAPL-alert'], notes['bob-AAPL-alert'], notes['carol-AAPL-alert']].sort(),
      );
      expect(suppressed.map((n) => n.user)).toEqual(['carol@example.com', 'carol@example.com']);
      expect(bob).toHaveLength(3);
      expect(bob.every((n) => n.user === 'Bob@Example.com')).toBe(true);
      expect(aliceSent.map((n) => n.id)).toEqual([notes['alice-NVDA-alert']]);
      expect(firstFour).toHaveLength(4);
      expect(badStatus).toBe(
        'error: --status must be one of pending, sending, sent, failed, suppressed, not "bounced"',
      );
      expect(nobody).toBe('error: no user with email nobody@example.com');
    });
  });

  describe('notifications retry', () => {
    const statuses = async () => {
      const { rows } = await db.query(
        `SELECT id, status, attempts, last_error AS "lastError", retried_at IS NOT NULL AS retried
           FROM notifications ORDER BY id`,
      );
      return Object.fromEntries(rows.map(({ id, ...r }) => [id, r]));
    };

    it('refuses what is not failed, naming it, and changes nothing', async () => {
      const before = await statuses();
      // Refusals change nothing, so they run side by side.
      const [sent, suppressedUser, unknown, notANumber] = await Promise.all([
        refused(
          url,
          'notifications',
          'retry',
          String(notes['alice-AAPL-alert']),
          String(notes['alice-NVDA-alert']),
        ),
        refused(url, 'notifications', 'retry', String(notes['carol-AAPL-alert'])),
        refused(url, 'notifications', 'retry', '987654'),
        refused(url, 'notifications', 'retry', 'abc'),
      ]);
      expect(sent).toBe(
        `error: notification ${notes['alice-NVDA-alert']} is sent: only failed ones can be retried`,
      );
      expect(suppressedUser).toBe(
        `error: notification ${notes['carol-AAPL-alert']}: its user is suppressed and gets no mail`,
      );
      expect(unknown).toBe('error: no notification 987654');
      expect(notANumber).toBe('error: notification ids are numbers (see `notifications list`), not "abc"');
      expect(await statuses()).toEqual(before);
    });

    it('--all-failed puts failed ones back to pending and leaves sent and suppressed ones alone', async () => {
      const before = await statuses();
      const out = await ok(url, 'notifications', 'retry', '--all-failed');
      expect(out).toEqual({
        retried: 2,
        ids: [notes['alice-AAPL-alert']!, notes['bob-AAPL-alert']!].sort((a, b) => a - b),
        skippedInactiveUsers: 1,
        next:
          'notification-processing sends them on its next run (digest users: in their next digest); ' +
          'to send now: capitolscope schedules trigger notification-processing',
      });
      const after = await statuses();
      for (const key of ['alice-AAPL-alert', 'bob-AAPL-alert']) {
        expect(after[notes[key]!]).toEqual({
          status: 'pending',
          attempts: 0,
          lastError: null,
          retried: true,
        });
      }
      // Everything else is as it was: the sent one, the suppressed ones, carol's failed one, the pending ones.
      for (const [id, row] of Object.entries(before)) {
        if (Number(id) === notes['alice-AAPL-alert'] || Number(id) === notes['bob-AAPL-alert']) continue;
        expect(after[id]).toEqual(row);
      }
      expect(after[notes['alice-NVDA-alert']!]).toMatchObject({ status: 'sent' });
      expect(after[notes['carol-AAPL-alert']!]).toMatchObject({ status: 'failed' });
    });
  });
});

describe('retries through the real workers', () => {
  let sys: TestSystem;
  const PELOSI = FIXTURE_FILINGS.pelosi;
  const PELOSI_PDF = `/house/public_disc/ptr-pdfs/2025/${PELOSI}.pdf`;

  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.stop());

  const filing = async () =>
    (
      await sys.db.query(
        `SELECT f.status, f.failure_reason AS reason, f.matched_at IS NOT NULL AS matched,
                (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS transactions
           FROM filings f WHERE chamber = 'house' AND source_id = $1`,
        [PELOSI],
      )
    ).rows[0];
  const notificationCount = async () =>
    (await sys.db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n as number;

  it('a filing that failed is re-ingested by the next sync after `filings retry`, and alerts once', async () => {
    // A baseline, then a user following Pelosi, then her PTR listed but served broken.
    serveHouseIndex(sys.sites, houseIndexXml({ without: [PELOSI, FIXTURE_FILINGS.cohen] }));
    await sys.sync(['house']);
    await seedUser(sys.db, 'follower@example.com', [{ member: 'Pelosi' }]);
    serveHouseIndex(sys.sites, houseIndexXml());
    sys.sites.override(PELOSI_PDF, {
      body: Buffer.from('GIF89a not a pdf at all'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect((await sys.sync(['house'])).filings).toMatchObject({ new: 2, parsed: 1, failed: 1 });
    expect(await filing()).toMatchObject({ status: 'failed', transactions: 0, matched: false });
    expect(await notificationCount()).toBe(0);

    // Weeks go by before the fix: the 14-day cut-off alone would fail the filing again at once.
    await sys.db.query(
      `UPDATE filings SET first_seen_at = first_seen_at - interval '20 days' WHERE source_id = $1`,
      [PELOSI],
    );
    await sys.db.query(`UPDATE alert_rules SET created_at = created_at - interval '30 days'`);
    const url = sys.config.databaseUrl!;
    expect(await ok(url, 'filings', 'retry', PELOSI)).toMatchObject({
      retried: 1,
      filings: [{ filingId: PELOSI, previousStatus: 'failed' }],
    });

    // The PDF is not there yet: the retried filing waits (not_posted), it is not failed again.
    sys.sites.override(PELOSI_PDF, {
      status: 404,
      body: 'not found',
      headers: { 'content-type': 'text/plain' },
    });
    await sys.sync(['house']);
    expect(await filing()).toMatchObject({
      status: 'not_posted',
      reason: expect.stringMatching(/^HTTP 404/),
    });

    // The real PDF: parsed, matched, and its follower gets one email.
    sys.sites.override(PELOSI_PDF, { file: `public_disc/ptr-pdfs/2025/${PELOSI}.pdf` });
    const summary = await sys.sync(['house']);
    expect(summary).toMatchObject({ transactions: 9, notifications: 9, usersNotified: 1, emailsSent: 1 });
    expect(await filing()).toEqual({ status: 'parsed', reason: null, matched: true, transactions: 9 });
    const mail = await sys.smtp.messages();
    expect(mail.map((m) => m.to)).toEqual([['follower@example.com']]);

    // Nothing alerts twice: another sync adds nothing, and the stored filing cannot be retried.
    expect(await sys.sync(['house'])).toMatchObject({ transactions: 0, notifications: 0, emailsSent: 0 });
    expect(await notificationCount()).toBe(9);
    expect(await refused(url, 'filings', 'retry', PELOSI)).toBe(
      `error: filing ${PELOSI} (house) is parsed: only failed, not_posted or paper filings can be retried`,
    );
    expect(await sys.smtp.messages()).toHaveLength(1);
  }, 120_000);

  it('failed notifications retried are sent by the next notification-processing run, even a week on', async () => {
    // The follower's alerts failed in an outage more than a week ago (they were never sent).
    await sys.db.query(
      `UPDATE notifications SET status = 'failed', sent_at = NULL, message_id = NULL, attempts = 8,
              last_error = 'SMTP 421 try again later', created_at = now() - interval '10 days'`,
    );
    await sys.smtp.clear();
    const url = sys.config.databaseUrl!;
    expect(await ok(url, 'notifications', 'retry', '--all-failed')).toMatchObject({ retried: 9 });
    const result = await sys.client.workflow.execute('NotificationProcessingWorkflow', {
      taskQueue: TASK_QUEUES.notifications,
      workflowId: 'operator-commands-notification-processing',
    });
    // Not expired as stale (the week counts from the retry): sent, in one email.
    expect(result).toMatchObject({ expired: 0, pending: { emailsSent: 1 } });
    const { rows } = await sys.db.query(`SELECT DISTINCT status, attempts FROM notifications`);
    expect(rows).toEqual([{ status: 'sent', attempts: 1 }]);
    expect((await sys.smtp.messages()).map((m) => m.to)).toEqual([['follower@example.com']]);
  }, 120_000);
});
