import { load, type CheerioAPI } from 'cheerio';
import {
  ParseError,
  type Owner,
  type ParsedFiling,
  type ParsedTransaction,
  type TransactionType,
} from '../../domain/filing';
import { usDateToIso } from '../../domain/usDate';
import { parseAmountBracket } from '../../domain/amount';
import { amendmentNumber, isBlank, squash } from './efdText';
import type { SenateReportRef } from './searchRows';

/**
 * Reads an electronic Senate PTR page (`/search/view/ptr/<uuid>/`) into a ParsedFiling.
 *
 * - Transactions come out in the filer's entry order (the `#` column ascending), whatever order
 *   the page lists them in (the site lists newest entry first); rows without a number keep page order.
 * - An exchange of one holding for another is one transaction, as on the page: `assetName` and
 *   `ticker` are the holding given up, and `description` reads "V.F. Corporation (VFC) → Kontoor
 *   Brands, Inc. (KTB)" so the received holding stays searchable.
 * - Detail lines under an asset name (bond coupon and maturity, option type/strike/expiry, company)
 *   become `description`, one "Label: value" per line joined with "; ".
 *
 * - The page's own count, "(17 transactions total)" above the table, must equal the rows read: a
 *   page cut short (or an empty table under a count of 1) is a ParseError, not a report without trades.
 *
 * Anything that is not a PTR page (the agreement page of a lapsed session, a maintenance page, a
 * paper report's page images, an empty body) is a ParseError saying which it is.
 */
export function parseSenatePtr(html: string, filingId: string): ParsedFiling {
  if (!html.trim()) throw new ParseError(`Senate PTR ${filingId}: empty document`);
  const $ = load(html);
  const heading = $('h1')
    .toArray()
    .map((h) => squash($(h).text()))
    .find((t) => /Periodic Transaction Report/i.test(t));
  if (!heading) throw new ParseError(`Senate PTR ${filingId}: ${describeNonPtr($)}`);

  const tables = transactionTables($);
  if (tables.length === 0) {
    if ($('img').length > 0 && $('table').length === 0) {
      throw new ParseError(
        `Senate PTR ${filingId}: a paper filing (page images only, no transactions table)`,
      );
    }
    throw new ParseError(
      `Senate PTR ${filingId}: no transactions table (expected columns ${REQUIRED_COLUMNS.join(', ')})`,
    );
  }

  const rows = tables.flatMap((t) => readRows($, t, filingId));
  const declared = declaredCount($);
  if (declared !== null && declared !== rows.length) {
    throw new ParseError(
      `Senate PTR ${filingId}: the page declares ${declared} transaction${declared === 1 ? '' : 's'} but its table has ${rows.length} row${rows.length === 1 ? '' : 's'} (a truncated or altered page)`,
    );
  }
  rows.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity) || a.index - b.index);
  return {
    chamber: 'senate',
    filingId,
    kind: 'electronic',
    filerName: filerName($, filingId),
    stateDistrict: null,
    filedDate: filedDate($, filingId),
    amendment: amendmentNumber(heading) !== null,
    transactions: rows.map((r) => r.transaction),
  };
}

/** A paper (scanned) PTR, known only from its search row: no transactions can be read from images. */
export function paperFiling(ref: SenateReportRef): ParsedFiling {
  return {
    chamber: 'senate',
    filingId: ref.reportId,
    kind: 'paper',
    filerName: displayName(`${ref.firstName} ${ref.lastName}`),
    stateDistrict: null,
    filedDate: ref.filedDate,
    amendment: ref.amendment,
    transactions: [],
  };
}

