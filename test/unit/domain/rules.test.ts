import { describe, expect, it } from 'vitest';
import { describeRule, normaliseRule, ruleKey, RuleError } from '../../../domain/rules';

describe('a rule as a user gives it', () => {
  it('is normalised: trimmed names, upper-case tickers and parties, lower-case chamber and type', () => {
    expect(
      normaliseRule({
        member: '  Nancy   Pelosi ',
        ticker: ' nvda',
        party: 'd',
        chamber: 'House',
        type: 'Purchase',
        minAmount: '$15,001',
      }),
    ).toEqual({
      member: 'Nancy Pelosi',
      ticker: 'NVDA',
      party: 'D',
      chamber: 'house',
      transactionType: 'purchase',
      minAmount: 15001,
    });
  });

  it('keeps only the conditions given; empty strings are not conditions', () => {
    expect(normaliseRule({ ticker: 'BRK.B', member: '', party: null })).toEqual({
      member: null,
      ticker: 'BRK.B',
      party: null,
      chamber: null,
      transactionType: null,
      minAmount: null,
    });
  });

  it.each([
    [{}, /at least one condition/],
    [{ member: '   ' }, /at least one condition/],
    [{ ticker: 'NOT A TICKER' }, /ticker "NOT A TICKER" is not a ticker symbol/],
    [{ party: 'Green' }, /party must be D, R or I, not "Green"/],
    [{ chamber: 'lords' }, /chamber must be house or senate, not "lords"/],
    [{ type: 'exchange' }, /type must be purchase or sale, not "exchange"/],
    [{ minAmount: '-5' }, /minimum amount must be a whole number of dollars, not "-5"/],
    [{ minAmount: '1.5' }, /minimum amount must be a whole number of dollars/],
  ])('refuses %j with a message saying what is wrong', (input, message) => {
    expect(() => normaliseRule(input)).toThrow(RuleError);
    expect(() => normaliseRule(input)).toThrow(message);
  });

  it('refuses something that is not an object', () => {
    expect(() => normaliseRule('NVDA' as never)).toThrow(/a rule must be an object/);
    expect(() => normaliseRule([] as never)).toThrow(/a rule must be an object/);
  });
});

describe('rule identity', () => {
  it('the same rule written differently is the same rule', () => {
    const a = normaliseRule({ member: 'Nancy Pelosi', ticker: 'nvda', minAmount: 15001 });
    const b = normaliseRule({ member: 'nancy  pelosi', ticker: 'NVDA', minAmount: '$15,001' });
    expect(ruleKey(a)).toBe(ruleKey(b));
  });

  it('different conditions are different rules', () => {
    expect(ruleKey(normaliseRule({ ticker: 'NVDA' }))).not.toBe(
      ruleKey(normaliseRule({ ticker: 'NVDA', type: 'sale' })),
    );
    expect(ruleKey(normaliseRule({ party: 'D' }))).not.toBe(ruleKey(normaliseRule({ chamber: 'house' })));
  });
});

describe('how a rule reads to its user', () => {
  it('names each condition in plain words', () => {
    expect(
      describeRule(
        normaliseRule({
          member: 'Pelosi',
          ticker: 'NVDA',
          party: 'D',
          chamber: 'house',
          type: 'purchase',
          minAmount: 15001,
        }),
      ),
    ).toBe('member Pelosi, ticker NVDA, Democrats, the House, purchases, $15,001 or more');
    expect(describeRule(normaliseRule({ party: 'R', chamber: 'senate', type: 'sale' }))).toBe(
      'Republicans, the Senate, sales',
    );
  });
});
