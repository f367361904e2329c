/** A page (or part of one) as a binary image: one byte per pixel, 1 = ink, 0 = paper, row-major. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** An axis-aligned rectangle in pixels: [x0, x1) × [y0, y1). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** The image turned clockwise by `turns` quarter turns. */
export function rotateQuarter(b: Bitmap, turns: number): Bitmap {
  const t = ((turns % 4) + 4) % 4;
  if (t === 0) return b;
  const { width: w, height: h, data } = b;
  const out = t === 2 ? createBitmap(w, h) : createBitmap(h, w);
  const o = out.data;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const v = data[row + x]!;
      if (v === 0) continue;
      if (t === 1) o[x * h + (h - 1 - y)] = v;
      else if (t === 2) o[(h - 1 - y) * w + (w - 1 - x)] = v;
      else o[(w - 1 - x) * h + y] = v;
    }
  }
  return out;
}

/** The image turned by a small angle (degrees, positive = clockwise) about its centre; nearest pixel. */
export function rotateSmall(b: Bitmap, degrees: number): Bitmap {
  if (Math.abs(degrees) < 0.05) return b;
  const { width: w, height: h, data } = b;
  const out = createBitmap(w, h);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Inverse mapping: where each output pixel comes from.
    let sx = cx - cx * cos + dy * sin;
    let sy = cy + cx * sin + dy * cos;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const ix = Math.round(sx);
      const iy = Math.round(sy);
      if (ix >= 0 && iy >= 0 && ix < w && iy < h) out.data[row + x] = data[iy * w + ix]!;
      sx += cos;
      sy -= sin;
    }
  }
  return out;
}

/** A copy of one region (clipped to the image). */
export function crop(b: Bitmap, box: Box): Bitmap {
  const c = clip(b, box);
  const out = createBitmap(Math.max(0, c.x1 - c.x0), Math.max(0, c.y1 - c.y0));
  for (let y = c.y0; y < c.y1; y++) {
    out.data.set(b.data.subarray(y * b.width + c.x0, y * b.width + c.x1), (y - c.y0) * out.width);
  }
  return out;
}

export function clip(b: Bitmap, box: Box): Box {
  return {
    x0: Math.max(0, Math.min(b.width, Math.round(box.x0))),
    y0: Math.max(0, Math.min(b.height, Math.round(box.y0))),
    x1: Math.max(0, Math.min(b.width, Math.round(box.x1))),
    y1: Math.max(0, Math.min(b.height, Math.round(box.y1))),
  };
}

/** Ink pixels in a region. */
export function inkCount(b: Bitmap, box: Box): number {
  const c = clip(b, box);
  let n = 0;
  for (let y = c.y0; y < c.y1; y++) {
    const row = y * b.width;
    for (let x = c.x0; x < c.x1; x++) n += b.data[row + x]!;
  }
  return n;
}

/** Share of a region's pixels that are ink (0 for an empty region). */
export function inkRatio(b: Bitmap, box: Box): number {
  const c = clip(b, box);
  const area = (c.x1 - c.x0) * (c.y1 - c.y0);
  return area > 0 ? inkCount(b, c) / area : 0;
}

/** A box shrunk by a share of its width and height on every side. */
export function inset(box: Box, share: number): Box {
  const dx = (box.x1 - box.x0) * share;
  const dy = (box.y1 - box.y0) * share;
  return { x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 - dx, y1: box.y1 - dy };
}

/** Smaller image where a pixel is ink when any pixel of its `factor`×`factor` block is. */
export function shrink(b: Bitmap, factor: number): Bitmap {
  const w = Math.floor(b.width / factor);
  const h = Math.floor(b.height / factor);
  const out = createBitmap(w, h);
  for (let y = 0; y < h * factor; y++) {
    const row = y * b.width;
    const orow = Math.floor(y / factor) * w;
    for (let x = 0; x < w * factor; x++) if (b.data[row + x]) out.data[orow + Math.floor(x / factor)] = 1;
  }
  return out;
}

/**
 * The ink of a region as a grey PGM image (black ink on white), enlarged `scale` times and padded
 * with white: the format the OCR engine reads without a codec.
 */
export function toPgm(b: Bitmap, box: Box, scale = 1, pad = 10): Buffer {
  const c = clip(b, box);
  const w = (c.x1 - c.x0) * scale + 2 * pad;
  const h = (c.y1 - c.y0) * scale + 2 * pad;
  const header = Buffer.from(`P5\n${w} ${h}\n255\n`, 'latin1');
  const body = Buffer.alloc(w * h, 255);
  for (let y = c.y0; y < c.y1; y++) {
    for (let x = c.x0; x < c.x1; x++) {
      if (!b.data[y * b.width + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        const start = (pad + (y - c.y0) * scale + dy) * w + pad + (x - c.x0) * scale;
        body.fill(0, start, start + scale);
      }
    }
  }
  return Buffer.concat([header, body]);
}
