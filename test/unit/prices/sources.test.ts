import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { finalCloses } from '../../../activities/prices';
import { priceTicker, sourceSymbol } from '../../../domain/priceTickers';
import { parseAlphaVantageQuote } from '../../../sources/prices/alphaVantage';
import { RateLimitedError, UnknownSymbolError } from '../../../sources/prices/answer';
import { parseFinnhubQuote } from '../../../sources/prices/finnhub';
import { chartRange, parseYahooChart } from '../../../sources/prices/yahoo';

const fixture = (rel: string) => JSON.parse(readFileSync(fixturePath('prices', rel), 'utf8')) as unknown;

describe('Yahoo chart v8', () => {
  it('reads the price from meta and the daily bars, dated in New York', () => {
    const a = parseYahooChart(fixture('yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json'));
    expect(a).toMatchObject({ source: 'yahoo', price: 333.69, currency: 'USD' });
    expect(new Date(a.quotedAt!).toISOString()).toBe('2026-10-02T20:00:01.000Z');
    expect(a.closes).toEqual([{ day: '2020-01-02', close: 75.0875015258789 }]);
  });

  it('treats its "Not Found" error object as an unknown symbol', () => {
    const body = {
      chart: {
        result: null,
        error: { code: 'Not Found', description: 'No data found, symbol may be delisted' },
      },
    };
    expect(() => parseYahooChart(body)).toThrow(UnknownSymbolError);
  });

  it('skips the nulls Yahoo leaves in its arrays', () => {
    const body = fixture('yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json') as {
      chart: { result: [{ timestamp: number[]; indicators: { quote: [{ close: (number | null)[] }] } }] };
    };
    const r = body.chart.result[0];
    r.timestamp.push(1578061800);
    r.indicators.quote[0].close.push(null);
    expect(parseYahooChart(body).closes).toHaveLength(1);
  });

  it('asks for the shortest range that reaches back far enough', () => {
    expect(chartRange('2025-12-01', '2025-12-05')).toBe('5d');
    expect(chartRange('2025-11-01', '2025-12-05')).toBe('3mo');
    expect(chartRange('2024-12-01', '2025-12-05')).toBe('2y');
    expect(chartRange('2010-01-01', '2025-12-05')).toBe('max');
  });
});

describe('Finnhub /quote', () => {
  it('reads a real quote', () => {
    const a = parseFinnhubQuote(fixture('finnhub/quote.RUBI.2020-03-27.json'), 'RUBI');
    expect(a).toMatchObject({ source: 'finnhub', price: 6.06, previousClose: 5.75, currency: 'USD' });
    expect(a.quoteDay).toBe('2020-03-27');
  });

  it('treats the all-zero answer as an unknown symbol', () => {
    expect(() => parseFinnhubQuote(fixture('finnhub/quote.DJI.all-zero.2020-07-23.json'), 'DJI')).toThrow(
      UnknownSymbolError,
    );
  });
});

describe('Alpha Vantage GLOBAL_QUOTE', () => {
  it('reads a real quote; a symbol with an exchange suffix has no assumed currency', () => {
    const a = parseAlphaVantageQuote(fixture('alphavantage/GLOBAL_QUOTE.IWDA.AS.2019-08-30.json'), 'IWDA.AS');
    expect(a).toMatchObject({ price: 51.76, quoteDay: '2019-08-30', previousClose: 51.435, currency: null });
  });

  it('reads a Note in a 200 body as its rate limit, and an Error Message as an unknown symbol', () => {
    expect(() => parseAlphaVantageQuote(fixture('alphavantage/rate-limit-Note.2018.json'), 'X')).toThrow(
      RateLimitedError,
    );
    expect(() =>
      parseAlphaVantageQuote({ Information: 'Our standard API rate limit is 25 requests per day.' }, 'X'),
    ).toThrow(RateLimitedError);
    expect(() =>
      parseAlphaVantageQuote(fixture('alphavantage/error-invalid-call.TIME_SERIES_DAILY.json'), 'X'),
    ).toThrow(UnknownSymbolError);
    expect(() => parseAlphaVantageQuote({ 'Global Quote': {} }, 'X')).toThrow(UnknownSymbolError);
  });
});

describe('final closes', () => {
  const answer = parseYahooChart(fixture('yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json'));

  it('keeps a bar only once its session has closed', () => {
    expect(finalCloses(answer, Date.parse('2020-01-02T21:00:00Z'))).toHaveLength(1);
    expect(finalCloses(answer, Date.parse('2020-01-02T20:59:00Z'))).toHaveLength(0);
  });

  it("takes a quote's price as its day's close after the close, and its previous close", () => {
    const q = parseFinnhubQuote(fixture('finnhub/quote.RUBI.2020-03-27.json'), 'RUBI');
    expect(finalCloses(q, Date.parse('2020-03-27T20:30:00Z'))).toEqual([
      { day: '2020-03-27', close: 6.06 },
      { day: '2020-03-26', close: 5.75 },
    ]);
    expect(finalCloses(q, Date.parse('2020-03-27T18:00:00Z'))).toEqual([{ day: '2020-03-26', close: 5.75 }]);
  });
});

describe('tickers', () => {
  it('has one canonical form for the spellings filings use', () => {
    expect(priceTicker('BRK.B')).toBe('BRK.B');
    expect(priceTicker('brk/b')).toBe('BRK.B');
    expect(priceTicker('BRK-B')).toBe('BRK.B');
    expect(priceTicker('T$A')).toBe('T-PA');
    expect(priceTicker('T-PA')).toBe('T-PA');
    expect(priceTicker('BAC.PR.L')).toBe('BAC-PL');
    expect(priceTicker('T$')).toBe('T-P');
    expect(priceTicker('T-P')).toBe('T-P');
    expect(priceTicker(' nvda ')).toBe('NVDA');
    expect(priceTicker('')).toBeNull();
  });

  it('spells each ticker as each source wants it', () => {
    expect(sourceSymbol('yahoo', 'BRK.B')).toBe('BRK-B');
    expect(sourceSymbol('finnhub', 'BRK.B')).toBe('BRK.B');
    expect(sourceSymbol('alphavantage', 'BRK.B')).toBe('BRK-B');
    expect(sourceSymbol('yahoo', 'T-PA')).toBe('T-PA');
    expect(sourceSymbol('alphavantage', 'T-PA')).toBe('T-P-A');
    expect(sourceSymbol('yahoo', 'IWDA.AS')).toBe('IWDA.AS');
  });
});
