import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMatchActivities } from '../../activities/match';
import type { ParsedTransaction } from '../../domain/filing';
import type { RuleInput } from '../../domain/rules';
import type { Db } from '../../store/db';
import { recordDiscoveredFilings } from '../../store/filingDiscovery';
import { storeParsedFiling } from '../../store/filingStorage';
import { matchUnmatchedFilings, ruleHolds, type MatchProgress } from '../../store/matching';
import { claimDueNotifications } from '../../store/notifications';
import { createLogger } from '../../ops/logger';
import { createTestDatabase, testConfig } from '../support/services';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
});
afterAll(async () => drop());
beforeEach(async () => {
  await db.query('TRUNCATE users, filings, members RESTART IDENTITY CASCADE');
});

const match = (maxFilingAgeDays = 0) => matchUnmatchedFilings(db, { syncId: 'test-sync', maxFilingAgeDays });

async function notified(): Promise<{ email: string; ticker: string; kind: string; reasons: string[] }[]> {
  const { rows } = await db.query(
    `SELECT u.email, t.ticker, n.kind, n.reasons FROM notifications n
       JOIN users u ON u.id = n.user_id JOIN transactions t ON t.id = n.transaction_id ORDER BY u.email, n.id`,
  );
  return rows;
}

describe('rule matching (one set-based statement)', () => {
  it('member names match case-insensitively on whole words, not substrings', async () => {
    await seedUser(db, 'a@x.com', [{ member: 'pelosi' }]);
    await seedUser(db, 'b@x.com', [{ member: 'Nancy Pelosi' }]);
    await seedUser(db, 'c@x.com', [{ member: 'Pelos' }]);
    await seedUser(db, 'd@x.com', [{ member: 'Nancy Smith' }]);
    await seedFiling(db, { filerName: 'Hon. Nancy Pelosi', transactions: [trade()] });
    await match();
    expect((await notified()).map((n) => n.email)).toEqual(['a@x.com', 'b@x.com']);
  });

  it('every condition of a rule must hold; sale covers partial sales; amounts match when the bracket can reach', async () => {
    await seedUser(db, 'sales@x.com', [{ type: 'sale' }]);
    await seedUser(db, 'buys@x.com', [{ type: 'purchase', ticker: 'AAPL' }]);
    await seedUser(db, 'big@x.com', [{ minAmount: 1_000_000 }]);
    await seedUser(db, 'senate@x.com', [{ chamber: 'senate' }]);
    await seedFiling(db, {
      transactions: [
        trade({ ticker: 'AAPL', transactionType: 'sale_partial', amountMin: 1001, amountMax: 15000 }),
        trade({ ticker: 'AAPL', transactionType: 'purchase', amountMin: 500001, amountMax: 1000000 }),
        trade({ ticker: 'MSFT', transactionType: 'purchase', amountMin: 50000001, amountMax: null }),
        trade({ ticker: 'TSLA', transactionType: 'exchange', amountMin: 1000001, amountMax: 5000000 }),
      ],
    });
    await match();
    const byUser = (email: string) =>
      notified().then((ns) => ns.filter((n) => n.email === email).map((n) => n.ticker));
    expect(await byUser('sales@x.com')).toEqual(['AAPL']);
    expect(await byUser('buys@x.com')).toEqual(['AAPL']);
    expect(await byUser('big@x.com')).toEqual(['AAPL', 'MSFT', 'TSLA']);
    expect(await byUser('senate@x.com')).toEqual([]);
  });

  it('a ticker rule follows both sides of an exchange: the ticker given up and the one received', async () => {
    const receivedUser = await seedUser(db, 'received@x.com', [{ ticker: 'ktb' }]);
    await seedUser(db, 'given@x.com', [{ ticker: 'VFC' }]);
    await seedUser(db, 'other@x.com', [{ ticker: 'NVDA' }]);
    await seedFiling(db, {
      chamber: 'senate',
      filerName: 'Jacklyn S Rosen',
      transactions: [
        trade({
          ticker: 'VFC',
          receivedTicker: 'KTB',
          assetName: 'V.F. Corporation',
          assetType: 'Stock',
          transactionType: 'exchange',
          description: 'V.F. Corporation (VFC) → Kontoor Brands, Inc. (KTB)',
        }),
      ],
    });
    expect(await match()).toMatchObject({ notifications: 2 });
    expect((await notified()).map((n) => `${n.email}:${n.ticker}:${n.reasons.join()}`)).toEqual([
      'given@x.com:VFC:ticker VFC',
      'received@x.com:VFC:ticker KTB',
    ]);
    const { rows } = await db.query('SELECT ticker, received_ticker, row_key FROM transactions');
    // The ticker received is stored beside the row, not in its identity.
    expect(rows).toEqual([
      {
        ticker: 'VFC',
        received_ticker: 'KTB',
        row_key: 'self|VFC|v.f. corporation|exchange|2025-01-10|15001|50000',
      },
    ]);
    // What the alert email is built from carries both tickers.
    const [due] = await claimDueNotifications(db, receivedUser, new Date(Date.now() + 60_000));
    expect(due).toMatchObject({ ticker: 'VFC', receivedTicker: 'KTB', reasons: ['ticker KTB'] });
  });

  it('party rules hold for filings linked to a member of that party', async () => {
    await db.query(
      `INSERT INTO members (bioguide_id, full_name, last_name, party, state, chamber)
       VALUES ('P000197', 'Nancy Pelosi', 'Pelosi', 'D', 'CA', 'house'), ('G000591', 'Michael Guest', 'Guest', 'R', 'MS', 'house')`,
    );
    await seedUser(db, 'dems@x.com', [{ party: 'D' }]);
    await seedUser(db, 'reps@x.com', [{ party: 'R', type: 'purchase' }]);
    await seedUser(db, 'bio@x.com', [{ member: 'P000197' }]);
    await seedFiling(db, { filerName: 'Nancy Pelosi', stateDistrict: 'CA11', transactions: [trade()] });
    await seedFiling(db, {
      filerName: 'Michael Guest',
      stateDistrict: 'MS03',
      transactions: [trade({ ticker: 'XOM' })],
    });
    await match();
    expect((await notified()).map((n) => `${n.email}:${n.ticker}`)).toEqual([
      'bio@x.com:NVDA',
      'dems@x.com:NVDA',
      'reps@x.com:XOM',
    ]);
  });

  it('a user with two matching rules gets one notification per trade, with both reasons', async () => {
    await seedUser(db, 'two@x.com', [{ member: 'Pelosi' }, { ticker: 'NVDA' }]);
    await seedFiling(db, { transactions: [trade()] });
    await match();
    const [n] = await notified();
    expect(n!.reasons).toEqual(['member Pelosi', 'ticker NVDA']);
    expect(await notified()).toHaveLength(1);
  });

  it('baseline filings, filings seen before the rule existed, and stale filings alert nobody', async () => {
    const rulesAt = new Date();
    await seedUser(db, 'u@x.com', [{ ticker: 'NVDA' }]);
    await seedFiling(db, { baseline: true, transactions: [trade()] });
    await seedFiling(db, { firstSeenAt: new Date(rulesAt.getTime() - 60_000), transactions: [trade()] });
    // Filed 40 days before it was first seen: too old to be news with a 30-day limit.
    const seen = new Date();
    const old = new Date(seen.getTime() - 40 * 86_400_000).toISOString().slice(0, 10);
    const recent = new Date(seen.getTime() - 10 * 86_400_000).toISOString().slice(0, 10);
    await seedFiling(db, { filedDate: old, transactions: [trade({ ticker: 'NVDA', assetName: 'old' })] });
    await seedFiling(db, {
      filedDate: recent,
      transactions: [trade({ ticker: 'NVDA', assetName: 'recent' })],
    });
    await match(30);
    const { rows } = await db.query(
      `SELECT t.asset_name FROM notifications n JOIN transactions t ON t.id = n.transaction_id`,
    );
    expect(rows.map((r) => r.asset_name)).toEqual(['recent']);
  });

  it('running the match again inserts nothing (a retry never duplicates)', async () => {
    await seedUser(db, 'u@x.com', [{ ticker: 'NVDA' }]);
    await seedFiling(db, { transactions: [trade()] });
    expect((await match()).notifications).toBe(1);
    await db.query('UPDATE filings SET matched_at = NULL');
    expect((await match()).notifications).toBe(0);
    expect(await notified()).toHaveLength(1);
  });

  it('an amendment of an alerted trade becomes a correction when it changed, and nothing when it did not', async () => {
    await seedUser(db, 'u@x.com', [{ member: 'Pelosi', type: 'purchase' }]);
    await seedFiling(db, {
      transactions: [
        trade({ ticker: 'NVDA' }),
        trade({ ticker: 'AAPL', assetName: 'Apple Inc. - Common Stock' }),
      ],
    });
    await match();
    await db.query(`UPDATE notifications SET status = 'sent'`);
    // The amendment restates AAPL unchanged and changes the NVDA amount and type (now a sale).
    await seedFiling(db, {
      amendment: true,
      transactions: [
        trade({
          ticker: 'NVDA',
          transactionType: 'sale',
          amountMin: 50001,
          amountMax: 100000,
          filingStatus: 'amended',
        }),
        trade({ ticker: 'AAPL', assetName: 'Apple Inc. - Common Stock', filingStatus: 'amended' }),
      ],
    });
    const result = await match();
    expect(result).toMatchObject({ notifications: 0, corrections: 1 });
    const kinds = (await notified()).map((n) => `${n.ticker}:${n.kind}`);
    expect(kinds).toEqual(['NVDA:alert', 'AAPL:alert', 'NVDA:correction']);
    const { rows } = await db.query(`SELECT amends_filing_id FROM filings ORDER BY id`);
    expect(rows[1].amends_filing_id).toBe(1);
  });

  it('an original and its amendment matched in one run alert once: the original, then a correction', async () => {
    await seedUser(db, 'u@x.com', [{ member: 'Pelosi' }]);
    await seedFiling(db, {
      transactions: [
        trade({ ticker: 'NVDA' }),
        trade({ ticker: 'AAPL', assetName: 'Apple Inc. - Common Stock' }),
      ],
    });
    // Stored before the first match ran: both are new to the same run.
    await seedFiling(db, {
      amendment: true,
      transactions: [
        trade({ ticker: 'NVDA', amountMin: 50001, amountMax: 100000, filingStatus: 'amended' }),
        trade({ ticker: 'AAPL', assetName: 'Apple Inc. - Common Stock', filingStatus: 'amended' }),
      ],
    });
    expect(await match()).toEqual({ notifications: 2, corrections: 1, users: 1, filings: 2 });
    const { rows } = await db.query(
      `SELECT t.ticker, f.amendment, n.kind FROM notifications n
         JOIN transactions t ON t.id = n.transaction_id JOIN filings f ON f.id = t.filing_id ORDER BY n.id`,
    );
    expect(rows.map((r) => `${r.ticker}:${r.amendment ? 'amendment' : 'original'}:${r.kind}`)).toEqual([
      'NVDA:original:alert',
      'AAPL:original:alert',
      'NVDA:amendment:correction',
    ]);
  });

  it('an amendment listed before its original, both new in one run, waits for the original to be matched', async () => {
    await seedUser(db, 'u@x.com', [{ ticker: 'NVDA' }]);
    // One discovery lists the amendment first, so it gets the lower id; the original is stored first.
    const listing = (sourceId: string, amendment: boolean) => ({
      chamber: 'house' as const,
      sourceId,
      filerName: 'Nancy Pelosi',
      stateDistrict: 'CA11',
      year: 2025,
      filedDate: '2025-01-17',
      rawUrl: `https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/${sourceId}.pdf`,
      amendment,
      kind: null,
    });
    const [amendmentId, originalId] = await recordDiscoveredFilings(
      db,
      [listing('20030002', true), listing('20030001', false)],
      { baseline: false },
    );
    const parsed = (filingId: string, amendment: boolean, transactions: ParsedTransaction[]) => ({
      chamber: 'house' as const,
      filingId,
      kind: 'electronic' as const,
      filerName: 'Nancy Pelosi',
      stateDistrict: 'CA11',
      filedDate: '2025-01-17',
      amendment,
      transactions,
    });
    await storeParsedFiling(db, originalId!, parsed('20030001', false, [trade()]), 'sha-original');
    const stored = await storeParsedFiling(
      db,
      amendmentId!,
      parsed('20030002', true, [trade({ filingStatus: 'amended', amountMin: 50001, amountMax: 100000 })]),
      'sha-amendment',
    );
    expect(amendmentId).toBeLessThan(originalId!);
    expect(stored.amendsFilingId).toBe(originalId);
    expect(await match()).toEqual({ notifications: 1, corrections: 1, users: 1, filings: 2 });
    const { rows } = await db.query(
      `SELECT t.filing_id, n.kind FROM notifications n JOIN transactions t ON t.id = n.transaction_id ORDER BY n.id`,
    );
    expect(rows).toEqual([
      { filing_id: originalId, kind: 'alert' },
      { filing_id: amendmentId, kind: 'correction' },
    ]);
  });

  it('unsubscribed and suppressed users are not matched', async () => {
    await seedUser(db, 'gone@x.com', [{ ticker: 'NVDA' }]);
    await seedUser(db, 'bounced@x.com', [{ ticker: 'NVDA' }]);
    await db.query(`UPDATE users SET status = 'unsubscribed' WHERE email = 'gone@x.com'`);
    await db.query(`UPDATE users SET status = 'suppressed' WHERE email = 'bounced@x.com'`);
    await seedFiling(db, { transactions: [trade()] });
    expect((await match()).notifications).toBe(0);
  });
});

