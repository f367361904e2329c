import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../store/db';
import { recordDiscoveredFilings } from '../store/filingDiscovery';
import { storeParsedFiling, transactionRecords } from '../store/filingStorage';
import { cpuSecondsBetween, postgresCpu, type BenchPostgres } from './benchPostgres';
import { syntheticFilings, syntheticRoster, syntheticTickers, type SyntheticFiling } from './matchingData';
import { msSince, type Measurement } from './measurement';

const SECTION = 'store';
const PER_BATCH = 50;
/** Filings the trade sync ingests at once (INGEST_CONCURRENCY in workflows/tradeSync.ts). */
const CONCURRENCY = 4;

/**
 * `transactions` trades (in filings of 1 to ~80 rows, about 20 on average) stored through the
 * ingestion path, `storeParsedFiling` one filing at a time as the ingest activity calls it, against a
 * bare `COPY` of the same rows into the same schema; then the ingestion path again with as many filings
 * at once as a trade sync runs. Each run gets a fresh database; the rows each one stored must be equal.
 */
export async function benchStore(pg: BenchPostgres, opts: { transactions: number }): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const roster = await syntheticRoster();
  const tickers = syntheticTickers();
  const filings: SyntheticFiling[] = [];
  for (let b = 0; filings.reduce((n, f) => n + f.parsed.transactions.length, 0) < opts.transactions; b++) {
    const left = opts.transactions - filings.reduce((n, f) => n + f.parsed.transactions.length, 0);
    const count = Math.min(PER_BATCH, Math.max(1, Math.round(left / 20)));
    filings.push(
      ...syntheticFilings({
        filings: count,
        transactions: Math.min(left, count * 20),
        filers: roster,
        tickers,
        idBase: 40_000_000 + b * PER_BATCH,
        seed: 100 + b,
      }),
    );
  }
  const total = filings.reduce((n, f) => n + f.parsed.transactions.length, 0);
  add('filings / transactions', `${filings.length} / ${total}`, 'filings / rows');

  const copy = await pg.createDatabase('bench_store_copy');
  const copyIds = await discover(copy.db, filings);
  let cpu = await cpuNow(copy.db);
  const copyMs = await copyTransactions(copy.db, filings, copyIds);
  const copyCpu = await cpuSince(copy.db, cpu);
  add('baseline: bare COPY of the rows into transactions, wall', copyMs, 'ms');
  add('baseline: COPY, CPU (PostgreSQL + this process)', `${copyCpu.postgres} + ${copyCpu.node}`, 'ms');
  add('baseline: COPY rate', total / (copyMs / 1000), 'rows/s');

  const one = await pg.createDatabase('bench_store_serial');
  const oneIds = await discover(one.db, filings);
  cpu = await cpuNow(one.db);
  let t = performance.now();
  for (const [i, f] of filings.entries()) await storeParsedFiling(one.db, oneIds[i]!, f.parsed, sha(f));
  const serialMs = msSince(t);
  const serialCpu = await cpuSince(one.db, cpu);
  add('storeParsedFiling, one filing at a time: wall', serialMs, 'ms');
  add('storeParsedFiling, one filing at a time: rate', total / (serialMs / 1000), 'rows/s');
  add('storeParsedFiling, one filing at a time: per filing', serialMs / filings.length, 'ms/filing');
  add(
    'storeParsedFiling, one filing at a time: CPU (PostgreSQL + this process)',
    `${serialCpu.postgres} + ${serialCpu.node}`,
    'ms',
  );
  add('ingestion path vs COPY (time ratio)', serialMs / copyMs, '×');
  add(
    'ingestion path vs COPY (CPU ratio, PostgreSQL + this process)',
    (serialCpu.postgres + serialCpu.node) / (copyCpu.postgres + copyCpu.node),
    '×',
  );

  const parallel = await pg.createDatabase('bench_store_parallel');
  const parallelIds = await discover(parallel.db, filings);
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < filings.length; i = next++) {
        await storeParsedFiling(parallel.db, parallelIds[i]!, filings[i]!.parsed, sha(filings[i]!));
      }
    }),
  );
  const parallelMs = msSince(t);
  add(`storeParsedFiling, ${CONCURRENCY} filings at once: wall`, parallelMs, 'ms');
  add(`storeParsedFiling, ${CONCURRENCY} filings at once: rate`, total / (parallelMs / 1000), 'rows/s');
  add(`ingestion path (${CONCURRENCY} at once) vs COPY (time ratio)`, parallelMs / copyMs, '×');

  const digests = await Promise.all([copy.db, one.db, parallel.db].map(digest));
  if (new Set(digests).size !== 1) throw new Error(`the stored rows differ: ${digests.join(' / ')}`);
  add('rows stored by COPY = by each ingestion run', `yes (md5 ${digests[0]!.slice(0, 8)})`, '(checked)');
  for (const d of [copy, one, parallel]) await d.db.end();
  return rows;
}

