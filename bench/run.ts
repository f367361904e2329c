// `npm run bench [-- section...]`: speed and memory figures, measured side by side in one run, on a
// PostgreSQL of its own. Sections: parse, import (with matching), fanout, memory (the ingestion worker
// over the PTR corpus), latency (all by default).
// BENCH_FANOUT_USERS sets the fan-out's users (5,000); BENCH_LEVERS=0 skips the per-lever fan-out runs.
import { cpus, loadavg, totalmem } from 'node:os';
import { startBenchPostgres } from './benchPostgres';
import { benchFanOut } from './fanout/fanOut';
import { benchIngestionMemory } from './fanout/ingestionMemory';
import { benchLatency } from './fanout/latency';
import { benchImportUsers } from './importUsers';
import { benchMatching } from './matching';
import { formatTable, mib, msSince, type Measurement } from './measurement';
import { benchParsePdfs } from './parsePdfs';

const USERS = 100_000;
const NAIVE_IMPORT_SAMPLE = 5_000;
const MATCH_LOOP_SAMPLE = 2_000;
const FANOUT_USERS = Number(process.env.BENCH_FANOUT_USERS ?? 5_000);

const SECTIONS = ['parse', 'import', 'fanout', 'memory', 'latency'] as const;
const asked = process.argv.slice(2);
for (const a of asked) {
  if (!(SECTIONS as readonly string[]).includes(a)) {
    process.stderr.write(`unknown benchmark section "${a}" (choose from ${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
const wanted = (s: (typeof SECTIONS)[number]) => asked.length === 0 || asked.includes(s);

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
  if (wanted('parse')) {
    progress('parsing the House PTR corpus');
    rows.push(...(await benchParsePdfs()));
  }
  if (wanted('import')) {
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
  if (wanted('fanout')) {
    rows.push(
      ...(await benchFanOut(pg, {
        users: FANOUT_USERS,
        levers: process.env.BENCH_LEVERS !== '0',
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
