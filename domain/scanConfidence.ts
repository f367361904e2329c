import type { ParsedTransaction, ScanConfidence } from './filing';

/**
 * A field read from a scan at or above this confidence is trusted: stored where alerts read it and
 * shown in alert emails. Below it, the reading is kept for operators only. A wrong alert is worse
 * than a missing one, so the bar is high.
 */
export const CONFIDENT = 0.8;

/** Below this, a filing read from a scan is listed for an operator's review. */
export const REVIEW_BELOW = CONFIDENT;

export function isConfident(value: number | undefined | null): boolean {
  return typeof value === 'number' && value >= CONFIDENT;
}

/** The fields of a row read from a scan that alerting may rely on; others are set to null. */
export function trustedFields(
  t: ParsedTransaction,
): Pick<ParsedTransaction, 'ticker' | 'transactionType' | 'amountMin' | 'amountMax'> {
  const c: ScanConfidence | undefined = t.confidence;
  if (!t.readFromScan || !c) {
    return {
      ticker: t.ticker,
      transactionType: t.transactionType,
      amountMin: t.amountMin,
      amountMax: t.amountMax,
    };
  }
  const amount = isConfident(c.amount);
  return {
    ticker: isConfident(c.ticker) ? t.ticker : null,
    transactionType: isConfident(c.transactionType) ? t.transactionType : null,
    amountMin: amount ? t.amountMin : null,
    amountMax: amount ? t.amountMax : null,
  };
}

/** The lowest confidence of a row's fields. */
export function rowConfidence(c: ScanConfidence): number {
  return Math.min(...Object.values(c));
}
