import type { ParsedTransaction } from './filing';

/**
 * A row's identity within its filing, from what the filer reported: the same document parsed again
 * gives the same keys, so storing it twice inserts nothing. Plain text (not a hash) keeps it readable.
 */
export function transactionRowKey(t: ParsedTransaction): string {
  return [
    t.owner,
    (t.ticker ?? '').toUpperCase(),
    t.assetName.toLowerCase().replace(/\s+/g, ' ').trim(),
    t.transactionType,
    t.transactionDate ?? '',
    t.amountMin ?? '',
    t.amountMax ?? '',
  ].join('|');
}
