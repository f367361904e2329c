/** Small text readers shared by the eFD page and search-row parsers. */

/** Collapse runs of whitespace (incl. non-breaking spaces) to one space and trim. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** The N of "(Amendment N)" in a report title, or null for an original report. */
export function amendmentNumber(title: string): number | null {
  const m = /\(\s*Amendment\s+(\d+)\s*\)/i.exec(title);
  return m ? Number(m[1]) : null;
}

/** The eFD's "no value" marker. */
export function isBlank(text: string): boolean {
  const t = squash(text);
  return t === '' || /^-+$/.test(t);
}

export interface AmountRange {
  amountMin: number | null;
  amountMax: number | null;
}

const DOLLARS = String.raw`\$?\s*([\d,]+(?:\.\d+)?)`;

/**
 * An amount bracket in whole dollars: "$1,001 - $15,000" → 1001..15000; "Over $50,000,000" →
 * 50000001..null (open-ended); a single figure → that figure both ends; `--` → nulls.
 * Returns undefined for text that is none of these.
 */
export function parseAmount(text: string): AmountRange | undefined {
  const t = squash(text);
  if (isBlank(t) || /^unknown$/i.test(t)) return { amountMin: null, amountMax: null };
  const range = new RegExp(`^${DOLLARS}\\s*[-–—]\\s*${DOLLARS}$`).exec(t);
  if (range) return { amountMin: dollars(range[1]!), amountMax: dollars(range[2]!) };
  // "Over $50,000,000", also "Spouse/DC Over $1,000,000" and the eFD's qualified top bracket
  // "Over $1,000,000 and held independently by spouse or dependent child".
  const over = new RegExp(`(?:^|\\s)over\\s+${DOLLARS}(?:\\s+[a-z].*)?$`, 'i').exec(t);
  if (over) return { amountMin: dollars(over[1]!) + 1, amountMax: null };
  const single = new RegExp(`^${DOLLARS}$`).exec(t);
  if (single && t.includes('$')) {
    const v = dollars(single[1]!);
    return { amountMin: v, amountMax: v };
  }
  return undefined;
}

function dollars(figure: string): number {
  return Math.round(Number(figure.replace(/,/g, '')));
}
