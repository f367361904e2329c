import {
  ParseError,
  type TransactionFilingStatus,
  type Owner,
  type ParsedFiling,
  type ParsedTransaction,
  type TransactionType,
} from '../../domain/filing';
import { parseAmountBracket } from '../../domain/amount';
import { isAmountIncomplete } from './amount';
import { isHouseAssetType } from '../../domain/assetTypes';
import { usDateToIso } from '../../domain/usDate';

/**
 * Reads the text layer of an e-filed House Periodic Transaction Report into a ParsedFiling.
 *
 * The table has the columns ID | Owner | Asset | Transaction Type | Date | Notification Date | Amount,
 * each row followed by labelled lines: `F S:` filing status, `S O:` subholding of, `D:` description,
 * `C:` comments, `L:` location. Location is not kept (it only says where a private holding is).
 *
 * Every row becomes a transaction with its filing status: `new`, `amended`, or `deleted` for a row
 * of an amended report that withdraws a trade reported earlier (it restates that trade). A report
 * whose rows are all deleted is still a parsed filing, an amendment.
 *
 * Two text layouts are understood:
 *  - baseline order (what `extractPdfText` gives): a row starts on the line holding its type, dates
 *    and amount, which also holds the first line of the asset name; wrapped asset text (and the end
 *    of a wrapped amount) follows on the next lines.
 *  - content-stream order (pypdf and similar): the whole asset name comes first, then the line
 *    starting with the type and dates.
 *
 * Reports of about 2014-2022 read the same, though their text layer differs: a font that mixes the
 * case of letters (`iD owner asset`, `FILINg STATuS: New`, `s (partial)`, `[sT]`, `sP`, `(aPD)`),
 * checkbox glyphs (`gfedc`) after the amount, and in 2014 no asset-type footnote and no
 * `Digitally Signed:` label before the signer and date.
 *
 * Text without any letters or digits is a scanned paper filing: kind `paper`, no transactions.
 * Throws ParseError when the text is an e-filed report but no transaction row can be read.
 */
export function parseHousePtr(text: string, docId: string): ParsedFiling {
  const lines = cleanLines(text);
  if (!lines.some((line) => /[A-Za-z0-9]/.test(line))) return paperFiling(docId);
  const formLike =
    FILING_ID.test(text) ||
    lines.some((line) => TABLE_HEADER.test(line) || SIGNATURE.test(line) || anchorOf(line));
  if (!formLike) {
    // Some text, but none of the e-filed form: a scan with a stray text layer (stamps, OCR).
    return paperFiling(docId);
  }
  const table = tableLines(lines);
  const scrambled = isCaseScrambled(lines, table);
  const rows = readRows(table, scrambled);
  if (rows.length === 0) {
    // The form cannot be filed without a row: an empty table means text this parser cannot read.
    throw new ParseError(`House PTR ${docId}: no transaction rows found in the text of an e-filed report`);
  }
  // Rows marked Deleted withdraw a trade reported earlier. They are kept (filingStatus `deleted`), so
  // a user alerted about that trade can be told; they are not trades themselves.
  const transactions = rows.map((row) => toTransaction(row, scrambled));
  return {
    chamber: 'house',
    filingId: docId,
    kind: 'electronic',
    filerName: filerName(lines),
    stateDistrict: stateDistrict(lines),
    filedDate: signedDate(lines),
    // The form has no amendment flag; an amendment is a report whose every row amends or deletes
    // a row of an earlier report (those rows carry their original ID). New rows mixed with an
    // amended one make an ordinary report; the row's own filingStatus still says which it is.
    amendment: rows.every((row) => row.status === 'amended' || row.status === 'deleted'),
    transactions,
  };
}

