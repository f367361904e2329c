import { describe, expect, it } from 'vitest';
import type { TradePrice } from '../../../domain/tradeView';
import { renderAlertEmail } from '../../../mail/renderAlert';
import { formatPrice, priceMoveLine } from '../../../mail/priceMove';
import { alertInput, alertTrade } from '../../support/trades';

const nvda = (p: Partial<TradePrice> = {}): TradePrice => ({
  ticker: 'NVDA',
  tradeDay: '2025-01-14',
  tradeClose: 138.85,
  latestPrice: 181.2,
  latestAt: '2025-03-03T21:00:00Z',
  currency: 'USD',
  ...p,
});
const generatedAt = '2025-03-04T13:00:00Z';

describe('alert emails with prices', () => {
  it('show the close on the trade date and the latest price with the change, in both parts', () => {
    const { text, html } = renderAlertEmail(
      alertInput({ generatedAt, trades: [alertTrade({ price: nvda() })] }),
    );
    const line = 'NVDA $138.85 on Jan 14 → $181.20 now, +30.5 %';
    expect(text).toContain(`   Price: ${line}`);
    expect(html).toContain('NVDA $138.85 on Jan 14 → $181.20 now, +30.5 %');
  });

  it('word a sale naturally', () => {
    const sale = alertTrade({ transactionType: 'sale', price: nvda({ latestPrice: 120.5 }) });
    expect(renderAlertEmail(alertInput({ generatedAt, trades: [sale] })).text).toContain(
      'Price: NVDA sold at $138.85 on Jan 14; since then $120.50, -13.2 %',
    );
  });

  it('show nothing about the price when none is known, never a wrong number', () => {
    for (const price of [undefined, null, nvda({ tradeClose: null, latestPrice: null })]) {
      const { text, html } = renderAlertEmail(alertInput({ generatedAt, trades: [alertTrade({ price })] }));
      expect(text).not.toContain('Price:');
      expect(html).not.toContain('>Price<');
      expect(text).not.toMatch(/\$\d+\.\d\d/);
    }
  });

  it('leave out a latest price gone stale, and a price on a withdrawn trade', () => {
    const stale = nvda({ latestAt: '2025-01-20T21:00:00Z' });
    expect(priceMoveLine({ transactionType: 'purchase', assetType: 'ST', price: stale }, generatedAt)).toBe(
      'NVDA $138.85 on Jan 14',
    );
    expect(
      priceMoveLine(
        { transactionType: 'purchase', assetType: 'ST', price: nvda(), withdrawn: true },
        generatedAt,
      ),
    ).toBeNull();
  });

  it('name the underlying stock for an option, and the year of an older trade', () => {
    expect(
      priceMoveLine(
        { transactionType: 'purchase', assetType: 'OP', price: nvda({ tradeDay: '2024-12-20' }) },
        generatedAt,
      ),
    ).toBe('Underlying NVDA $138.85 on Dec 20, 2024 → $181.20 now, +30.5 %');
  });

  it('format prices in their currency', () => {
    expect(formatPrice(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatPrice(0.4567, 'USD')).toBe('$0.4567');
    expect(formatPrice(51.76, 'EUR')).toBe('51.76 EUR');
    expect(formatPrice(51.76, null)).toBe('51.76');
  });
});
