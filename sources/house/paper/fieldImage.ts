import { clip, createBitmap, type Bitmap, type Box } from './bitmap';

/**
 * One field's ink as the OCR engine should see it: specks dropped, and the stubs of ruling lines
 * left at the cell's edges dropped, then cropped to the writing itself. Null when nothing is left.
 * A speck or a stub read as a letter turns `JT` into `CJT` and `SP` into `P`.
 */
export function fieldInk(image: Bitmap, box: Box): Bitmap | null {
  const c = clip(image, box);
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  if (w <= 0 || h <= 0) return null;
  const label = new Int32Array(w * h).fill(-1);
  const keep: boolean[] = [];
  const stack: number[] = [];
  // A component smaller than this is a speck: a dot of a letter is bigger at any scan size here.
  const speck = Math.max(4, Math.round((h * 0.05) ** 2));
  for (let start = 0; start < w * h; start++) {
    if (
      label[start] !== -1 ||
      !image.data[(c.y0 + Math.floor(start / w)) * image.width + c.x0 + (start % w)]
    ) {
      continue;
    }
    const id = keep.length;
    let area = 0;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const px = p % w;
      const py = (p - px) / w;
      area++;
      x0 = Math.min(x0, px);
      x1 = Math.max(x1, px);
      y0 = Math.min(y0, py);
      y1 = Math.max(y1, py);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const qx = px + dx;
          const qy = py + dy;
          if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
          const q = qy * w + qx;
          if (label[q] !== -1 || !image.data[(c.y0 + qy) * image.width + c.x0 + qx]) continue;
          label[q] = id;
          stack.push(q);
        }
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    // What is left of a ruling line runs thin along the edge it was on (a written 1 or / touching
    // the top of the cell is thin too, but across that edge).
    const thin = Math.max(3, h * 0.08);
    const stub = ((x0 === 0 || x1 === w - 1) && bw <= thin) || ((y0 === 0 || y1 === h - 1) && bh <= thin);
    keep.push(area >= speck && !stub);
  }
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let p = 0; p < w * h; p++) {
    const id = label[p]!;
    if (id < 0 || !keep[id]) continue;
    const px = p % w;
    const py = (p - px) / w;
    x0 = Math.min(x0, px);
    x1 = Math.max(x1, px);
    y0 = Math.min(y0, py);
    y1 = Math.max(y1, py);
  }
  if (x1 < 0) return null;
  const out = createBitmap(x1 - x0 + 1, y1 - y0 + 1);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const id = label[y * w + x]!;
      if (id >= 0 && keep[id]) out.data[(y - y0) * out.width + (x - x0)] = 1;
    }
  }
  return out;
}
