import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../domain/config';
import { connectionOptions, retry } from './temporalConnection';

/**
 * The workers' native connection. Apart from ops/temporalConnection.ts so that commands, which
 * need only a client, do not load the worker package (about 0.6 s at every start).
 */
export async function connectWorkerConnection(
  cfg: Config['temporal'],
  attempts = 30,
): Promise<NativeConnection> {
  const options = connectionOptions(cfg);
  return retry(() => NativeConnection.connect(options), attempts, cfg.address);
}
