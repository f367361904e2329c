import { shrink, type Bitmap } from './bitmap';

/** Skews beyond this are not searched: a form fed that crooked is not a scan we can read anyway. */
const MAX_SKEW_DEGREES = 3;
const STEP_DEGREES = 0.1;

/**
 * The small angle (degrees, positive = clockwise) by which the page's ruling lines lean: the angle at
 * which ink, projected onto the vertical axis, bunches into the sharpest peaks. A form is all straight
 * lines at right angles, so the horizontal ones decide it whichever way up the page is.
 */
export function estimateSkew(b: Bitmap): number {
  const small = shrink(b, 2);
  const { width: w, height: h, data } = small;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[y * w + x]) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length === 0) return 0;
  const bins = new Float64Array(h + w);
  let best = 0;
  let bestScore = -1;
  for (let deg = -MAX_SKEW_DEGREES; deg <= MAX_SKEW_DEGREES + 1e-9; deg += STEP_DEGREES) {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    // A line leaning clockwise by `deg` has y = y0 + x·tan(deg): undo that lean.
    const offset = Math.max(0, Math.ceil(w * Math.abs(t)));
    for (let i = 0; i < xs.length; i++) {
      const k = Math.round(ys[i]! - xs[i]! * t) + offset;
      if (k >= 0 && k < bins.length) bins[k]!++;
    }
    let score = 0;
    for (const v of bins) score += v * v;
    if (score > bestScore + 1e-6) {
      bestScore = score;
      best = deg;
    }
  }
  return Math.round(best * 10) / 10;
}
