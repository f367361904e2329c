import type { Command } from 'commander';
import type { Chamber, Owner, ScanSummary, TransactionType } from '../../domain/filing';
import { REVIEW_BELOW } from '../../domain/scanConfidence';
import {
  correctScanRow,
  filingsToReview,
  type CorrectedRow,
  type FilingToReview,
  type RowCorrection,
} from '../../store/paperRows';
import type { DbClient } from '../../store/db';
import { FILING_STATUSES } from '../../domain/sync';
import {
  RETRYABLE_FILING_STATUSES,
  findFilingsBySourceIds,
  getFilingDetail,
  listFilings,
  retryFilings,
} from '../../store/filingViews';
import { listRejectedListings, type RejectedListing } from '../../store/rejectedListings';
import { formatAmountBracket, tickerLabel, tradeLabel } from '../../mail/tradeFormat';
import type { FilingDetail, FilingSummary, RetriedFiling, TransactionDetail } from '../../store/filingViews';
import { withContext } from '../context';
import { oneOf, positiveInt } from '../options';
import {
  outputFormat,
  plural,
  printOutput,
  renderFields,
  renderTable,
  shortTime,
  type Column,
} from '../output';

const SOURCES: readonly Chamber[] = ['house', 'senate'];

export function registerFilingCommands(program: Command): void {
  const filings = program
    .command('filings')
    .description('the stored filings: what failed and why, and retrying them');

  filings
    .command('list')
    .description('filings, most recently seen first')
    .option('--status <status>', FILING_STATUSES.join(', '))
    .option('--source <source>', 'house or senate')
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { status?: string; source?: string; limit: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const status = oneOf('--status', opts.status, FILING_STATUSES);
        const chamber = oneOf('--source', opts.source, SOURCES);
        const limit = positiveInt('--limit', opts.limit);
        const rows = await listFilings(await ctx.db(), { status, chamber, limit });
        printOutput(outputFormat(cmd), rows, () => filingsTable(rows));
      }),
    );

  filings
    .command('show <filingId>')
    .description('one filing (House DocID or Senate report UUID) with its transactions')
    .option('--source <source>', 'house or senate (when the id exists in both)')
    .action((filingId: string, opts: { source?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const chamber = oneOf('--source', opts.source, SOURCES);
        const db = await ctx.db();
        const [filing] = await resolveFilings(db, [filingId], chamber);
        const detail = (await getFilingDetail(db, filing!.id))!;
        printOutput(outputFormat(cmd), detail, () => filingDetail(detail));
      }),
    );

  filings
    .command('review')
    .description(
      'paper filings read from their scan with a field below high confidence, or with no rows read',
    )
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { limit: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const rows = await filingsToReview(await ctx.db(), positiveInt('--limit', opts.limit));
        printOutput(outputFormat(cmd), rows, () => reviewTable(rows));
      }),
    );

  filings
    .command('correct <filingId>')
    .description(
      'correct a row read from a scanned paper filing; kept apart from the reading, it never re-alerts anyone already told',
    )
    .requiredOption('--row <n>', 'the row, 1-based, as `filings show` lists them')
    .option('--ticker <T>', 'the ticker (empty string: none)')
    .option('--type <type>', TYPES.join(', '))
    .option('--amount <bracket>', 'a letter A..K of the form, or MIN-MAX in dollars (MIN- for open-ended)')
    .option('--owner <owner>', OWNERS.join(', '))
    .option('--asset <name>', 'the full asset name')
    .option('--date <YYYY-MM-DD>', 'the date of the transaction')
    .option('--notified <YYYY-MM-DD>', 'the date the filer was notified')
    .option('--by <who>', 'who corrects it (kept with the correction)')
    .action(
      (
        filingId: string,
        opts: {
          row: string;
          ticker?: string;
          type?: string;
          amount?: string;
          owner?: string;
          asset?: string;
          date?: string;
          notified?: string;
          by?: string;
        },
        cmd: Command,
      ) =>
        withContext(async (ctx) => {
          const correction: RowCorrection = {
            ticker:
              opts.ticker === undefined ? undefined : opts.ticker.trim() === '' ? null : opts.ticker.trim(),
            transactionType: oneOf('--type', opts.type, TYPES),
            amount: opts.amount === undefined ? undefined : amountOption(opts.amount),
            owner: oneOf('--owner', opts.owner, OWNERS),
            assetName: opts.asset,
            transactionDate: dateOption('--date', opts.date),
            notificationDate: dateOption('--notified', opts.notified),
          };
          if (Object.values(correction).every((v) => v === undefined)) {
            throw new Error(
              'nothing to correct: give --ticker, --type, --amount, --owner, --asset, --date or --notified',
            );
          }
          const row = positiveInt('--row', opts.row);
          const done = await correctScanRow(await ctx.db(), {
            sourceId: filingId.trim(),
            row,
            correction,
            by: opts.by ?? process.env.USER ?? null,
          });
          const next =
            done.changed.length === 0
              ? 'nothing changed'
              : 'the next trade sync matches the row again: a rule it now meets alerts its users; nobody already told is told again';
          printOutput(outputFormat(cmd), { ...done, next }, () => correctedText(done, next));
        }),
    );

  filings
    .command('rejected')
    .description(
      'listing rows that could not be read (a House index record, a Senate search row): the rest of the listing was ingested',
    )
    .option('--source <source>', 'house or senate')
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { source?: string; limit: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const source = oneOf('--source', opts.source, SOURCES);
        const limit = positiveInt('--limit', opts.limit);
        const rows = await listRejectedListings(await ctx.db(), { source, limit });
        printOutput(outputFormat(cmd), rows, () => rejectedTable(rows));
      }),
    );

  filings
    .command('retry [filingIds...]')
    .description(
      'put failed (or not_posted, or paper filings stored unread) filings back in the queue: the next trade sync fetches and parses them again',
    )
    .option('--all-failed', 'every failed filing (of --source, if given)')
    .option('--source <source>', 'house or senate')
    .option('--no-alerts', 'store them without alerting anyone (e.g. old filings fixed long after the fact)')
    .action(
      (filingIds: string[], opts: { allFailed?: boolean; source?: string; alerts: boolean }, cmd: Command) =>
        withContext(async (ctx) => {
          const chamber = oneOf('--source', opts.source, SOURCES);
          if (opts.allFailed && filingIds.length > 0)
            throw new Error('give filing ids or --all-failed, not both');
          if (!opts.allFailed && filingIds.length === 0) throw new Error('give filing ids, or --all-failed');
          const db = await ctx.db();
          let ids: number[] | undefined;
          if (!opts.allFailed) {
            const found = await resolveFilings(db, filingIds, chamber);
            // Refuse the whole command, changing nothing, when any filing named cannot be retried.
            const refused = found
              .filter((f) => !RETRYABLE_FILING_STATUSES.includes(f.status))
              .map(
                (f) =>
                  `filing ${f.filingId} (${f.source}) is ${f.status}: ` +
                  (f.status === 'discovered'
                    ? 'the next trade sync ingests it already'
                    : `only ${RETRYABLE_FILING_STATUSES.slice(0, -1).join(', ')} or ${RETRYABLE_FILING_STATUSES.at(-1)} filings can be retried`),
              );
            if (refused.length > 0) throw new Error(refused.join('; '));
            ids = found.map((f) => f.id);
          }
          const reset = await retryFilings(db, {
            ids,
            chamber,
            statuses: opts.allFailed ? ['failed'] : RETRYABLE_FILING_STATUSES,
            alerts: opts.alerts,
          });
          const next =
            reset.length === 0
              ? 'nothing to retry'
              : 'the next trade sync fetches and parses them again; to sync now: capitolscope sync --wait';
          const result = { retried: reset.length, filings: reset, alerts: opts.alerts, next };
          printOutput(outputFormat(cmd), result, () => retriedText(reset, opts.alerts, next));
        }),
    );
}

