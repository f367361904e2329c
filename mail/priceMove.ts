import type { TradePrice, TradeView } from '../domain/tradeView';
import { formatIsoDate, isoDayNumber, oneLine } from './tradeFormat';

/** A latest price older than this when the email is written is not "now": it is left out. */
const STALE_AFTER_DAYS = 7;

/** `$1,234.56` in dollars (four decimals under $1); `51.76 EUR` in another currency; `51.76` unknown. */
export function formatPrice(value: number, currency: string | null): string {
  const digits = value < 1 ? 4 : 2;
  const [whole, fraction] = value.toFixed(digits).split('.');
  const grouped = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
  if (currency === 'USD') return `$${grouped}`;
  return currency ? `${grouped} ${oneLine(currency)}` : grouped;
}

/** `+30.5 %`, `-4.2 %`. */
export function formatChange(from: number, to: number): string {
  const pct = (to / from - 1) * 100;
  const rounded = Math.round(pct * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '-' : '±'}${Math.abs(rounded).toFixed(1)} %`;
}

/** `Jan 14` in the year the email is written, else `Jan 14, 2024`. */
function shortDate(iso: string, generatedAt: string | undefined): string {
  const full = formatIsoDate(iso) ?? iso;
  return generatedAt && generatedAt.slice(0, 4) === iso.slice(0, 4) ? full.replace(/, \d{4}$/, '') : full;
}

/**
 * How the traded stock has moved, in one line: "NVDA $138.85 on Jan 14 → $181.20 now, +30.5 %"; for
 * a sale "NVDA sold at $138.85 on Jan 14; since then $181.20, +30.5 %"; for an option the underlying
 * stock. Null when nothing is known (never a guess); a latest price gone stale is left out.
 */
export function priceMoveLine(
  t: Pick<TradeView, 'transactionType' | 'assetType' | 'price' | 'withdrawn'>,
  generatedAt?: string,
): string | null {
  const p: TradePrice | null | undefined = t.price;
  if (!p || t.withdrawn) return null;
  const close = usable(p.tradeClose) && p.tradeDay && isoDayNumber(p.tradeDay) !== null ? p.tradeClose : null;
  const latest = usable(p.latestPrice) && fresh(p.latestAt, generatedAt) ? p.latestPrice : null;
  if (close === null && latest === null) return null;
  const option = /^(OP|.*option.*)$/i.test(oneLine(t.assetType ?? ''));
  const ticker = `${option ? 'Underlying ' : ''}${oneLine(p.ticker)}`;
  const sale = !option && (t.transactionType === 'sale' || t.transactionType === 'sale_partial');
  const money = (v: number) => formatPrice(v, p.currency);
  if (close === null) return `${ticker} ${money(latest!)} now`;
  const on = `${money(close)} on ${shortDate(p.tradeDay!, generatedAt)}`;
  if (latest === null) return sale ? `${ticker} sold at ${on}` : `${ticker} ${on}`;
  const change = formatChange(close, latest);
  return sale
    ? `${ticker} sold at ${on}; since then ${money(latest)}, ${change}`
    : `${ticker} ${on} → ${money(latest)} now, ${change}`;
}

function usable(v: number | null): v is number {
  return v !== null && Number.isFinite(v) && v > 0;
}

function fresh(latestAt: string | null, generatedAt: string | undefined): boolean {
  if (!latestAt) return false;
  const at = Date.parse(latestAt);
  if (Number.isNaN(at)) return false;
  if (!generatedAt) return true;
  return Date.parse(generatedAt) - at <= STALE_AFTER_DAYS * 86_400_000;
}
