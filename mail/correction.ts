import type { TradeFacts } from '../domain/tradeView';
import { formatAmountBracket, formatIsoDate, ownerLabel, tradeLabel } from './tradeFormat';

/** What a correction says of a trade the filer withdrew in an amended report (a row marked Deleted). */
export function describeWithdrawal(): string {
  return 'The filer has withdrawn this trade in an amended report';
}

/** What an amendment changed in a trade the user was alerted about: "amount $1,001 – $15,000 → ...". */
export function describeCorrection(before: TradeFacts, after: TradeFacts): string {
  const changes: string[] = [];
  const diff = (label: string, a: string | null, b: string | null) => {
    if (a !== b) changes.push(`${label} ${a ?? 'none'} → ${b ?? 'none'}`);
  };
  diff('type', tradeLabel(before.transactionType), tradeLabel(after.transactionType));
  diff('owner', ownerLabel(before.owner), ownerLabel(after.owner));
  diff(
    'amount',
    formatAmountBracket(before.amountMin, before.amountMax),
    formatAmountBracket(after.amountMin, after.amountMax),
  );
  diff('date', formatIsoDate(before.transactionDate), formatIsoDate(after.transactionDate));
  diff('ticker', before.ticker, after.ticker);
  return changes.length ? `Amended: ${changes.join('; ')}` : 'Amended by the filer';
}
