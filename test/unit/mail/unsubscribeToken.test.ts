import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signUnsubscribeToken,
  unsubscribeKeyId,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from '../../../mail/unsubscribeToken';

const SECRET = 'test-secret-0123456789abcdef';
const PREVIOUS = 'previous-secret-0123456789abcdef';
const KEY = unsubscribeKeyId(SECRET);

describe('unsubscribe tokens', () => {
  it('verifies a token it signed and returns the user id', () => {
    for (const userId of ['42', '5f0c7b1e-2d7a-4c1e-9a57-0d6f3c2b9e11', 'ünïcödé user']) {
      const token = signUnsubscribeToken(userId, SECRET);
      expect(token).toMatch(/^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(verifyUnsubscribeToken(token, SECRET)).toEqual({ userId, keyId: KEY });
    }
  });

  it('is deterministic, so a resent email carries the same link', () => {
    expect(signUnsubscribeToken('42', SECRET)).toBe(signUnsubscribeToken('42', SECRET));
    expect(signUnsubscribeToken('42', SECRET)).not.toBe(signUnsubscribeToken('43', SECRET));
  });

  it('rejects a token signed with another secret', () => {
    const token = signUnsubscribeToken('42', SECRET);
    expect(verifyUnsubscribeToken(token, 'another-secret-0123456789')).toBeNull();
  });

  it('rejects a token whose user id was swapped', () => {
    const [keyId, , signature] = signUnsubscribeToken('42', SECRET).split('.');
    const swapped = `${keyId}.${Buffer.from('43').toString('base64url')}.${signature}`;
    expect(verifyUnsubscribeToken(swapped, SECRET)).toBeNull();
  });

  it('accepts a token of a previous secret while it is configured, under its own key id', () => {
    const token = signUnsubscribeToken('42', PREVIOUS);
    expect(verifyUnsubscribeToken(token, [SECRET, PREVIOUS])).toEqual({
      userId: '42',
      keyId: unsubscribeKeyId(PREVIOUS),
    });
    expect(verifyUnsubscribeToken(token, [SECRET])).toBeNull();
    // A key id that names one secret cannot be paired with another secret's MAC.
    const [, payload, signature] = token.split('.');
    expect(verifyUnsubscribeToken(`${KEY}.${payload}.${signature}`, [SECRET, PREVIOUS])).toBeNull();
  });

  it('accepts the tokens of emails sent before key ids, under any configured secret', () => {
    const legacy = (secret: string) =>
      `${Buffer.from('42').toString('base64url')}.${createHmac('sha256', secret).update('unsubscribe:v1:42').digest('base64url')}`;
    expect(verifyUnsubscribeToken(legacy(PREVIOUS), [SECRET, PREVIOUS])).toEqual({
      userId: '42',
      keyId: unsubscribeKeyId(PREVIOUS),
    });
    expect(verifyUnsubscribeToken(legacy(PREVIOUS), [SECRET])).toBeNull();
  });

  it('names keys without revealing them', () => {
    expect(KEY).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(unsubscribeKeyId(PREVIOUS)).not.toBe(KEY);
    expect(SECRET).not.toContain(KEY);
  });

  it('rejects a token with any single character altered', () => {
    const token = signUnsubscribeToken('user-1234', SECRET);
    for (let i = 0; i < token.length; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(verifyUnsubscribeToken(altered, SECRET), `position ${i}`).toBeNull();
    }
  });

  it('rejects a forged MAC made without the purpose prefix', () => {
    const forgedMac = createHmac('sha256', SECRET).update('42').digest('base64url');
    expect(
      verifyUnsubscribeToken(`${Buffer.from('42').toString('base64url')}.${forgedMac}`, SECRET),
    ).toBeNull();
  });

  it('rejects garbage', () => {
    for (const junk of [
      '',
      '.',
      'abc',
      'a.b.c',
      'a.b.c.d',
      `${'A'.repeat(8)}.NDI.abc`,
      'NDI.',
      '.abc',
      'NDI.!!!',
      'NDI=.abc',
      '%%%.%%%',
      'x'.repeat(5000),
    ]) {
      expect(verifyUnsubscribeToken(junk, SECRET), JSON.stringify(junk)).toBeNull();
    }
    expect(verifyUnsubscribeToken(undefined as unknown as string, SECRET)).toBeNull();
  });

  it('refuses a missing or short secret and an empty user id', () => {
    expect(() => signUnsubscribeToken('42', '')).toThrow(/UNSUBSCRIBE_SECRET/);
    expect(() => verifyUnsubscribeToken('a.b', 'short')).toThrow(/UNSUBSCRIBE_SECRET/);
    expect(() => signUnsubscribeToken('', SECRET)).toThrow(/userId/);
  });
});

describe('unsubscribeUrl', () => {
  it('appends /unsubscribe?token= to the base, keeping a path prefix', () => {
    expect(unsubscribeUrl('https://capitolscope.org', 'abc.def')).toBe(
      'https://capitolscope.org/unsubscribe?token=abc.def',
    );
    expect(unsubscribeUrl('https://capitolscope.org/', 'abc.def')).toBe(
      'https://capitolscope.org/unsubscribe?token=abc.def',
    );
    expect(unsubscribeUrl('http://127.0.0.1:8080/app/', 'abc.def')).toBe(
      'http://127.0.0.1:8080/app/unsubscribe?token=abc.def',
    );
  });

  it('carries a real token that verifies after the round trip', () => {
    const token = signUnsubscribeToken('42', SECRET);
    const url = new URL(unsubscribeUrl('https://capitolscope.org/x', token));
    expect(verifyUnsubscribeToken(url.searchParams.get('token')!, SECRET)).toEqual({
      userId: '42',
      keyId: KEY,
    });
  });

  it('rejects a base that is not an http(s) URL or has a query', () => {
    expect(() => unsubscribeUrl('capitolscope.org', 't')).toThrow(/PUBLIC_BASE_URL/);
    expect(() => unsubscribeUrl('ftp://capitolscope.org', 't')).toThrow(/PUBLIC_BASE_URL/);
    expect(() => unsubscribeUrl('https://capitolscope.org/?a=1', 't')).toThrow(/PUBLIC_BASE_URL/);
  });
});