describe('a row marked deleted (the filer withdraws a trade)', () => {
  /** Kathy Manning's two Echo Street sales, as her report first gave them and as 20029046 deletes them. */
  const echo = (overrides: Parameters<typeof trade>[0] = {}) =>
    trade({
      owner: 'spouse',
      assetName: 'Echo Street GoodCo Select, LP',
      ticker: null,
      assetType: 'HN',
      transactionType: 'sale',
      transactionDate: '2024-01-05',
      notificationDate: '2024-02-02',
      amountMin: 500001,
      amountMax: 1000000,
      description: 'Hedge Fund. Fund manager letter on file with the Committee on Ethics.',
      subholdingOf: 'The 2011 Randall R. Kaplan Living Trust',
      ...overrides,
    });
  const later = { transactionDate: '2024-01-16', amountMin: 15001, amountMax: 50000 } as const;
  const manning = { filerName: 'Kathy Manning', stateDistrict: 'NC06' };
  const WITHDRAWN = 'You were alerted about this trade before; the filer has since withdrawn it';

  async function corrections() {
    const { rows } = await db.query(
      `SELECT u.email, n.kind, n.reasons, t.transaction_date::text AS traded, o.transaction_date::text AS corrects
         FROM notifications n JOIN users u ON u.id = n.user_id JOIN transactions t ON t.id = n.transaction_id
         LEFT JOIN transactions o ON o.id = n.corrects_transaction_id
        WHERE n.kind = 'correction' ORDER BY u.email, n.id`,
    );
    return rows;
  }

  it('tells the user alerted about the withdrawn trade, once, and nobody else', async () => {
    // A follows Manning's large trades: alerted about the $500,001 sale of Jan 5, not the one of Jan 16.
    const a = await seedUser(db, 'a@x.com', [{ member: 'Manning', minAmount: 100_000 }]);
    const original = await seedFiling(db, {
      ...manning,
      filedDate: '2024-02-20',
      transactions: [
        echo(),
        echo(later),
        trade({ owner: 'spouse', ticker: 'AAPL', assetName: 'Apple Inc.' }),
      ],
    });
    expect(await match()).toMatchObject({ notifications: 1, corrections: 0 });
    await db.query(`UPDATE notifications SET status = 'sent', sent_at = now()`);
    // B's rule matches both rows too, but came after the original report: B was never alerted.
    await seedUser(db, 'b@x.com', [{ member: 'Kathy Manning' }]);

    // 20029046: an amendment whose two rows are both deleted.
    const amendment = await seedFiling(db, {
      ...manning,
      filedDate: '2025-04-21',
      amendment: true,
      transactions: [echo({ filingStatus: 'deleted' }), echo({ ...later, filingStatus: 'deleted' })],
    });
    const { rows: stored } = await db.query(
      `SELECT f.amends_filing_id, t.filing_status, t.row_key FROM transactions t JOIN filings f ON f.id = t.filing_id
        WHERE f.id = $1 ORDER BY t.ordinal`,
      [amendment],
    );
    expect(stored).toEqual([
      {
        amends_filing_id: original,
        filing_status: 'deleted',
        row_key: 'spouse||echo street goodco select, lp|sale|2024-01-05|500001|1000000|deleted',
      },
      {
        amends_filing_id: original,
        filing_status: 'deleted',
        row_key: 'spouse||echo street goodco select, lp|sale|2024-01-16|15001|50000|deleted',
      },
    ]);

    expect(await match()).toEqual({ notifications: 0, corrections: 1, users: 1, filings: 1 });
    expect(await corrections()).toEqual([
      {
        email: 'a@x.com',
        kind: 'correction',
        reasons: [WITHDRAWN],
        traded: '2024-01-05',
        corrects: '2024-01-05',
      },
    ]);
    // Nothing for B: a deleted row is never an alert by itself.
    const { rows: b } = await db.query(
      `SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'b@x.com'`,
    );
    expect(b).toEqual([]);

    // What A's email is built from: the withdrawn trade, marked as such.
    const due = await claimDueNotifications(db, a, new Date(Date.now() + 60_000));
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({
      kind: 'correction',
      withdrawn: true,
      reasons: [WITHDRAWN],
      memberName: 'Kathy Manning',
      assetName: 'Echo Street GoodCo Select, LP',
      transactionType: 'sale',
      amountMin: 500001,
      original: { transactionType: 'sale', amountMin: 500001, amountMax: 1000000 },
    });

    // A re-run inserts nothing.
    await db.query('UPDATE filings SET matched_at = NULL');
    expect(await match()).toEqual({ notifications: 0, corrections: 0, users: 0, filings: 2 });
    expect(await corrections()).toHaveLength(1);
    expect((await notified()).map((n) => `${n.email}:${n.kind}`)).toEqual([
      'a@x.com:alert',
      'a@x.com:correction',
    ]);
  });

  it('a trade and its withdrawal new in one run: the alert, then the withdrawal', async () => {
    await seedUser(db, 'a@x.com', [{ member: 'Manning', minAmount: 100_000 }]);
    await seedFiling(db, { ...manning, transactions: [echo(), echo(later)] });
    await seedFiling(db, { ...manning, amendment: true, transactions: [echo({ filingStatus: 'deleted' })] });
    expect(await match()).toEqual({ notifications: 1, corrections: 1, users: 1, filings: 2 });
    expect((await notified()).map((n) => `${n.email}:${n.kind}:${n.reasons.join()}`)).toEqual([
      'a@x.com:alert:member Manning, $100,000 or more',
      `a@x.com:correction:${WITHDRAWN}`,
    ]);
  });

  it('a report of new trades that also deletes an earlier one: linked, the withdrawal told, the new trades alerted', async () => {
    await seedUser(db, 'a@x.com', [{ member: 'Manning' }]);
    const original = await seedFiling(db, { ...manning, transactions: [echo()] });
    await match();
    // Not yet sent: the user is told about the withdrawal all the same.
    const amendment = await seedFiling(db, {
      ...manning,
      transactions: [
        trade({ ticker: 'MSFT', assetName: 'Microsoft Corporation' }),
        echo({ filingStatus: 'deleted' }),
      ],
    });
    const { rows } = await db.query('SELECT amendment, amends_filing_id FROM filings WHERE id = $1', [
      amendment,
    ]);
    expect(rows).toEqual([{ amendment: false, amends_filing_id: original }]);
    expect(await match()).toMatchObject({ notifications: 1, corrections: 1 });
    expect(
      (await notified()).map((n) => `${n.email}:${n.ticker ?? 'Echo'}:${n.kind}:${n.reasons.join()}`),
    ).toEqual([
      'a@x.com:Echo:alert:member Manning',
      'a@x.com:MSFT:alert:member Manning',
      `a@x.com:Echo:correction:${WITHDRAWN}`,
    ]);
  });
});

