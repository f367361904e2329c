import { createBitmap, type Bitmap } from './bitmap';

/**
 * A straight ruling line. Horizontal: `pos` is its y, `start`..`end` its x extent; vertical: `pos` is
 * its x, `start`..`end` its y extent. `thickness` in pixels.
 */
export interface Line {
  pos: number;
  start: number;
  end: number;
  thickness: number;
}

export type Direction = 'horizontal' | 'vertical';

interface Segment {
  pos: number;
  start: number;
  end: number;
}

/**
 * Runs of ink along one direction at least `minLength` long, bridging gaps up to `maxGap` pixels
 * (a scanned line breaks here and there).
 */
function segments(b: Bitmap, dir: Direction, minLength: number, maxGap: number): Segment[] {
  const along = dir === 'horizontal' ? b.width : b.height;
  const across = dir === 'horizontal' ? b.height : b.width;
  const step = dir === 'horizontal' ? 1 : b.width;
  const lineStep = dir === 'horizontal' ? b.width : 1;
  const out: Segment[] = [];
  for (let p = 0; p < across; p++) {
    const base = p * lineStep;
    let start = -1;
    let lastInk = -1;
    for (let i = 0; i <= along; i++) {
      const ink = i < along && b.data[base + i * step] === 1;
      if (ink) {
        if (start < 0) start = i;
        lastInk = i;
      } else if (start >= 0 && i - lastInk > maxGap) {
        if (lastInk - start + 1 >= minLength) out.push({ pos: p, start, end: lastInk + 1 });
        start = -1;
      }
    }
  }
  return out;
}

/** Ruling lines of one direction: runs merged across the adjacent rows (or columns) a thick line covers. */
export function findLines(b: Bitmap, dir: Direction, minLength: number, maxGap = 3): Line[] {
  const segs = segments(b, dir, minLength, maxGap);
  const open: { first: number; last: number; start: number; end: number; weight: number; sum: number }[] = [];
  const done: Line[] = [];
  for (const s of segs) {
    let merged = false;
    for (const l of open) {
      if (s.pos - l.last <= 2 && s.start < l.end && s.end > l.start) {
        l.last = s.pos;
        l.start = Math.min(l.start, s.start);
        l.end = Math.max(l.end, s.end);
        const len = s.end - s.start;
        l.weight += len;
        l.sum += s.pos * len;
        merged = true;
        break;
      }
    }
    if (!merged) {
      const len = s.end - s.start;
      open.push({ first: s.pos, last: s.pos, start: s.start, end: s.end, weight: len, sum: s.pos * len });
    }
    // Lines that can no longer grow are finished.
    for (let i = open.length - 1; i >= 0; i--) {
      const l = open[i]!;
      if (s.pos - l.last > 2) {
        done.push(toLine(l));
        open.splice(i, 1);
      }
    }
  }
  for (const l of open) done.push(toLine(l));
  return done.sort((a, b) => a.pos - b.pos || a.start - b.start);
}

/**
 * Pieces of one line broken by the scan (same position within `posTol`, gaps up to `maxGap`) joined
 * into one.
 */
export function joinCollinear(lines: Line[], posTol: number, maxGap: number): Line[] {
  const sorted = [...lines].sort((a, b) => a.start - b.start);
  const out: Line[] = [];
  for (const l of sorted) {
    const prev = out.find(
      (o) => Math.abs(o.pos - l.pos) <= posTol && l.start - o.end <= maxGap && l.end > o.end,
    );
    if (prev) {
      prev.end = l.end;
      prev.thickness = Math.max(prev.thickness, l.thickness);
    } else if (!out.some((o) => Math.abs(o.pos - l.pos) <= posTol && l.start >= o.start && l.end <= o.end)) {
      out.push({ ...l });
    }
  }
  return out.sort((a, b) => a.pos - b.pos || a.start - b.start);
}

function toLine(l: { first: number; last: number; start: number; end: number; weight: number; sum: number }) {
  return { pos: l.sum / l.weight, start: l.start, end: l.end, thickness: l.last - l.first + 1 };
}

/**
 * A copy without the long straight strokes of either direction (ruling lines, and the streaks a
 * scanner leaves), so what remains in a cell is what was written or ticked there.
 */
export function withoutLines(b: Bitmap, minLength: number, maxGap = 2): Bitmap {
  const out = createBitmap(b.width, b.height);
  out.data.set(b.data);
  for (const dir of ['horizontal', 'vertical'] as const) {
    for (const s of segments(b, dir, minLength, maxGap)) {
      for (let i = s.start; i < s.end; i++) {
        out.data[dir === 'horizontal' ? s.pos * b.width + i : i * b.width + s.pos] = 0;
      }
    }
  }
  return out;
}
