import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ConfigError } from '../../domain/config';
import { findTemporalCli } from '../../ops/temporalCli';
import { connectClient } from '../../ops/temporalConnection';
import { connectWorkerConnection } from '../../ops/workerConnection';
import { makeTestPki, type TestPki } from '../support/certificates';
import { testConfig } from '../support/services';

const execFileP = promisify(execFile);
const SERVER_NAME = 'temporal.capitolscope.test';
let dir: string;
let pki: TestPki;
let proxy: Server;
let address: string;
const sockets = new Set<Socket>();

/**
 * The dev server speaks plain gRPC, so an mTLS-terminating proxy stands in front of it, as a load
 * balancer or Temporal Cloud would: it demands a client certificate from its CA.
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capitolscope-tls-'));
  pki = makeTestPki(SERVER_NAME);
  for (const [name, pem] of Object.entries(pki)) {
    await writeFile(join(dir, `${name}.crt`), pem.cert);
    await writeFile(join(dir, `${name}.key`), pem.key);
  }
  const [host, port] = inject('temporalAddress').split(':');
  proxy = createServer(
    {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca.cert,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (tlsSocket) => {
      const upstream = connect(Number(port), host);
      for (const s of [tlsSocket, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      tlsSocket.pipe(upstream).pipe(tlsSocket);
    },
  );
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  address = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((ok) => proxy?.close(ok));
  await rm(dir, { recursive: true, force: true });
});

const tlsEnv = (who: 'client' | 'stranger' = 'client') => ({
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, `${who}.crt`),
  TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, `${who}.key`),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.crt'),
  TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
});

describe('Temporal over mTLS', () => {
  it('the client and the worker connection reach the server with a client certificate', async () => {
    const config = testConfig(tlsEnv());
    expect(config.temporal.tls).toBe(true);
    const client = await connectClient(config.temporal, 3);
    try {
      const ns = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
    } finally {
      await client.connection.close();
    }
    const native = await connectWorkerConnection(config.temporal, 3);
    try {
      const info = await native.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await native.close();
    }
  });

  it('the temporal CLI reads the same variables', async () => {
    const { stdout } = await execFileP(findTemporalCli()!, ['operator', 'namespace', 'describe', 'default'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...tlsEnv() },
    });
    expect(stdout).toMatch(/NamespaceInfo\.Name\s+default/);
  });

  it('a certificate from another CA is refused', async () => {
    const config = testConfig(tlsEnv('stranger'));
    await expect(connectClient(config.temporal, 1)).rejects.toThrow(/cannot reach Temporal at 127\.0\.0\.1:/);
  });

  it('a certificate without its key, or an unreadable file, is a clear configuration error', async () => {
    const { TEMPORAL_TLS_CLIENT_KEY_PATH: _, ...noKey } = tlsEnv();
    expect(() => testConfig(noKey)).toThrow(
      'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together',
    );
    const missing = testConfig({ ...tlsEnv(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'nope.crt') });
    const err = await connectClient(missing.temporal, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /^invalid configuration: TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read .*nope\.crt/,
    );
  });
});