describe('finding candidate rules through indexes', () => {
  /**
   * Every rule against every trade, words split afresh for each pair as matching did before it searched
   * through indexes: what the indexed search, in whatever chunks, must find exactly.
   */
  async function everyPair(): Promise<string[]> {
    const words = (e: string) => `array_remove(regexp_split_to_array(lower(${e}), '[^a-z0-9]+'), '')`;
    const { rows } = await db.query<{ k: string }>(
      `SELECT concat_ws(':', r.user_id, nt.id, array_agg(r.id ORDER BY r.id)::text) AS k
         FROM (SELECT t.*, f.chamber, f.filer_name, f.first_seen_at, f.member_id, m.party,
                      ${words('f.filer_name')} AS filer_words
                 FROM transactions t JOIN filings f ON f.id = t.filing_id
                 LEFT JOIN members m ON m.bioguide_id = f.member_id WHERE NOT f.baseline) nt
         CROSS JOIN (SELECT id, user_id, member, ticker, party, chamber, transaction_type, min_amount, created_at,
                            ${words('member')} AS member_words FROM alert_rules) r
         JOIN users u ON u.id = r.user_id AND u.status = 'active'
        WHERE nt.filing_status IS DISTINCT FROM 'deleted' AND r.created_at <= nt.first_seen_at
          AND ${ruleHolds({ rule: 'r', tx: 'nt', filing: 'nt', member: 'nt' })}
        GROUP BY r.user_id, nt.id ORDER BY 1`,
    );
    return rows.map((r) => r.k);
  }

  it('finds exactly the rules that hold, of every kind, in chunks matched two at a time', async () => {
    await db.query(
      `INSERT INTO members (bioguide_id, full_name, last_name, party, state, chamber)
       VALUES ('P000197', 'Nancy Pelosi', 'Pelosi', 'D', 'CA', 'house'),
              ('R000608', 'Jacky Rosen', 'Rosen', 'D', 'NV', 'senate'),
              ('G000591', 'Michael Guest', 'Guest', 'R', 'MS', 'house')`,
    );
    const rules: RuleInput[] = [
      { ticker: 'NVDA' },
      { ticker: 'nvda', type: 'purchase' },
      { ticker: 'KTB' },
      { ticker: 'BRK.B', minAmount: 15001 },
      { member: 'Pelosi' },
      { member: 'nancy  PELOSI', type: 'sale' },
      { member: 'Hon. Pelosi' },
      { member: 'Pelos' },
      { member: 'P000197' },
      { member: 'r000608', ticker: 'VFC' },
      { member: 'Rosen' },
      { member: 'Jacklyn S. Rosen' },
      { member: 'Guest', party: 'R' },
      { member: '...' },
      { member: '…', ticker: 'AAPL' },
      { party: 'D' },
      { party: 'R', chamber: 'house' },
      { chamber: 'senate', type: 'sale' },
      { minAmount: 1_000_000 },
      { type: 'purchase', minAmount: 50_001 },
    ];
    // Each user holds a different pair of rules, so a trade matched by both gives one notification.
    for (let i = 0; i < rules.length; i++) {
      await seedUser(db, `u${i}@x.com`, [rules[i]!, rules[(i * 7 + 3) % rules.length]!]);
    }
    await seedUser(db, 'gone@x.com', [{ ticker: 'NVDA' }]);
    await db.query(`UPDATE users SET status = 'unsubscribed' WHERE email = 'gone@x.com'`);
    const nvda = trade();
    const apple = trade({
      ticker: 'AAPL',
      assetName: 'Apple Inc.',
      transactionType: 'sale',
      amountMin: 1000001,
      amountMax: 5000000,
    });
    const berkshire = trade({
      ticker: 'brk.b',
      assetName: 'Berkshire Hathaway Inc.',
      amountMin: 50_000_001,
      amountMax: null,
    });
    const bond = trade({ ticker: null, assetName: 'US Treasury Note', transactionType: 'sale_partial' });
    await seedFiling(db, { filerName: 'Hon. Nancy Pelosi', transactions: [nvda, apple, bond] });
    await seedFiling(db, {
      filerName: 'Nancy Pelosi',
      transactions: [berkshire, trade({ transactionType: 'sale' })],
    });
    await seedFiling(db, {
      chamber: 'senate',
      filerName: 'Jacklyn S Rosen',
      transactions: [
        trade({
          ticker: 'VFC',
          receivedTicker: 'KTB',
          assetName: 'V.F. Corporation',
          transactionType: 'exchange',
        }),
        apple,
      ],
    });
    await seedFiling(db, { filerName: 'Michael Guest', stateDistrict: 'MS03', transactions: [nvda, bond] });
    await seedFiling(db, { filerName: 'Nancy Smith', stateDistrict: 'TX02', transactions: [apple, nvda] });
    await seedFiling(db, { baseline: true, transactions: [nvda] });
    await seedFiling(db, { transactions: [trade({ filingStatus: 'deleted' })] });

    const result = await matchUnmatchedFilings(db, {
      syncId: 'test-sync',
      maxFilingAgeDays: 0,
      chunkTransactions: 2,
      concurrency: 2,
    });
    const { rows } = await db.query<{ k: string }>(
      `SELECT concat_ws(':', user_id, transaction_id, rule_ids::text) AS k FROM notifications ORDER BY 1`,
    );
    const expected = await everyPair();
    expect(rows.map((r) => r.k)).toEqual(expected);
    // Every kind of search found something, and the users are counted once however many chunks.
    expect(expected.length).toBeGreaterThan(40);
    expect(result).toEqual({
      notifications: expected.length,
      corrections: 0,
      users: new Set(expected.map((k) => k.split(':')[0])).size,
      filings: 7,
    });
    const { rows: left } = await db.query(`SELECT id FROM filings WHERE matched_at IS NULL`);
    expect(left).toEqual([]);
  });

  it('a rule saved with its key words: the longest word of its member finds it', async () => {
    await seedUser(db, 'u@x.com', [
      { member: 'Donald S. Beyer Jr.' },
      { member: 'Pelosi, Nancy' },
      { member: 'P000197' },
      { member: '...' },
      { ticker: 'NVDA', member: 'Pelosi' },
      { party: 'D' },
    ]);
    const { rows } = await db.query(`SELECT member, member_words, member_key FROM alert_rules ORDER BY id`);
    expect(rows).toEqual([
      { member: 'Donald S. Beyer Jr.', member_words: ['donald', 's', 'beyer', 'jr'], member_key: 'donald' },
      { member: 'Pelosi, Nancy', member_words: ['pelosi', 'nancy'], member_key: 'pelosi' },
      { member: 'P000197', member_words: ['p000197'], member_key: 'p000197' },
      { member: '...', member_words: [], member_key: null },
      { member: 'Pelosi', member_words: ['pelosi'], member_key: 'pelosi' },
      { member: null, member_words: null, member_key: null },
    ]);
    // A rule changed later gets new keys.
    await db.query(`UPDATE alert_rules SET member = 'Ro Khanna' WHERE member = '...'`);
    const { rows: changed } = await db.query(`SELECT member_key FROM alert_rules WHERE member = 'Ro Khanna'`);
    expect(changed).toEqual([{ member_key: 'khanna' }]);
  });

  it('filings that would wait on each other in a circle are still matched', async () => {
    await seedUser(db, 'u@x.com', [{ ticker: 'NVDA' }]);
    const a = await seedFiling(db, { amendment: true, transactions: [trade()] });
    const b = await seedFiling(db, {
      amendment: true,
      transactions: [trade({ ticker: 'NVDA', assetName: 'Nvidia' })],
    });
    await db.query('UPDATE filings SET amends_filing_id = $2 WHERE id = $1', [a, b]);
    await db.query('UPDATE filings SET amends_filing_id = $2 WHERE id = $1', [b, a]);
    expect(await match()).toMatchObject({ filings: 2 });
    const { rows } = await db.query(`SELECT id FROM filings WHERE matched_at IS NULL`);
    expect(rows).toEqual([]);
  });
});

