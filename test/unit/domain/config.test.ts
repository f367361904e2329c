import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../domain/config';

describe('configuration from the environment', () => {
  it('has working defaults for everything optional', () => {
    const c = loadConfig({});
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', tls: false });
    expect(c.sites.houseClerk).toBe('https://disclosures-clerk.house.gov');
    expect(c.schedules).toEqual({ timezone: 'America/New_York', tradeSyncInterval: '2h' });
    expect(c.alerts).toEqual({ maxFilingAgeDays: 30 });
    // The default relay is one on this host: it queues mail itself, so no pacing and a pool of 5.
    expect(c.mail).toMatchObject({ poolSize: 5, sendRate: { perSecond: null } });
    expect(c.databaseUrl).toBeNull();
    expect(c.mail.adminEmails).toEqual([]);
    expect(c.paperOcr).toEqual({ enabled: true, timeoutMs: 600_000, memoryMb: 512, concurrency: 1 });
  });

  it('treats empty values as not set, as env files write them', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', DATABASE_URL: '' })).toMatchObject({
      databaseUrl: null,
      temporal: { address: '127.0.0.1:7233' },
    });
  });

  it('reads lists, numbers and URLs; base URLs lose a trailing slash but keep their path prefix', () => {
    const c = loadConfig({
      ADMIN_EMAILS: 'ops@example.com, oncall@example.com',
      HOUSE_INDEX_YEARS: '2024,2025',
      HOUSE_CLERK_BASE_URL: 'http://mirror.local/house/',
      NOTIFICATION_RATE_PER_SECOND: '2.5',
    });
    expect(c.mail.adminEmails).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(c.houseIndexYears).toEqual([2024, 2025]);
    expect(c.sites.houseClerk).toBe('http://mirror.local/house');
    expect(c.mail.sendRate).toEqual({ perSecond: 2.5, source: 'NOTIFICATION_RATE_PER_SECOND' });
    expect(loadConfig({ NOTIFICATION_RATE_PER_SECOND: 'unlimited' }).mail.sendRate.perSecond).toBeNull();
    expect(
      loadConfig({ SMTP_URL: 'smtp://u:p@email-smtp.eu-west-1.amazonaws.com:587' }).mail.sendRate,
    ).toEqual({ perSecond: 14, source: 'Amazon SES default' });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ ADMIN_EMAILS: 'ops@example.com, not-an-address' }, 'ADMIN_EMAILS'],
    [{ HOUSE_CLERK_BASE_URL: 'ftp://x' }, 'HOUSE_CLERK_BASE_URL'],
    [{ TRADE_SYNC_INTERVAL: 'often' }, 'TRADE_SYNC_INTERVAL'],
    [{ HTTP_PORT: '70000' }, 'HTTP_PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ UNSUBSCRIBE_SECRET: 'short' }, 'UNSUBSCRIBE_SECRET'],
    [{ HOUSE_INDEX_YEARS: '25' }, 'HOUSE_INDEX_YEARS'],
    [{ PAPER_OCR: 'maybe' }, 'PAPER_OCR'],
    [{ PAPER_OCR_TIMEOUT_SECONDS: '0' }, 'PAPER_OCR_TIMEOUT_SECONDS'],
    [{ PAPER_OCR_MEMORY_MB: '32' }, 'PAPER_OCR_MEMORY_MB'],
    [{ PAPER_OCR_CONCURRENCY: 'two' }, 'PAPER_OCR_CONCURRENCY'],
    [{ NOTIFICATION_RATE_PER_SECOND: 'fast' }, 'NOTIFICATION_RATE_PER_SECOND'],
    [{ NOTIFICATION_RATE_PER_SECOND: '0' }, 'NOTIFICATION_RATE_PER_SECOND'],
    [{ SMTP_POOL_SIZE: '0' }, 'SMTP_POOL_SIZE'],
    [{ MAIL_FROM: 'alerts' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'CapitolScope Alerts <alerts>' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'alerts@' }, 'MAIL_FROM'],
  ])('a bad value (%j) is one line naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`invalid configuration: ${variable}: `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('takes a MAIL_FROM with a domain, named or bare', () => {
    expect(loadConfig({ MAIL_FROM: 'CapitolScope <alerts@example.org>' }).mail.from).toBe(
      'CapitolScope <alerts@example.org>',
    );
    expect(loadConfig({ MAIL_FROM: 'alerts@mail.example.org' }).mail.from).toBe('alerts@mail.example.org');
  });

  it('refuses thresholds in the wrong order', () => {
    expect(() => loadConfig({ DISK_WARN_PERCENT: '95', DISK_CRITICAL_PERCENT: '90' })).toThrow(
      'invalid configuration: DISK_WARN_PERCENT must be below DISK_CRITICAL_PERCENT',
    );
    expect(() => loadConfig({ MEMORY_WARN_PERCENT: '95', MEMORY_CRITICAL_PERCENT: '95' })).toThrow(
      /MEMORY_WARN_PERCENT must be below MEMORY_CRITICAL_PERCENT/,
    );
  });

  it('turns TLS on with any mTLS setting, and wants a client certificate and key together', () => {
    expect(loadConfig({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).temporal.tls).toBe(true);
    expect(
      loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: '/k.pem' })
        .temporal,
    ).toMatchObject({ tls: true, clientCert: { certPath: '/c.pem', keyPath: '/k.pem' } });
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' })).toThrow(
      /TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together/,
    );
  });
});
