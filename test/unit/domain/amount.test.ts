import { describe, expect, it } from 'vitest';
import { parseAmountBracket } from '../../../domain/amount';

describe('amount brackets', () => {
  it('reads the printed brackets', () => {
    expect(parseAmountBracket('$1,001 - $15,000')).toEqual({ amountMin: 1001, amountMax: 15000 });
    expect(parseAmountBracket('Over $50,000,000')).toEqual({ amountMin: 50000001, amountMax: null });
    expect(parseAmountBracket('$15,001 -')).toEqual({ amountMin: 15001, amountMax: null });
  });

  it('is no bracket when its ends are reversed or its figures absurd (a document cut mid-figure)', () => {
    // "$100,001 - $250,000" cut after "$25".
    expect(parseAmountBracket('$100,001 - $25')).toBeUndefined();
    expect(parseAmountBracket('$1 - $99999999999999999999')).toBeUndefined();
    expect(parseAmountBracket('Over $99999999999999999999')).toBeUndefined();
  });
});