function paperFiling(docId: string): ParsedFiling {
  return {
    chamber: 'house',
    filingId: docId,
    kind: 'paper',
    filerName: '',
    stateDistrict: null,
    filedDate: null,
    amendment: false,
    transactions: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Lines

const PAGE_MARKER = /^=== page \d+ ===$/;
const FILING_ID_FOOTER = /Filing ID #\d+/g;
/** The footer every page of an e-filed report carries; scans have none. */
const FILING_ID = /Filing ID #\d/;
/**
 * The column header. Reports of about 2014-2022 print it in a font whose text layer mixes the case
 * of letters (`iD owner asset transaction`), as it does in their labels, types, codes and tickers.
 */
const TABLE_HEADER = /^ID Owner Asset\b/i;
/** Pieces of the column header that wrap onto lines of their own. */
const HEADER_FRAGMENT = /^(?:(?:Transaction|Type|Date|Notification|Amount|Cap\.|Gains|>|\$200\?)\s*)+$/i;
const SIGNATURE = /^Digitally Signed:/i;
/** The certification above the signature; some reports print a checkbox glyph or a slash before it. */
const CERTIFY = /^[^A-Za-z0-9]*I CERTIFY\b/;
/** Where the transaction table ends: the asset-type footnote or any block printed after it. */
const TABLE_END = [
  /^\* For the complete list of asset type/i,
  /^I V D$/, // Investment Vehicle Details (small-caps heading: capitals only)
  /^Investment Vehicle Details$/i,
  // Reports of 2014 have no footnote: the table runs into the Comments block (`commentS`).
  /^Comments$/i,
  /^I P O$/, // Initial Public Offerings
  /^Initial Public Offerings/i,
  /^C S$/, // Certification and Signature
  /^Certification and Signature$/i,
  CERTIFY,
  SIGNATURE,
];
/**
 * Form checkboxes and radio buttons of reports of about 2014-2022, drawn with a symbol font whose
 * text layer reads `gfedc` (empty box), `gfedcb` (ticked box), `nmlkj` / `nmlkji` (radio button).
 * The Cap. Gains > $200? box lands after the amount ("$1,001 - $15,000 gfedc", "$15,001 - gfedc").
 */
const CHECKBOX_GLYPHS = /(?<![A-Za-z])(?:gfedcb?|nmlkji?)(?![A-Za-z])/g;

/**
 * One line per text line: NULs dropped (small-caps headings), checkbox glyphs dropped, spaces
 * collapsed, page markers and footers removed.
 */
function cleanLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n|\f/)) {
    const line = raw
      .replace(/\0/g, '')
      .replace(FILING_ID_FOOTER, ' ')
      .replace(CHECKBOX_GLYPHS, ' ')
      .replace(/[\s\u00a0]+/g, ' ')
      .trim();
    if (line === '' || PAGE_MARKER.test(line)) continue;
    out.push(line);
  }
  return out;
}

/** The lines of the transaction table, with repeated column headers taken out. */
function tableLines(lines: string[]): string[] {
  let start = lines.findIndex((line) => TABLE_HEADER.test(line));
  if (start < 0) {
    // No header found: start from the first row.
    start = lines.findIndex((line) => anchorOf(line) !== null);
    if (start < 0) return [];
  }
  const out: string[] = [];
  let inHeader = false;
  for (const line of lines.slice(start)) {
    if (TABLE_END.some((re) => re.test(line))) break;
    if (TABLE_HEADER.test(line)) {
      inHeader = true;
      continue;
    }
    if (inHeader && HEADER_FRAGMENT.test(line)) continue;
    inHeader = false;
    out.push(line);
  }
  return out;
}

/**
 * True for a report whose text layer mixes the case of letters (reports of about 2014-2022): its
 * column header is not printed as `ID Owner Asset`, its labels are spelled out in mixed case
 * (`FILINg STATuS:`), or its types and asset-type codes come out in lower case (`s`, `[sT]`). In such
 * a report `(aPD)` is the ticker APD and `sP` the spouse.
 */
