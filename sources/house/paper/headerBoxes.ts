import { crop, inkRatio, type Bitmap, type Box } from './bitmap';
import { findLines } from './rulingLines';
import { markShare, readChoice } from './checkboxes';

export interface HeaderAnswers {
  /** `Amendment` ticked rather than `Initial report`; null when neither or both. */
  amendment: boolean | null;
  amendmentConfidence: number;
  ipo: 'yes' | 'no' | null;
  ipoConfidence: number;
}

/**
 * The header's two questions, each a pair of like boxes side by side: the IPO question (`Yes`, `No`)
 * on the left and the report kind (`Initial report`, `Amendment`) right of it, at about the same
 * height, in the left two thirds of the page (the clerk's stamp is on the right). Boxes are found
 * above the grid; of the pairs of questions that fit, the one nearest the grid is taken. The member /
 * officer boxes are too far apart to pair; letters and stamp digits that look like boxes rarely come
 * in like-sized pairs beside another such pair.
 */
export function readHeader(image: Bitmap, headerBottom: number): HeaderAnswers {
  const none: HeaderAnswers = { amendment: null, amendmentConfidence: 0, ipo: null, ipoConfidence: 0 };
  const boxes = squares(image, { x0: 0, y0: 0, x1: Math.round(image.width * 0.67), y1: headerBottom });
  const pairs: [Box, Box][] = [];
  for (const a of boxes) {
    for (const b of boxes) {
      const gap = b.x0 - a.x1;
      if (gap <= 0 || gap >= image.width * 0.14) continue;
      if (Math.abs(a.y0 - b.y0) > height(a) * 0.5 || !alike(a, b)) continue;
      // The nearest box to the right, not one further along the row.
      if (boxes.some((c) => c !== b && c.x0 > a.x1 && c.x0 < b.x0 && Math.abs(c.y0 - a.y0) < height(a)))
        continue;
      pairs.push([a, b]);
    }
  }
  let best: { ipo: [Box, Box]; kind: [Box, Box] } | null = null;
  for (const ipo of pairs) {
    for (const kind of pairs) {
      if (kind[0].x0 <= ipo[1].x1 || !alike(ipo[0], kind[0])) continue;
      if (Math.abs(kind[0].y0 - ipo[0].y0) > height(ipo[0]) * 2.5) continue;
      const low = Math.max(ipo[0].y1, kind[0].y1);
      if (!best || low > Math.max(best.ipo[0].y1, best.kind[0].y1)) best = { ipo, kind };
    }
  }
  if (!best) return none;
  const ipo = readChoice(best.ipo.map((b) => markShare(image, b)));
  const kind = readChoice(best.kind.map((b) => markShare(image, b)));
  return {
    ipo: ipo.index === null ? null : ipo.index === 0 ? 'yes' : 'no',
    ipoConfidence: ipo.index === null ? 0 : ipo.confidence,
    amendment: kind.index === null ? null : kind.index === 1,
    amendmentConfidence: kind.index === null ? 0 : kind.confidence,
  };
}

const height = (b: Box) => b.y1 - b.y0;

/** Two boxes of one printed size (within a fifth). */
function alike(a: Box, b: Box): boolean {
  const w = (x: Box) => x.x1 - x.x0;
  const near = (p: number, q: number) => Math.abs(p - q) <= Math.max(p, q) * 0.2;
  return near(w(a), w(b)) && near(height(a), height(b));
}

/**
 * Printed checkboxes within a region: boxes drawn by two short horizontal strokes of the same
 * extent, one box-width apart, joined by ink down both sides. Found from the strokes rather than as
 * a closed shape, so a tick or an X running out of the box does not hide it.
 */
export function squares(image: Bitmap, region: Box): Box[] {
  const min = Math.round(image.width * 0.012);
  const max = Math.round(image.width * 0.03);
  const area = crop(image, region);
  const strokes = findLines(area, 'horizontal', min, 1).filter((l) => l.end - l.start <= max * 1.3);
  const tol = Math.max(3, Math.round(min * 0.25));
  const out: Box[] = [];
  for (const top of strokes) {
    const size = top.end - top.start;
    for (const bottom of strokes) {
      const gap = bottom.pos - top.pos;
      if (gap < size * 0.5 || gap > size * 1.3) continue;
      if (Math.abs(bottom.start - top.start) > tol || Math.abs(bottom.end - top.end) > tol) continue;
      const box = {
        x0: region.x0 + Math.min(top.start, bottom.start),
        x1: region.x0 + Math.max(top.end, bottom.end),
        y0: region.y0 + Math.floor(top.pos - top.thickness / 2),
        y1: region.y0 + Math.ceil(bottom.pos + bottom.thickness / 2) + 1,
      };
      const side = Math.max(2, Math.round((box.x1 - box.x0) * 0.12));
      const left = inkRatio(image, { ...box, x1: box.x0 + side });
      const right = inkRatio(image, { ...box, x0: box.x1 - side });
      if (left < 0.3 || right < 0.3) continue;
      if (!out.some((o) => overlaps(o, box))) out.push(box);
    }
  }
  return out;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
