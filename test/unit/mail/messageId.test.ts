import { describe, expect, it } from 'vitest';
import { mailFromDomain } from '../../../domain/mailFrom';
import { alertMessageId } from '../../../mail/messageId';

const FROM = 'CapitolScope <alerts@CapitolScope.org>';

describe('alertMessageId', () => {
  it('is a bracketed id at the MAIL_FROM domain', () => {
    expect(alertMessageId({ kind: 'instant', notificationIds: ['n1'] }, FROM)).toMatch(
      /^<alert\.instant\.[0-9a-f]{40}@capitolscope\.org>$/,
    );
  });

  it('depends only on the set of notifications and the kind', () => {
    const a = alertMessageId({ kind: 'daily', notificationIds: ['3', '1', '2'] }, FROM);
    expect(alertMessageId({ kind: 'daily', notificationIds: ['1', '2', '3'] }, FROM)).toBe(a);
    expect(alertMessageId({ kind: 'daily', notificationIds: ['1', '2', '3', '3'] }, FROM)).toBe(a);
    expect(alertMessageId({ kind: 'weekly', notificationIds: ['1', '2', '3'] }, FROM)).not.toBe(a);
    expect(alertMessageId({ kind: 'daily', notificationIds: ['1', '2'] }, FROM)).not.toBe(a);
  });

  it('cannot be made to collide by joining ids', () => {
    expect(alertMessageId({ kind: 'instant', notificationIds: ['1\n2'] }, FROM)).not.toBe(
      alertMessageId({ kind: 'instant', notificationIds: ['1', '2'] }, FROM),
    );
  });

  it('refuses an email with no notifications', () => {
    expect(() => alertMessageId({ kind: 'instant', notificationIds: [] }, FROM)).toThrow(/at least one/);
  });
});

describe('mailFromDomain', () => {
  it('reads the domain from a bare or named address', () => {
    expect(mailFromDomain('alerts@capitolscope.org')).toBe('capitolscope.org');
    expect(mailFromDomain('"Capitol, Scope" <alerts@mail.capitolscope.org>')).toBe('mail.capitolscope.org');
    expect(mailFromDomain('dev@localhost')).toBe('localhost');
  });

  it('rejects a value without a usable domain', () => {
    for (const bad of ['', 'CapitolScope', 'alerts@', 'a@b@', 'x <a@bad domain>']) {
      expect(() => mailFromDomain(bad), bad).toThrow(/MAIL_FROM/);
    }
  });
});
