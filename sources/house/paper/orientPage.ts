import { rotateQuarter, rotateSmall, type Bitmap } from './bitmap';
import { recogniseGrid, type FormGrid } from './formLayout';
import { findLines, joinCollinear, type Line } from './rulingLines';
import { estimateSkew } from './skew';

/** A page turned upright and straightened, with the form's grid when it has one. */
export interface OrientedPage {
  image: Bitmap;
  /** Clockwise quarter turns applied to the scan to make it upright. */
  turns: number;
  /** Degrees the scan leaned (clockwise positive), undone in `image`. */
  skew: number;
  grid: FormGrid | null;
  lines: { horizontal: Line[]; vertical: Line[] };
}

/**
 * Straightens a scanned page and turns it until the form's grid reads the right way up: the asset
 * name column left of the type boxes, dates and amount boxes, and the column labels above the rows.
 * Only the upright form matches that layout, so no text needs reading to know which way is up.
 */
export function orientPage(scan: Bitmap): OrientedPage {
  const skew = estimateSkew(scan);
  const straight = rotateSmall(scan, -skew);
  // The form is printed landscape: try the turns that make the page wider than tall first.
  const order = straight.width >= straight.height ? [0, 2, 1, 3] : [1, 3, 0, 2];
  let fallback: OrientedPage | null = null;
  for (const turns of order) {
    const image = rotateQuarter(straight, turns);
    const lines = rulingLines(image);
    const grid = recogniseGrid(lines, image.width, image.height);
    const page = { image, turns, skew, grid, lines };
    if (grid) return page;
    fallback ??= page;
  }
  return fallback!;
}

export function rulingLines(image: Bitmap): { horizontal: Line[]; vertical: Line[] } {
  const unit = Math.max(image.width, image.height);
  const horizontal = joinCollinear(
    findLines(image, 'horizontal', Math.round(unit * 0.03)),
    3,
    Math.round(unit * 0.02),
  );
  const vertical = joinCollinear(
    findLines(image, 'vertical', Math.round(unit * 0.02)),
    3,
    Math.round(unit * 0.03),
  );
  return { horizontal, vertical };
}
