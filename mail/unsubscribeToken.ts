import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Token = keyId "." base64url(userId) "." base64url(HMAC-SHA256(secret, "unsubscribe:v2:" keyId ":" userId)).
 * The key id names the secret that signed it (a hash of the secret, never the secret), so the secret
 * can rotate: the server keeps accepting links signed with previous secrets for as long as they are
 * configured (UNSUBSCRIBE_PREVIOUS_SECRETS), and refuses them once they are dropped. Tokens have no
 * expiry of their own: an unsubscribe link in an old email must keep working while its key is kept.
 * Tokens from before key ids (v1: base64url(userId) "." HMAC(secret, "unsubscribe:v1:" userId)) are
 * accepted under any configured secret. The purpose prefixes keep these MACs from being valid for any
 * other use of the same secret.
 */

const PURPOSE = 'unsubscribe:v2:';
const LEGACY_PURPOSE = 'unsubscribe:v1:';
const MIN_SECRET_LENGTH = 16;
const MAX_USER_ID_LENGTH = 200;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KEY_ID_LENGTH = 8;

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`UNSUBSCRIBE_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

/** A short public name of a secret: 8 base64url characters of a hash of it. */
export function unsubscribeKeyId(secret: string): string {
  checkSecret(secret);
  return createHash('sha256')
    .update(`unsubscribe key id:${secret}`, 'utf8')
    .digest('base64url')
    .slice(0, KEY_ID_LENGTH);
}

function mac(message: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(message, 'utf8').digest();
}

export function signUnsubscribeToken(userId: string, secret: string): string {
  checkSecret(secret);
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new Error(
      `signUnsubscribeToken: userId must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`,
    );
  }
  const keyId = unsubscribeKeyId(secret);
  const payload = Buffer.from(userId, 'utf8').toString('base64url');
  return `${keyId}.${payload}.${mac(`${PURPOSE}${keyId}:${userId}`, secret).toString('base64url')}`;
}

/**
 * The user the token was signed for, and the id of the key that signed it, or null for anything
 * altered, forged, malformed or signed with a secret no longer configured. `secrets` is the current
 * secret followed by the previous ones still accepted.
 */
export function verifyUnsubscribeToken(
  token: string,
  secrets: string | readonly string[],
): { userId: string; keyId: string } | null {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  if (keys.length === 0)
    throw new Error(`UNSUBSCRIBE_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  keys.forEach(checkSecret);
  if (typeof token !== 'string' || token.length > 1024) return null;
  const parts = token.split('.');
  if (parts.length === 3) {
    const [keyId, payload, signature] = parts as [string, string, string];
    const secret = keys.find((k) => unsubscribeKeyId(k) === keyId);
    const userId = secret === undefined ? null : decodeUserId(payload);
    if (secret === undefined || userId === null) return null;
    return macMatches(signature, mac(`${PURPOSE}${keyId}:${userId}`, secret)) ? { userId, keyId } : null;
  }
  if (parts.length === 2) {
    const [payload, signature] = parts as [string, string];
    const userId = decodeUserId(payload);
    if (userId === null) return null;
    const secret = keys.find((k) => macMatches(signature, mac(`${LEGACY_PURPOSE}${userId}`, k)));
    return secret === undefined ? null : { userId, keyId: unsubscribeKeyId(secret) };
  }
  return null;
}

/** The user id of a payload, or null unless it is the canonical base64url of a sensible id. */
function decodeUserId(payload: string): string | null {
  if (!BASE64URL.test(payload)) return null;
  const idBytes = Buffer.from(payload, 'base64url');
  // Node's decoder is lenient (stray trailing bits); only the canonical encoding is accepted.
  if (idBytes.toString('base64url') !== payload) return null;
  const userId = idBytes.toString('utf8');
  if (
    userId.length === 0 ||
    userId.length > MAX_USER_ID_LENGTH ||
    Buffer.from(userId, 'utf8').compare(idBytes) !== 0
  ) {
    return null;
  }
  return userId;
}

function macMatches(signature: string, expected: Buffer): boolean {
  if (!BASE64URL.test(signature)) return false;
  const given = Buffer.from(signature, 'base64url');
  if (given.toString('base64url') !== signature) return false;
  return given.length === expected.length && timingSafeEqual(given, expected);
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
