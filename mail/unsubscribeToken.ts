import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Token = base64url(userId) "." base64url(HMAC-SHA256(secret, "unsubscribe:v1:" + userId)).
 * No expiry on purpose: an unsubscribe link in an old email must keep working.
 * The purpose prefix keeps these MACs from being valid for any other use of the same secret.
 */

const PURPOSE = 'unsubscribe:v1:';
const MIN_SECRET_LENGTH = 16;
const MAX_USER_ID_LENGTH = 200;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`UNSUBSCRIBE_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function mac(userId: string, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(PURPOSE + userId, 'utf8')
    .digest();
}

export function signUnsubscribeToken(userId: string, secret: string): string {
  checkSecret(secret);
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new Error(
      `signUnsubscribeToken: userId must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`,
    );
  }
  return `${Buffer.from(userId, 'utf8').toString('base64url')}.${mac(userId, secret).toString('base64url')}`;
}

/** The user the token was signed for, or null for anything altered, forged or malformed. */
export function verifyUnsubscribeToken(token: string, secret: string): { userId: string } | null {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > 1024) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [payload, signature] = parts as [string, string];
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
  const idBytes = Buffer.from(payload, 'base64url');
  const given = Buffer.from(signature, 'base64url');
  // Node's decoder is lenient (stray trailing bits); only the canonical encoding is accepted.
  if (idBytes.toString('base64url') !== payload || given.toString('base64url') !== signature) return null;
  const userId = idBytes.toString('utf8');
  if (
    userId.length === 0 ||
    userId.length > MAX_USER_ID_LENGTH ||
    Buffer.from(userId, 'utf8').compare(idBytes) !== 0
  ) {
    return null;
  }
  const expected = mac(userId, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId };
}

/** `${publicBaseUrl}/unsubscribe?token=...`; the base may carry a path prefix (`https://x.org/app`). */
export function unsubscribeUrl(publicBaseUrl: string, token: string): string {
  let url: URL;
  try {
    url = new URL(publicBaseUrl);
  } catch {
    throw new Error(`PUBLIC_BASE_URL is not a valid URL: ${JSON.stringify(publicBaseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`PUBLIC_BASE_URL must be an http(s) URL, got ${JSON.stringify(publicBaseUrl)}`);
  }
  if (url.search || url.hash) {
    throw new Error(
      `PUBLIC_BASE_URL must not have a query or fragment, got ${JSON.stringify(publicBaseUrl)}`,
    );
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/unsubscribe`;
  url.searchParams.set('token', token);
  return url.href;
}
