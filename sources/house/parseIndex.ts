import { unzipSync } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError, type HouseIndexRow } from '../../domain/filing';
import { REJECTED_ROW_MAX_CHARS, type RejectedRow } from '../../domain/sync';
import { usDateToIso } from '../../domain/usDate';

/**
 * The House Clerk's yearly financial-disclosure index (`{YEAR}FD.zip` holding `{YEAR}FD.xml` and
 * `{YEAR}FD.txt`). Every filing type is returned; callers keep the PTRs with `isPtr`.
 */

/** The index is well under a megabyte; anything near this once decompressed is not the index. */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/**
 * The real indexes compress 8 to 13 times (XML and TXT). A member that would unpack a hundred times
 * its size or more is a decompression bomb, whatever its size.
 */
export const MAX_COMPRESSION_RATIO = 100;

/** FilingType `P`: a Periodic Transaction Report. */
export function isPtr(row: HouseIndexRow): boolean {
  return row.filingType === 'P';
}

/** The index fields, named as the XML tags and the TXT header name them. */
const FIELDS = [
  'Prefix',
  'Last',
  'First',
  'Suffix',
  'FilingType',
  'StateDst',
  'Year',
  'FilingDate',
  'DocID',
] as const;
type RawRow = Partial<Record<(typeof FIELDS)[number], string>>;

/** What an index gave: its rows, one per DocID, and the records that could not be read. */
export interface HouseIndexRead {
  rows: HouseIndexRow[];
  rejected: RejectedRow[];
}

/** One record as listed: its fields, and its text (for an operator, should it be rejected). */
interface RawRecord {
  fields: RawRow;
  text: string;
}

const xmlParser = () =>
  new XMLParser({
    ignoreAttributes: true,
    // Keep every value a string: DocIDs and districts are identifiers, not numbers.
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => name === 'Member',
  });

/**
 * `{YEAR}FD.xml`: `<FinancialDisclosure>` holding one `<Member>` per filing. A document that is not
 * well-formed is read record by record: each `<Member>` that parses is kept, each that does not is
 * rejected with the reason. A document without the root, or without one readable record, is a
 * ParseError.
 */
