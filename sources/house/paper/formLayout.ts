import type { Box } from './bitmap';
import type { Line } from './rulingLines';

/**
 * The transaction grid of the House PTR form, found from its ruling lines. The form is recognised by
 * the order and relative widths of its columns, not by where they sit on one scan:
 *
 *   owner | FULL ASSET NAME (the widest) | 3 or 4 narrow type boxes | 2 date columns | 10 or 11
 *   narrow amount boxes (A..J, and K on newer forms)
 *
 * Older forms have three types (purchase, sale, exchange); newer ones four (with partial sale).
 */
export interface FormGrid {
  owner: Span;
  asset: Span;
  types: Span[];
  transactionDate: Span;
  notificationDate: Span;
  /** Brackets A..J, then K (a spouse or child asset over $1,000,000) when the form has it. */
  amounts: Span[];
  /**
   * Row bands from the top of the column labels down, top to bottom: the labels (Purchase, Sale,
   * MM/DD/YY ...) and the printed example row come first on a first page, then the filer's rows.
   */
  rows: Span[];
  /** Outer box of the grid, from the top of its column labels; the header is above it. */
  bounds: Box;
}

/** A band between two ruling lines: x0..x1 for a column, y0..y1 for a row. */
export interface Span {
  from: number;
  to: number;
}

/** Lines closer than this share of the page are one line drawn twice (scans double some borders). */
const MERGE_SHARE = 0.006;

/**
 * The grid of the upright form, or null when these lines do not make one (the page is another way
 * up, is not the form, or is too damaged to tell).
 */
export function recogniseGrid(
  lines: { horizontal: Line[]; vertical: Line[] },
  width: number,
  height: number,
): FormGrid | null {
  const tol = Math.max(6, Math.round(height * MERGE_SHARE * 1.5));
  const tall = lines.vertical.filter((l) => l.end - l.start >= height * 0.08);
  // A line from the top edge of the page to the bottom one is a scanner streak or a fold, unless it
  // runs where a column line of the form was (the two then read as one line): try the grid with each
  // combination of such lines, and keep the grid whose boxes are most alike.
  const isStreak = (l: Line) => l.start < height * 0.05 && l.end > height * 0.95;
  const form = tall.filter((l) => !isStreak(l));
  if (form.length === 0) return null;
  const x0 = Math.min(...form.map((l) => l.pos));
  const x1 = Math.max(...form.map((l) => l.pos));
  const streaks = tall.filter((l) => isStreak(l) && l.pos > x0 && l.pos < x1).slice(0, 4);
  let best: FormGrid | null = null;
  for (let subset = 0; subset < 1 << streaks.length; subset++) {
    const chosen = streaks.filter((_, i) => subset & (1 << i));
    const grid = gridFrom([...form, ...chosen], lines.horizontal, width, height, tol);
    if (grid && (!best || better(grid, best))) best = grid;
  }
  return best;
}

/** More rows first (the whole grid found), then boxes more alike in width (no two boxes read as one). */
function better(a: FormGrid, b: FormGrid): boolean {
  if (a.rows.length !== b.rows.length) return a.rows.length > b.rows.length;
  return boxSpread(a) < boxSpread(b);
}

function boxSpread(g: FormGrid): number {
  const widths = [...g.types, ...g.amounts].map((s) => s.to - s.from);
  return Math.max(...widths) / Math.min(...widths);
}

function gridFrom(
  tall: Line[],
  horizontals: Line[],
  width: number,
  height: number,
  tol: number,
): FormGrid | null {
  // The grid's column lines all end on its bottom border (its outer frame may run on, round a notes
  // table below): candidate bottoms are where many tall lines end.
  const bottoms: number[] = [];
  for (const l of [...tall].sort((a, b) => b.end - a.end)) {
    if (!bottoms.some((k) => Math.abs(k - l.end) <= tol)) bottoms.push(l.end);
  }
  let best: FormGrid | null = null;
  for (const bottom of bottoms) {
    const group = tall.filter((l) => l.end >= bottom - tol && l.start < bottom - height * 0.05);
    if (group.filter((l) => Math.abs(l.end - bottom) <= tol).length < 12) continue;
    const grid = gridEndingAt(group, horizontals, bottom, width, height, tol);
    if (grid && (!best || grid.rows.length > best.rows.length)) best = grid;
  }
  return best;
}

