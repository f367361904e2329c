import { describe, expect, it } from 'vitest';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../../domain/taskQueues';
import { localSendSlots } from '../../../domain/mailRelay';
import { activityConcurrency, databasePoolSize } from '../../../workers/runWorkers';

const MAIL = { poolSize: 5, sendRate: { perSecond: 14 } };

/**
 * A worker process shares one database pool between the queues it serves. Each running activity may
 * hold a connection, so a pool smaller than the activity slots makes activities wait for connections
 * (and time out) under load.
 */
describe('database pool of a worker process', () => {
  it('has a connection for every activity slot of the queues it serves', () => {
    const slots = ALL_TASK_QUEUES.reduce((n, q) => n + activityConcurrency(q), 0);
    expect(databasePoolSize([...ALL_TASK_QUEUES], MAIL)).toBeGreaterThanOrEqual(slots);
    for (const queue of ALL_TASK_QUEUES) {
      expect(databasePoolSize([queue], MAIL), queue).toBeGreaterThanOrEqual(activityConcurrency(queue));
    }
  });

  it('has a connection for every local send of a notifications worker too', () => {
    const slots = activityConcurrency(TASK_QUEUES.notifications) + localSendSlots(MAIL);
    expect(databasePoolSize([TASK_QUEUES.notifications], MAIL)).toBeGreaterThanOrEqual(slots);
  });

  it('is no larger than the queues it serves need, so many processes fit in max_connections', () => {
    expect(databasePoolSize([TASK_QUEUES.healthChecks], MAIL)).toBeLessThan(
      databasePoolSize([...ALL_TASK_QUEUES], MAIL),
    );
  });
});
