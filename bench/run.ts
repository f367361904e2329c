// `npm run bench [-- section...]`: speed and memory figures, measured side by side in one run, on a
// PostgreSQL of its own. Sections: parse, paper, import, matching, store, maintenance, prices, fanout,
// memory (the ingestion worker over the PTR corpus), latency (all by default). BENCH_USERS scales the
// user count down for a quick look (100,000 by default); BENCH_MATCH_BASELINE=0 skips the old matching
// statement (minutes at full scale), and with it the matching ratios. BENCH_FANOUT_USERS sets the
// fan-out's users (5,000); BENCH_LEVERS=0 skips the per-lever fan-out runs, BENCH_LEVERS=pool,processes
// runs only the levers whose label has one of those words.
import { cpus, loadavg, totalmem } from 'node:os';
import { startBenchPostgres } from './benchPostgres';
import { benchFanOut } from './fanout/fanOut';
import { benchIngestionMemory } from './fanout/ingestionMemory';
import { benchLatency } from './fanout/latency';
import { benchImportUsers } from './importUsers';
import { benchMaintenance } from './maintenance';
import { benchMatching } from './matching';
import { formatTable, mib, msSince, type BenchResult, type Measurement } from './measurement';
import { benchPaperOcr } from './paperOcr';
import { benchParsePdfs } from './parsePdfs';
import { benchParseSenate } from './parseSenate';
import { benchStore } from './store';
import { benchPriceUpdate } from './priceUpdate';

const SECTIONS = [
  'parse',
  'paper',
  'import',
  'matching',
  'store',
  'maintenance',
  'prices',
  'fanout',
  'memory',
  'latency',
] as const;
type Section = (typeof SECTIONS)[number];

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const NAIVE_IMPORT_SAMPLE = 5_000;
const PRICE_TICKERS = 3_000;
const FANOUT_USERS = Number(process.env.BENCH_FANOUT_USERS ?? 5_000);
const STORED_TRANSACTIONS = Number(process.env.BENCH_STORE_TRANSACTIONS ?? 100_000);

const asked = process.argv.slice(2);
for (const a of asked) {
  if (!SECTIONS.includes(a as Section)) {
    process.stderr.write(`unknown benchmark section "${a}" (choose from ${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
if (!Number.isSafeInteger(USERS) || USERS < 1) {
  process.stderr.write(`BENCH_USERS must be a whole number of users, not "${process.env.BENCH_USERS}"\n`);
  process.exit(2);
}
const wanted = (s: Section) => asked.length === 0 || asked.includes(s);

const started = performance.now();
// Other work on a shared machine skews timings: the load average before and after says how much.
const loadBefore = loadavg();
const rows: Measurement[] = [];
const appendix: NonNullable<BenchResult['appendix']> = [];
const progress = (what: string) =>
  process.stderr.write(`[bench ${(msSince(started) / 1000).toFixed(1)} s] ${what}\n`);

progress('starting PostgreSQL');
const pg = await startBenchPostgres();
// Interrupted: still stop the embedded server and remove its files.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void pg.stop().finally(() => process.exit(130));
  });
}
let failed = false;
try {
  // Parsing runs in child processes; do it first, while this process is still small.
  if (wanted('parse')) {
    progress('parsing the House PTR corpus');
    rows.push(...(await benchParsePdfs()));
    progress('parsing the Senate PTR pages');
    rows.push(...(await benchParseSenate()));
  }
  if (wanted('paper')) {
    progress('reading the transcribed scanned filings (OCR)');
    rows.push(...(await benchPaperOcr()));
  }
  if (wanted('import')) {
    progress(`importing ${USERS} users`);
    const imported = await benchImportUsers(pg, { users: USERS, naiveSample: NAIVE_IMPORT_SAMPLE });
    rows.push(...imported.rows);
    await imported.db.end();
  }
  if (wanted('matching')) {
    progress(`matching against ${USERS} users × 3 rules`);
    const matched = await benchMatching(pg, {
      users: USERS,
      rulesPerUser: 3,
      baseline: process.env.BENCH_MATCH_BASELINE !== '0',
    });
    rows.push(...matched.rows);
    appendix.push(...(matched.appendix ?? []));
  }
  if (wanted('store')) {
    progress(`storing ${STORED_TRANSACTIONS} transactions`);
    rows.push(...(await benchStore(pg, { transactions: STORED_TRANSACTIONS })));
  }
  if (wanted('maintenance')) {
    progress('backups, reports and clean-up');
    rows.push(...(await benchMaintenance(pg)));
  }
  if (wanted('prices')) {
    progress(`price update over ${PRICE_TICKERS} tickers (real Temporal, default rate limits)`);
    rows.push(...(await benchPriceUpdate(pg, { tickers: PRICE_TICKERS })));
  }
  if (wanted('fanout')) {
    rows.push(
      ...(await benchFanOut(pg, {
        users: FANOUT_USERS,
        levers: leverFilter(process.env.BENCH_LEVERS),
        progress,
      })),
    );
  }
  if (wanted('memory')) rows.push(...(await benchIngestionMemory(pg, { progress })));
  if (wanted('latency')) rows.push(...(await benchLatency(pg, { progress })));
} catch (err) {
  failed = true;
  process.stderr.write(`benchmark failed: ${(err as Error).stack ?? err}\n`);
} finally {
  await pg.stop();
}

const machine = cpus();
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
console.log(
  [
    `CapitolScope benchmarks — ${new Date().toISOString()}`,
    `machine: ${machine.length} CPUs (os.cpus().length), ${machine[0]?.model ?? 'unknown model'}, ` +
      `${mib(totalmem()).toFixed(0)} MiB RAM`,
    `Node ${process.version}, PostgreSQL ${pg.serverVersion} (embedded, fsync=off, own temp dir)`,
    `load average (1 / 5 / 15 min): ${load(loadBefore)} at start, ${load(loadavg())} at end`,
    `sections: ${asked.length ? asked.join(', ') : 'all'}; users: ${USERS}`,
    '',
    formatTable(rows),
    '',
    ...appendix.flatMap((a) => [`## ${a.title}`, '', a.text, '']),
    `total benchmark wall time: ${(msSince(started) / 1000).toFixed(1)} s`,
  ].join('\n'),
);
if (failed) process.exitCode = 1;

/** BENCH_LEVERS: unset or 1, every lever; 0, none; otherwise words, the levers whose label has one. */
function leverFilter(setting: string | undefined): (label: string) => boolean {
  if (setting === undefined || setting === '1') return () => true;
  if (setting === '0') return () => false;
  const words = setting.toLowerCase().split(',').filter(Boolean);
  return (label) => words.some((w) => label.toLowerCase().includes(w));
}
