import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../domain/config';

type TemporalConfig = Config['temporal'];

function connectionOptions(cfg: TemporalConfig) {
  return {
    address: cfg.address,
    tls: cfg.tls || undefined,
    apiKey: cfg.apiKey ?? undefined,
  };
}

/** A client for starting workflows and managing schedules; retries while the server is still starting. */
export async function connectClient(cfg: TemporalConfig, attempts = 30): Promise<Client> {
  const connection = await retry(
    () => Connection.connect({ ...connectionOptions(cfg), connectTimeout: '5s' }),
    attempts,
    cfg.address,
  );
  const client = new Client({ connection, namespace: cfg.namespace });
  await retry(
    () => connection.workflowService.describeNamespace({ namespace: cfg.namespace }),
    attempts,
    `namespace ${cfg.namespace}`,
  );
  return client;
}

export async function connectWorkerConnection(cfg: TemporalConfig, attempts = 30): Promise<NativeConnection> {
  return retry(() => NativeConnection.connect(connectionOptions(cfg)), attempts, cfg.address);
}

async function retry<T>(fn: () => Promise<T>, attempts: number, what: string): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((ok) => setTimeout(ok, Math.min(2000, 200 * (i + 1))));
    }
  }
  throw new Error(`cannot reach Temporal at ${what}: ${(last as Error)?.message ?? last}`);
}
