import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestionActivities } from '../../activities/ingestion';
import { createMatchActivities } from '../../activities/match';
import { CONFIDENT } from '../../domain/scanConfidence';
import { createLogger } from '../../ops/logger';
import { EfdClient } from '../../sources/senate/efdClient';
import { runCli } from '../support/cli';
import { env, ingest, ingestionHarness, run, stored } from '../support/ingestion';
import { seedFiling, seedUser } from '../support/seed';
import {
  houseIndexXml,
  serveHouseIndex,
  startTestSystem,
  FIXTURE_FILINGS,
  type TestSystem,
} from '../support/system';
import { trade } from '../support/trades';

/**
 * A scanned paper House PTR (8220747: Gus Bilirakis's dependent child sold GE Vernova, written on the
 * printed form) through the whole system with OCR on: TradeSyncWorkflow on the real workers reads it
 * in a worker thread, PostgreSQL stores what was read and how sure, rules alert on what is sure, the
 * SMTP server receives the alerts, and an operator's correction alerts only who was not told yet.
 */

const PAPER = '8220747';
const PAPER_URL = `/public_disc/ptr-pdfs/2025/${PAPER}.pdf`;

const h = ingestionHarness();
let sys: TestSystem;
let cli: (args: string[]) => ReturnType<typeof runCli>;

beforeAll(async () => {
  sys = await startTestSystem({ PAPER_OCR: 'true' });
  cli = (args) =>
    runCli(args, {
      DATABASE_URL: sys.config.databaseUrl!,
      TEMPORAL_NAMESPACE: sys.config.temporal.namespace,
    });
  // The filer's party comes from the member list (member sync), as for e-filed reports.
  await sys.db.query(
    `INSERT INTO members (bioguide_id, full_name, last_name, party, state, chamber)
     VALUES ('B001257', 'Gus M. Bilirakis', 'Bilirakis', 'R', 'FL', 'house')`,
  );
});
afterAll(async () => sys?.stop());

async function paperRows() {
  const { rows } = await sys.db.query(
    `SELECT t.owner, t.asset_name AS "assetName", t.ticker, t.transaction_type AS type,
            t.transaction_date AS date, t.amount_min AS min, t.amount_max AS max,
            t.read_from_scan AS "readFromScan", t.scan_confidence AS confidence, t.scan_reading AS reading
       FROM transactions t JOIN filings f ON f.id = t.filing_id
      WHERE f.source_id = $1 ORDER BY t.ordinal`,
    [PAPER],
  );
  return rows;
}

async function notified(): Promise<Record<string, number>> {
  const { rows } = await sys.db.query<{ email: string; n: number }>(
    `SELECT u.email, count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id
      GROUP BY u.email ORDER BY u.email`,
  );
  return Object.fromEntries(rows.map((r) => [r.email, r.n]));
}

