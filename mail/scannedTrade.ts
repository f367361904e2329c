import { isConfident } from '../domain/scanConfidence';
import type { AlertTrade } from './alertContent';

/** What a field of a scanned trade reads as when it was not read with high confidence. */
export const SEE_THE_FILING = 'see the original filing';

export const SCANNED_NOTE =
  'Read from a scanned paper filing: only the details read with high confidence are shown; the original filing has the rest.';

/**
 * A trade read from a scan as an email may show it: each field read with less than high confidence
 * left out (it reads as "see the original filing"). Ticker, type and amount are
 * stored only when read with high confidence, so they need no hiding here.
 */
export function scannedView(t: AlertTrade): AlertTrade {
  const c = t.scanConfidence;
  if (!c) return t;
  return {
    ...t,
    assetName: isConfident(c.assetName) ? t.assetName : '',
    transactionDate: isConfident(c.transactionDate) ? t.transactionDate : null,
  };
}
