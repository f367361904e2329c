import { createHash } from 'node:crypto';
import { mailFromDomain } from '../domain/mailFrom';
import type { AlertKind } from './alertContent';

/** What one email is about: the notifications it delivers, and how. */
export interface NotificationIdentity {
  kind: AlertKind;
  notificationIds: readonly string[];
}

/**
 * A Message-ID that depends only on the notifications an email carries, so a retried send of the
 * same email gets the same ID (receivers and our logs can tell it is the same message).
 * Order and duplicates of the ids do not matter.
 */
export function alertMessageId(identity: NotificationIdentity, mailFrom: string): string {
  if (identity.notificationIds.length === 0) {
    throw new Error('alertMessageId: an email must deliver at least one notification');
  }
  const ids = [...new Set(identity.notificationIds)].sort();
  // Length-prefix each id so ["a,b"] and ["a","b"] can never hash alike.
  const material = [identity.kind, ...ids].map((s) => `${s.length}:${s}`).join('\n');
  const digest = createHash('sha256').update(material, 'utf8').digest('hex').slice(0, 40);
  return `<alert.${identity.kind}.${digest}@${mailFromDomain(mailFrom)}>`;
}
