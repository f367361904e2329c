import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

/** Configuration that cannot work stops a process at start, with one line naming the variable. */
describe('configuration that fails closed', () => {
  it('a worker with a MAIL_FROM without a domain refuses to start instead of failing every send', async () => {
    const r = await runCli(['worker', '--queue', 'notifications', '--no-migrate'], {
      DATABASE_URL: 'postgres://capitolscope@127.0.0.1:1/capitolscope',
      UNSUBSCRIBE_SECRET: 'test-unsubscribe-secret-0123456789',
      MAIL_FROM: 'CapitolScope Alerts <alerts>',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'invalid configuration: MAIL_FROM: must be an address with a domain, like "CapitolScope Alerts <alerts@example.org>"',
    );
  });
});
