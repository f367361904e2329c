// `npm run bench`: speed and memory figures, measured side by side in one run, on a PostgreSQL of its own.
import { cpus, loadavg, totalmem } from 'node:os';
import { startBenchPostgres } from './benchPostgres';
import { benchImportUsers } from './importUsers';
import { benchMatching } from './matching';
import { formatTable, mib, msSince, type Measurement } from './measurement';
import { benchParsePdfs } from './parsePdfs';
import { benchPriceUpdate } from './priceUpdate';

const USERS = 100_000;
const NAIVE_IMPORT_SAMPLE = 5_000;
const MATCH_LOOP_SAMPLE = 2_000;
const PRICE_TICKERS = 3_000;
/** `BENCH_ONLY=prices` (comma-separated: pdfs, users, prices) runs only those sections. */
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (section: string) => !only || only.includes(section);

const started = performance.now();
// Other work on a shared machine skews timings: the load average before and after says how much.
const loadBefore = loadavg()[0]!;
const rows: Measurement[] = [];
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
  if (wanted('pdfs')) {
    progress('parsing the House PTR corpus');
    rows.push(...(await benchParsePdfs()));
  }
  if (wanted('users')) {
    progress(`importing ${USERS} users`);
    const imported = await benchImportUsers(pg, { users: USERS, naiveSample: NAIVE_IMPORT_SAMPLE });
    rows.push(...imported.rows);
    progress('matching');
    rows.push(
      ...(await benchMatching(imported.db, {
        users: imported.users,
        rules: imported.rules,
        loopSample: MATCH_LOOP_SAMPLE,
      })),
    );
  }
  if (wanted('prices')) {
    progress(`price update over ${PRICE_TICKERS} tickers (real Temporal, default rate limits)`);
    rows.push(...(await benchPriceUpdate(pg, { tickers: PRICE_TICKERS })));
  }
} catch (err) {
  failed = true;
  process.stderr.write(`benchmark failed: ${(err as Error).stack ?? err}\n`);
} finally {
  await pg.stop();
}

const machine = cpus();
console.log(
  [
    `CapitolScope benchmarks — ${new Date().toISOString()}`,
    `machine: ${machine.length} CPUs (os.cpus().length), ${machine[0]?.model ?? 'unknown model'}, ` +
      `${mib(totalmem()).toFixed(0)} MiB RAM`,
    `Node ${process.version}, PostgreSQL ${pg.serverVersion} (embedded, fsync=off, own temp dir)`,
    `1-min load average: ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
    '',
    formatTable(rows),
    '',
    `total benchmark wall time: ${(msSince(started) / 1000).toFixed(1)} s`,
  ].join('\n'),
);
if (failed) process.exitCode = 1;
