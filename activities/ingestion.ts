import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ParsedFiling } from '../domain/filing';
import type { IngestResult } from '../domain/sync';
import { IsolatedJobError } from '../ops/isolatedJob';
import { fetchHousePtr } from '../sources/house/clerkSite';
import { readHousePtrPdfIsolated } from '../sources/house/readPtrIsolated';
import { HttpError } from '../sources/http';
import type { EfdClient } from '../sources/senate/efdClient';
import { parseSenatePtr } from '../sources/senate/parsePtr';
import { reportPath } from '../sources/senate/searchRows';
import {
  getFiling,
  markAttempt,
  markFilingStatus,
  settleAttempt,
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
  const { maxAttempts, pdfLimits } = config.ingestion;
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
      const ctx = Context.current();
      // The text layer is read in a process of its own, bounded in heap and time: a document that
      // exhausts memory or never ends costs that process, not this worker. A scanned paper filing is
      // read by OCR in a child process bounded in heap and time; its tickers are resolved against
      // issuers seen in e-filed reports. Each page read is a heartbeat.
      const parsed = await readHousePtrPdfIsolated(pdf.bytes, filing.sourceId, {
        limits: pdfLimits,
        onPage: (page) => ctx.heartbeat({ filingId: filing.id, page }),
        signal: ctx.cancellationSignal,
        scans: ocr.enabled
          ? {
              filedDate: filing.filedDate,
              filerName: filing.filerName,
              stateDistrict: filing.stateDistrict,
              limits: { timeoutMs: ocr.timeoutMs, memoryMb: ocr.memoryMb },
              issuers: await knownIssuers(db),
              onPage: (page) => ctx.heartbeat({ filingId: filing.id, page }),
              signal: ctx.cancellationSignal,
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

  async function fail(filing: FilingRow, reason: string): Promise<void> {
    await markFilingStatus(db, filing.id, 'failed', reason);
    filingMetrics.outcome(filing.chamber, 'failed');
    activityLog(logger).warn('filing failed', { filingId: filing.id, sourceId: filing.sourceId, reason });
  }

  return {
    /**
     * Fetch, parse and store one filing (one transaction). Safe to retry: the same bytes store nothing
     * new. A document that cannot be parsed is recorded with the reason and fails without retry. A
     * filing whose last FILING_MAX_ATTEMPTS attempts all ended without an outcome is failed here, at
     * its next hand-out, instead of being tried again. Heartbeats while it works: reading a document
     * takes seconds, a scanned one seconds a page.
     */
    ingestFiling: (filingId: number): Promise<IngestResult> => heartbeating(() => ingestOne(filingId)),
  };

  async function ingestOne(filingId: number): Promise<IngestResult> {
    const filing = await getFiling(db, filingId);
    if (!filing) throw ApplicationFailure.nonRetryable(`filing ${filingId} does not exist`, 'FilingNotFound');
    if (filing.openAttempts >= maxAttempts) {
      await fail(
        filing,
        `gave up after ${filing.openAttempts} attempts in a row that did not finish (the activity timed out or its worker died; see the worker logs)`,
      );
      return { filingId, status: 'failed', transactions: 0, newTransactions: 0 };
    }
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
      throw await classify(filing, err);
    }
  }

  /** Record what a failed attempt means for the filing, and return the failure for Temporal. */
  async function classify(filing: FilingRow, err: unknown): Promise<unknown> {
    if (isPermanentUpstreamError(err)) {
      await fail(filing, err.message);
      return toActivityFailure(err);
    }
    if (err instanceof HttpError) {
      // The upstream failed this attempt (a 5xx, a timeout): the attempt ended, and Temporal tries
      // again later; an upstream that has failed the filing for weeks will not fix itself.
      if (ageDays(filing) > GIVE_UP_DAYS) {
        const reason = `gave up after ${Math.floor(ageDays(filing))} days of failures: ${err.message}`;
        await fail(filing, reason);
        return ApplicationFailure.create({ message: reason, type: 'GaveUp', nonRetryable: true });
      }
      await settleAttempt(db, filing.id);
      return toActivityFailure(err);
    }
    if (err instanceof IsolatedJobError && err.reason === 'aborted') return err;
    // The document ran past a limit, or reading it crashed: the attempt stays counted, and the Nth
    // such attempt in a row fails the filing.
    const attempts = filing.openAttempts + 1;
    const giveUp = attempts >= maxAttempts;
    const message = describe(err);
    if (giveUp) await fail(filing, `${message} on ${attempts} attempts in a row`);
    return ApplicationFailure.create({
      message,
      type: err instanceof IsolatedJobError ? 'DocumentLimit' : ((err as Error)?.name ?? 'Error'),
      nonRetryable: giveUp,
      cause: err instanceof Error ? err : undefined,
    });
  }
}

function describe(err: unknown): string {
  if (err instanceof IsolatedJobError && err.reason === 'failed') return `${err.causeName}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

export type IngestionActivities = ReturnType<typeof createIngestionActivities>;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