describe('the matchNewTransactions activity', () => {
  async function busyDay(): Promise<void> {
    await seedUser(db, 'u@x.com', [{ ticker: 'NVDA' }]);
    // 1,200 trades in 30 filings: more than two chunks of 500.
    for (let f = 0; f < 30; f++) {
      await seedFiling(db, {
        transactions: Array.from({ length: 40 }, (_, i) => trade({ assetName: `NVIDIA lot ${f}-${i}` })),
      });
    }
  }
  const activities = () =>
    createMatchActivities({
      config: testConfig({ ALERT_MAX_FILING_AGE_DAYS: '0' }),
      db,
      logger: createLogger('error'),
    });

  it('heartbeats how far it has come after every chunk', async () => {
    await busyDay();
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await env.run(activities().matchNewTransactions, 'sync-1');
    expect(result).toEqual({ notifications: 1200, corrections: 0, users: 1, filings: 30 });
    const progress = beats.filter((b): b is MatchProgress => b !== null && b !== undefined);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ filings: 30, transactions: 1200, notifications: 1200, corrections: 0 });
  });

  it('cancelled, it stops before its next chunk; what it committed stays and a retry does the rest', async () => {
    await busyDay();
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (d: unknown) => {
      if (d) first.cancel();
    });
    await expect(first.run(activities().matchNewTransactions, 'sync-1')).rejects.toThrow();
    const { rows } = await db.query<{ matched: number; notifications: number }>(
      `SELECT (SELECT count(*) FROM filings WHERE matched_at IS NOT NULL)::int AS matched,
              (SELECT count(*) FROM notifications)::int AS notifications`,
    );
    expect(rows[0]!.matched).toBeGreaterThan(0);
    expect(rows[0]!.matched).toBeLessThan(30);
    const retry = (await new MockActivityEnvironment().run(activities().matchNewTransactions, 'sync-1')) as {
      filings: number;
      notifications: number;
    };
    expect(retry.filings).toBe(30 - rows[0]!.matched);
    expect(retry.notifications + rows[0]!.notifications).toBe(1200);
    const { rows: total } = await db.query(
      `SELECT count(DISTINCT transaction_id)::int AS n FROM notifications`,
    );
    expect(total).toEqual([{ n: 1200 }]);
  });
});
