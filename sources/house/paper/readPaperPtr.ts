import type {
  Owner,
  ParsedFiling,
  ParsedTransaction,
  ScanConfidence,
  ScanSummary,
  TransactionType,
} from '../../../domain/filing';
import { CONFIDENT } from '../../../domain/scanConfidence';
import { inkRatio, inset, type Bitmap, type Box } from './bitmap';
import { markShare, readChoice, type Choice } from './checkboxes';
import { FieldReader, type FieldText } from './fieldOcr';
import type { FormGrid, Span } from './formLayout';
import { readClerkStamp, type ClerkStamp } from './clerkStamp';
import { readHeader, type HeaderAnswers } from './headerBoxes';
import { orientPage } from './orientPage';
import { pageBitmaps } from './pageImages';
import { withoutLines } from './rulingLines';
import { editDistance } from './resolveTicker';
import { checkDates } from './scanDates';

export interface PaperReadOptions {
  /** From the Clerk's index (the scan's date stamp is not read): dates are checked against it. */
  filedDate?: string | null;
  filerName?: string;
  stateDistrict?: string | null;
  /** Called as each page is done (for heartbeats). */
  onPage?: (page: number) => void;
}

/** A cell with less ink than this (after ruling lines are removed) was left empty. */
const EMPTY_CELL = 0.006;

const TYPES_4: TransactionType[] = ['purchase', 'sale', 'sale_partial', 'exchange'];
const TYPES_3: TransactionType[] = ['purchase', 'sale', 'exchange'];
/** Brackets A..J of the form, in whole dollars (J: over $50,000,000). */
const BRACKETS: [number, number | null][] = [
  [1_001, 15_000],
  [15_001, 50_000],
  [50_001, 100_000],
  [100_001, 250_000],
  [250_001, 500_000],
  [500_001, 1_000_000],
  [1_000_001, 5_000_000],
  [5_000_001, 25_000_000],
  [25_000_001, 50_000_000],
  [50_000_001, null],
];
/** Box K: a spouse's or dependent child's asset over $1,000,000. */
const BRACKET_K: [number, number | null] = [1_000_001, null];

const OWNERS: Record<string, Owner> = { SP: 'spouse', DC: 'dependent', JT: 'joint' };

/**
 * Reads a scanned paper House PTR: every page is turned upright and straightened, the printed form's
 * grid is found from its ruling lines, each filled row is read (boxes by their ink, handwriting field
 * by field) with a confidence per field. Pages that are not the form (attachments, letters) and rows
 * left empty give nothing; a row the filer wrote in but that cannot be read gives a row with low
 * confidence, not an invented one. Tickers are not resolved here (see resolveTicker).
 */
export async function readPaperPtr(
  bytes: Uint8Array,
  docId: string,
  options: PaperReadOptions = {},
  reader?: FieldReader,
): Promise<ParsedFiling> {
  const own = reader ? null : await FieldReader.create();
  const fields = (reader ?? own)!;
  const transactions: ParsedTransaction[] = [];
  const turns: (number | null)[] = [];
  let header: HeaderAnswers | null = null;
  let stamp: ClerkStamp | null = null;
  try {
    let page = 0;
    for await (const scan of pageBitmaps(bytes)) {
      page++;
      // The stamp is on the first sheet of the form.
      const firstSheet = turns.every((t) => t === null);
      const read = await readScanPage(scan, page, fields, options.filedDate ?? null, firstSheet);
      turns.push(read.turns);
      transactions.push(...read.rows);
      if (read.header && (!header || (header.amendment === null && read.header.amendment !== null))) {
        header = read.header;
      }
      stamp ??= read.stamp;
      options.onPage?.(page);
    }
  } finally {
    await own?.close();
  }
  const stamped = stampDate(stamp, options.filedDate ?? null);
  const minConfidence = transactions.length
    ? Math.min(...transactions.map((t) => Math.min(...Object.values(t.confidence!))))
    : 1;
  return {
    chamber: 'house',
    filingId: docId,
    kind: 'paper',
    filerName: options.filerName ?? '',
    stateDistrict: options.stateDistrict ?? null,
    // The Clerk's index says when it was filed; without it, the stamp when read with confidence.
    filedDate: options.filedDate ?? (stamped && stamped.confidence >= CONFIDENT ? stamped.date : null),
    amendment: header?.amendment === true && header.amendmentConfidence >= 0.8,
    transactions,
    scan: {
      pages: turns.length,
      formPages: turns.filter((t) => t !== null).length,
      turns,
      amendmentConfidence: header?.amendment === null || !header ? 0 : header.amendmentConfidence,
      ipo: header?.ipo ?? null,
      ipoConfidence: header?.ipoConfidence ?? 0,
      minConfidence: Math.round(minConfidence * 100) / 100,
      stamp: stamped,
    },
  };
}

