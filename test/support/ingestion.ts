import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { createDiscoveryActivities } from '../../activities/discovery';
import { createIngestionActivities } from '../../activities/ingestion';
import { FixtureSites } from '../../devstack/fixtureSites';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import type { Config } from '../../domain/config';
import type { Chamber, ParsedFiling, ParsedTransaction } from '../../domain/filing';
import { createLogger, temporalLoggerFor } from '../../ops/logger';
import { EfdClient } from '../../sources/senate/efdClient';
import type { Db } from '../../store/db';
import { fixturePath } from './fixtures';
import { createTestDatabase, testConfig } from './services';
import { houseIndexXml } from './system';
import { trade } from './trades';

/**
 * The ingestion activities against a real PostgreSQL and the local upstream sites over HTTP. The
 * activities run in a MockActivityEnvironment (it only supplies the activity Context); every byte
 * goes through undici, every row through pg.
 */

export const CLERK = fixturePath('house-clerk');
export const PTR_DIR = 'public_disc/ptr-pdfs/2025';
export const INDEX_PATH = '/house/public_disc/financial-pdfs/2025FD.zip';
export const ptrPath = (docId: string) => `/house/${PTR_DIR}/${docId}.pdf`;
export const ptrBytes = (docId: string) => readFileSync(join(CLERK, PTR_DIR, `${docId}.pdf`));
export const CLERK_404_PAGE = readFileSync(join(CLERK, 'errors/404-ptr-not-yet-posted.html'));
export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
export const DAY_MS = 86_400_000;

/** DocIDs of the `P` rows of an index XML, read with a regex: independent of the parser under test. */
function ptrDocIds(xml: string): Set<string> {
  const ids = new Set<string>();
  for (const m of xml.matchAll(/<Member>([\s\S]*?)<\/Member>/g)) {
    const docId = /<DocID>(\w+)<\/DocID>/.exec(m[1]!)?.[1];
    if (docId && /<FilingType>P<\/FilingType>/.test(m[1]!)) ids.add(docId);
  }
  return ids;
}

export const FEB_PTRS = ptrDocIds(houseIndexXml());
export const NOV_PTRS = ptrDocIds(houseIndexXml({ snapshot: 'nov' }));

export type IngestActivities = ReturnType<typeof createDiscoveryActivities> &
  ReturnType<typeof createIngestionActivities>;

export interface Store {
  db: Db;
  config: Config;
  acts: IngestActivities;
  /** The same activities reading a clock `days` ahead. */
  later(days: number): IngestActivities;
  /** The same activities reading a fixed clock. */
  at(now: Date): IngestActivities;
}

/**
 * The local House Clerk and Senate eFD sites for one test file (started before its tests, stopped
 * after), and fresh stores on them.
 */
export function ingestionHarness() {
  const cleanups: (() => Promise<void>)[] = [];
  let sites: FixtureSites | undefined;
  let senate: SenateEfdSite | undefined;

  beforeAll(async () => {
    sites = new FixtureSites();
    await sites.start();
    cleanups.push(() => sites!.stop());
    senate = new SenateEfdSite({ rows: [] });
    await senate.start();
    cleanups.push(() => senate!.stop());
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  return {
    get sites(): FixtureSites {
      if (!sites) throw new Error('the local sites start in beforeAll');
      return sites;
    },
    get senate(): SenateEfdSite {
      if (!senate) throw new Error('the local sites start in beforeAll');
      return senate;
    },
    /** A fresh migrated database per group, so groups never see each other's filings. */
    async freshStore(settings: Record<string, string> = { HOUSE_INDEX_YEARS: '2025' }): Promise<Store> {
      const database = await createTestDatabase();
      cleanups.push(database.drop);
      const config = testConfig({
        DATABASE_URL: database.url,
        HOUSE_CLERK_BASE_URL: this.sites.url('house'),
        SENATE_EFD_BASE_URL: this.senate.baseUrl,
        SENATE_REQUEST_INTERVAL_MS: '0',
        ...settings,
      });
      const deps = { config, db: database.db, logger: createLogger('silent') };
      // One eFD session for the store's activities, as a worker process shares one.
      const efd = new EfdClient({ baseUrl: config.sites.senateEfd, minIntervalMs: 0 });
      const activities = (now?: () => Date): IngestActivities => ({
        ...createDiscoveryActivities(deps, { efd, now }),
        ...createIngestionActivities(deps, { efd, now }),
      });
      return {
        db: database.db,
        config,
        acts: activities(),
        later: (days) => activities(() => new Date(Date.now() + days * DAY_MS)),
        at: (now) => activities(() => now),
      };
    },
  };
}

// Activity failures are the point of many tests here: keep the SDK's "Activity failed" warnings quiet.
export const env = new MockActivityEnvironment(undefined, {
  logger: temporalLoggerFor(createLogger('silent')),
});

/** Runs an activity in the mock Context, keeping its result type. */
export const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  env.run(fn, ...args);

/** The ApplicationFailure an activity call rejects with (fails the test if it resolves). */
export async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ApplicationFailure);
  return outcome.error as ApplicationFailure;
}

