import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { simpleParser } from 'mailparser';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStackInfo } from '../../ops/devStackFile';
import { listen } from '../../ops/listen';
import { runCli } from '../support/cli';
import { anyWorkflowListed, sleep, waitFor } from '../support/wait';

// `npm run demo` as a user runs it: the whole stack on embedded defaults, then Ctrl-C.
let dataDir: string;
let child: ChildProcess;
let output = '';
let exited: Promise<number | null>;
const ports: Record<string, number> = {};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'capitolscope-dev-'));
  for (const name of ['POSTGRES', 'TEMPORAL', 'TEMPORAL_UI', 'SMTP', 'FIXTURES', 'SENATE', 'PRICES']) {
    ports[name] = await freeFixedPort();
  }
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  for (const [name, port] of Object.entries(ports)) env[`DEV_${name}_PORT`] = String(port);
  env.HTTP_PORT = String(await freeFixedPort());
  env.WORKER_HTTP_PORT = String(await freeFixedPort());
  // Its own process group, as a terminal runs a foreground job: Ctrl-C signals the whole group.
  child = spawn(process.execPath, ['bin/capitolscope.js', 'dev', '--demo'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  exited = new Promise((ok) => child.once('exit', (code) => ok(code)));
  await waitFor(() => output.includes('[demo] Done.') || child.exitCode !== null, { timeoutMs: 150_000 });
  if (!output.includes('[demo] Done.')) throw new Error(`the demo did not finish:\n${output.slice(-4000)}`);
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('capitolscope dev --demo', () => {
  it('serves the Temporal Web UI', async () => {
    const res = await request(`http://127.0.0.1:${ports.TEMPORAL_UI}/`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toMatch(/<html/i);
  });

  it('writes the demo user’s alert to the mail folder', async () => {
    const files = [...output.matchAll(/\[demo\] Email written: (.+\.eml)/g)].map((m) => m[1]!);
    expect(files).toHaveLength(1);
    expect(files[0]!.startsWith(join(dataDir, 'demo', 'mail'))).toBe(true);
    const mail = await simpleParser(await readFile(files[0]!));
    expect(mail.to).toMatchObject({ text: 'demo@capitolscope.local' });
    expect(mail.subject).toMatch(/^\d+ new congressional trades match your alerts$/);
    expect(mail.text).toContain('Why you got this: Matches your rule: member Rosen, the Senate');
    const unsubscribe = mail.headerLines.find((h) => h.key === 'list-unsubscribe');
    expect(unsubscribe?.line).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);
  });

  it('other commands find the stack by themselves, and system-health runs are visible', async () => {
    const noConfig = { DATA_DIR: dataDir, TEMPORAL_ADDRESS: '' };
    const list = await runCli(['schedules', 'list', '-o', 'json'], noConfig);
    expect(list.stderr).toBe('');
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['system-health', 'trade-sync', 'notification-processing']));
    expect((await runCli(['schedules', 'trigger', 'system-health'], noConfig)).code).toBe(0);

    const stack = JSON.parse(readFileSync(join(dataDir, 'dev-stack.json'), 'utf8')) as DevStackInfo;
    expect(stack.temporalAddress).toBe(`127.0.0.1:${ports.TEMPORAL}`);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const client = new Client({ connection });
      const query = `WorkflowType = 'SystemHealthWorkflow' AND ExecutionStatus = 'Completed'`;
      await waitFor(() => anyWorkflowListed(client, query), { timeoutMs: 60_000 });
    } finally {
      await connection.close();
    }
  });

  it('serves every upstream site locally, so the upstream health checks find them healthy', async () => {
    const noConfig = { DATA_DIR: dataDir, TEMPORAL_ADDRESS: '' };
    const health = await runCli(['health', '--upstream', '-o', 'json'], noConfig);
    const { checks } = JSON.parse(health.stdout) as {
      checks: { name: string; status: string; detail: string }[];
    };
    expect(checks.map((c) => c.name)).toContain('upstream:congress-api');
    expect(checks.filter((c) => c.status !== 'ok').map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
    expect(health.code).toBe(0);
  });

  it('Ctrl-C stops everything, workers before PostgreSQL, and exits 0', async () => {
    // Ctrl-C reaches the terminal's foreground group only; PostgreSQL must be outside it, or it would
    // shut down at once under workers still finishing their activities.
    const postmaster = Number(
      readFileSync(join(dataDir, 'demo', 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const group = Number(readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]);
    expect(group).not.toBe(child.pid);
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, sleep(90_000).then(() => 'timeout')]);
    expect(code).toBe(0);
    const stopped = output.indexOf('"msg":"workers stopped"');
    expect(stopped).toBeGreaterThan(-1);
    expect(output.indexOf('"msg":"stopping PostgreSQL"')).toBeGreaterThan(stopped);
    expect(output).toContain('"msg":"local stack stopped"');
    // PostgreSQL shut down when asked, not by the Ctrl-C itself, and removed its pid file.
    expect(existsSync(join(dataDir, 'demo', 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'dev-stack.json'))).toBe(false);
    for (const name of ['POSTGRES', 'TEMPORAL', 'TEMPORAL_UI', 'SMTP', 'FIXTURES', 'SENATE', 'PRICES']) {
      expect(await listening(ports[name]!), `${name} port still open`).toBe(false);
    }
  });
});

/**
 * A free port below Linux's ephemeral range: the Temporal dev server binds its internal services to
 * ephemeral ports as it starts, and could take a port picked there in the meantime.
 */
async function freeFixedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (Object.values(ports).includes(port)) continue;
    const server = createServer();
    const free = await listen(server, 'a port probe', port, '127.0.0.1').then(
      () => true,
      () => false,
    );
    if (free) {
      await new Promise((ok) => server.close(ok));
      return port;
    }
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}
