/** A value bracket as printed on a House PTR, in whole dollars; `max` null when open-ended. */
export interface AmountRange {
  min: number | null;
  max: number | null;
}

/**
 * `$1,001 - $15,000` → 1001..15000; `Over $50,000,000` and the spouse/dependent bracket
 * `Spouse/DC Over $1,000,000` → one dollar above the figure, no maximum. Unreadable → nulls.
 */
export function parseAmountRange(text: string): AmountRange {
  const figures = [...text.matchAll(/\$\s*(\d[\d,]*)(?:\.\d+)?/g)].map((m) =>
    Number((m[1] ?? '').replace(/,/g, '')),
  );
  const [first, second] = figures;
  if (first === undefined) return { min: null, max: null };
  if (/\bover\b/i.test(text)) return { min: (figures.at(-1) ?? first) + 1, max: null };
  if (second !== undefined) return { min: first, max: second };
  // A lone figure: a bracket cut short ("$15,001 -") has no known top.
  return /-\s*$/.test(text.trim()) ? { min: first, max: null } : { min: first, max: first };
}

/** True when a bracket read so far still lacks its second half (it wraps onto the next line). */
export function isAmountIncomplete(text: string): boolean {
  const t = text.trim();
  if (t === '') return true;
  if (/-$/.test(t)) return true;
  // "Spouse/DC", "Over", "Spouse/DC Over": the figure follows on the next line.
  return !/\$\s*\d/.test(t) && /^(?:spouse\/dc|over|\s)+$/i.test(t);
}