export function parseHouseIndexXml(text: string): HouseIndexRead {
  const xml = stripBom(text);
  if (xml.trim() === '') throw new ParseError('House index XML is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return salvageXml(xml, `${valid.err.msg} (line ${valid.err.line})`);
  const root = (xmlParser().parse(xml) as Record<string, unknown>)?.FinancialDisclosure;
  if (root === undefined) {
    throw new ParseError('not the House index: the XML has no <FinancialDisclosure> root');
  }
  // An index published before any filing arrived is an empty <FinancialDisclosure/>: zero rows.
  const members = root === '' ? [] : (root as Record<string, unknown>).Member;
  if (members === undefined) return { rows: [], rejected: [] };
  if (!Array.isArray(members)) throw new ParseError('not the House index: <Member> is not a list of records');
  const rejected: RejectedRow[] = [];
  const raw: RawRecord[] = [];
  members.forEach((member, i) => {
    if (member === null || typeof member !== 'object') {
      rejected.push(reject(`<Member> #${i + 1} has no fields`, `<Member>${String(member)}</Member>`));
    } else {
      const fields = pickFields(member as Record<string, unknown>);
      raw.push({ fields, text: memberXml(fields) });
    }
  });
  return toRows(raw, 'XML', rejected);
}

const MEMBER = /<Member>[\s\S]*?<\/Member>/g;

/** A document that is not well-formed, read one `<Member>` at a time. */
function salvageXml(xml: string, problem: string): HouseIndexRead {
  const malformed = new ParseError(`House index XML is malformed: ${problem}`);
  if (!/<FinancialDisclosure[\s/>]/.test(xml)) throw malformed;
  const rejected: RejectedRow[] = [];
  const raw: RawRecord[] = [];
  for (const chunk of xml.match(MEMBER) ?? []) {
    const valid = XMLValidator.validate(chunk);
    const member =
      valid === true
        ? ((xmlParser().parse(chunk) as { Member?: unknown[] }).Member?.[0] as Record<string, unknown> | '')
        : undefined;
    if (valid !== true) rejected.push(reject(`malformed XML: ${valid.err.msg}`, chunk));
    else if (!member || typeof member !== 'object') rejected.push(reject('<Member> has no fields', chunk));
    else raw.push({ fields: pickFields(member), text: chunk });
  }
  if (raw.length === 0) throw malformed;
  // What lies between complete records (a record whose tags were damaged, junk) is rejected too.
  const between = xml.replace(/<\?xml[^>]*\?>|<\/?FinancialDisclosure[^>]*>/g, '').split(MEMBER);
  for (const piece of between) {
    if (piece.trim() !== '')
      rejected.push(reject('malformed XML outside any complete <Member> record', piece));
  }
  return toRows(raw, 'XML', rejected);
}

/** `{YEAR}FD.txt`: tab-separated, a header line naming the columns, one line per filing. */
export function parseHouseIndexTxt(text: string): HouseIndexRead {
  const lines = stripBom(text)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header === undefined) throw new ParseError('House index TXT is empty');
  const columns = header.split('\t').map((name) => name.trim());
  const missing = ['DocID', 'FilingType'].filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new ParseError(
      `not the House index: the TXT header lacks ${missing.join(', ')} (got ${JSON.stringify(header.slice(0, 80))})`,
    );
  }
  const raw = lines.map((line): RawRecord => {
    const cells = line.split('\t');
    const fields: RawRow = {};
    for (const field of FIELDS) {
      const at = columns.indexOf(field);
      fields[field] = at < 0 ? '' : (cells[at] ?? '').trim();
    }
    return { fields, text: line };
  });
  return toRows(raw, 'TXT', []);
}

/** Reads the index from the Clerk's ZIP: `{year}FD.xml` when present (any `*.xml` otherwise), else the TXT. */
export function parseHouseIndexZip(bytes: Uint8Array, year?: number): HouseIndexRead {
  if (bytes.length === 0) throw new ParseError('House index ZIP is empty');
  const members = listZip(bytes);
  const pick =
    (year !== undefined && members.find((m) => baseName(m.name).toLowerCase() === `${year}fd.xml`)) ||
    members.find((m) => /^\d{4}FD\.xml$/i.test(baseName(m.name))) ||
    members.find((m) => /\.xml$/i.test(m.name)) ||
    (year !== undefined && members.find((m) => baseName(m.name).toLowerCase() === `${year}fd.txt`)) ||
    members.find((m) => /\.txt$/i.test(m.name));
  if (!pick) {
    const names = members.map((m) => m.name).join(', ') || 'nothing';
    throw new ParseError(`House index ZIP holds no .xml or .txt index (it holds ${names})`);
  }
  const text = new TextDecoder('utf-8').decode(unzipMember(bytes, pick));
  return /\.xml$/i.test(pick.name) ? parseHouseIndexXml(text) : parseHouseIndexTxt(text);
}

/** Parses a saved index file by its extension: `.zip`, `.xml` or `.txt`. */
export function parseHouseIndexFile(bytes: Uint8Array, fileName: string): HouseIndexRead {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'zip') {
    const year = /(\d{4})FD/i.exec(baseName(fileName))?.[1];
    return parseHouseIndexZip(bytes, year === undefined ? undefined : Number(year));
  }
  if (ext === 'xml' || ext === 'txt') {
    if (bytes.length > MAX_INDEX_BYTES)
      throw new ParseError(`House index ${fileName} is larger than ${MAX_INDEX_BYTES} bytes`);
    const text = new TextDecoder('utf-8').decode(bytes);
    return ext === 'xml' ? parseHouseIndexXml(text) : parseHouseIndexTxt(text);
  }
  throw new ParseError(
    `cannot tell the House index format of ${JSON.stringify(fileName)}: expected .zip, .xml or .txt`,
  );
}

