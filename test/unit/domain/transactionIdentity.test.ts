import { describe, expect, it } from 'vitest';
import { transactionRowKey } from '../../../domain/transactionIdentity';
import { trade } from '../../support/trades';

describe("a row's identity within its filing", () => {
  it('is the same for the same reported facts, however the asset name is spaced or cased', () => {
    expect(transactionRowKey(trade({ assetName: 'NVIDIA  Corporation - Common Stock' }))).toBe(
      transactionRowKey(trade({ assetName: 'nvidia corporation - common stock ', ticker: 'nvda' })),
    );
  });

  it('is readable text, not a hash', () => {
    expect(transactionRowKey(trade())).toBe(
      'self|NVDA|nvidia corporation - common stock|purchase|2025-01-10|15001|50000',
    );
  });

  it('changes with any fact a filer reports', () => {
    const base = transactionRowKey(trade());
    for (const change of [
      { owner: 'spouse' as const },
      { ticker: 'AMD' },
      { transactionType: 'sale' as const },
      { transactionDate: '2025-01-11' },
      { amountMin: 50001, amountMax: 100000 },
    ]) {
      expect(transactionRowKey(trade(change))).not.toBe(base);
    }
  });

  it('does not depend on what a filer may add later (description, comment, notification date)', () => {
    expect(
      transactionRowKey(trade({ description: 'Call options', comment: 'x', notificationDate: null })),
    ).toBe(transactionRowKey(trade()));
  });

  it('keeps a withdrawal apart from the trade it withdraws', () => {
    const key = transactionRowKey(trade({ filingStatus: 'deleted' }));
    expect(key).toBe(`${transactionRowKey(trade())}|deleted`);
    expect(transactionRowKey(trade({ filingStatus: 'amended' }))).toBe(transactionRowKey(trade()));
  });
});
