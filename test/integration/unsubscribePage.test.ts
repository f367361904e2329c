import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicServer } from '../../cli/serve/publicServer';
import type { Db } from '../../store/db';
import { createLogger } from '../../ops/logger';
import { listen } from '../../ops/listen';
import { signUnsubscribeToken } from '../../mail/unsubscribeToken';
import { seedUser } from '../support/seed';
import { createTestDatabase, testConfig } from '../support/services';

/**
 * The unsubscribe page users reach from an email: it cannot be framed, it shows the address masked,
 * and its links survive a rotation of UNSUBSCRIBE_SECRET for as long as the old secret is kept in
 * UNSUBSCRIBE_PREVIOUS_SECRETS.
 */

const OLD = 'old-unsubscribe-secret-0123456789';
const NEW = 'new-unsubscribe-secret-9876543210';
let db: Db;
let dbUrl = '';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  ({ db, url: dbUrl } = database);
  cleanups.push(database.drop);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** `serve` with these secrets; returns its base URL. */
async function serve(env: Record<string, string>): Promise<string> {
  const config = testConfig({ DATABASE_URL: dbUrl, ...env });
  const server: Server = createPublicServer({ config, db, logger: createLogger('silent') });
  await listen(server, 'the public endpoints', 0, '127.0.0.1');
  cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A link as emails sent before key ids existed carry it: base64url(id) "." HMAC("unsubscribe:v1:" + id). */
function legacyToken(userId: number, secret: string): string {
  const id = String(userId);
  const mac = createHmac('sha256', secret).update(`unsubscribe:v1:${id}`).digest('base64url');
  return `${Buffer.from(id).toString('base64url')}.${mac}`;
}

const status = async (userId: number) =>
  (await db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status as string;

describe('the unsubscribe page', () => {
  it('cannot be framed, runs no script, and shows the address masked', async () => {
    const base = await serve({ UNSUBSCRIBE_SECRET: NEW });
    const userId = await seedUser(db, 'jane.doe@example.org', [{ ticker: 'NVDA' }]);
    const res = await request(`${base}/unsubscribe?token=${signUnsubscribeToken(String(userId), NEW)}`);
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    const page = await res.body.text();
    expect(page).not.toContain('jane.doe');
    expect(page).toContain('j•••@example.org');
    expect(page).not.toMatch(/<script/i);
    // The page's own style is allowed by its hash, so the CSP needs no 'unsafe-inline'.
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    // Error pages carry the same policy.
    const bad = await request(`${base}/unsubscribe?token=nope`);
    expect(bad.statusCode).toBe(400);
    expect(String(bad.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    await bad.body.dump();
  });

  it('a token names the key that signed it', () => {
    const a = signUnsubscribeToken('42', OLD).split('.');
    const b = signUnsubscribeToken('42', NEW).split('.');
    expect(a).toHaveLength(3);
    expect(a[0]).not.toBe(b[0]);
    expect(a[1]).toBe(b[1]);
  });

  it('after a rotation, links signed with the previous secret still work while it is kept', async () => {
    const userId = await seedUser(db, 'rotated@example.org', [{ ticker: 'NVDA' }]);
    const oldLink = signUnsubscribeToken(String(userId), OLD);
    const legacyLink = legacyToken(userId, OLD);
    const rotated = await serve({ UNSUBSCRIBE_SECRET: NEW, UNSUBSCRIBE_PREVIOUS_SECRETS: OLD });
    for (const token of [oldLink, legacyLink, signUnsubscribeToken(String(userId), NEW)]) {
      const res = await request(`${rotated}/unsubscribe?token=${token}`);
      expect(res.statusCode, token).toBe(200);
      expect(await res.body.text()).toContain('r•••@example.org');
    }
    const post = await request(`${rotated}/unsubscribe?token=${oldLink}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    await post.body.dump();
    expect(await status(userId)).toBe('unsubscribed');
  });

  it('once the previous secret is dropped, its links are refused', async () => {
    const userId = await seedUser(db, 'expired@example.org', [{ ticker: 'NVDA' }]);
    const base = await serve({ UNSUBSCRIBE_SECRET: NEW });
    for (const token of [signUnsubscribeToken(String(userId), OLD), legacyToken(userId, OLD)]) {
      const res = await request(`${base}/unsubscribe?token=${token}`, { method: 'POST' });
      expect(res.statusCode).toBe(400);
      await res.body.dump();
    }
    expect(await status(userId)).toBe('active');
    // Links signed before key ids existed, with the current secret, keep working.
    const legacy = await request(`${base}/unsubscribe?token=${legacyToken(userId, NEW)}`);
    expect(legacy.statusCode).toBe(200);
    await legacy.body.dump();
  });

  it('UNSUBSCRIBE_PREVIOUS_SECRETS entries must be secrets too', () => {
    expect(() => testConfig({ UNSUBSCRIBE_PREVIOUS_SECRETS: `${OLD},short` })).toThrow(
      /^invalid configuration: UNSUBSCRIBE_PREVIOUS_SECRETS: /,
    );
  });
});
