import { inkCount, type Bitmap } from './bitmap';
import type { FieldReader } from './fieldOcr';

/** The Legislative Resource Center's receipt stamp: `2025 FEB -6 PM 2:40`. */
export interface ClerkStamp {
  /** The year when it could be read (stamps print it faintly; often it cannot). */
  year: number | null;
  month: number;
  day: number;
  /** The line as read. */
  text: string;
  /** The engine's own confidence in the line, 0..1. */
  confidence: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Stamped digits read as letters and letters as digits. */
const AS_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', '6': 'G', '2': 'Z' };
const AS_DIGIT: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', S: '5', B: '8', Z: '2' };

/**
 * The month and day of a stamp line as OCR reads it (`NBFER 13 PH 3: 27`, `WIFEB20 pi 4: 16`,
 * `20250CT 23 AM 9: 48`): a three-letter month (one letter misread at most) followed by a day, on a
 * line with a time or AM/PM, so a date elsewhere in the header is not taken for it. Null when no
 * such line.
 */
export function parseStampLine(text: string): Omit<ClerkStamp, 'text' | 'confidence'> | null {
  const line = text.toUpperCase();
  if (!/\b[AP][MHN]\b|\d\s*:\s*\d/.test(line)) return null;
  // Tried at every position: a misread letter before the month must not swallow it (`WBFEB IO`).
  const at = /([A-Z0-9]{3})\s*[-~.]?\s*([0-9IOQDLSBZ]{1,2})(?=\s|$)/y;
  for (let i = 0; i + 3 < line.length; i++) {
    at.lastIndex = i;
    const found = at.exec(line);
    if (!found) continue;
    const word = [...found[1]!].map((c) => AS_LETTER[c] ?? c).join('');
    const month = MONTHS.findIndex((name) => distance(name, word) <= 1);
    if (month < 0) continue;
    const day = Number([...found[2]!].map((c) => AS_DIGIT[c] ?? c).join(''));
    if (!Number.isInteger(day) || day < 1 || day > 31) continue;
    const year = /(20\d\d)\s*$/.exec(line.slice(0, i));
    return { year: year ? Number(year[1]) : null, month: month + 1, day };
  }
  return null;
}

/**
 * Reads the clerk's stamp in the header's right part (above the grid): each line of print there is
 * read until one reads as a stamp. `clean` is the page without its ruling lines.
 */
export async function readClerkStamp(
  clean: Bitmap,
  headerBottom: number,
  fields: FieldReader,
): Promise<ClerkStamp | null> {
  const x0 = Math.round(clean.width * 0.6);
  const x1 = clean.width;
  for (const [y0, y1] of printLines(clean, x0, x1, headerBottom)) {
    const read = await fields.read(clean, { x0, x1, y0: y0 - 3, y1: y1 + 3 }, 'text');
    const stamp = parseStampLine(read.text);
    if (stamp) return { ...stamp, text: read.text, confidence: Math.round(read.confidence * 100) / 100 };
  }
  return null;
}

/** Bands of rows with ink between x0 and x1, from the top: lines of print (a stamp line is one). */
function printLines(b: Bitmap, x0: number, x1: number, bottom: number): [number, number][] {
  const bands: [number, number][] = [];
  const min = (x1 - x0) * 0.01;
  const tall = Math.round(b.height * 0.06);
  let start = -1;
  for (let y = 0; y <= bottom; y++) {
    const on = y < bottom && inkCount(b, { x0, x1, y0: y, y1: y + 1 }) > min;
    if (on && start < 0) start = y;
    if (!on && start >= 0) {
      if (y - start > 12 && y - start < tall) bands.push([start, y]);
      start = -1;
    }
  }
  return bands;
}

function distance(a: string, b: string): number {
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
  return diff + Math.abs(a.length - b.length);
}
