/** A date read from handwriting, checked against what the form allows. */
export interface ReadDate {
  iso: string | null;
  confidence: number;
}

/**
 * `MM/DD/YY` as written on the form (also `M/D/YYYY`, `-` or `.` for `/`) → ISO, or null when the
 * text is no calendar date.
 */
export function parseWrittenDate(text: string): string | null {
  const t = text.replace(/[-.]/g, '/').replace(/\s+/g, '');
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

/**
 * Confidence in a trade date and a notification date read from one row, given the engine's own
 * confidence in each. A trade must come before the filing and within the year before it; the filer
 * is notified of it on or after the trade, and before filing. A date breaking these is dropped (null,
 * confidence 0): it was misread, or is not a date this form can hold. Without a filed date, only the
 * order of the two dates can be checked, and neither is fully trusted.
 */
export function checkDates(
  trade: { text: string; confidence: number } | null,
  notified: { text: string; confidence: number } | null,
  filedDate: string | null,
): { transactionDate: ReadDate; notificationDate: ReadDate } {
  const read = (f: { text: string; confidence: number } | null): ReadDate => {
    const iso = f ? parseWrittenDate(f.text) : null;
    return { iso, confidence: iso ? f!.confidence : 0 };
  };
  const t = read(trade);
  const n = read(notified);
  const filed = filedDate ? Date.parse(filedDate) : NaN;
  const within = (d: ReadDate, earliest: number) => {
    if (!d.iso) return d;
    const at = Date.parse(d.iso);
    if (Number.isNaN(filed)) return { iso: d.iso, confidence: d.confidence * 0.85 };
    return at <= filed && at >= earliest ? d : { iso: null, confidence: 0 };
  };
  const tradeOk = within(t, filed - 366 * DAY_MS);
  const notifiedOk = within(n, tradeOk.iso ? Date.parse(tradeOk.iso) : filed - 366 * DAY_MS);
  return { transactionDate: tradeOk, notificationDate: notifiedOk };
}
