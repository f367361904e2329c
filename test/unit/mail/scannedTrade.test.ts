import { describe, expect, it } from 'vitest';
import { renderAlertEmail } from '../../../mail/renderAlert';
import { SCANNED_NOTE } from '../../../mail/scannedTrade';
import { alertInput, alertTrade } from '../../support/trades';

/** A sale read from a scan: boxes sure, the handwritten name and owner not. */
const scanned = alertTrade({
  memberName: 'Gus M. Bilirakis',
  ticker: null,
  assetName: 'GE Vermnova LLC (GEV)',
  transactionType: 'sale',
  owner: 'dependent',
  transactionDate: '2025-01-27',
  filingUrl: 'https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/8220747.pdf',
  scanConfidence: {
    owner: 0.55,
    assetName: 0.76,
    ticker: 0.4,
    transactionType: 1,
    transactionDate: 0.94,
    notificationDate: 0,
    amount: 1,
  },
});

describe('an alert about a trade read from a scanned paper filing', () => {
  it('says so, shows only the fields read with high confidence, and links the original', () => {
    const { subject, text, html } = renderAlertEmail(alertInput({ trades: [scanned] }));
    expect(subject).toBe('Gus M. Bilirakis sold an asset (see the filing)');
    expect(text).toContain(SCANNED_NOTE);
    expect(html).toContain('Read from a scanned paper filing');
    expect(text).toContain('Sale: an asset (see the filing)');
    expect(text).toContain('Owner: see the original filing');
    expect(text).toContain('Amount: $1,001 – $15,000');
    expect(text).toContain('Traded: Jan 27, 2025');
    expect(text).toContain(
      'Original filing: https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/8220747.pdf',
    );
    for (const part of [text, html]) {
      expect(part).not.toContain('Vermnova');
      expect(part).not.toContain('Dependent');
    }
  });

  it('shows a field once it is sure (an operator corrected it), and a trade not scanned as before', () => {
    const corrected = { ...scanned, assetName: 'GE Vernova Inc.', ticker: 'GEV' };
    corrected.scanConfidence = { ...scanned.scanConfidence!, assetName: 1, ticker: 1 };
    const { text } = renderAlertEmail(alertInput({ trades: [corrected] }));
    expect(text).toContain('Sale: GEV (GE Vernova Inc.)');
    expect(text).toContain(SCANNED_NOTE);
    const plain = renderAlertEmail(alertInput());
    expect(plain.text).not.toContain('scanned');
  });

  it('reads an unread type, amount and date as on the original filing, not as undisclosed', () => {
    const unsure = {
      ...scanned,
      transactionType: null,
      amountMin: null,
      amountMax: null,
      scanConfidence: { ...scanned.scanConfidence!, transactionDate: 0.3 },
    };
    const { text } = renderAlertEmail(alertInput({ trades: [unsure] }));
    expect(text).toContain('Trade: an asset (see the filing)');
    expect(text).toContain('Amount: see the original filing');
    expect(text).toContain('Traded: see the original filing');
    expect(text).not.toContain('not disclosed');
  });
});
