import { CONFIDENT } from '../../../domain/scanConfidence';

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

/** Digits OCR takes for one another in stamped and typed dates. */
const LOOKALIKES: Record<string, string[]> = {
  '0': ['8', '6'],
  '1': ['7'],
  '3': ['8'],
  '5': ['6'],
  '6': ['5', '8'],
  '7': ['1'],
  '8': ['3', '0', '6'],
};
/** Characters a slash is read as. */
const SLASHY = new Set(['/', '1', '7', 'I', 'l', '|']);

/**
 * Dates a misread `MM/DD/YY` could have been, each with how many characters were changed: the text
 * as it is; its slashes read as `1` or `7` (`112712025` is `1/27/2025`); its digits split where no
 * slash was read (`020325`); and one digit swapped for its lookalike (`01/28/26` is `01/28/25` when
 * 2026 cannot be). At most two changes.
 */
export function dateCandidates(text: string): { iso: string; changes: number }[] {
  const t = text.replace(/[-.]/g, '/').replace(/\s+/g, '');
  const found = new Map<string, number>();
  const add = (iso: string | null, changes: number) => {
    if (iso && (found.get(iso) ?? Infinity) > changes) found.set(iso, changes);
  };
  const readings = [{ text: t, changes: 0 }];
  const digits = t.replace(/\//g, '');
  if (/^\d{5,8}$/.test(digits) && !t.includes('/')) readings.push({ text: digits, changes: 1 });
  for (const r of readings) {
    add(parseWrittenDate(r.text), r.changes);
    // Separators chosen among slash-like characters (or between digits, for a bare run of digits).
    const chars = [...r.text];
    for (let i = 1; i < chars.length - 2; i++) {
      for (let j = i + 2; j < chars.length - 1; j++) {
        const sep = (k: number) => (chars[k] === '/' ? 0 : SLASHY.has(chars[k]!) ? 1 : null);
        const si = sep(i);
        const sj = sep(j);
        if (si !== null && sj !== null && si + sj > 0) {
          add(
            parseWrittenDate(`${r.text.slice(0, i)}/${r.text.slice(i + 1, j)}/${r.text.slice(j + 1)}`),
            r.changes + si + sj,
          );
        }
      }
      if (/^\d+$/.test(r.text)) {
        for (let j = i + 1; j < chars.length - 1; j++) {
          add(parseWrittenDate(`${r.text.slice(0, i)}/${r.text.slice(i, j)}/${r.text.slice(j)}`), r.changes);
        }
      }
    }
  }
  // One digit swapped for its lookalike.
  const chars = [...t];
  chars.forEach((c, i) => {
    for (const other of LOOKALIKES[c] ?? []) {
      const swapped = [...chars];
      swapped[i] = other;
      add(parseWrittenDate(swapped.join('')), 1);
    }
  });
  return [...found].map(([iso, changes]) => ({ iso, changes }));
}

/**
 * The trade date and notification date of one row from what OCR read, each with a confidence. A
 * trade comes before the filing and within the year before it; the filer is notified of it on or
 * after the trade, and before filing. A reading that breaks these is taken for the one date within
 * them it could be a misreading of (see dateCandidates), at a confidence no higher than CONFIDENT;
 * when none fits, or several do, there is no date (or an unsure one). Without a filed date, only a
 * reading as it is counts, and it is not fully trusted.
 */
export function checkDates(
  trade: { text: string; confidence: number } | null,
  notified: { text: string; confidence: number } | null,
  filedDate: string | null,
): { transactionDate: ReadDate; notificationDate: ReadDate } {
  const filed = filedDate ? Date.parse(filedDate) : NaN;
  const pick = (f: { text: string; confidence: number } | null, earliest: number): ReadDate => {
    if (!f) return { iso: null, confidence: 0 };
    if (Number.isNaN(filed)) {
      const iso = parseWrittenDate(f.text);
      return { iso, confidence: iso ? Math.min(f.confidence, CONFIDENT) * 0.85 : 0 };
    }
    const fits = dateCandidates(f.text).filter(({ iso }) => {
      const at = Date.parse(iso);
      return at <= filed && at >= earliest;
    });
    const fewest = Math.min(...fits.map((c) => c.changes));
    const best = fits.filter((c) => c.changes === fewest);
    if (best.length === 0) return { iso: null, confidence: 0 };
    if (fewest === 0 && best.length === 1) return { iso: best[0]!.iso, confidence: f.confidence };
    // A repaired reading is as sure as the threshold at most; two repairs that fit are a guess.
    const repaired = Math.min(f.confidence, CONFIDENT);
    return { iso: best[0]!.iso, confidence: best.length === 1 ? repaired : repaired * 0.5 };
  };
  const tradeOk = pick(trade, filed - 366 * DAY_MS);
  const notifiedOk = pick(notified, tradeOk.iso ? Date.parse(tradeOk.iso) : filed - 366 * DAY_MS);
  return { transactionDate: tradeOk, notificationDate: notifiedOk };
}
