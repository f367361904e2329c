import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { inject } from 'vitest';

/** A namespace of its own for one test file on the run's Temporal server, so files cannot interfere. */
export async function createTestNamespace(
  prefix = 'test',
): Promise<{ namespace: string; client: Client; close: () => Promise<void> }> {
  const namespace = `${prefix}-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  return { namespace, client: new Client({ connection, namespace }), close: () => connection.close() };
}
