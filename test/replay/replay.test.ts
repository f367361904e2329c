import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

/**
 * Real recorded histories replayed against today's workflow code: a change that would break runs
 * already in flight (a non-deterministic edit) fails here, before it reaches a deployment.
 */
const DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const WORKFLOWS = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

describe('workflow replay', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories to replay', () => {
    expect(files).toEqual([
      'analytics-report.json',
      'daily-maintenance.json',
      'ingest-batch.json',
      'member-sync.json',
      'notification-processing.json',
      'notify-batch-claims.json',
      'notify-batch.json',
      'price-update.json',
      'system-health.json',
      // A sync recorded before ingestion moved into child workflows: runs in flight at that deploy
      // still replay (the `ingest-in-child-workflows` patch).
      'trade-sync-unbatched.json',
      'trade-sync.json',
      'upstream-health.json',
      'weekly-cleanup.json',
    ]);
  });

  it.each(files)(
    '%s replays without non-determinism',
    async (file) => {
      const { workflowId, history } = JSON.parse(await readFile(`${DIR}${file}`, 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS }, history, workflowId);
    },
    120_000,
  );
});