interface ZipMember {
  name: string;
  size: number;
  originalSize: number;
}

function listZip(bytes: Uint8Array): ZipMember[] {
  const members: ZipMember[] = [];
  try {
    // The filter sees every central-directory entry; returning false decompresses nothing.
    unzipSync(bytes, {
      filter: (file) => {
        members.push({ name: file.name, size: file.size, originalSize: file.originalSize });
        return false;
      },
    });
  } catch (err) {
    throw new ParseError(`House index ZIP is corrupt or truncated (${errorText(err)})`);
  }
  return members;
}

function unzipMember(bytes: Uint8Array, member: ZipMember): Uint8Array {
  // fflate inflates into a buffer of the declared size (never more), so checking it first bounds memory.
  if (member.originalSize > MAX_INDEX_BYTES) {
    throw new ParseError(
      `House index ZIP member ${member.name} would unpack to ${member.originalSize} bytes (limit ${MAX_INDEX_BYTES})`,
    );
  }
  const ratio = member.originalSize / Math.max(member.size, 1);
  if (ratio >= MAX_COMPRESSION_RATIO) {
    throw new ParseError(
      `House index ZIP member ${member.name} would unpack ${Math.round(ratio)} times its compressed size ` +
        `(${member.size} bytes to ${member.originalSize}); an index compresses about 12 times`,
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (file) => file.name === member.name });
  } catch (err) {
    throw new ParseError(`House index ZIP member ${member.name} is corrupt (${errorText(err)})`);
  }
  const data = files[member.name];
  if (!data) throw new ParseError(`House index ZIP member ${member.name} could not be read`);
  return data;
}

function pickFields(member: Record<string, unknown>): RawRow {
  const row: RawRow = {};
  for (const field of FIELDS) {
    const value = member[field];
    row[field] =
      typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
  }
  return row;
}

/**
 * Normalises raw records and keeps one per DocID (a later listing replaces an earlier one). A record
 * without a usable DocID or year is rejected with the reason; the others are kept.
 */
function toRows(raw: RawRecord[], format: string, rejected: RejectedRow[]): HouseIndexRead {
  const byDocId = new Map<string, HouseIndexRow>();
  for (const { fields: r, text } of raw) {
    const docId = r.DocID ?? '';
    if (docId === '') {
      rejected.push(reject(`House index ${format}: a record has no DocID`, text));
      continue;
    }
    // DocIDs are numbers; anything else would end up in a document URL.
    if (!/^\d{1,12}$/.test(docId)) {
      rejected.push(reject(`DocID ${JSON.stringify(docId)} is not a number (House index ${format})`, text));
      continue;
    }
    const filingDate = usDateToIso(r.FilingDate);
    // Year is always filled in practice; the filing date's year is the natural stand-in if not.
    const yearText = /^\d{4}$/.test(r.Year ?? '') ? r.Year : filingDate?.slice(0, 4);
    if (yearText === undefined) {
      rejected.push(
        reject(`House index ${format}: DocID ${docId} has Year ${JSON.stringify(r.Year ?? '')}`, text),
      );
      continue;
    }
    byDocId.set(docId, {
      docId,
      filingType: r.FilingType ?? '',
      prefix: r.Prefix ?? '',
      first: r.First ?? '',
      last: r.Last ?? '',
      suffix: r.Suffix ?? '',
      stateDistrict: r.StateDst ?? '',
      year: Number(yearText),
      filingDate,
    });
  }
  return { rows: [...byDocId.values()], rejected };
}

function reject(reason: string, row: string): RejectedRow {
  return { reason, row: row.trim().slice(0, REJECTED_ROW_MAX_CHARS) };
}

/** A record's fields as the XML lists them, for an operator to recognise a rejected one. */
function memberXml(fields: RawRow): string {
  return `<Member>${FIELDS.map((f) => `<${f}>${fields[f] ?? ''}</${f}>`).join('')}</Member>`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
