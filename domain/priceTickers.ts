/**
 * Tickers for prices, in one place. Filings and rules write the same security several ways
 * (`BRK.B`, `BRK/B`, `BRK-B`; preferred shares `T$A`, `T-PA`, `T.PRA`); prices are stored under one
 * canonical form, and each price source is asked in its own. The SQL function `price_ticker`
 * (store/migrations/010_prices.sql) is this canonical form's twin for joins; a test keeps them equal.
 *
 * Canonical: upper case, no spaces; class shares `BRK.B`; preferred shares `T-PA` (series A), `T-P`.
 */
export function priceTicker(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const t = raw
    .replace(/\s+/g, '')
    .toUpperCase()
    // A lone P after a separator is a preferred share without series (`T-P`), not class P.
    .replace(/^([A-Z]+)[./-]([A-OQ-Z])$/, '$1.$2')
    .replace(/^([A-Z]+)\$([A-Z]{0,2})$/, '$1-P$2')
    .replace(/^([A-Z]+)[.-]PR[.-]?([A-Z])$/, '$1-P$2');
  return t === '' ? null : t;
}

export const PRICE_SOURCES = ['yahoo', 'finnhub', 'alphavantage'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/**
 * A canonical ticker as each source spells it. Yahoo and Alpha Vantage write class shares with a dash
 * (`BRK-B`), Finnhub with a dot (`BRK.B`); Yahoo and Finnhub write preferred series `T-PA`, Alpha
 * Vantage `T-P-A`. Exchange suffixes of two or more letters (`IWDA.AS`) are left alone.
 */
export function sourceSymbol(source: PriceSource, ticker: string): string {
  const classShare = /^([A-Z]+)\.([A-Z])$/.exec(ticker);
  const preferred = /^([A-Z]+)-P([A-Z]?)$/.exec(ticker);
  switch (source) {
    case 'yahoo':
      return classShare ? `${classShare[1]}-${classShare[2]}` : ticker;
    case 'finnhub':
      return ticker;
    case 'alphavantage':
      if (classShare) return `${classShare[1]}-${classShare[2]}`;
      if (preferred) return preferred[2] ? `${preferred[1]}-P-${preferred[2]}` : `${preferred[1]}-P`;
      return ticker;
  }
}
