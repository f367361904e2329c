import { ImageKind, OPS, Util, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ParseError } from '../../../domain/filing';
import { isPdf, openPdf } from '../pdfText';
import { createBitmap, rotateQuarter, type Bitmap } from './bitmap';

/** The decoded image of a page as pdf.js hands it over. */
interface PdfImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

type Matrix = [number, number, number, number, number, number];

/**
 * The scan of every page of a scanned PDF, as it appears on the page (the PDF's own page rotation and
 * image placement applied), binarised. A scanned PDF draws one image per page; a page drawing several
 * gives its largest. A page without any image gives an empty bitmap. The images are decoded by pdf.js
 * itself (CCITT fax, JBIG2, JPEG, Flate), so nothing beyond the PDF is needed.
 */
export async function* pageBitmaps(bytes: Uint8Array): AsyncGenerator<Bitmap, void, void> {
  if (!isPdf(bytes)) throw new ParseError('not a PDF');
  const task = openPdf(bytes);
  try {
    const doc = await task.promise;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const bitmap = await pageBitmap(page);
      page.cleanup();
      yield bitmap;
    }
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** How many pages the PDF has. */
export async function pageCount(bytes: Uint8Array): Promise<number> {
  const task = openPdf(bytes);
  try {
    return (await task.promise).numPages;
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

async function pageBitmap(page: PDFPageProxy): Promise<Bitmap> {
  const ops = await page.getOperatorList();
  const viewport = page.getViewport({ scale: 1 });
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let best: { id: string; area: number; m: Matrix } | null = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args as Matrix) as Matrix;
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0])) ctm = Util.transform(ctm, args[0] as Matrix) as Matrix;
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.paintImageXObject) {
      const m = Util.transform(viewport.transform as Matrix, ctm) as Matrix;
      const area = Math.abs(m[0] * m[3] - m[1] * m[2]);
      if (!best || area > best.area) best = { id: args[0] as string, area, m };
    }
  }
  if (!best) return createBitmap(0, 0);
  const found = best;
  const image = await new Promise<PdfImage>((resolve) =>
    found.id.startsWith('g_') ? resolve(page.commonObjs.get(found.id)) : page.objs.get(found.id, resolve),
  );
  return placed(binarise(image), found.m);
}

/**
 * Turns the image as the page shows it. Image space runs right along x and *down* the rows, which the
 * placement matrix (with the viewport's y flip) maps to device directions; scans are placed square to
 * the page, so only quarter turns and mirrors occur.
 */
function placed(b: Bitmap, m: Matrix): Bitmap {
  // Device direction of the image's x axis and of its row direction (image y is flipped in PDF).
  const xDir = dominant(m[0], m[1]);
  const rowDir = dominant(-m[2], -m[3]);
  const turnsOfX = { right: 0, down: 1, left: 2, up: 3 }[xDir];
  let out = rotateQuarter(b, turnsOfX);
  // After turning x into place, rows should run down the page (clockwise of x); else mirror them.
  const expectedRow = ['down', 'left', 'up', 'right'][turnsOfX];
  if (rowDir !== expectedRow) out = flipRows(out);
  return out;
}

function dominant(dx: number, dy: number): 'right' | 'down' | 'left' | 'up' {
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? 'right' : 'left';
  return dy >= 0 ? 'down' : 'up';
}

function flipRows(b: Bitmap): Bitmap {
  const out = createBitmap(b.width, b.height);
  for (let y = 0; y < b.height; y++) {
    out.data.set(b.data.subarray(y * b.width, (y + 1) * b.width), (b.height - 1 - y) * b.width);
  }
  return out;
}

/** Ink (1) where the image is dark: 1-bit scans as they are, grey and colour by Otsu's threshold. */
function binarise(img: PdfImage): Bitmap {
  const { width: w, height: h, data } = img;
  const out = createBitmap(w, h);
  if (img.kind === ImageKind.GRAYSCALE_1BPP) {
    const rowBytes = Math.ceil(w / 8);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // pdf.js gives 1 for white.
        if (!((data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1)) out.data[y * w + x] = 1;
      }
    }
    return out;
  }
  const channels = img.kind === ImageKind.RGBA_32BPP ? 4 : 3;
  const grey = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const p = i * channels;
    grey[i] = (data[p]! * 299 + data[p + 1]! * 587 + data[p + 2]! * 114) / 1000;
  }
  const threshold = otsu(grey);
  for (let i = 0; i < w * h; i++) if (grey[i]! < threshold) out.data[i] = 1;
  return out;
}

function otsu(grey: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (const v of grey) hist[v]!++;
  const total = grey.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    weightB += hist[t]!;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * hist[t]!;
    const between = weightB * weightF * (sumB / weightB - (sum - sumB) / weightF) ** 2;
    if (between > best) {
      best = between;
      threshold = t + 1;
    }
  }
  return threshold;
}
