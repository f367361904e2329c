import type { ParsedTransaction } from '../../domain/filing';
import type { AlertEmailInput, AlertTrade } from '../../mail/alertContent';

/**
 * One transaction as the parsers produce it and the store takes it (a House row by default: a $15,001
 * to $50,000 NVDA purchase by the member on 2025-01-10); any field can be overridden.
 */
export function trade(overrides: Partial<ParsedTransaction> = {}): ParsedTransaction {
  return {
    owner: 'self',
    assetName: 'NVIDIA Corporation - Common Stock',
    ticker: 'NVDA',
    assetType: 'ST',
    transactionType: 'purchase',
    transactionDate: '2025-01-10',
    notificationDate: '2025-01-10',
    amountMin: 15001,
    amountMax: 50000,
    filingStatus: 'new',
    description: null,
    comment: null,
    subholdingOf: null,
    ...overrides,
  };
}

/** What a Senate row leaves empty that a House row fills. */
export const SENATE_ROW = { notificationDate: null, filingStatus: null } as const;

/**
 * A trade as an alert email shows it: Nancy Pelosi's spouse buying NVDA (from PTR 20026590), matched
 * by two rules; any field can be overridden.
 */
export function alertTrade(overrides: Partial<AlertTrade> = {}): AlertTrade {
  const { ticker, assetName, assetType, transactionType, owner, amountMin, amountMax, transactionDate } =
    trade({
      owner: 'spouse',
      amountMin: 1001,
      amountMax: 15000,
      transactionDate: '2025-01-14',
    });
  return {
    notificationId: 'n-1001',
    memberName: 'Nancy Pelosi',
    chamber: 'house',
    stateDistrict: 'CA11',
    party: 'D',
    ticker,
    assetName,
    assetType,
    transactionType,
    owner,
    amountMin,
    amountMax,
    transactionDate,
    filedDate: '2025-01-17',
    filingUrl: 'https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/20026590.pdf',
    reasons: ['You follow Nancy Pelosi', 'Ticker NVDA'],
    ...overrides,
  };
}

/** An alert email's input: one trade, for a New York reader, with unsubscribe and manage links. */
export function alertInput(overrides: Partial<AlertEmailInput> = {}): AlertEmailInput {
  return {
    user: { email: 'reader@example.com', timezone: 'America/New_York' },
    kind: 'instant',
    trades: [alertTrade()],
    unsubscribeUrl: 'https://capitolscope.org/unsubscribe?token=abc.def',
    manageUrl: 'https://capitolscope.org/alerts',
    ...overrides,
  };
}
