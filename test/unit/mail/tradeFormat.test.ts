import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHref } from '../../../mail/escapeHtml';
import {
  affiliation,
  assetTypeLabel,
  filingDelayDays,
  formatAmountBracket,
  formatIsoDate,
  isLateFiling,
  oneLine,
  tickerLabel,
} from '../../../mail/tradeFormat';

describe('formatAmountBracket', () => {
  it('words the standard brackets', () => {
    expect(formatAmountBracket(1001, 15000)).toBe('$1,001 – $15,000');
    expect(formatAmountBracket(250001, 500000)).toBe('$250,001 – $500,000');
    expect(formatAmountBracket(1000001, 5000000)).toBe('$1,000,001 – $5,000,000');
  });

  it('words open-ended brackets as "Over"', () => {
    expect(formatAmountBracket(50000001, null)).toBe('Over $50,000,000');
    expect(formatAmountBracket(1000001, null)).toBe('Over $1,000,000');
    expect(formatAmountBracket(1234, null)).toBe('$1,234 or more');
  });

  it('handles missing and odd values', () => {
    expect(formatAmountBracket(null, null)).toBe('Amount not disclosed');
    expect(formatAmountBracket(null, 1000)).toBe('Up to $1,000');
    expect(formatAmountBracket(15000, 15000)).toBe('$15,000');
    expect(formatAmountBracket(Number.NaN, -5)).toBe('Amount not disclosed');
  });
});

describe('dates and delay', () => {
  it('formats ISO dates without time-zone drift', () => {
    expect(formatIsoDate('2025-01-01')).toBe('Jan 1, 2025');
    expect(formatIsoDate('2024-12-31T00:00:00Z')).toBe('Dec 31, 2024');
    expect(formatIsoDate(null)).toBeNull();
    expect(formatIsoDate('sometime in 2024')).toBe('sometime in 2024');
    expect(formatIsoDate('2025-02-30')).toBe('2025-02-30');
  });

  it('counts calendar days from trade to filing, across DST and leap days', () => {
    expect(filingDelayDays('2025-01-14', '2025-01-17')).toBe(3);
    expect(filingDelayDays('2024-02-28', '2024-03-01')).toBe(2);
    expect(filingDelayDays('2025-03-01', '2025-04-15')).toBe(45);
    expect(filingDelayDays(null, '2025-01-17')).toBeNull();
    expect(filingDelayDays('2025-01-18', '2025-01-17')).toBeNull();
  });

  it('flags only delays over 45 days', () => {
    expect(isLateFiling(45)).toBe(false);
    expect(isLateFiling(46)).toBe(true);
    expect(isLateFiling(null)).toBe(false);
  });
});

describe('labels', () => {
  it('abbreviates party names and joins the seat', () => {
    expect(affiliation('D', 'CA11')).toBe('D-CA11');
    expect(affiliation('Republican', null)).toBe('R');
    expect(affiliation(null, 'TX02')).toBe('TX02');
    expect(affiliation(null, null)).toBeNull();
  });

  it('spells out House asset-type codes and keeps Senate labels', () => {
    expect(assetTypeLabel('ST')).toBe('Stock');
    expect(assetTypeLabel('OP')).toBe('Stock option');
    expect(assetTypeLabel('Stock')).toBe('Stock');
    expect(assetTypeLabel('ZZ')).toBe('ZZ');
    expect(assetTypeLabel(null)).toBeNull();
  });

  it('shows an exchange’s two tickers with an arrow, and a lone ticker as is', () => {
    expect(tickerLabel('VFC', 'KTB')).toBe('VFC → KTB');
    expect(tickerLabel(' NVDA\n')).toBe('NVDA');
    expect(tickerLabel('VFC', null)).toBe('VFC');
    // No ticker given up: the asset name stands in; the description names both holdings.
    expect(tickerLabel(null, 'KTB')).toBeNull();
    expect(tickerLabel('  ', undefined)).toBeNull();
  });

  it('folds whitespace and control characters', () => {
    expect(oneLine('  a\r\n\tb\u2028c\u0000d ')).toBe('a b c d');
  });
});

describe('escapeHtml and safeHref', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('allows only absolute http(s) links', () => {
    expect(safeHref('https://example.org/a?b=1&c=2')).toBe('https://example.org/a?b=1&amp;c=2');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('/relative/path')).toBeNull();
    expect(safeHref('https://example.org/"><script>')).toBe('https://example.org/%22%3E%3Cscript%3E');
  });
});
