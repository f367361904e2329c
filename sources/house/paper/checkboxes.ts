import { clip, type Bitmap, type Box } from './bitmap';

/** A mark covering less than this share of a box's inside is a speck or a stray stroke. */
const MARK_MIN = 0.04;
/** ... and one covering more than this is a tick for sure. */
const MARK_SURE = 0.08;

/**
 * How much of a box's inside is marked: the share of ink left once the box's own outline and the
 * cell's ruling lines are taken away (straight strokes spanning much of the cell). An X or a tick
 * is diagonal or short and stays; a printed square, however placed in the cell, goes.
 */
export function markShare(image: Bitmap, cell: Box): number {
  const c = clip(image, cell);
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  if (w <= 2 || h <= 2) return 0;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) ink[y * w + x] = image.data[(c.y0 + y) * image.width + c.x0 + x]!;
  }
  const keep = ink.slice();
  const minH = Math.max(8, Math.round(w * 0.4));
  const minV = Math.max(8, Math.round(h * 0.4));
  for (let y = 0; y < h; y++) clearRuns(ink, keep, y * w, 1, w, minH);
  for (let x = 0; x < w; x++) clearRuns(ink, keep, x, w, h, minV);
  // The outer band of the cell holds the ruling lines' ragged edges; look inside it.
  const mx = Math.round(w * 0.3);
  const my = Math.round(h * 0.3);
  let n = 0;
  for (let y = my; y < h - my; y++) for (let x = mx; x < w - mx; x++) n += keep[y * w + x]!;
  return n / Math.max(1, (w - 2 * mx) * (h - 2 * my));
}

/** Clears in `keep` the runs of `ink` (bridging 1-pixel gaps) at least `min` long. */
function clearRuns(ink: Uint8Array, keep: Uint8Array, base: number, step: number, len: number, min: number) {
  let start = -1;
  let last = -1;
  for (let i = 0; i <= len; i++) {
    const on = i < len && ink[base + i * step] === 1;
    if (on) {
      if (start < 0) start = i;
      last = i;
    } else if (start >= 0 && i - last > 1) {
      if (last - start + 1 >= min) {
        // Thick strokes: clear the run and its immediate neighbours' pixels along it.
        for (let j = start; j <= last; j++) keep[base + j * step] = 0;
      }
      start = -1;
    }
  }
}

export interface Choice {
  /** Index of the ticked box, or null when none (or several alike) is. */
  index: number | null;
  /** 0..1: how clearly one box, and only one, stands out. */
  confidence: number;
  /** True when no box carries any mark at all (a row left blank). */
  blank: boolean;
}

/**
 * One choice among boxes (type of transaction, amount bracket, yes/no): the box marked most, when
 * it is clearly marked and clearly more than the next. Confidence falls as the runner-up nears it.
 */
export function readChoice(marks: number[]): Choice {
  const ranked = marks.map((m, i) => ({ m, i })).sort((a, b) => b.m - a.m);
  const first = ranked[0];
  const second = ranked[1]?.m ?? 0;
  if (!first || first.m < MARK_MIN) {
    // Nothing ticked: sure when every box is clean, less so when something faint is there.
    const top = first?.m ?? 0;
    return { index: null, confidence: clamp(1 - top / MARK_MIN), blank: true };
  }
  const strength = clamp((first.m - MARK_MIN) / (MARK_SURE - MARK_MIN));
  const separation = clamp((first.m - second) / Math.max(first.m * 0.6, 1e-9));
  const confidence = Math.min(strength * 0.5 + 0.5, separation);
  if (second >= MARK_MIN && first.m - second < first.m * 0.3)
    return { index: null, confidence: 0, blank: false };
  return { index: first.i, confidence: round2(confidence), blank: false };
}

function clamp(v: number): number {
  return Math.max(0, Math.min(1, v));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
