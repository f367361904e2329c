import { createHash } from 'node:crypto';

/**
 * The domain of a MAIL_FROM value: `CapitolScope <alerts@capitolscope.org>` or
 * `alerts@capitolscope.org` → `capitolscope.org`.
 */
export function mailFromDomain(mailFrom: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(mailFrom);
  const address = (angle ? angle[1]! : mailFrom).trim();
  const at = address.lastIndexOf('@');
  const domain =
    at >= 0
      ? address
          .slice(at + 1)
          .trim()
          .toLowerCase()
      : '';
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new Error(
      `MAIL_FROM must contain an address with a domain (alerts@example.org), got ${JSON.stringify(mailFrom)}`,
    );
  }
  return domain;
}

/**
 * The Message-ID of the email a claim sends: it depends only on the claim's owner (one batch run and
 * one user), so every attempt of that email, a retry or a re-send after a crash, carries the same id,
 * and a receiver (or our own logs) can tell a repeated copy for what it is.
 */
export function alertMessageId(claimOwner: string, mailFrom: string): string {
  if (!claimOwner) throw new Error('alertMessageId: a claim owner is required');
  const digest = createHash('sha256').update(claimOwner, 'utf8').digest('hex').slice(0, 40);
  return `<alert.${digest}@${mailFromDomain(mailFrom)}>`;
}