function isCaseScrambled(lines: string[], table: string[]): boolean {
  const header = lines.find((line) => TABLE_HEADER.test(line));
  if (header !== undefined && !header.startsWith('ID Owner Asset')) return true;
  return table.some((line) => {
    const label = SPELLED_DETAIL.exec(line)?.[1];
    if (label !== undefined && label !== label.toUpperCase() && !/^(?:[A-Z][a-z]* ?)+$/.test(label))
      return true;
    const anchor = anchorOf(line);
    if (anchor && /[a-z]/.test(anchor.type.replace(/\(partial\)/i, ''))) return true;
    return [...line.matchAll(/\[([A-Za-z0-9]{2})\]/g)].some(
      (m) => /[a-z]/.test(m[1] ?? '') && isHouseAssetType((m[1] ?? '').toUpperCase()),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Rows

interface Anchor {
  /** Text before the type on the row's first line: ID, owner and the start of the asset name. */
  prefix: string;
  type: string;
  date: string;
  notified: string;
  amount: string;
}

/**
 * The line of a row holding its type, both dates (possibly run together) and the amount. The type
 * is matched in any case: reports of about 2014-2022 give `s` and `s (partial)`. It may touch the
 * asset name before it (`Holding L.P.P 12/22/2020`, `Wtr utilS (partial) 02/01/2021`), as some
 * extractors give the reports of about 2021 whose asset name runs up to the type column: the
 * letter just before the dates is the type whatever comes before it.
 */
const ANCHOR =
  /^(.*?)\s*(S \(partial\)|P|S|E)\s*(\d{1,2}\/\d{1,2}\/\d{4})\s*(\d{1,2}\/\d{1,2}\/\d{4})\s*(.*)$/i;

function anchorOf(line: string): Anchor | null {
  const m = ANCHOR.exec(line);
  if (!m) return null;
  const amount = m[5] ?? '';
  // What follows the dates is the amount column: a figure or the words of an open bracket.
  if (amount !== '' && !/^(?:\$|over\b|spouse\b|none\b)/i.test(amount)) return null;
  return { prefix: m[1] ?? '', type: m[2] ?? '', date: m[3] ?? '', notified: m[4] ?? '', amount };
}

type DetailKey = 'status' | 'subholding' | 'description' | 'comment' | 'location';
const DETAIL = /^(F S|S O|D|C|L) ?: ?(.*)$/;
const DETAIL_KEYS: Record<string, DetailKey> = {
  'F S': 'status',
  'S O': 'subholding',
  D: 'description',
  C: 'comment',
  L: 'location',
};
/** The same labels spelled out, as reports of about 2014-2022 print them (`FILINg STATuS: New`). */
const SPELLED_DETAIL = /^(Filing Status|Subholding Of|Description|Comments?|Location) ?: ?(.*)$/i;
const SPELLED_DETAIL_KEYS: Record<string, DetailKey> = {
  'FILING STATUS': 'status',
  'SUBHOLDING OF': 'subholding',
  DESCRIPTION: 'description',
  COMMENT: 'comment',
  COMMENTS: 'comment',
  LOCATION: 'location',
};

/** A labelled line under a row: its field and its text. */
function detailOf(line: string): { key: DetailKey; value: string } | null {
  const short = DETAIL.exec(line);
  if (short) return { key: DETAIL_KEYS[short[1] ?? ''] ?? 'comment', value: (short[2] ?? '').trim() };
  const spelled = SPELLED_DETAIL.exec(line);
  if (spelled) {
    const key = SPELLED_DETAIL_KEYS[(spelled[1] ?? '').toUpperCase()] ?? 'comment';
    return { key, value: (spelled[2] ?? '').trim() };
  }
  return null;
}

interface RawRow {
  anchor: Anchor;
  assetParts: string[];
  amount: string;
  details: Partial<Record<DetailKey, string>>;
  status: TransactionFilingStatus | null;
}

/** The second half of a wrapped amount at the end of a line ("$500,000", "Over $1,000,000"). */
const AMOUNT_TAIL = /(?:^|\s)((?:over\s+)?\$\s?\d[\d,]*(?:\.\d+)?)$/i;
const AMOUNT_TAIL_ALONE = /^((?:over\s+)?\$\s?\d[\d,]*(?:\.\d+)?)$/i;

/** A full-width labelled line (description, comment) that wrapped reaches about this many characters. */
const FULL_LINE = 100;
/** The first line of an asset name when it carries the ID or Owner column. */
const ROW_START = /^(?:\d{6,} )?(?:SP|JT|DC) /;
/** The same in a report whose text layer mixes the case of letters (`sP`). */
const ROW_START_ANY_CASE = /^(?:\d{6,} )?(?:SP|JT|DC) /i;

/**
 * Content-stream order: how many of the lines between a row's last labelled line and the next
 * row's first line continue that labelled line; the others are the next row's asset name (at least
 * one line). An asset name that names its owner starts there; otherwise a line continues the one
 * before it when that one ran the full width of the page without ending a sentence.
 */
function continuationCount(pending: string[], lastLabelled: string, scrambled: boolean): number {
  const most = pending.length - 1;
  const rowStart = scrambled ? ROW_START_ANY_CASE : ROW_START;
  const owned = pending.findLastIndex((line) => rowStart.test(line));
  if (owned >= 0) return Math.min(owned, most);
  let count = 0;
  let previous = lastLabelled;
  while (count < most && previous.length >= FULL_LINE && !/[.!?]$/.test(previous)) {
    previous = pending[count] ?? '';
    count++;
  }
  return count;
}

function readRows(lines: string[], scrambled: boolean): RawRow[] {
  const anchors = lines.map(anchorOf);
  // In content-stream order a wrapped asset name precedes its row's first line, which then starts
  // with the type; in baseline order a row's first line always starts with the asset name.
  const assetFirst = anchors.some((a) => a !== null && a.prefix === '');
  const rows: RawRow[] = [];
  let row: RawRow | null = null;
  let lastDetail: DetailKey | null = null;
  let lastDetailLine = '';
  let needAmount = false;
  let firstAfterAnchor = false;
  /** Content-stream order: lines not yet known to belong to the previous row or the next one. */
  let pending: string[] = [];

  const appendDetail = (text: string) => {
    if (!row || !lastDetail) return;
    row.details[lastDetail] = `${row.details[lastDetail] ?? ''} ${text}`.trim();
    lastDetailLine = text;
  };
  /**
   * Content-stream order: hands the pending lines to the current row (continuing its last labelled
   * line, or its asset name if it has none yet), except, when the next row's asset name starts on
   * an earlier line, the lines that begin that name.
   */
  const settlePending = (nextRowNeedsAsset: boolean) => {
    if (!row) return;
    if (!nextRowNeedsAsset) {
      if (lastDetail === null) row.assetParts.push(...pending.splice(0));
      else for (const text of pending.splice(0)) appendDetail(text);
      return;
    }
    // A row without labelled lines leaves nothing to continue: all of it is the next asset name.
    if (lastDetail === null) return;
    const count = continuationCount(pending, lastDetailLine, scrambled);
    for (const text of pending.splice(0, count)) appendDetail(text);
  };

  lines.forEach((line, i) => {
    const anchor = anchors[i];
    if (anchor) {
      if (assetFirst) settlePending(anchor.prefix === '');
      const assetParts = [...pending, anchor.prefix].filter((part) => part !== '');
      pending = [];
      row = { anchor, assetParts, amount: anchor.amount, details: {}, status: null };
      rows.push(row);
      lastDetail = null;
      needAmount = isAmountIncomplete(anchor.amount);
      firstAfterAnchor = true;
      return;
    }
    const detail = detailOf(line);
    if (detail && row) {
      if (assetFirst) settlePending(false);
      const { key, value } = detail;
      row.details[key] = row.details[key] === undefined ? value : `${row.details[key]} ${value}`.trim();
      if (key === 'status') row.status = filingStatus(value);
      lastDetail = key;
      lastDetailLine = line;
      needAmount = false;
      return;
    }
    if (!row) {
      pending.push(line);
      return;
    }
    if (lastDetail === null) {
      // Between a row's first line and its labelled lines: the wrapped end of the amount, then
      // (in baseline order) the rest of the asset name on the same lines.
      let rest = line;
      if (needAmount) {
        // On the first line after the row's first line, or (split by a page break in content-stream
        // order) alone on a later one.
        const tail = (firstAfterAnchor ? AMOUNT_TAIL : AMOUNT_TAIL_ALONE).exec(line);
        if (tail) {
          row.amount = `${row.amount} ${tail[1] ?? ''}`.trim();
          rest = line.slice(0, tail.index).trim();
          needAmount = false;
        }
      }
      firstAfterAnchor = false;
      if (rest === '') return;
      if (assetFirst) pending.push(rest);
      else row.assetParts.push(rest);
      return;
    }
    if (assetFirst) pending.push(line);
    else appendDetail(line);
  });
  if (assetFirst) settlePending(false);
  return rows;
}

function filingStatus(value: string): RawRow['status'] {
  const v = value.trim().toLowerCase();
  if (v.startsWith('new')) return 'new';
  if (v.startsWith('amend')) return 'amended';
  if (v.startsWith('delete')) return 'deleted';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Fields

const OWNERS: Record<string, Owner> = { SP: 'spouse', JT: 'joint', DC: 'dependent' };
const TYPES: Record<string, TransactionType> = {
  P: 'purchase',
  S: 'sale',
  'S (PARTIAL)': 'sale_partial',
  E: 'exchange',
};

/** Parenthesised words in asset names that are not tickers. */
const NOT_TICKERS = new Set(['ADR', 'ETF', 'REIT', 'LLC', 'USD', 'IRA']);

function toTransaction(row: RawRow, scrambled: boolean): ParsedTransaction {
  let asset = row.assetParts.join(' ').replace(/\s+/g, ' ').trim();
  // The ID column is filled on rows that amend an earlier report (their original row number).
  asset = asset.replace(/^\d{6,}\s+/, '');
  let owner: Owner = 'self';
  const ownerMatch = (scrambled ? /^(SP|JT|DC)(?:\s+|$)/i : /^(SP|JT|DC)(?:\s+|$)/).exec(asset);
  if (ownerMatch) {
    owner = OWNERS[(ownerMatch[1] ?? '').toUpperCase()] ?? 'self';
    asset = asset.slice(ownerMatch[0].length);
  }
  let assetType: string | null = null;
  // The code in any case: reports of about 2014-2022 give `[sT]`, `[gS]`.
  const typeMatch = [...asset.matchAll(/\[([A-Za-z0-9]{2})\]/g)].at(-1);
  const code = (typeMatch?.[1] ?? '').toUpperCase();
  if (typeMatch && isHouseAssetType(code)) {
    assetType = code;
    asset = `${asset.slice(0, typeMatch.index)} ${asset.slice(typeMatch.index + typeMatch[0].length)}`;
  }
  const { ticker, rest } = takeTicker(asset, scrambled);
  const amount = parseAmountBracket(row.amount) ?? { amountMin: null, amountMax: null };
  return {
    owner,
    assetName: rest.replace(/\s+/g, ' ').trim(),
    ticker,
    assetType,
    transactionType: TYPES[row.anchor.type.toUpperCase()] ?? 'purchase',
    transactionDate: usDateToIso(row.anchor.date),
    notificationDate: usDateToIso(row.anchor.notified),
    amountMin: amount.amountMin,
    amountMax: amount.amountMax,
    filingStatus: row.status,
    description: row.details.description || null,
    comment: row.details.comment || null,
    subholdingOf: normaliseSubholding(row.details.subholding) || null,
  };
}

/**
 * The ticker is the last parenthesised symbol in the asset name, e.g. `(GOOGL)`, `(BRK.B)`, or
 * `(Symbol: OGVXX)`. A CUSIP `(91282CJP7)`, an account number `(3935)` or a word `(Solana)` is not
 * a ticker and stays in the name. Preferred shares written `T$A` become `T-PA`. In a report whose
 * text layer mixes the case of letters, the last parenthesised group may be a ticker in any case
 * (`(aPD)`, `(gOOgl)`), when it is short enough to be one.
 */
function takeTicker(asset: string, scrambled: boolean): { ticker: string | null; rest: string } {
  const groups = [...asset.matchAll(/\(\s*(?:(?:Symbol|Ticker)\s*:\s*)?([^()]*?)\s*\)/gi)].reverse();
  for (const [i, group] of groups.entries()) {
    const text = group[1] ?? '';
    const anyCase = scrambled && i === 0 && /^[A-Za-z]{1,5}(?:[.\-/$][A-Za-z]{0,2})?$/.test(text);
    const symbol = text.toUpperCase() === text || anyCase ? text.toUpperCase() : '';
    const ticker = tickerOf(symbol);
    if (ticker) {
      const rest = `${asset.slice(0, group.index)} ${asset.slice(group.index + group[0].length)}`;
      return { ticker, rest };
    }
  }
  return { ticker: null, rest: asset };
}

function tickerOf(symbol: string): string | null {
  const m = /^([A-Z]{1,6})(?:([.\-/])([A-Z]{1,3})|\$([A-Z]{0,2}))?$/.exec(symbol);
  if (!m || NOT_TICKERS.has(symbol)) return null;
  const [, base, sep, cls, preferred] = m;
  if (preferred !== undefined) return `${base}-P${preferred}`;
  if (sep !== undefined) return `${base}${sep === '/' ? '.' : sep}${cls}`;
  return base ?? null;
}

/** The form draws the nesting of accounts as `⇒` in one place and `>` in another: keep `>`. */
function normaliseSubholding(value: string | undefined): string | undefined {
  return value?.replace(/\s*⇒\s*/g, ' > ').trim();
}

// ---------------------------------------------------------------------------------------------
// Filer

function filerName(lines: string[]): string {
  // `name:` in the reports of about 2014-2017.
  const line = lines.find((l) => /^Name:/i.test(l));
  if (!line) return '';
  return line
    .replace(/^Name:\s*/i, '')
    .replace(/^(?:The Honorable|Honorable|Hon\.?)\s+/i, '')
    .trim();
}

function stateDistrict(lines: string[]): string | null {
  const line = lines.find((l) => /^State\/District:/i.test(l));
  const value = line
    ?.replace(/^State\/District:\s*/i, '')
    .replace(/\s+/g, '')
    .toUpperCase();
  return value ? value : null;
}

function signedDate(lines: string[]): string | null {
  const at = lines.findIndex((l) => SIGNATURE.test(l));
  if (at >= 0) {
    const text = `${lines[at] ?? ''} ${lines[at + 1] ?? ''}`;
    const m = /Digitally Signed:.*?(\d{1,2}\/\d{1,2}\/\d{4})/i.exec(text);
    return usDateToIso(m?.[1]);
  }
  // Reports of about 2014-2020 print the signer and the date without the label, as the last line
  // after the certification: `Mr. Vern Buchanan , 09/15/2014`.
  const certified = lines.findLastIndex(
    (l) => CERTIFY.test(l) || /^(?:C S|Certification and Signature)$/i.test(l),
  );
  if (certified < 0) return null;
  for (const line of lines.slice(certified + 1).reverse()) {
    const m = /\S\s*,\s*(\d{1,2}\/\d{1,2}\/\d{4})$/.exec(line);
    if (m) return usDateToIso(m[1]);
  }
  return null;
}
