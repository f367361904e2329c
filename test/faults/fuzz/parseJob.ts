import { ParseError, type ParsedFiling } from '../../../domain/filing';
import { parseMemberListText } from '../../../sources/congress/memberList';
import {
  parseHouseIndexTxt,
  parseHouseIndexXml,
  parseHouseIndexZip,
} from '../../../sources/house/parseIndex';
import { parseHousePtr } from '../../../sources/house/parsePtr';
import { readHousePtrPdf } from '../../../sources/house/readPtr';
import { parseSearchAnswer, readSearchRow } from '../../../sources/senate/efdClient';
import { parseSenatePtr } from '../../../sources/senate/parsePtr';

/**
 * Runs in a child process (ops/isolatedJob.ts): every parser over mutated inputs. Each input ends as
 * a clean result (checked against what the store accepts) or a ParseError; anything else is a crash.
 */

export type ParserName =
  | 'house index XML'
  | 'house index TXT'
  | 'house index ZIP'
  | 'house PTR text'
  | 'house PTR PDF'
  | 'senate search answer'
  | 'senate PTR page'
  | 'congress member list';

export interface FuzzInput {
  name: string;
  text?: string;
  bytes?: Uint8Array;
}

export interface FuzzOutcome {
  name: string;
  result: 'clean' | 'ParseError' | 'crash';
  detail?: string;
  ms: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const OWNERS = new Set(['self', 'spouse', 'joint', 'dependent']);
const TYPES = new Set(['purchase', 'sale', 'sale_partial', 'exchange']);

/** What the store and the alerts rely on in a ParsedFiling; a parser that returns less has a bug. */
function checkFiling(f: ParsedFiling): void {
  const fail = (what: string) => {
    throw new Error(`invalid result: ${what}`);
  };
  if (f.filedDate !== null && !ISO_DATE.test(f.filedDate)) fail(`filedDate ${f.filedDate}`);
  if (typeof f.filerName !== 'string') fail('filerName');
  for (const t of f.transactions) {
    if (t.owner !== null && !OWNERS.has(t.owner)) fail(`owner ${t.owner}`);
    if (t.transactionType !== null && !TYPES.has(t.transactionType))
      fail(`transactionType ${t.transactionType}`);
    if (typeof t.assetName !== 'string' || t.assetName === '') fail('assetName');
    for (const d of [t.transactionDate, t.notificationDate])
      if (d !== null && !ISO_DATE.test(d)) fail(`date ${d}`);
    if (t.amountMin !== null && !Number.isSafeInteger(t.amountMin)) fail(`amountMin ${t.amountMin}`);
    if (t.amountMax !== null && !Number.isSafeInteger(t.amountMax)) fail(`amountMax ${t.amountMax}`);
    if (t.amountMin !== null && t.amountMax !== null && t.amountMin > t.amountMax)
      fail('amountMin > amountMax');
  }
}

async function parse(parser: ParserName, input: FuzzInput): Promise<void> {
  const text = input.text ?? '';
  switch (parser) {
    case 'house index XML':
    case 'house index TXT':
    case 'house index ZIP': {
      const read =
        parser === 'house index XML'
          ? parseHouseIndexXml(text)
          : parser === 'house index TXT'
            ? parseHouseIndexTxt(text)
            : parseHouseIndexZip(input.bytes!, 2025);
      for (const row of read.rows) {
        if (!/^\d+$/.test(row.docId) || !Number.isInteger(row.year))
          throw new Error(`invalid row ${JSON.stringify(row)}`);
        if (row.filingDate !== null && !ISO_DATE.test(row.filingDate))
          throw new Error(`invalid date ${row.filingDate}`);
      }
      return;
    }
    case 'house PTR text':
      return checkFiling(parseHousePtr(text, '20000000'));
    case 'house PTR PDF':
      return checkFiling(await readHousePtrPdf(input.bytes!, '20000000'));
    case 'senate search answer': {
      for (const row of parseSearchAnswer(text, 'fuzz').data) {
        const read = readSearchRow(row);
        if ('ref' in read && !ISO_DATE.test(read.ref.filedDate))
          throw new Error(`invalid date ${read.ref.filedDate}`);
      }
      return;
    }
    case 'senate PTR page':
      return checkFiling(parseSenatePtr(text, 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab'));
    case 'congress member list':
      for (const m of parseMemberListText(text).members) {
        if (typeof m.bioguideId !== 'string' || typeof m.fullName !== 'string')
          throw new Error('invalid member');
      }
      return;
  }
}

/** Every input through `parser`, reporting after each so the parent can tell a hang from slow work. */
export async function parseAll(
  job: { parser: ParserName; inputs: FuzzInput[] },
  progress: (d: { done: number }) => void,
): Promise<FuzzOutcome[]> {
  const outcomes: FuzzOutcome[] = [];
  for (const input of job.inputs) {
    const started = performance.now();
    let outcome: Omit<FuzzOutcome, 'ms'>;
    try {
      await parse(job.parser, input);
      outcome = { name: input.name, result: 'clean' };
    } catch (err) {
      outcome =
        err instanceof ParseError
          ? { name: input.name, result: 'ParseError' }
          : { name: input.name, result: 'crash', detail: String((err as Error)?.stack ?? err).slice(0, 800) };
    }
    outcomes.push({ ...outcome, ms: Math.round(performance.now() - started) });
    progress({ done: outcomes.length });
  }
  return outcomes;
}