export interface StoredFiling {
  id: number;
  status: string;
  kind: string | null;
  failureReason: string | null;
  attempts: number;
  sha256: string | null;
  transactions: number;
  filerName: string;
  amendment: boolean;
  amendsFilingId: number | null;
  baseline: boolean;
}

export async function stored(db: Db, sourceId: string, chamber = 'house'): Promise<StoredFiling> {
  const { rows } = await db.query<StoredFiling>(
    `SELECT f.id, f.status, f.kind, f.failure_reason AS "failureReason", f.attempts, f.sha256,
            f.filer_name AS "filerName", f.amendment, f.amends_filing_id AS "amendsFilingId", f.baseline,
            (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS transactions
       FROM filings f WHERE f.chamber = $1 AND f.source_id = $2`,
    [chamber, sourceId],
  );
  return rows[0]!;
}

/** A filing as discovery recorded it, by its upstream id. */
export async function listed(db: Db, chamber: Chamber, sourceId: string) {
  const { rows } = await db.query(
    `SELECT id, filer_name AS "filerName", state_district AS "stateDistrict", year, filed_date AS "filedDate",
            kind, status, amendment, raw_url AS "rawUrl"
       FROM filings WHERE chamber = $1 AND source_id = $2`,
    [chamber, sourceId],
  );
  return rows[0] ?? null;
}

export async function totals(db: Db): Promise<{ filings: number; transactions: number; parsed: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM filings) AS filings,
            (SELECT count(*)::int FROM transactions) AS transactions,
            (SELECT count(*)::int FROM filings WHERE status = 'parsed') AS parsed`,
  );
  return rows[0]!;
}

export async function houseSourceIds(db: Db, where = 'true'): Promise<string[]> {
  const { rows } = await db.query<{ s: string }>(
    `SELECT source_id AS s FROM filings WHERE chamber = 'house' AND ${where} ORDER BY source_id`,
  );
  return rows.map((r) => r.s);
}

export async function ingest(store: Store, sourceId: string, chamber: Chamber = 'house') {
  const filing = await listed(store.db, chamber, sourceId);
  if (!filing) throw new Error(`no ${chamber} filing ${sourceId}`);
  return run(store.acts.ingestFiling, filing.id as number);
}

/** An Apple purchase, the trade these tests store by hand. */
export function appleTrade(overrides: Partial<ParsedTransaction> = {}): ParsedTransaction {
  return trade({
    assetName: 'Apple Inc. - Common Stock',
    ticker: 'AAPL',
    transactionDate: '2025-02-03',
    notificationDate: '2025-02-04',
    amountMin: 1001,
    amountMax: 15000,
    ...overrides,
  });
}

export function houseFiling(docId: string, filerName: string, txs: ParsedTransaction[]): ParsedFiling {
  return {
    chamber: 'house',
    filingId: docId,
    kind: 'electronic',
    filerName,
    stateDistrict: null,
    filedDate: '2025-02-13',
    amendment: false,
    transactions: txs,
  };
}