/**
 * The stamp's date: its year as read, else the filed date's. Sure when it agrees with the Clerk's
 * index; a stamp that disagrees is kept for operators with a low confidence.
 */
function stampDate(stamp: ClerkStamp | null, filedDate: string | null): ScanSummary['stamp'] {
  if (!stamp) return null;
  const year = stamp.year ?? (filedDate ? Number(filedDate.slice(0, 4)) : null);
  const date = year
    ? `${year}-${String(stamp.month).padStart(2, '0')}-${String(stamp.day).padStart(2, '0')}`
    : null;
  const confidence =
    filedDate === null ? stamp.confidence : date === filedDate ? 1 : Math.min(stamp.confidence, 0.3);
  return { date, read: stamp.text, confidence: round2(confidence) };
}

export interface PageRead {
  turns: number | null;
  rows: ParsedTransaction[];
  header: HeaderAnswers | null;
  stamp: ClerkStamp | null;
}

/**
 * One page: turned upright, its header read (questions, and the clerk's stamp when `withStamp`), then
 * each filled row of its grid. Dates are checked against `filedDate`, or against the stamp read here
 * when there is none.
 */
export async function readScanPage(
  scan: Bitmap,
  page: number,
  fields: FieldReader,
  filedDate: string | null,
  withStamp = true,
): Promise<PageRead> {
  const nothing: PageRead = { turns: null, rows: [], header: null, stamp: null };
  if (scan.width === 0) return nothing;
  const oriented = orientPage(scan);
  const grid = oriented.grid;
  if (!grid) return nothing;
  const image = oriented.image;
  const clean = withoutLines(image, Math.round(Math.max(image.width, image.height) * 0.03));
  // A first page has the header (name, questions, the clerk's stamp) above the grid; a continuation
  // sheet's grid starts near the top.
  const first = grid.bounds.y0 > image.height * 0.15;
  const header = first ? readHeader(image, grid.bounds.y0) : null;
  const stamp = first && withStamp ? await readClerkStamp(clean, grid.bounds.y0, fields) : null;
  const checkedAgainst = filedDate ?? (stamp?.year ? stampDate(stamp, null)!.date : null);
  const heights = grid.rows
    .slice(1)
    .map((r) => r.to - r.from)
    .sort((a, b) => a - b);
  const typical = heights[Math.floor(heights.length / 2)] ?? 0;
  const rows: ParsedTransaction[] = [];
  let filerRow = 0;
  for (const [i, band] of grid.rows.entries()) {
    const height = band.to - band.from;
    // The column labels' band is tall; the printed example under it is short.
    if (i === 0 && height >= typical * 1.6) continue;
    if (i <= 1 && height < typical * 0.8) continue;
    const row = await readRow(image, clean, grid, band, fields, checkedAgainst);
    if (row === 'printed') continue;
    filerRow++;
    if (row) rows.push({ ...row, scanPosition: { page, row: filerRow } });
  }
  return { turns: oriented.turns, rows, header, stamp };
}