const TYPES: readonly TransactionType[] = ['purchase', 'sale', 'sale_partial', 'exchange'];
const OWNERS: readonly Owner[] = ['self', 'spouse', 'joint', 'dependent'];
/** The form's brackets A..K. */
const LETTERS: Record<string, { min: number; max: number | null }> = {
  A: { min: 1_001, max: 15_000 },
  B: { min: 15_001, max: 50_000 },
  C: { min: 50_001, max: 100_000 },
  D: { min: 100_001, max: 250_000 },
  E: { min: 250_001, max: 500_000 },
  F: { min: 500_001, max: 1_000_000 },
  G: { min: 1_000_001, max: 5_000_000 },
  H: { min: 5_000_001, max: 25_000_000 },
  I: { min: 25_000_001, max: 50_000_000 },
  J: { min: 50_000_001, max: null },
  K: { min: 1_000_001, max: null },
};

function amountOption(text: string): { min: number; max: number | null } {
  const letter = LETTERS[text.trim().toUpperCase()];
  if (letter) return letter;
  const m = /^(\d+)-(\d*)$/.exec(text.replace(/[$,\s]/g, ''));
  if (!m || (m[2] && Number(m[2]) < Number(m[1]))) {
    throw new Error(`--amount must be a letter A..K or MIN-MAX in dollars, not ${JSON.stringify(text)}`);
  }
  return { min: Number(m[1]), max: m[2] ? Number(m[2]) : null };
}

