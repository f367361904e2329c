/** Small text readers shared by the eFD page and search-row parsers. */

/** Collapse runs of whitespace (incl. non-breaking spaces) to one space and trim. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** `MM/DD/YYYY` (month and day may be unpadded) → ISO `YYYY-MM-DD`; null when not such a date. */
export function usDateToIso(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02/30 over into March: a real calendar date survives the round trip.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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
  // "Over $50,000,000", also "Spouse/DC Over $1,000,000".
  const over = new RegExp(`(?:^|\\s)over\\s+${DOLLARS}$`, 'i').exec(t);
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
