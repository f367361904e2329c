import { createHash } from 'node:crypto';
import { mailFromDomain } from '../domain/mailFrom';

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