async function readRow(
  image: Bitmap,
  clean: Bitmap,
  grid: FormGrid,
  band: Span,
  fields: FieldReader,
  filedDate: string | null,
): Promise<Omit<ParsedTransaction, 'scanPosition'> | null | 'printed'> {
  const cell = (c: Span): Box => ({ x0: c.from, x1: c.to, y0: band.from, y1: band.to });
  // Writing often starts right against the column's left line: trim the cell's edges by a few pixels
  // (the ruling lines are gone from `clean`), not by a share of a wide column's width.
  const textCell = (c: Span) => {
    const box = cell(c);
    const dx = Math.min((box.x1 - box.x0) * 0.04, Math.max(3, (box.y1 - box.y0) * 0.08));
    const dy = (box.y1 - box.y0) * 0.06;
    return { x0: box.x0 + dx, x1: box.x1 - dx, y0: box.y0 + dy, y1: box.y1 - dy };
  };
  // Whether anything was written: away from the lines, whose ragged edges survive their removal.
  const has = (c: Span) => inkRatio(clean, inset(cell(c), 0.04)) >= EMPTY_CELL;
  const typeChoice = readChoice(grid.types.map((c) => markShare(image, cell(c))));
  const bracketMarks = grid.amounts.map((c) => markShare(image, cell(c)));
  const amountChoice = readChoice(bracketMarks.slice(0, 10));
  const kChoice = bracketMarks.length > 10 ? readChoice([bracketMarks[10]!]) : null;
  const written = {
    asset: has(grid.asset),
    trade: has(grid.transactionDate),
    notified: has(grid.notificationDate),
  };
  const typeTicked = typeChoice.index !== null;
  const amountTicked = amountChoice.index !== null || kChoice?.index === 0;
  // A filled row has a type ticked, or an asset name with a bracket ticked or a trade date. A note
  // written across the rows ("nothing to report") has neither; a lone mark in the boxes, or a date
  // spilling over from the row above, is not a row.
  const filled =
    typeTicked || (written.asset && (amountTicked || written.trade)) || (written.trade && amountTicked);
  if (!filled) return null;
  const asset = written.asset ? await fields.read(clean, textCell(grid.asset), 'text') : null;
  if (asset && /provide full name|ticker symbol|example|mega\s*co/i.test(asset.text)) return 'printed';
  const owner = has(grid.owner) ? await fields.read(clean, textCell(grid.owner), 'owner') : null;
  const trade = written.trade ? await fields.read(clean, textCell(grid.transactionDate), 'date') : null;
  const notified = written.notified
    ? await fields.read(clean, textCell(grid.notificationDate), 'date')
    : null;
  const dates = checkDates(trade, notified, filedDate);
  const types = grid.types.length === 4 ? TYPES_4 : TYPES_3;
  const amount = readAmount(amountChoice, kChoice);
  const ownerRead = readOwner(owner);
  const confidence: ScanConfidence = {
    owner: ownerRead.confidence,
    assetName: round2(asset?.confidence ?? 0),
    ticker: 0,
    transactionType: typeChoice.index === null ? 0 : typeChoice.confidence,
    transactionDate: round2(dates.transactionDate.confidence),
    notificationDate: round2(dates.notificationDate.confidence),
    amount: amount.confidence,
  };
  return {
    owner: ownerRead.owner,
    assetName: asset?.text ?? '',
    ticker: null,
    assetType: null,
    transactionType: typeChoice.index === null ? null : (types[typeChoice.index] ?? null),
    transactionDate: dates.transactionDate.iso,
    notificationDate: dates.notificationDate.iso,
    amountMin: amount.range?.[0] ?? null,
    amountMax: amount.range?.[1] ?? null,
    filingStatus: 'new',
    description: null,
    comment: null,
    subholdingOf: null,
    readFromScan: true,
    confidence,
  };
}

function readAmount(
  brackets: Choice,
  k: Choice | null,
): { range: [number, number | null] | null; confidence: number } {
  if (brackets.index !== null) return { range: BRACKETS[brackets.index]!, confidence: brackets.confidence };
  if (brackets.blank && k && k.index === 0) return { range: BRACKET_K, confidence: k.confidence };
  return { range: null, confidence: 0 };
}

/**
 * An empty owner cell means the filer's own trade; otherwise SP, DC or JT. A reading one letter off
 * one code only (`P`, `CJT`) is that code, less surely.
 */
function readOwner(field: FieldText | null): { owner: Owner; confidence: number } {
  if (!field) return { owner: 'self', confidence: 0.95 };
  const code = field.text.replace(/[^A-Z]/g, '');
  const owner = OWNERS[code];
  if (owner) return { owner, confidence: round2(field.confidence) };
  const near = Object.keys(OWNERS).filter((c) => editDistance(c, code) === 1);
  if (near.length === 1) return { owner: OWNERS[near[0]!]!, confidence: round2(field.confidence * 0.7) };
  // Ink that reads as no code: a stray mark, or a code we cannot make out.
  return { owner: 'self', confidence: 0.2 };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