function dateOption(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new Error(`${name} must be a date YYYY-MM-DD, not ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * The stored filings named by upstream ids, one per id: an error for an id not stored, or one stored
 * for both chambers when no `--source` says which.
 */
async function resolveFilings(db: DbClient, filingIds: string[], chamber: Chamber | undefined) {
  const wanted = [...new Set(filingIds.map((id) => id.trim()))];
  const found = await findFilingsBySourceIds(db, wanted, chamber);
  const problems: string[] = [];
  for (const id of wanted) {
    const matches = found.filter((f) => f.filingId === id);
    if (matches.length === 0) {
      problems.push(`no ${chamber ? `${chamber} ` : ''}filing ${id} (see \`capitolscope filings list\`)`);
    } else if (matches.length > 1) {
      problems.push(`filing ${id} exists for both house and senate: pass --source house or --source senate`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return found;
}

function filingsTable(rows: FilingSummary[]): string {
  if (rows.length === 0) return 'No filings.\n';
  return renderTable(rows, [
    { header: 'SOURCE', value: (f) => f.source },
    { header: 'FILING', value: (f) => f.filingId },
    { header: 'FILER', value: (f) => f.filer, maxWidth: 28 },
    { header: 'FILED', value: (f) => f.filedDate },
    { header: 'STATUS', value: (f) => f.status },
    { header: 'ROWS', value: (f) => f.transactions, align: 'right' },
    ...(rows.some((f) => f.scan) ? scanColumns : []),
    { header: 'TRIES', value: (f) => f.attempts, align: 'right' },
    { header: 'LAST TRIED (UTC)', value: (f) => f.lastTried },
    { header: 'AMENDS', value: (f) => f.amends },
    { header: 'REASON', value: (f) => f.reason, maxWidth: 70 },
  ]);
}

/** What reading a scanned paper filing found, and how sure (lowest confidence of any field). */
const scanColumns: Column<FilingSummary>[] = [
  { header: 'PAGES', value: (f) => (f.scan ? `${f.scan.formPages}/${f.scan.pages}` : null), align: 'right' },
  { header: 'SURE', value: (f) => (f.scan ? sureness(f.scan.minConfidence, f.transactions) : null) },
];

/** `0.42 (review)` for a reading an operator should check, `0.91` for one read with high confidence. */
function sureness(confidence: number | null, rows: number): string {
  if (rows === 0) return 'no rows read (review)';
  if (confidence === null) return '';
  return `${confidence.toFixed(2)}${confidence < REVIEW_BELOW ? ' (review)' : ''}`;
}

function reviewTable(rows: FilingToReview[]): string {
  if (rows.length === 0)
    return 'No paper filing needs review: every field of every row was read with high confidence.\n';
  const table = renderTable(rows, [
    { header: 'FILING', value: (f) => f.filingId },
    { header: 'FILER', value: (f) => f.filer, maxWidth: 28 },
    { header: 'FILED', value: (f) => f.filedDate },
    {
      header: 'PAGES',
      value: (f) => (f.pages === null ? null : `${f.formPages ?? 0}/${f.pages}`),
      align: 'right',
    },
    { header: 'ROWS', value: (f) => f.rows, align: 'right' },
    { header: 'UNSURE', value: (f) => f.unsureRows, align: 'right' },
    {
      header: 'LOWEST',
      value: (f) => (f.minConfidence === null ? 'none read' : f.minConfidence.toFixed(2)),
      align: 'right',
    },
    { header: 'DOCUMENT', value: (f) => f.url },
  ]);
  return (
    `${plural(rows.length, 'paper filing')} to review (a field read below ${REVIEW_BELOW} confidence, or no rows read):\n` +
    table +
    'See a filing with `capitolscope filings show FILING`; fix a row with `capitolscope filings correct FILING --row N ...`.\n'
  );
}

function scanSummary(scan: ScanSummary, amendment: boolean): string {
  const turned = scan.turns.filter((t) => t !== null && t !== 0).length;
  const parts = [
    `the form found on ${scan.formPages} of ${plural(scan.pages, 'page')}${turned ? ` (${turned} turned upright)` : ''}`,
    `lowest confidence ${scan.minConfidence.toFixed(2)}`,
  ];
  if (scan.amendmentConfidence > 0) {
    parts.push(`${amendment ? 'amendment' : 'initial report'} (${scan.amendmentConfidence.toFixed(2)})`);
  }
  if (scan.ipo) parts.push(`IPO: ${scan.ipo} (${scan.ipoConfidence.toFixed(2)})`);
  if (scan.stamp?.date) parts.push(`stamped ${scan.stamp.date} (${scan.stamp.confidence.toFixed(2)})`);
  return `read by OCR: ${parts.join('; ')}`;
}

function correctedText(done: CorrectedRow, next: string): string {
  if (done.changed.length === 0) return `Row ${done.row} of filing ${done.filingId}: nothing changed.\n`;
  const table = renderTable(done.changed, [
    { header: 'FIELD', value: (c) => c.field },
    { header: 'WAS', value: (c) => correctionValue(c.before), maxWidth: 50 },
    { header: 'NOW', value: (c) => correctionValue(c.after), maxWidth: 50 },
  ]);
  return `Corrected row ${done.row} of filing ${done.filingId} (kept with the reading):\n${table}Next: ${next}.\n`;
}

function correctionValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (typeof v === 'object' && 'min' in v) {
    const a = v as { min: number | null; max: number | null };
    return formatAmountBracket(a.min, a.max);
  }
  return String(v);
}

function filingDetail(f: FilingDetail): string {
  const head = renderFields([
    ['Filing', `${f.filingId} (${f.source}, ${f.kind ?? 'kind not known yet'})`],
    ['Filer', f.filer],
    ['Filed', f.filedDate],
    ['Status', f.reason ? `${f.status}: ${f.reason}` : f.status],
    ['Attempts', `${f.attempts}${f.lastTried ? `, last ${shortTime(f.lastTried)} UTC` : ''}`],
    ['First seen', `${shortTime(f.firstSeen)} UTC${f.baseline ? ' (baseline: alerts nobody)' : ''}`],
    ['Amends', f.amends],
    ['Amended by', f.amendedBy.join(', ')],
    ['Scan', f.scan ? scanSummary(f.scan, f.amendment) : null],
    ['Document', f.url],
  ]);
  if (f.transactions.length === 0) return `${head}\nNo transactions stored.\n`;
  const scanned = f.transactions.some((t) => t.readFromScan);
  const rows = renderTable(f.transactions, [
    { header: '#', value: (t) => t.ordinal + 1, align: 'right' },
    { header: 'OWNER', value: (t) => t.owner },
    { header: 'TICKER', value: (t) => tickerLabel(t.ticker, t.receivedTicker) },
    { header: 'ASSET', value: (t) => t.assetName, maxWidth: 40 },
    { header: 'TYPE', value: (t) => tradeLabel(t.transactionType) },
    { header: 'DATE', value: (t) => t.transactionDate },
    { header: 'AMOUNT', value: (t) => formatAmountBracket(t.amountMin, t.amountMax) },
    { header: 'STATUS', value: (t) => t.filingStatus },
    ...(scanned ? scanRowColumns : []),
  ]);
  const note = scanned
    ? "Read from a scanned paper filing: SURE is the lowest confidence of the row's fields (a field below " +
      `${REVIEW_BELOW} alerts nobody on its own); READ shows what was read where it was not trusted.\n`
    : '';
  return `${head}\n${plural(f.transactions.length, 'transaction')}:\n${rows}${note}`;
}

/** Rows read from a scan: how sure, and what was read of ticker, type and amount when not trusted. */
const scanRowColumns: Column<TransactionDetail>[] = [
  {
    header: 'SURE',
    value: (t) => (t.confidence ? Math.min(...Object.values(t.confidence)).toFixed(2) : null),
    align: 'right',
  },
  { header: 'READ', value: (t) => untrustedReading(t), maxWidth: 40 },
];

function untrustedReading(t: TransactionDetail): string | null {
  const r = t.scanReading as {
    ticker?: string | null;
    transactionType?: TransactionType | null;
    amountMin?: number | null;
    amountMax?: number | null;
  } | null;
  if (!r) return null;
  const parts: string[] = [];
  if (r.ticker && r.ticker !== t.ticker) parts.push(`ticker ${r.ticker}?`);
  if (r.transactionType && r.transactionType !== t.transactionType)
    parts.push(`${tradeLabel(r.transactionType)}?`);
  if (r.amountMin != null && r.amountMin !== t.amountMin)
    parts.push(`${formatAmountBracket(r.amountMin, r.amountMax ?? null)}?`);
  return parts.join(', ') || null;
}

function rejectedTable(rows: RejectedListing[]): string {
  if (rows.length === 0) return 'No rejected listing rows.\n';
  return renderTable(rows, [
    { header: 'SOURCE', value: (r) => r.source },
    { header: 'FIRST SEEN (UTC)', value: (r) => r.firstSeen },
    { header: 'LAST SEEN (UTC)', value: (r) => r.lastSeen },
    { header: 'TIMES', value: (r) => r.timesSeen, align: 'right' },
    { header: 'REASON', value: (r) => r.reason, maxWidth: 60 },
    { header: 'ROW', value: (r) => r.row, maxWidth: 60 },
  ]);
}

function retriedText(reset: RetriedFiling[], alerts: boolean, next: string): string {
  if (reset.length === 0) return 'Nothing to retry.\n';
  const table = renderTable(reset, [
    { header: 'SOURCE', value: (f) => f.source },
    { header: 'FILING', value: (f) => f.filingId },
    { header: 'WAS', value: (f) => f.previousStatus },
    { header: 'REASON', value: (f) => f.previousReason, maxWidth: 70 },
  ]);
  const how = alerts ? '' : ' without alerting anyone';
  return `Queued ${plural(reset.length, 'filing')} again${how}:\n${table}Next: ${next}.\n`;
}