const sha = (f: SyntheticFiling) => `bench-${f.discovered.sourceId}`;

/** Discovery (not measured): the filings rows every run starts from. */
async function discover(db: Db, filings: SyntheticFiling[]): Promise<number[]> {
  const ids = await recordDiscoveredFilings(
    db,
    filings.map((f) => f.discovered),
    { baseline: false },
  );
  await db.query('ANALYZE filings');
  return ids;
}

/** The rows `storeParsedFiling` writes (`transactionRecords`), as COPY text, streamed in one COPY. */
async function copyTransactions(db: Db, filings: SyntheticFiling[], ids: number[]): Promise<number> {
  const columns = [
    'row_key', 'ordinal', 'owner', 'asset_name', 'ticker', 'received_ticker', 'asset_type', 'transaction_type',
    'transaction_date', 'notification_date', 'amount_min', 'amount_max', 'filing_status', 'description',
    'comment', 'subholding_of',
  ] as const; // prettier-ignore
  const lines = function* () {
    for (const [i, f] of filings.entries()) {
      for (const r of transactionRecords(f.parsed.transactions)) {
        yield [ids[i], ...columns.map((c) => r[c])].map(copyText).join('\t') + '\n';
      }
    }
  };
  const client = await db.connect();
  try {
    const t = performance.now();
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom(`COPY transactions (filing_id, ${columns.join(', ')}) FROM STDIN`)),
    );
    return msSince(t);
  } finally {
    client.release();
  }
}

function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** All stored rows, by filing source id and row key (ids differ between databases), as one digest. */
async function digest(db: Db): Promise<string> {
  const { rows } = await db.query<{ d: string }>(
    `SELECT md5(string_agg(concat_ws('|', f.source_id, t.row_key, t.ordinal, t.owner, t.asset_name, t.ticker,
                                     t.received_ticker, t.asset_type, t.transaction_type, t.transaction_date,
                                     t.notification_date, t.amount_min, t.amount_max, t.filing_status),
                           ',' ORDER BY f.source_id, t.row_key)) AS d
       FROM transactions t JOIN filings f ON f.id = t.filing_id`,
  );
  return rows[0]!.d;
}

async function cpuNow(db: Db): Promise<{ postgres: Map<number, number>; node: NodeJS.CpuUsage }> {
  return { postgres: await postgresCpu(db), node: process.cpuUsage() };
}

/** Milliseconds of CPU since `before`, in PostgreSQL and in this process (which builds the rows). */
async function cpuSince(
  db: Db,
  before: Awaited<ReturnType<typeof cpuNow>>,
): Promise<{ postgres: number; node: number }> {
  const node = process.cpuUsage(before.node);
  return {
    postgres: Math.round(cpuSecondsBetween(before.postgres, await postgresCpu(db)) * 1000),
    node: Math.round((node.user + node.system) / 1000),
  };
}
