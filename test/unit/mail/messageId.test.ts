import { describe, expect, it } from 'vitest';
import { mailFromDomain } from '../../../domain/mailFrom';
import { alertMessageId } from '../../../mail/messageId';

const FROM = 'CapitolScope <alerts@CapitolScope.org>';

describe('alertMessageId', () => {
  it('is a bracketed id at the MAIL_FROM domain', () => {
    expect(alertMessageId('batch-1/run-1/42', FROM)).toMatch(/^<alert\.[0-9a-f]{40}@capitolscope\.org>$/);
  });

  it('is the same for every attempt of one claim, and differs between claims', () => {
    const a = alertMessageId('batch-1/run-1/42', FROM);
    expect(alertMessageId('batch-1/run-1/42', FROM)).toBe(a);
    expect(alertMessageId('batch-1/run-1/43', FROM)).not.toBe(a);
    expect(alertMessageId('batch-1/run-2/42', FROM)).not.toBe(a);
  });

  it('refuses an email without a claim', () => {
    expect(() => alertMessageId('', FROM)).toThrow(/claim owner/);
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