function gridEndingAt(
  verticals: Line[],
  horizontals: Line[],
  bottom: number,
  width: number,
  height: number,
  tol: number,
): FormGrid | null {
  const left = Math.min(...verticals.map((l) => l.pos));
  const right = Math.max(...verticals.map((l) => l.pos));
  if (right - left < width * 0.5) return null;
  // Ruling lines across the grid, down to its bottom border. Handwriting over a line or a faded scan
  // breaks it into pieces: pieces at one height covering most of the width make a line.
  const across = rowLines(horizontals, left, right, bottom + tol);
  // Column lines start at the top of the column labels (above them, only group headings such as TYPE
  // OF TRANSACTION are ruled); checkbox sides stacked down the rows start lower. The first ruling line,
  // from the top, that all the form's columns reach is the top of the labels.
  for (let i = 0; i < across.length - 1; i++) {
    const top = across[i]!;
    // A scanned line may fade out near its end: reaching into the band is enough.
    const reach = top + Math.max(tol, (across[i + 1]! - top) * 0.7);
    const columns = merge(
      verticals.filter((l) => l.start <= reach).map((l) => l.pos),
      Math.max(4, Math.round(width * MERGE_SHARE)),
    );
    const layout = matchColumns(columns);
    if (!layout) continue;
    const rows: Span[] = [];
    const below = across.filter((y) => y > top + tol);
    let prev = top;
    for (const y of below) {
      if (y - prev >= height * 0.008) rows.push({ from: prev, to: y });
      prev = y;
    }
    return {
      ...layout,
      rows: splitMergedRows(rows),
      bounds: { x0: left, y0: top, x1: right, y1: bottom },
    };
  }
  return null;
}

/**
 * The form's rows are all one height: a band two or three rows tall is rows whose ruling line did not
 * survive the scan. The first band (the column labels) is left as it is.
 */
function splitMergedRows(rows: Span[]): Span[] {
  const heights = rows.slice(1).map((r) => r.to - r.from);
  const typical = median(heights);
  if (!typical) return rows;
  return rows.flatMap((r, i) => {
    const k = (r.to - r.from) / typical;
    const n = Math.round(k);
    if (i === 0 || n < 2 || Math.abs(k - n) > 0.25) return [r];
    const h = (r.to - r.from) / n;
    return Array.from({ length: n }, (_, j) => ({ from: r.from + j * h, to: r.from + (j + 1) * h }));
  });
}

function rowLines(horizontals: Line[], left: number, right: number, maxY: number): number[] {
  const pieces = horizontals.filter((l) => l.pos <= maxY && l.end > left && l.start < right);
  pieces.sort((a, b) => a.pos - b.pos);
  const groups: Line[][] = [];
  for (const l of pieces) {
    const g = groups.at(-1);
    if (g && l.pos - g.at(-1)!.pos <= 4) g.push(l);
    else groups.push([l]);
  }
  const out: number[] = [];
  for (const g of groups) {
    const spans = g
      .map((l) => [Math.max(left, l.start), Math.min(right, l.end)] as const)
      .sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let reach = left;
    for (const [a, b] of spans) {
      if (b > reach) {
        covered += b - Math.max(a, reach);
        reach = b;
      }
    }
    if (covered >= (right - left) * 0.7) {
      out.push(
        g.reduce((s, l) => s + l.pos * (l.end - l.start), 0) / g.reduce((s, l) => s + l.end - l.start, 0),
      );
    }
  }
  return merge(out, 6);
}

/** Positions within `tol` of each other as one (their mean), sorted. */
function merge(positions: number[], tol: number): number[] {
  const sorted = [...positions].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && p - last.at(-1)! <= tol) last.push(p);
    else out.push([p]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

type ColumnLayout = Pick<
  FormGrid,
  'owner' | 'asset' | 'types' | 'transactionDate' | 'notificationDate' | 'amounts'
>;

/** Column lines → the form's columns, when their order and widths are the form's. */
export function matchColumns(xs: number[]): ColumnLayout | null {
  if (xs.length < 18) return null;
  const spans: Span[] = [];
  for (let i = 1; i < xs.length; i++) spans.push({ from: xs[i - 1]!, to: xs[i]! });
  const widths = spans.map((s) => s.to - s.from);
  const asset = widths.indexOf(Math.max(...widths));
  if (asset < 1) return null;
  // After the asset name: narrow type boxes, the two date columns (the widest after the asset
  // name, side by side), then the narrow amount boxes.
  const after = widths.slice(asset + 1);
  if (after.length < 15) return null;
  const unit = median(after);
  const ranked = after.map((w, i) => ({ w, i: i + asset + 1 })).sort((a, b) => b.w - a.w);
  const d = Math.min(ranked[0]!.i, ranked[1]!.i);
  if (Math.abs(ranked[0]!.i - ranked[1]!.i) !== 1) return null;
  if (widths[d]! < unit * 1.4 || widths[d + 1]! < unit * 1.4) return null;
  const typeCount = d - asset - 1;
  if (typeCount < 3 || typeCount > 4) return null;
  const amounts = spans.slice(d + 2);
  if (amounts.length < 10 || amounts.length > 11) return null;
  const boxes = [...spans.slice(asset + 1, d), ...amounts].map((s) => s.to - s.from);
  if (Math.max(...boxes) > Math.min(...boxes) * 2.2) return null;
  if (widths[asset]! < widths[d]! * 1.2 || widths[asset - 1]! > widths[asset]! / 2) return null;
  return {
    owner: spans[asset - 1]!,
    asset: spans[asset]!,
    types: spans.slice(asset + 1, d),
    transactionDate: spans[d]!,
    notificationDate: spans[d + 1]!,
    amounts,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
