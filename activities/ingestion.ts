import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ParsedFiling } from '../domain/filing';
import type { IngestResult } from '../domain/sync';
import { fetchHousePtr } from '../sources/house/clerkSite';
import { readHousePtrPdf } from '../sources/house/readPtr';
import type { EfdClient } from '../sources/senate/efdClient';
import { parseSenatePtr } from '../sources/senate/parsePtr';
import { reportPath } from '../sources/senate/searchRows';
import {
  getFiling,
  markAttempt,
  markFilingStatus,
  storeParsedFiling,
  type FilingRow,
} from '../store/filingStorage';
import { createSlots } from '../ops/slots';
import { knownIssuers } from '../store/paperRows';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';
import { filingMetrics } from './metrics';
import { isPermanentUpstreamError, toActivityFailure } from './upstreamErrors';

/**
 * A filing whose document is still missing (or still failing to download) after this long is flagged
 * failed. Counted from when it was first seen, or from an operator's `filings retry`.
 */
const GIVE_UP_DAYS = 14;

/** What fetching a filing's document gave: the parsed filing (and the hash of its bytes), or nothing yet. */
type Fetched =
  | { kind: 'parsed'; parsed: ParsedFiling; documentSha256: string | null }
  | { kind: 'not_posted'; detail: string };

export function createIngestionActivities(
  { config, db, logger }: ActivityDeps,
  { efd, now = () => new Date() }: { efd: EfdClient; now?: () => Date },
) {
  // Reading a scan takes several hundred MiB: at most PAPER_OCR_CONCURRENCY at once in this process.
  const ocrSlot = createSlots(config.paperOcr.concurrency);

  /** Days since the filing was first seen, or since an operator last retried it. */
  const ageDays = (filing: FilingRow) =>
    (now().getTime() - (filing.retriedAt ?? filing.firstSeenAt).getTime()) / 86_400_000;

  async function fetchDocument(filing: FilingRow): Promise<Fetched> {
    if (filing.chamber === 'house') {
      const pdf = await fetchHousePtr(filing.rawUrl);
      if (pdf.kind === 'not_posted') return pdf;
      const ocr = config.paperOcr;
      // A scanned paper filing is read by OCR in a worker thread bounded in heap and time, with a
      // heartbeat per page; its tickers are resolved against issuers seen in e-filed reports.
      const parsed = await readHousePtrPdf(pdf.bytes, filing.sourceId, {
        scans: ocr.enabled
          ? {
              filedDate: filing.filedDate,
              filerName: filing.filerName,
              stateDistrict: filing.stateDistrict,
              limits: { timeoutMs: ocr.timeoutMs, memoryMb: ocr.memoryMb },
              issuers: await knownIssuers(db),
              onPage: (page) => Context.current().heartbeat({ filingId: filing.id, page }),
              signal: Context.current().cancellationSignal,
              slot: ocrSlot,
            }
          : undefined,
      });
      return { kind: 'parsed', parsed, documentSha256: sha256(pdf.bytes) };
    }
    if (filing.kind === 'paper') {
      // A paper report is scanned images: there is no document to fetch or parse, and so no
      // document hash; its listing is all we know.
      const parsed: ParsedFiling = {
        chamber: 'senate',
        filingId: filing.sourceId,
        kind: 'paper',
        filerName: filing.filerName,
        stateDistrict: null,
        filedDate: filing.filedDate,
        amendment: filing.amendment,
        transactions: [],
      };
      return { kind: 'parsed', parsed, documentSha256: null };
    }
    const html = await efd.fetchPtrHtml(reportPath('ptr', filing.sourceId));
    return { kind: 'parsed', parsed: parseSenatePtr(html, filing.sourceId), documentSha256: sha256(html) };
  }

  async function notPosted(filing: FilingRow, detail: string): Promise<IngestResult> {
    const age = ageDays(filing);
    const giveUp = age > GIVE_UP_DAYS;
    await markFilingStatus(
      db,
      filing.id,
      giveUp ? 'failed' : 'not_posted',
      giveUp
        ? `document never posted (${Math.floor(age)} days after ${filing.retriedAt ? 'the retry' : 'listing'}): ${detail}`
        : detail,
    );
    if (giveUp) filingMetrics.outcome(filing.chamber, 'failed');
    return {
      filingId: filing.id,
      status: giveUp ? 'failed' : 'not_posted',
      transactions: 0,
      newTransactions: 0,
    };
  }

  return {
    /**
     * Fetch, parse and store one filing (one transaction). Safe to retry: the same bytes store nothing
     * new. A document that cannot be parsed is recorded with the reason and fails without retry.
     * Heartbeats while it works: reading a scanned paper filing takes seconds a page.
     */
    ingestFiling: (filingId: number): Promise<IngestResult> => heartbeating(() => ingestOne(filingId)),
  };

  async function ingestOne(filingId: number): Promise<IngestResult> {
    const filing = await getFiling(db, filingId);
    if (!filing) throw ApplicationFailure.nonRetryable(`filing ${filingId} does not exist`, 'FilingNotFound');
    await markAttempt(db, filingId);
    try {
      const fetched = await fetchDocument(filing);
      if (fetched.kind === 'not_posted') return await notPosted(filing, fetched.detail);
      const stored = await storeParsedFiling(db, filingId, fetched.parsed, fetched.documentSha256);
      if (!stored.unchanged) filingMetrics.outcome(filing.chamber, stored.status);
      return {
        filingId,
        status: stored.unchanged ? 'unchanged' : stored.status,
        transactions: stored.transactions,
        newTransactions: stored.newTransactions,
      };
    } catch (err) {
      if (isPermanentUpstreamError(err)) {
        await markFilingStatus(db, filingId, 'failed', err.message);
        filingMetrics.outcome(filing.chamber, 'failed');
        activityLog(logger).warn('filing failed', {
          filingId,
          sourceId: filing.sourceId,
          reason: err.message,
        });
        throw toActivityFailure(err);
      }
      if (ageDays(filing) > GIVE_UP_DAYS) {
        // An upstream that has failed this filing for weeks will not fix itself: flag it for an operator.
        const reason = `gave up after ${Math.floor(ageDays(filing))} days of failures: ${(err as Error).message}`;
        await markFilingStatus(db, filingId, 'failed', reason);
        filingMetrics.outcome(filing.chamber, 'failed');
        throw ApplicationFailure.create({ message: reason, type: 'GaveUp', nonRetryable: true });
      }
      throw toActivityFailure(err);
    }
  }
}

export type IngestionActivities = ReturnType<typeof createIngestionActivities>;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
