import type { ParsedTransaction } from './filing';

/**
 * A row's identity within its filing, from what the filer reported: the same document parsed again
 * gives the same keys, so storing it twice inserts nothing. Plain text (not a hash) keeps it readable.
 *
 * A row marked deleted (it withdraws a trade of an earlier report) ends in `|deleted`: it never takes
 * the identity of a reported trade with the same facts, and the keys of all other rows stay as they
 * always were.
 */
export function transactionRowKey(t: ParsedTransaction): string {
  const key = [
    t.owner,
    (t.ticker ?? '').toUpperCase(),
    t.assetName.toLowerCase().replace(/\s+/g, ' ').trim(),
    t.transactionType,
    t.transactionDate ?? '',
    t.amountMin ?? '',
    t.amountMax ?? '',
  ].join('|');
  return t.filingStatus === 'deleted' ? `${key}|deleted` : key;
}
