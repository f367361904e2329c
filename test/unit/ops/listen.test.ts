import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../../../ops/listen';

describe('listen', () => {
  it('resolves once listening, and names what could not listen on a taken port', async () => {
    const first = createServer();
    await listen(first, 'the first server', 0, '127.0.0.1');
    const { port } = first.address() as { port: number };
    const second = createServer();
    try {
      await expect(listen(second, 'the public endpoints (HTTP_PORT)', port, '127.0.0.1')).rejects.toThrow(
        `the public endpoints (HTTP_PORT) cannot listen on 127.0.0.1:${port}: the port is already in use`,
      );
      expect(second.listening).toBe(false);
    } finally {
      await new Promise((ok) => first.close(ok));
    }
  });
});