/** Paper rows spell names in capitals ("ANGUS S KING"); mixed-case names are left as written. */
function displayName(name: string): string {
  const n = squash(name);
  if (n !== n.toUpperCase()) return n;
  return n.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function describeNonPtr($: CheerioAPI): string {
  const title = squash($('title').first().text());
  const text = squash($('body').text() || $.root().text());
  if ($('[name="prohibition_agreement"]').length > 0 || /prohibition_agreement/.test($.html())) {
    return 'this is the eFD agreement (home) page, not a report: the session was not established or has lapsed';
  }
  if (/maintenance/i.test(title) || /maintenance/i.test(text))
    return 'this is the eFD maintenance page, not a report';
  if (/CSRF verification failed/i.test(text)) return 'this is a CSRF failure page, not a report';
  return `not a Periodic Transaction Report page (title "${title || '(none)'}", no "Periodic Transaction Report" heading)`;
}

const HONORIFICS = /^(?:(?:(?:The\s+)?Honorable|Hon\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)\s+)+/i;

function filerName($: CheerioAPI, filingId: string): string {
  const h2 = $('h2.filedReport').first().length
    ? $('h2.filedReport').first()
    : $('h1').first().nextAll('h2').first();
  const name = squash(h2.text())
    // "The Honorable", or the courtesy title some filers chose instead ("Mr. David A Perdue Jr",
    // "Ms. Tina Smith", "Mrs. Joni K Ernst"): the same senator is named both ways across reports.
    .replace(HONORIFICS, '')
    // The parenthesised short form: "(Toomey, Pat)".
    .replace(/\s*\([^()]*\)\s*$/, '')
    .trim();
  if (!name) throw new ParseError(`Senate PTR ${filingId}: no filer name in the report heading`);
  return name;
}

function filedDate($: CheerioAPI, filingId: string): string | null {
  const candidates = [squash($('p.muted').text()), squash($('body').text())];
  for (const text of candidates) {
    const m = /\bFiled\s+(\d{1,2}\/\d{1,2}\/\d{4})(?:\s*@\s*\d{1,2}(?::\d{2})?\s*[AP]\.?M\.?)?/i.exec(text);
    if (!m) continue;
    const iso = usDateToIso(m[1]!);
    if (!iso) throw new ParseError(`Senate PTR ${filingId}: filed date "${m[1]}" is not a calendar date`);
    return iso;
  }
  return null;
}

/** The "(N transactions total)" the page prints above its table, or null when it prints none. */
function declaredCount($: CheerioAPI): number | null {
  const m = /\(\s*(\d+)\s+transactions?\s+total\s*\)/i.exec(squash($('body').text() || $.root().text()));
  return m ? Number(m[1]) : null;
}

// ---- the transactions table -------------------------------------------------------------------

type Column =
  'number' | 'date' | 'owner' | 'ticker' | 'assetName' | 'assetType' | 'type' | 'amount' | 'comment';

const HEADERS: Record<string, Column> = {
  '#': 'number',
  'transaction date': 'date',
  owner: 'owner',
  ticker: 'ticker',
  'asset name': 'assetName',
  'asset type': 'assetType',
  type: 'type',
  'transaction type': 'type',
  amount: 'amount',
  comment: 'comment',
  comments: 'comment',
};
const REQUIRED_COLUMNS: Column[] = ['date', 'owner', 'assetName', 'type', 'amount'];

interface TransactionsTable {
  columns: Map<Column, number>;
  rows: DomNode[][];
}

/** Tables whose header row names the PTR columns; columns are found by name, not position. */
function transactionTables($: CheerioAPI): TransactionsTable[] {
  const found: TransactionsTable[] = [];
  for (const table of $('table').toArray()) {
    const t = $(table);
    const headerCells = t.find('thead tr').first().find('th').toArray();
    const header = headerCells.length ? headerCells : t.find('tr').first().find('th').toArray();
    const columns = new Map<Column, number>();
    header.forEach((th, i) => {
      const col = HEADERS[squash($(th).text()).toLowerCase()];
      if (col && !columns.has(col)) columns.set(col, i);
    });
    if (!REQUIRED_COLUMNS.every((c) => columns.has(c))) continue;
    const bodyRows = t.find('tbody tr').length ? t.find('tbody tr') : t.find('tr').slice(1);
    const rows = bodyRows
      .toArray()
      .map((tr) => $(tr).children('td').toArray() as unknown as DomNode[])
      .filter((cells) => cells.length > 0);
    found.push({ columns, rows });
  }
  return found;
}

interface ReadRow {
  number: number | null;
  index: number;
  transaction: ParsedTransaction;
}

function readRows($: CheerioAPI, table: TransactionsTable, filingId: string): ReadRow[] {
  const width = Math.max(...table.columns.values()) + 1;
  return table.rows.map((cells, index) => {
    const where = `Senate PTR ${filingId}, table row ${index + 1}`;
    if (cells.length < width) throw new ParseError(`${where}: ${cells.length} cells, expected ${width}`);
    const cell = (c: Column): DomNode | undefined => {
      const i = table.columns.get(c);
      return i === undefined ? undefined : cells[i];
    };
    const text = (c: Column): string => {
      const node = cell(c);
      return node ? textLines([node]).join(' ') : '';
    };

    const numberText = text('number');
    const number = /^\d+$/.test(numberText) ? Number(numberText) : null;
    const label = number === null ? where : `Senate PTR ${filingId}, transaction #${number}`;

    const dateText = text('date');
    const transactionDate = isBlank(dateText) ? null : usDateToIso(dateText);
    if (!isBlank(dateText) && !transactionDate) {
      throw new ParseError(`${label}: transaction date "${dateText}" is not MM/DD/YYYY`);
    }
    const amount = parseAmountBracket(text('amount'));
    if (!amount) throw new ParseError(`${label}: amount "${text('amount')}" is not a dollar bracket`);

    const asset = assetCell(cell('assetName'), cell('ticker'), label);
    const comment = text('comment');
    const assetType = text('assetType');
    return {
      number,
      index,
      transaction: {
        owner: owner(text('owner'), label),
        assetName: asset.name,
        ticker: asset.ticker,
        ...(asset.receivedTicker !== undefined ? { receivedTicker: asset.receivedTicker } : {}),
        assetType: isBlank(assetType) ? null : assetType,
        transactionType: transactionType(text('type'), label),
        transactionDate,
        notificationDate: null,
        amountMin: amount.amountMin,
        amountMax: amount.amountMax,
        filingStatus: null,
        description: asset.description,
        comment: isBlank(comment) ? null : comment,
        subholdingOf: null,
      },
    };
  });
}

const OWNERS: Record<string, Owner> = {
  self: 'self',
  spouse: 'spouse',
  joint: 'joint',
  child: 'dependent',
  dependent: 'dependent',
  'dependent child': 'dependent',
};

function owner(text: string, label: string): Owner {
  const o = OWNERS[text.toLowerCase()];
  if (!o) throw new ParseError(`${label}: owner "${text}" is not Self, Spouse, Joint or Child`);
  return o;
}

const TYPES: Record<string, TransactionType> = {
  purchase: 'purchase',
  sale: 'sale',
  'sale (full)': 'sale',
  'sale (partial)': 'sale_partial',
  exchange: 'exchange',
};

function transactionType(text: string, label: string): TransactionType {
  // "Sale(Partial)", "Sale ( Partial )" → "sale (partial)".
  const key = text
    .toLowerCase()
    .replace(/\s*\(\s*/g, ' (')
    .replace(/\s*\)/g, ')')
    .trim();
  const t = TYPES[key];
  if (!t)
    throw new ParseError(
      `${label}: transaction type "${text}" is not Purchase, Sale (Full), Sale (Partial) or Exchange`,
    );
  return t;
}

/**
 * Name, ticker and detail lines of one asset; two lines in each cell are an exchange pair, whose
 * second ticker is the one received (`receivedTicker`, set only for a pair).
 */
function assetCell(
  nameCell: DomNode | undefined,
  tickerCell: DomNode | undefined,
  label: string,
): { name: string; ticker: string | null; receivedTicker?: string | null; description: string | null } {
  const children = nameCell?.children ?? [];
  const isDetail = (n: DomNode) => n.type === 'tag' && n.name === 'div';
  const names = textLines(children.filter((n) => !isDetail(n)));
  const details = children.filter(isDetail).flatMap((d) => textLines([d]));
  const tickers = tickerCell ? textLines([tickerCell]).map((t) => (isBlank(t) ? null : t)) : [];
  if (names.length === 0) throw new ParseError(`${label}: no asset name`);

  const parts: string[] = [];
  let name = names.join(' ');
  if (names.length > 1) {
    // "V.F. Corporation (Exchanged)" / "Kontoor Brands, Inc. (Received)".
    const legs = names.map((n, i) => {
      const plain = n.replace(/\s*\((?:Exchanged|Received)\)\s*$/i, '');
      const ticker = tickers[i];
      return ticker ? `${plain} (${ticker})` : plain;
    });
    name = names[0]!.replace(/\s*\((?:Exchanged|Received)\)\s*$/i, '');
    parts.push(legs.join(' → '));
  }
  parts.push(...details);
  return {
    name,
    ticker: tickers[0] ?? null,
    ...(names.length > 1 ? { receivedTicker: tickers[1] ?? null } : {}),
    description: parts.length ? parts.join('; ') : null,
  };
}

// ---- text of a cell, line by line -------------------------------------------------------------

/** The part of a parsed node this file reads (cheerio's nodes satisfy it). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

const BLOCK = new Set(['div', 'p', 'li', 'ul', 'ol', 'table', 'tr']);

/**
 * Visible text split at `<br>` and block elements, each line whitespace-squashed, blanks dropped.
 * Line breaks in the HTML source are only whitespace (the eFD template puts the location of a
 * private company on its own source line: "Company: Pacur, LLC\n   &nbsp;(Oshkosh, WI)").
 */
function textLines(nodes: DomNode[]): string[] {
  let out = '';
  const walk = (n: DomNode): void => {
    if (n.type === 'text') out += (n.data ?? '').replace(/\s+/g, ' ');
    else if (n.type === 'tag') {
      if (n.name === 'br') out += '\n';
      else if (BLOCK.has(n.name ?? '')) {
        out += '\n';
        n.children?.forEach(walk);
        out += '\n';
      } else n.children?.forEach(walk);
    }
  };
  nodes.forEach((n) => (n.type === 'tag' && n.name === 'td' ? n.children?.forEach(walk) : walk(n)));
  return out
    .split('\n')
    .map(squash)
    .filter((l) => l !== '');
}
