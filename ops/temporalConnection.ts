import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { ConfigError, type Config } from '../domain/config';

type TemporalConfig = Config['temporal'];

/** Address, TLS and API key: the same for the client's connection and the worker's native one. */
export function connectionOptions(cfg: TemporalConfig) {
  return {
    address: cfg.address,
    tls: tlsConfig(cfg),
    apiKey: cfg.apiKey ?? undefined,
  };
}

/** TLS options for both SDK connections; certificate files are read at each connect, so renewed ones are picked up on restart. */
export function tlsConfig(cfg: TemporalConfig): TLSConfig | undefined {
  if (!cfg.tls) return undefined;
  const tls: TLSConfig = {};
  if (cfg.serverName) tls.serverNameOverride = cfg.serverName;
  if (cfg.caPath) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_SERVER_CA_CERT_PATH', cfg.caPath);
  if (cfg.clientCert) {
    tls.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CLIENT_CERT_PATH', cfg.clientCert.certPath),
      key: readPem('TEMPORAL_TLS_CLIENT_KEY_PATH', cfg.clientCert.keyPath),
    };
  }
  return tls;
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(
      `invalid configuration: ${variable}: cannot read ${path} (${(err as Error).message})`,
    );
  }
}

/** A client for starting workflows and managing schedules; retries while the server is still starting. */
export async function connectClient(cfg: TemporalConfig, attempts = 30): Promise<Client> {
  const options = connectionOptions(cfg);
  const connection = await retry(
    () => Connection.connect({ ...options, connectTimeout: '5s' }),
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

/** Retries `fn` while the server is still starting, with a growing pause (at most 2 s). */
export async function retry<T>(fn: () => Promise<T>, attempts: number, what: string): Promise<T> {
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
