/** Task queue names: workers, schedules and other services rely on these exact strings. */
export const TASK_QUEUES = {
  dataIngestion: 'data-ingestion',
  priceUpdates: 'price-updates',
  notifications: 'notifications',
  maintenance: 'maintenance',
  healthChecks: 'health-checks',
} as const;

export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

export const ALL_TASK_QUEUES: readonly TaskQueue[] = Object.values(TASK_QUEUES);

export function isTaskQueue(name: string): name is TaskQueue {
  return (ALL_TASK_QUEUES as readonly string[]).includes(name);
}
