import { createHash } from 'node:crypto';
import { escapeHtml } from '../../mail/escapeHtml';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #333;background:#1a1a1a;color:#fff;cursor:pointer}`;

/**
 * What the pages may do: load nothing, run nothing, apply their own inline style (by its hash), post
 * their form back to this site, and never be framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The pages a person sees after following the unsubscribe link; plain, no scripts, no tracking. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · CapitolScope</title>
<style>${STYLE}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * An address as the pages show it: enough to recognise one's own (`j•••@example.org`), not enough to
 * learn someone else's from a forwarded link.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** GET shows a button: link scanners and previews follow GET links, so GET must never unsubscribe. */
export function confirmPage(token: string, email: string): string {
  return page(
    'Unsubscribe from trade alerts',
    `<p>Stop all CapitolScope trade alerts to <strong>${escapeHtml(maskEmail(email))}</strong>?</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function donePage(email: string): string {
  return page(
    'You are unsubscribed',
    `<p>No more alerts will be sent to <strong>${escapeHtml(maskEmail(email))}</strong>.</p>`,
  );
}

export function invalidPage(): string {
  return page(
    'This link is not valid',
    '<p>The unsubscribe link is incomplete, was altered, or is too old. Use the link in your latest alert email.</p>',
  );
}
