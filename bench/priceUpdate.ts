import { PriceSite } from '../devstack/priceSite';
import { startLocalTemporal } from '../devstack/temporalServer';
import { loadConfig } from '../domain/config';
import { addDays, newYorkTime } from '../domain/marketCalendar';
import type { PriceUpdateResult } from '../domain/prices';
import { TASK_QUEUES } from '../domain/taskQueues';
import { freePort } from '../ops/listen';
import { recordDiscoveredFilings } from '../store/filingDiscovery';
import { storeParsedFiling } from '../store/filingStorage';
import { createLogger } from '../ops/logger';
import { runWorkers } from '../workers/runWorkers';
import { connectClient } from '../ops/temporalConnection';
import type { BenchPostgres } from './benchPostgres';
import { msSince, type Measurement } from './measurement';

const SECTION = 'price update';

/**
 * PriceUpdateWorkflow over `tickers` traded tickers, through a real Temporal dev server, a price-updates
 * worker, PostgreSQL and the local price site, at the default rate limits: the first run (every
 * ticker's history loaded) and a steady-state 15-minute run. Counts the requests the site received.
 */
export async function benchPriceUpdate(pg: BenchPostgres, opts: { tickers: number }): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const { url, db } = await pg.createDatabase('prices');
  const temporal = await startLocalTemporal({
    port: await freePort(),
    uiPort: null,
    startTimeoutMs: 120_000,
  });
  const site = new PriceSite();
  await site.start();
  try {
    const today = newYorkTime(Date.now()).day;
    const tickers = Array.from({ length: opts.tickers }, (_, i) => symbolFor(i));
    const [filingId] = await recordDiscoveredFilings(
      db,
      [
        {
          chamber: 'house',
          sourceId: 'BENCH1',
          filerName: 'Bench Filer',
          stateDistrict: 'CA11',
          year: 2025,
          filedDate: today,
          rawUrl: 'https://example.org/bench.pdf',
          amendment: false,
          kind: null,
        },
      ],
      { baseline: true },
    );
    await storeParsedFiling(
      db,
      filingId!,
      {
        chamber: 'house',
        filingId: 'BENCH1',
        kind: 'electronic',
        filerName: 'Bench Filer',
        stateDistrict: 'CA11',
        filedDate: today,
        amendment: false,
        // Trades spread over the tracked year: first-sight histories of every length.
        transactions: tickers.map((ticker, i) => ({
          owner: 'self',
          assetName: `${ticker} Inc.`,
          ticker,
          assetType: 'ST',
          transactionType: 'purchase',
          transactionDate: addDays(today, -(1 + (i % 360))),
          notificationDate: null,
          amountMin: 1001,
          amountMax: 15000,
          filingStatus: 'new',
          description: null,
          comment: null,
          subholdingOf: null,
        })),
      },
      'bench',
    );
    const config = loadConfig({
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      ...site.env(false),
      LOG_LEVEL: 'warn',
    });
    add('tickers', opts.tickers, 'tickers');
    add('Yahoo rate limit (default)', config.prices.requestsPerMinute.yahoo, 'requests/min');
    const workers = await runWorkers({
      config,
      queues: [TASK_QUEUES.priceUpdates],
      logger: createLogger('warn'),
      statusPort: null,
    });
    const client = await connectClient(config.temporal);
    try {
      for (const run of ['first run (histories)', 'steady-state run']) {
        site.clear();
        const started = performance.now();
        const handle = await client.workflow.start('PriceUpdateWorkflow', {
          taskQueue: TASK_QUEUES.priceUpdates,
          workflowId: `bench-prices-${Date.now()}`,
          args: [{ force: true }],
        });
        const result = (await handle.result()) as PriceUpdateResult;
        const seconds = msSince(started) / 1000;
        const events = (await handle.fetchHistory()).events?.length ?? 0;
        add(`${run}: wall time`, seconds, 's');
        add(`${run}: tickers updated`, `${result.updated} of ${result.tickers}`, 'tickers');
        add(`${run}: Yahoo requests`, site.count('yahoo'), 'requests');
        add(`${run}: most requests in any 60 s`, site.maxInWindow('yahoo', 60_000), 'requests');
        add(`${run}: most requests in any 1 s`, site.maxInWindow('yahoo', 1000), 'requests');
        add(`${run}: histories loaded`, result.histories, 'tickers');
        add(`${run}: workflow history`, events, 'events');
        add(`${run}: share of the 15-minute window`, (100 * seconds) / 900, '%');
      }
    } finally {
      await workers.shutdown();
      await client.connection.close();
    }
  } finally {
    await site.stop();
    await temporal.stop();
  }
  return rows;
}

/** `AAAA`, `AAAB`, ...: distinct made-up symbols. */
function symbolFor(i: number): string {
  let s = '';
  for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / 26)) s = String.fromCharCode(65 + (n % 26)) + s;
  return s;
}
