import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogFiles, pruneOldLogFiles, type LogFiles } from '../../../ops/logFiles';
import { createLogger, temporalLoggerFor } from '../../../ops/logger';
import { waitFor } from '../../support/wait';

let dir: string;
let files: LogFiles | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capitolscope-logs-'));
});
afterEach(async () => {
  files?.close();
  files = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The lines of every file of one stream (`worker-error.2025-01-17.1.log`, ...), parsed. */
async function linesOf(stream: string): Promise<{ msg: string; level: number }[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(`worker-${stream}.`)).sort();
  const text = (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('log files', () => {
  it('write info and above, errors only, task lines and health lines to files of their own', async () => {
    files = await openLogFiles({ dir, name: 'worker', maxSize: '10m', count: 5 }, 'info');
    const logger = createLogger('info', { streams: files.streams, toStderr: true });
    const temporal = temporalLoggerFor(logger);
    logger.debug('too detailed');
    logger.info('workers started');
    logger.error({ err: 'boom' }, 'database went away');
    temporal.info('Activity completed', {
      activityType: 'takeBackup',
      workflowType: 'DailyMaintenanceWorkflow',
      taskQueue: 'maintenance',
    });
    temporal.warn('Activity failed', { activityType: 'checkDisk', taskQueue: 'health-checks' });

    const messages = async (s: string) => (await linesOf(s)).map((l) => l.msg);
    expect(await messages('all')).toEqual([
      'workers started',
      'database went away',
      'Activity completed',
      'Activity failed',
    ]);
    expect(await messages('error')).toEqual(['database went away']);
    expect(await messages('tasks')).toEqual(['Activity completed', 'Activity failed']);
    expect(await messages('health')).toEqual(['Activity failed']);
  });

  it('roll to a new file past the size limit and keep only the newest files', async () => {
    files = await openLogFiles({ dir, name: 'worker', maxSize: '1k', count: 2 }, 'info');
    const logger = pino({ level: 'info' }, pino.multistream(files.streams));
    // About 150 bytes a line: a new file every seven lines or so. A file rolls once the stream has
    // drained, so the lines are spread over event-loop turns as a running process's are.
    for (let i = 0; i < 100; i++) {
      logger.info({ i, pad: 'x'.repeat(100) }, 'line');
      if (i % 5 === 4) await new Promise((ok) => setTimeout(ok, 5));
    }
    const rolled = await waitFor(
      async () => {
        const all = (await readdir(dir)).filter((n) => n.startsWith('worker-all.'));
        return all.length === 2 && all.some((n) => n.includes('.1.log')) === false ? all : undefined;
      },
      { timeoutMs: 10_000 },
    );
    // Each file is dated and numbered; the highest number is the file being written. LOG_FILE_COUNT
    // (here 2) files are kept, the current one included.
    const today = new Date();
    const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    for (const name of rolled) expect(name).toMatch(new RegExp(`^worker-all\\.${date}\\.\\d+\\.log$`));
    const numbers = rolled.map((n) => Number(n.split('.')[2])).sort((a, b) => a - b);
    expect(numbers[1]).toBeGreaterThan(10);
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1]);
    // The latest lines are kept; the earliest went with the pruned files.
    const kept = (await linesOf('all')).map((l) => (l as unknown as { i: number }).i);
    expect(kept).toContain(99);
    expect(kept).not.toContain(0);
  });

  it('clean-up removes rolled files past retention, never the newest of a stream', async () => {
    const old = new Date('2025-01-01T00:00:00Z');
    const now = new Date('2025-03-01T00:00:00Z');
    const recent = new Date('2025-02-25T00:00:00Z');
    const make = async (name: string, at: Date) => {
      await writeFile(join(dir, name), 'x'.repeat(10));
      await utimes(join(dir, name), at, at);
    };
    await make('worker-all.2025-01-01.1.log', old);
    await make('worker-all.2025-01-01.2.log', old);
    await make('worker-all.2025-02-25.3.log', recent);
    await make('serve-error.2025-01-01.1.log', old); // the only (so newest) file of its stream
    await make('worker-notifications.log.3.gz', old); // logrotate's
    await make('worker-notifications.log', recent);
    await make('notes.txt', old);
    const dry = await pruneOldLogFiles(dir, 30, now, true);
    expect(dry.removed).toEqual([
      'worker-all.2025-01-01.1.log',
      'worker-all.2025-01-01.2.log',
      'worker-notifications.log.3.gz',
    ]);
    expect((await readdir(dir)).length).toBe(7);
    const done = await pruneOldLogFiles(dir, 30, now, false);
    expect(done).toEqual({ ...dry, bytesFreed: 30 });
    expect((await readdir(dir)).sort()).toEqual([
      'notes.txt',
      'serve-error.2025-01-01.1.log',
      'worker-all.2025-02-25.3.log',
      'worker-notifications.log',
    ]);
  });
});
