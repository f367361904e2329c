import { inkRatio, type Bitmap, type Box } from './bitmap';
import { markShare, readChoice } from './checkboxes';

export interface HeaderAnswers {
  /** `Amendment` ticked rather than `Initial report`; null when neither or both. */
  amendment: boolean | null;
  amendmentConfidence: number;
  ipo: 'yes' | 'no' | null;
  ipoConfidence: number;
}

/**
 * The header's two questions, each a pair of boxes side by side: the IPO question (`Yes`, `No`) in
 * the left column and the report kind (`Initial report`, `Amendment`) in the middle one. Boxes are
 * found as hollow squares above the grid, paired by height on the page; the left pair is the IPO
 * question. The pair of boxes far apart (member / officer or employee) is not a question.
 */
export function readHeader(image: Bitmap, headerBottom: number): HeaderAnswers {
  const none: HeaderAnswers = { amendment: null, amendmentConfidence: 0, ipo: null, ipoConfidence: 0 };
  const boxes = squares(image, { x0: 0, y0: 0, x1: image.width, y1: headerBottom });
  const rows: Box[][] = [];
  for (const b of boxes.sort((a, b) => a.y0 - b.y0)) {
    const row = rows.find((r) => Math.abs(r[0]!.y0 - b.y0) <= (b.y1 - b.y0) * 0.6);
    if (row) row.push(b);
    else rows.push([b]);
  }
  const pairs: Box[][] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x0 - b.x0);
    for (let i = 0; i + 1 < row.length; i++) {
      const gap = row[i + 1]!.x0 - row[i]!.x1;
      if (gap > 0 && gap < image.width * 0.14) {
        pairs.push([row[i]!, row[i + 1]!]);
        i++;
      }
    }
  }
  if (pairs.length < 2) return none;
  // The two questions are the lowest pairs; the left one asks about an IPO.
  const [ipoPair, kindPair] = pairs
    .sort((a, b) => b[0]!.y0 - a[0]!.y0)
    .slice(0, 2)
    .sort((a, b) => a[0]!.x0 - b[0]!.x0);
  const ipo = readChoice(ipoPair!.map((b) => markShare(image, b)));
  const kind = readChoice(kindPair!.map((b) => markShare(image, b)));
  return {
    ipo: ipo.index === null ? null : ipo.index === 0 ? 'yes' : 'no',
    ipoConfidence: ipo.index === null ? 0 : ipo.confidence,
    amendment: kind.index === null ? null : kind.index === 1,
    amendmentConfidence: kind.index === null ? 0 : kind.confidence,
  };
}

/** Hollow squares (printed checkboxes) within a region: connected ink whose outline is a square. */
function squares(image: Bitmap, region: Box): Box[] {
  const { width: W } = image;
  const min = Math.round(W * 0.012);
  const max = Math.round(W * 0.03);
  const seen = new Uint8Array(image.width * image.height);
  const out: Box[] = [];
  const stack: number[] = [];
  for (let y = region.y0; y < region.y1; y++) {
    for (let x = region.x0; x < region.x1; x++) {
      const start = y * W + x;
      if (!image.data[start] || seen[start]) continue;
      let x0 = x;
      let x1 = x;
      let y0 = y;
      let y1 = y;
      let count = 0;
      stack.push(start);
      seen[start] = 1;
      while (stack.length) {
        const p = stack.pop()!;
        const px = p % W;
        const py = (p - px) / W;
        count++;
        if (px < x0) x0 = px;
        if (px > x1) x1 = px;
        if (py < y0) y0 = py;
        if (py > y1) y1 = py;
        if (count > max * max * 4) continue;
        for (const q of [p - 1, p + 1, p - W, p + W]) {
          const qx = q % W;
          if (q < 0 || q >= seen.length || Math.abs(qx - px) > 1 || seen[q] || !image.data[q]) continue;
          const qy = (q - qx) / W;
          if (qy < region.y0 || qy >= region.y1) continue;
          seen[q] = 1;
          stack.push(q);
        }
      }
      const w = x1 - x0 + 1;
      const h = y1 - y0 + 1;
      if (w < min || h < min || w > max || h > max || Math.abs(w - h) > Math.max(w, h) * 0.25) continue;
      const box = { x0, y0, x1: x1 + 1, y1: y1 + 1 };
      const t = Math.max(2, Math.round(w * 0.1));
      const edges = [
        { ...box, y1: y0 + t },
        { ...box, y0: y1 + 1 - t },
        { ...box, x1: x0 + t },
        { ...box, x0: x1 + 1 - t },
      ].map((e) => inkRatio(image, e));
      if (edges.every((e) => e > 0.35)) out.push(box);
    }
  }
  return out;
}