describe('a scanned paper filing, end to end', () => {
  it('the first sync is a baseline: the paper filing not listed yet, the e-filed ones stored', async () => {
    serveHouseIndex(sys.sites, houseIndexXml({ without: [PAPER] }));
    const summary = await sys.sync(['house']);
    expect(summary.sources.house).toMatchObject({ baseline: true });
    expect(summary.emailsSent).toBe(0);
  });

  it('reads it by OCR: rows marked read from a scan, with a confidence per field', async () => {
    await seedUser(sys.db, 'member@example.com', [{ member: 'Bilirakis' }]);
    await seedUser(sys.db, 'party@example.com', [{ party: 'R', type: 'sale' }]);
    await seedUser(sys.db, 'chamber@example.com', [{ chamber: 'house', minAmount: 1000 }]);
    // No e-filed report gave GE Vernova yet: the ticker written on the scan is a guess, not a fact.
    await seedUser(sys.db, 'ticker@example.com', [{ ticker: 'GEV' }]);
    await seedUser(sys.db, 'other@example.com', [{ member: 'Pelosi' }, { ticker: 'NVDA' }]);

    serveHouseIndex(sys.sites, houseIndexXml());
    const summary = await sys.sync(['house']);
    expect(summary.filings).toMatchObject({ new: 1, paper: 1, failed: 0 });
    expect(summary.transactions).toBe(1);

    const { rows: filing } = await sys.db.query(
      `SELECT status, kind, filer_name AS filer, scan FROM filings WHERE source_id = $1`,
      [PAPER],
    );
    expect(filing[0]).toMatchObject({
      status: 'parsed',
      kind: 'paper',
      filer: 'Gus M. Bilirakis',
      scan: { pages: 2, formPages: 2 },
    });
    const [row] = await paperRows();
    expect(row).toMatchObject({
      readFromScan: true,
      owner: 'dependent',
      type: 'sale',
      min: 1001,
      max: 15000,
      date: '2025-01-27',
      // Stored where alerts read it only when sure: this one is not.
      ticker: null,
      reading: { ticker: 'GEV', page: 1, row: 1 },
    });
    expect(row.assetName).toMatch(/^GE Ver/);
    expect(Object.keys(row.confidence).sort()).toEqual([
      'amount',
      'assetName',
      'notificationDate',
      'owner',
      'ticker',
      'transactionDate',
      'transactionType',
    ]);
    expect(row.confidence.transactionType).toBeGreaterThanOrEqual(CONFIDENT);
    expect(row.confidence.amount).toBeGreaterThanOrEqual(CONFIDENT);
    expect(row.confidence.ticker).toBeLessThan(CONFIDENT);
  });

  it('member, party and chamber rules alert on it; a ticker rule does not, on an unsure ticker', async () => {
    expect(await notified()).toEqual({
      'chamber@example.com': 1,
      'member@example.com': 1,
      'party@example.com': 1,
    });
    const messages = await sys.smtp.waitFor(3);
    expect(messages.map((m) => m.to.join(',')).sort()).toEqual([
      'chamber@example.com',
      'member@example.com',
      'party@example.com',
    ]);
    const mail = messages.find((m) => m.to.includes('member@example.com'))!;
    if (process.env.SHOW_MAIL) console.log(mail.text);
    // Said to be read from a scan; only what was read with high confidence; the original linked.
    const [row] = await paperRows();
    const sure = (field: string) => row.confidence[field] >= CONFIDENT;
    const asset = sure('assetName') ? row.assetName : 'an asset (see the filing)';
    // The ticker guessed from what the filer wrote is not sure: the headline names the asset.
    expect(mail.subject).toBe(`Gus M. Bilirakis sold ${asset}`);
    expect(mail.text).toContain(`Sale: ${asset}`);
    expect(mail.text).toContain('Read from a scanned paper filing');
    expect(mail.html).toContain('Read from a scanned paper filing');
    expect(mail.text).toContain('Amount: $1,001 – $15,000');
    expect(mail.text).toContain(`Owner: ${sure('owner') ? 'Dependent child' : 'see the original filing'}`);
    expect(mail.text).toContain(
      `Traded: ${sure('transactionDate') ? 'Jan 27, 2025' : 'see the original filing'}`,
    );
    expect(mail.text).toContain(`Original filing: ${sys.sites.url('house')}${PAPER_URL}`);
    expect(mail.html).toContain(PAPER_URL);
    if (!sure('assetName')) expect(mail.text).not.toMatch(/Vern|Verm/);
  });

  it('operators see how sure the reading is: `filings list --status paper`, `filings review`, `filings show`', async () => {
    const [list, review, show] = await Promise.all([
      cli(['filings', 'list', '--status', 'paper', '-o', 'json']),
      cli(['filings', 'review', '-o', 'json']),
      cli(['filings', 'show', PAPER]),
    ]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        filingId: PAPER,
        kind: 'paper',
        status: 'parsed',
        transactions: 1,
        scan: expect.objectContaining({ pages: 2, formPages: 2, minConfidence: expect.any(Number) }),
      }),
    ]);
    expect(review.code).toBe(0);
    expect(JSON.parse(review.stdout)).toEqual([
      expect.objectContaining({ filingId: PAPER, rows: 1, unsureRows: 1, pages: 2, formPages: 2 }),
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/SURE\s+READ/);
    expect(show.stdout).toContain('ticker GEV?');
    expect(show.stdout).toContain('Read from a scanned paper filing');
  });

  it('an operator corrects the row: kept apart, and only the user not told yet is alerted', async () => {
    await sys.smtp.clear();
    const done = await cli([
      'filings',
      'correct',
      PAPER,
      '--row',
      '1',
      '--ticker',
      'gev',
      '--asset',
      'GE Vernova Inc.',
      '--by',
      'ops@example.com',
      '-o',
      'json',
    ]);
    expect(done.stderr).toBe('');
    expect(JSON.parse(done.stdout)).toMatchObject({
      filingId: PAPER,
      row: 1,
      changed: [
        { field: 'ticker', before: null, after: 'GEV' },
        { field: 'assetName', after: 'GE Vernova Inc.' },
      ],
    });
    const { rows: kept } = await sys.db.query(
      `SELECT field, corrected_by AS by FROM paper_corrections ORDER BY id`,
    );
    expect(kept).toEqual([
      { field: 'ticker', by: 'ops@example.com' },
      { field: 'assetName', by: 'ops@example.com' },
    ]);

    const summary = await sys.sync(['house']);
    expect(summary.filings.new).toBe(0);
    expect(summary).toMatchObject({ notifications: 1, emailsSent: 1, usersNotified: 1 });
    const [mail] = await sys.smtp.waitFor(1);
    expect(mail!.to).toEqual(['ticker@example.com']);
    expect(mail!.subject).toBe('Gus M. Bilirakis sold GEV');
    expect(mail!.text).toContain('Sale: GEV (GE Vernova Inc.)');
    expect(mail!.text).toContain('Read from a scanned paper filing');
    expect(await notified()).toEqual({
      'chamber@example.com': 1,
      'member@example.com': 1,
      'party@example.com': 1,
      'ticker@example.com': 1,
    });
    expect((await paperRows())[0]).toMatchObject({ ticker: 'GEV', assetName: 'GE Vernova Inc.' });
  });

  it('the correction stays: another sync, and a correction changing nothing, alert nobody', async () => {
    await sys.smtp.clear();
    const again = await cli(['filings', 'correct', PAPER, '--row', '1', '--ticker', 'GEV']);
    expect(again.code).toBe(0);
    const summary = await sys.sync(['house']);
    expect(summary).toMatchObject({ notifications: 0, emailsSent: 0 });
    expect(await sys.smtp.messages()).toEqual([]);
    expect((await paperRows())[0]).toMatchObject({ ticker: 'GEV', assetName: 'GE Vernova Inc.' });
  });

  it('refuses a correction of a row that was not read from a scan, changing nothing', async () => {
    const r = await cli(['filings', 'correct', FIXTURE_FILINGS.pelosi, '--row', '1', '--ticker', 'X']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`filing ${FIXTURE_FILINGS.pelosi} has no row 1 read from a scan`);
  });
});

