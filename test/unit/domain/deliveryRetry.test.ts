import { describe, expect, it } from 'vitest';
import { defaultSendRate, localSendSlots } from '../../../domain/mailRelay';
import {
  DELIVERY_RETRY,
  relayWideReplies,
  retryDelayMs,
  retrySchedule,
  type SendUserAlertResult,
} from '../../../domain/notifications';

const MINUTE = 60_000;

describe('the delivery retry budget', () => {
  it('keeps retrying through an hour of outage with no operator', () => {
    const rounds = retrySchedule(DELIVERY_RETRY);
    // A retry round comes after the outage ended (at 60 minutes) and before the budget is spent.
    expect(rounds.some((at) => at >= 60 * MINUTE)).toBe(true);
    expect(rounds.at(-1)!).toBeGreaterThanOrEqual(80 * MINUTE);
    // The pause never grows past 10 minutes, so an outage's end is noticed within 10 minutes.
    for (let i = 1; i < rounds.length; i++)
      expect(rounds[i]! - rounds[i - 1]!).toBeLessThanOrEqual(10 * MINUTE);
  });

  it('spaces rounds 10 s, 20 s, 40 s ... up to 10 minutes', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((r) => retryDelayMs(r, DELIVERY_RETRY) / 1000)).toEqual([
      10, 20, 40, 80, 600, 600, 600,
    ]);
  });

  it('is longer than the one before claims: 8 activity attempts, about 20 minutes', () => {
    // 10 s doubling to 10 min, 8 attempts: the 7 pauses between them.
    const before = [10, 20, 40, 80, 160, 320, 600].reduce((a, b) => a + b, 0) * 1000;
    expect(before).toBeLessThan(21 * MINUTE);
    expect(retrySchedule(DELIVERY_RETRY).at(-1)!).toBeGreaterThan(3 * before);
  });
});

describe('relayWideReplies', () => {
  const result = (
    userId: number,
    status: SendUserAlertResult['status'],
    reply?: string,
  ): SendUserAlertResult => ({
    userId,
    status,
    notifications: 1,
    ...(reply ? { reply } : {}),
  });

  it('blames the relay for one reply refusing many recipients at once', () => {
    const round = Array.from({ length: 6 }, (_, i) => result(i, 'rejected', '550 5.1.1'));
    expect([...relayWideReplies(round)]).toEqual(['550 5.1.1']);
  });

  it('believes a few refusals among many accepted sends', () => {
    const round = [
      ...Array.from({ length: 5 }, (_, i) => result(i, 'rejected', '550 5.1.1')),
      ...Array.from({ length: 40 }, (_, i) => result(100 + i, 'sent')),
    ];
    expect(relayWideReplies(round).size).toBe(0);
  });

  it('believes fewer than five refusals even when nothing else was sent', () => {
    const round = Array.from({ length: 4 }, (_, i) => result(i, 'rejected', '550 5.1.1'));
    expect(relayWideReplies(round).size).toBe(0);
  });

  it('counts each reply apart', () => {
    const round = [
      ...Array.from({ length: 3 }, (_, i) => result(i, 'rejected', '550 5.1.1')),
      ...Array.from({ length: 3 }, (_, i) => result(10 + i, 'rejected', '550 5.2.1')),
    ];
    expect(relayWideReplies(round).size).toBe(0);
  });
});

describe('defaultSendRate', () => {
  it('follows the documented limits of known providers', () => {
    expect(defaultSendRate('smtp://user:pw@email-smtp.us-east-1.amazonaws.com:587')).toEqual({
      perSecond: 14,
      source: 'Amazon SES default',
    });
    expect(defaultSendRate('smtp://u:p@smtp.office365.com:587').perSecond).toBe(0.5);
    expect(defaultSendRate('smtps://u:p@smtp.gmail.com:465').perSecond).toBe(1);
  });

  it('sets no limit for a relay on this host or a private network, which queues mail itself', () => {
    for (const url of [
      'smtp://127.0.0.1:2525',
      'smtp://localhost:25',
      'smtp://mailpit:1025',
      'smtp://10.0.3.7:25',
      'smtp://192.168.1.20:25',
      'smtp://[::1]:25',
    ]) {
      expect(defaultSendRate(url).perSecond, url).toBeNull();
    }
  });

  it('stays modest for an unknown public relay', () => {
    expect(defaultSendRate('smtp://mail.example.org:587').perSecond).toBe(10);
  });
});

describe('localSendSlots', () => {
  it('keeps the pool busy without queueing more sends than the relay’s pace clears in two seconds', () => {
    expect(localSendSlots({ poolSize: 5, sendRate: { perSecond: null } })).toBe(40);
    expect(localSendSlots({ poolSize: 5, sendRate: { perSecond: 30 } })).toBe(40);
    expect(localSendSlots({ poolSize: 5, sendRate: { perSecond: 14 } })).toBe(28);
    expect(localSendSlots({ poolSize: 5, sendRate: { perSecond: 4 } })).toBe(8);
    expect(localSendSlots({ poolSize: 5, sendRate: { perSecond: 0.5 } })).toBe(1);
  });
});
