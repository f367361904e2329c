import type { AlertEmailInput, AlertTrade } from '../../../mail/alertContent';

export function pelosiNvda(overrides: Partial<AlertTrade> = {}): AlertTrade {
  return {
    notificationId: 'n-1001',
    memberName: 'Nancy Pelosi',
    chamber: 'house',
    stateDistrict: 'CA11',
    party: 'D',
    ticker: 'NVDA',
    assetName: 'NVIDIA Corporation - Common Stock',
    assetType: 'ST',
    transactionType: 'purchase',
    owner: 'spouse',
    amountMin: 1001,
    amountMax: 15000,
    transactionDate: '2025-01-14',
    filedDate: '2025-01-17',
    filingUrl: 'https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/20026590.pdf',
    reasons: ['You follow Nancy Pelosi', 'Ticker NVDA'],
    ...overrides,
  };
}

export function alertInput(overrides: Partial<AlertEmailInput> = {}): AlertEmailInput {
  return {
    user: { email: 'reader@example.com', timezone: 'America/New_York' },
    kind: 'instant',
    trades: [pelosiNvda()],
    unsubscribeUrl: 'https://capitolscope.org/unsubscribe?token=abc.def',
    manageUrl: 'https://capitolscope.org/alerts',
    ...overrides,
  };
}