describe('through the ingestion and match activities', () => {
  it('a scan stored unread is read after `filings retry`, and a ticker rule alerts on the ticker e-filed reports gave', async () => {
    // A store of its own, with OCR off at first; GE Vernova is known from an e-filed report.
    const store = await h.freshStore({
      HOUSE_INDEX_YEARS: '2025',
      PAPER_OCR: 'false',
      // The fixture filings are from 2025: alert on them however long ago they were filed.
      ALERT_MAX_FILING_AGE_DAYS: '0',
    });
    serveHouseIndex(h.sites, houseIndexXml({ without: [PAPER] }));
    await run(store.acts.discoverHouseFilings);
    await seedFiling(store.db, {
      filerName: 'Another Member',
      baseline: true,
      transactions: [trade({ assetName: 'GE Vernova Inc. Common Stock', ticker: 'GEV' })],
    });
    await seedUser(store.db, 'gev@example.com', [{ ticker: 'GEV' }]);
    serveHouseIndex(h.sites, houseIndexXml());
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ newFilings: 1 });
    expect(await ingest(store, PAPER)).toMatchObject({ status: 'paper', transactions: 0 });

    // OCR turned on: the operator puts the unread scan back in the queue.
    const retried = await runCli(['filings', 'retry', PAPER, '-o', 'json'], {
      DATABASE_URL: store.config.databaseUrl!,
    });
    expect(retried.stderr).toBe('');
    expect(JSON.parse(retried.stdout)).toMatchObject({
      retried: 1,
      filings: [{ filingId: PAPER, previousStatus: 'paper' }],
    });
    const config = { ...store.config, paperOcr: { ...store.config.paperOcr, enabled: true } };
    const deps = { config, db: store.db, logger: createLogger('silent') };
    const reading = createIngestionActivities(deps, {
      efd: new EfdClient({ baseUrl: config.sites.senateEfd, minIntervalMs: 0 }),
    });

    const beats: unknown[] = [];
    const onBeat = (d: unknown) => beats.push(d);
    env.on('heartbeat', onBeat);
    const id = (await stored(store.db, PAPER)).id;
    const result = await run(reading.ingestFiling, id).finally(() => env.off('heartbeat', onBeat));
    expect(result).toEqual({ filingId: id, status: 'paper', transactions: 1, newTransactions: 1 });
    // A heartbeat per page read, so a stuck read is told from a slow one.
    expect(beats).toEqual(
      expect.arrayContaining([
        { filingId: id, page: 1 },
        { filingId: id, page: 2 },
      ]),
    );
    const { rows } = await store.db.query(
      `SELECT t.ticker, (t.scan_confidence->>'ticker')::float AS confidence
         FROM transactions t JOIN filings f ON f.id = t.filing_id WHERE f.source_id = $1`,
      [PAPER],
    );
    expect(rows[0].ticker).toBe('GEV');
    expect(rows[0].confidence).toBeGreaterThanOrEqual(CONFIDENT);

    const match = createMatchActivities(deps);
    expect(await run(match.matchNewTransactions, 'sync-paper')).toMatchObject({ notifications: 1, users: 1 });
    const { rows: told } = await store.db.query(
      `SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id`,
    );
    expect(told).toEqual([{ email: 'gev@example.com' }]);

    // Read again (a retry of the activity): the same bytes store nothing new.
    expect(await run(reading.ingestFiling, id)).toMatchObject({ status: 'unchanged', newTransactions: 0 });
  });

  it('the schema keeps a row without a type only when it was read from a scan', async () => {
    const store = await h.freshStore();
    const filingId = await seedFiling(store.db, { transactions: [trade()] });
    const insert = (fromScan: boolean) =>
      store.db.query(
        `INSERT INTO transactions (filing_id, row_key, ordinal, owner, asset_name, transaction_type, read_from_scan)
         VALUES ($1, $2, 9, 'self', 'Unread', NULL, $3)`,
        [filingId, `k-${fromScan}`, fromScan],
      );
    await expect(insert(false)).rejects.toThrow(/transactions_type_known/);
    await expect(insert(true)).resolves.toBeDefined();
  });
});
