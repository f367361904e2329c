import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { toPgm, type Bitmap, type Box } from './bitmap';
import { fieldInk } from './fieldImage';

/** What may be written in a field, so the engine cannot read a date as letters or an owner as digits. */
export type FieldKind = 'date' | 'owner' | 'text';

const WHITELIST: Record<FieldKind, string> = {
  date: '0123456789/-.',
  owner: 'SPDCJT',
  text: '',
};

/**
 * Pixels of a line of writing once enlarged (measured on the transcribed scans: 30 reads worse, 40
 * to 50 best, 64 worse again).
 */
const LETTER_HEIGHT = 50;

export interface FieldText {
  text: string;
  /** 0..1, the engine's own confidence in what it read. */
  confidence: number;
}

/**
 * The English model that ships inside the `@tesseract.js-data/eng` package: read from disk, never
 * fetched, never cached elsewhere.
 */
export function englishModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/**
 * Reads one field (a cell of the form) at a time with Tesseract, as one line of text restricted to
 * the characters the field may hold. Whole-page OCR of a form reads its printed labels and grid as
 * text and invents rows; field by field, each answer lands in its cell.
 */
export class FieldReader {
  private constructor(private readonly worker: Worker) {}

  static async create(): Promise<FieldReader> {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      langPath: englishModelDir(),
      gzip: true,
      cacheMethod: 'none',
      errorHandler: () => undefined,
    });
    return new FieldReader(worker);
  }

  /**
   * Reads the writing in `box` of `image`: its ink alone (specks and line stubs dropped, cropped to
   * the writing), enlarged to about the letter height the engine reads best. Nothing left to read
   * gives empty text with no confidence.
   */
  async read(image: Bitmap, box: Box, kind: FieldKind): Promise<FieldText> {
    const ink = fieldInk(image, box);
    if (!ink) return { text: '', confidence: 0 };
    const scale = Math.max(1, Math.min(4, Math.round(LETTER_HEIGHT / ink.height)));
    await this.worker.setParameters({
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      tessedit_char_whitelist: WHITELIST[kind],
    });
    const whole = { x0: 0, y0: 0, x1: ink.width, y1: ink.height };
    const { data } = await this.worker.recognize(toPgm(ink, whole, scale, 16));
    return { text: data.text.replace(/\s+/g, ' ').trim(), confidence: Math.max(0, data.confidence) / 100 };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
