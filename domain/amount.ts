/** A disclosed value bracket in whole dollars; `amountMax` null when open-ended ("Over $50,000,000"). */
export interface AmountBracket {
  amountMin: number | null;
  amountMax: number | null;
}

const FIGURE = String.raw`\$?\s*(\d[\d,]*(?:\.\d+)?)`;
const DASH = '[-–—]';
const RANGE = new RegExp(`^(?:spouse/dc\\s+)?${FIGURE}\\s*${DASH}\\s*${FIGURE}$`, 'i');
// "Over $50,000,000", "Spouse/DC Over $1,000,000" and the eFD's qualified top bracket
// "Over $1,000,000 and held independently by spouse or dependent child".
const OVER = new RegExp(`^(?:spouse/dc\\s+)?over\\s+${FIGURE}(?:\\s+[a-z].*)?$`, 'i');
const CUT_SHORT = new RegExp(`^\\$\\s*(\\d[\\d,]*(?:\\.\\d+)?)\\s*${DASH}$`);
const SINGLE = new RegExp(`^\\$\\s*(\\d[\\d,]*(?:\\.\\d+)?)$`);

/**
 * An amount bracket as both chambers' forms print it, in whole dollars: `$1,001 - $15,000` →
 * 1001..15000; `Over $50,000,000` (also `Spouse/DC Over $1,000,000` and the eFD's qualified top
 * bracket) → one dollar above the figure, no maximum; a single `$15,000` → that figure at both ends;
 * a bracket cut short (`$15,001 -`) → no known top; empty, `--` or `Unknown` → no amount.
 * Undefined for text that is none of these (a range whose ends are reversed, as a document cut
 * mid-figure gives, or a figure beyond any disclosed amount included): each caller decides whether
 * that is an error.
 */
export function parseAmountBracket(text: string): AmountBracket | undefined {
  const t = text.replace(/[\s\u00a0]+/g, ' ').trim();
  if (t === '' || /^-+$/.test(t) || /^unknown$/i.test(t)) return { amountMin: null, amountMax: null };
  const bracket = readBracket(t);
  if (!bracket) return undefined;
  const { amountMin, amountMax } = bracket;
  if ([amountMin, amountMax].some((n) => n !== null && !(n <= MAX_AMOUNT))) return undefined;
  if (amountMin !== null && amountMax !== null && amountMin > amountMax) return undefined;
  return bracket;
}

/** Far above the top bracket of either form ("Over $50,000,000"): a larger figure is garbage. */
const MAX_AMOUNT = 1e12;

function readBracket(t: string): AmountBracket | undefined {
  let m = RANGE.exec(t);
  if (m) return { amountMin: dollars(m[1]!), amountMax: dollars(m[2]!) };
  if ((m = OVER.exec(t))) return { amountMin: dollars(m[1]!) + 1, amountMax: null };
  if ((m = CUT_SHORT.exec(t))) return { amountMin: dollars(m[1]!), amountMax: null };
  if ((m = SINGLE.exec(t))) return { amountMin: dollars(m[1]!), amountMax: dollars(m[1]!) };
  return undefined;
}

function dollars(figure: string): number {
  return Math.round(Number(figure.replace(/,/g, '')));
}
