import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../ops/listen';
import { fetchBytes, HttpError } from '../../../sources/http';

/**
 * An HttpError's message ends up in Temporal failure history, the Web UI and the logs: a URL in it
 * must never carry its query string (API keys, tokens) or credentials.
 */
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/big')) {
      res.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000));
      return;
    }
    res.writeHead(req.url?.startsWith('/busy') ? 503 : 404, { 'retry-after': '7' }).end('no');
  });
  await listen(server, 'the test server', 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

async function failure(url: string, opts: Parameters<typeof fetchBytes>[1] = {}): Promise<HttpError> {
  const err = await fetchBytes(url, { timeoutMs: 5_000, ...opts }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('HttpError messages', () => {
  it('name the path but not the query string of a refused request', async () => {
    const err = await failure(`${base}/v3/member?format=json&api_key=SECRET-KEY-1`);
    expect(err.message).toBe(`${base}/v3/member: HTTP 404`);
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('SECRET-KEY-1');
  });

  it('keep the retry hint of a 503 without the query string', async () => {
    const err = await failure(`${base}/busy?token=SECRET-TOKEN-2#frag`);
    expect(err).toMatchObject({ message: `${base}/busy: HTTP 503`, retryable: true, retryAfterSeconds: 7 });
    expect(JSON.stringify({ ...err })).not.toContain('SECRET-TOKEN-2');
  });

  it('strip the query string and credentials from network errors and size-cap refusals', async () => {
    const refused = await failure('http://user:pw-SECRET-3@127.0.0.1:1/x?api_key=SECRET-4');
    expect(refused.message).toMatch(/^http:\/\/127\.0\.0\.1:1\/x: /);
    expect(JSON.stringify({ ...refused, message: refused.message })).not.toMatch(/SECRET/);
    const capped = await failure(`${base}/big?api_key=SECRET-5`, { maxBytes: 10 });
    expect(capped.message).toBe(`${base}/big: response of 1000 bytes exceeds the 10-byte cap`);
  });
});
