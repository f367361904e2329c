import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { heartbeating } from './heartbeat';
import { ParseError, type ParsedFiling } from '../domain/filing';
import type { DiscoveryResult, IngestResult } from '../domain/sync';
import { HttpError } from '../sources/http';
import { fetchHouseIndex, fetchHousePtr, housePtrUrl } from '../sources/house/clerkSite';
import { readHousePtrPdf } from '../sources/house/readPtr';
import { EfdClient, searchWindowStart } from '../sources/senate/efdClient';
import { parseSenatePtr } from '../sources/senate/parsePtr';
import type { SenateReportRef } from '../sources/senate/searchRows';
import { siteUrl } from '../sources/http';
import {
  getFiling,
  getSourceState,
  hasFilings,
  markAttempt,
  markFilingStatus,
  pendingFilingIds,
  recordDiscoveredFilings,
  saveSourceState,
  storeParsedFiling,
  type DiscoveredFiling,
  type FilingRow,
} from '../store/filings';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';

/**
 * A filing whose document is still missing (or still failing to download) after this long is flagged
 * failed. Counted from when it was first seen, or from an operator's `filings retry`.
 */
const GIVE_UP_DAYS = 14;
/** The Senate search window reaches back this far before the last successful sync (late listings). */
const SENATE_OVERLAP_HOURS = 48;
const SENATE_FIRST_RUN_LOOKBACK_DAYS = 30;

export function createIngestActivities(
  { config, db, logger }: ActivityDeps,
  now: () => Date = () => new Date(),
) {
  let efd: EfdClient | null = null;
  // One eFD session per worker process, shared by discovery and page fetches.
  const efdClient = () =>
    (efd ??= new EfdClient({
      baseUrl: config.sites.senateEfd,
      minIntervalMs: config.senateRequestIntervalMs,
    }));

  async function withPending(source: 'house' | 'senate', discovered: DiscoveredFiling[], unchanged: boolean) {
    const baseline = !(await hasFilings(db, source));
    const newIds = await recordDiscoveredFilings(db, discovered, { baseline });
    const result: DiscoveryResult = {
      source,
      baseline,
      unchanged,
      newFilings: newIds.length,
      filingIds: await pendingFilingIds(db, source),
    };
    return result;
  }

  return {
    discoverHouseFilings: (): Promise<DiscoveryResult> => heartbeating(discoverHouse),

    discoverSenateFilings: (): Promise<DiscoveryResult> => heartbeating(discoverSenate),

    /**
     * Fetch, parse and store one filing (one transaction). Safe to retry: the same bytes store nothing
     * new. A document that cannot be parsed is recorded with the reason and fails without retry.
     */
    async ingestFiling(filingId: number): Promise<IngestResult> {
      const filing = await getFiling(db, filingId);
      if (!filing)
        throw ApplicationFailure.nonRetryable(`filing ${filingId} does not exist`, 'FilingNotFound');
      await markAttempt(db, filingId);
      try {
        const fetched = await fetchDocument(filing);
        if (fetched.kind === 'not_posted') return await notPosted(filing, fetched.detail);
        const stored = await storeParsedFiling(db, filingId, fetched.parsed, fetched.sha256);
        return {
          filingId,
          status: stored.unchanged ? 'unchanged' : stored.status,
          transactions: stored.transactions,
          newTransactions: stored.newTransactions,
        };
      } catch (err) {
        if (err instanceof ParseError || (err instanceof HttpError && !err.retryable)) {
          await markFilingStatus(db, filingId, 'failed', err.message);
          activityLog(logger).warn('filing failed', {
            filingId,
            sourceId: filing.sourceId,
            reason: err.message,
          });
          throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
        }
        if (ageDays(filing) > GIVE_UP_DAYS) {
          // An upstream that has failed this filing for weeks will not fix itself: flag it for an operator.
          const reason = `gave up after ${Math.floor(ageDays(filing))} days of failures: ${(err as Error).message}`;
          await markFilingStatus(db, filingId, 'failed', reason);
          throw ApplicationFailure.create({ message: reason, type: 'GaveUp', nonRetryable: true });
        }
        throw toRetryable(err);
      }
    },
  };

  /** Read the House index (this year's; in January also last year's) and record PTRs never seen. */
  async function discoverHouse(): Promise<DiscoveryResult> {
    const today = now();
    const years = config.houseIndexYears ?? [today.getUTCFullYear()];
    // Filings made late in December are listed in the new year's index only after a while.
    if (!config.houseIndexYears && today.getUTCMonth() === 0) years.unshift(today.getUTCFullYear() - 1);
    const discovered: DiscoveredFiling[] = [];
    const validators: { source: string; etag: string | null; lastModified: string | null }[] = [];
    for (const year of years) {
      const source = `house-index-${year}`;
      const fetched = await classify(async () =>
        fetchHouseIndex(config.sites.houseClerk, year, await getSourceState(db, source)),
      );
      if (fetched.kind !== 'rows') continue;
      validators.push({ source, etag: fetched.etag, lastModified: fetched.lastModified });
      for (const row of fetched.ptrs) {
        discovered.push({
          chamber: 'house',
          sourceId: row.docId,
          filerName: [row.first, row.last, row.suffix].filter(Boolean).join(' '),
          stateDistrict: row.stateDistrict || null,
          year: row.year,
          filedDate: row.filingDate,
          rawUrl: housePtrUrl(config.sites.houseClerk, row.year || year, row.docId),
          amendment: false,
          kind: null,
        });
      }
    }
    const result = await withPending('house', discovered, validators.length === 0);
    // Validators are kept only once the rows they vouch for are recorded.
    for (const v of validators) await saveSourceState(db, v.source, { ...v, lastSuccessAt: today });
    return result;
  }

  /** Search the Senate eFD from the last successful search (minus an overlap) and record new PTRs. */
  async function discoverSenate(): Promise<DiscoveryResult> {
    const startedAt = now();
    const state = await getSourceState(db, 'senate-efd');
    const since = searchWindowStart(
      state.lastSuccessAt,
      SENATE_OVERLAP_HOURS,
      SENATE_FIRST_RUN_LOOKBACK_DAYS,
      startedAt,
    );
    const refs = await classify(() => efdClient().searchPtrs(since));
    const result = await withPending(
      'senate',
      refs.map((r) => senateDiscovered(r, config.sites.senateEfd)),
      false,
    );
    await saveSourceState(db, 'senate-efd', { lastSuccessAt: startedAt });
    return result;
  }

  async function fetchDocument(
    filing: FilingRow,
  ): Promise<
    { kind: 'parsed'; parsed: ParsedFiling; sha256: string } | { kind: 'not_posted'; detail: string }
  > {
    if (filing.chamber === 'house') {
      const pdf = await fetchHousePtr(filing.rawUrl);
      if (pdf.kind === 'not_posted') return pdf;
      const parsed = await readHousePtrPdf(pdf.bytes, filing.sourceId);
      return { kind: 'parsed', parsed, sha256: sha256(pdf.bytes) };
    }
    if (filing.kind === 'paper') {
      // A paper report is scanned images: nothing to fetch or parse, its listing is all we know.
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
      return { kind: 'parsed', parsed, sha256: sha256(filing.rawUrl) };
    }
    const html = await efdClient().fetchPtrHtml(
      new URL(filing.rawUrl).pathname.replace(/^.*(\/search\/)/, '$1'),
    );
    return { kind: 'parsed', parsed: parseSenatePtr(html, filing.sourceId), sha256: sha256(html) };
  }

  /** Days since the filing was first seen, or since an operator last retried it. */
  function ageDays(filing: FilingRow): number {
    return (now().getTime() - (filing.retriedAt ?? filing.firstSeenAt).getTime()) / 86_400_000;
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
    return {
      filingId: filing.id,
      status: giveUp ? 'failed' : 'not_posted',
      transactions: 0,
      newTransactions: 0,
    };
  }
}

export type IngestActivities = ReturnType<typeof createIngestActivities>;

function senateDiscovered(ref: SenateReportRef, base: string): DiscoveredFiling {
  return {
    chamber: 'senate',
    sourceId: ref.reportId,
    filerName: `${ref.firstName} ${ref.lastName}`.trim(),
    stateDistrict: null,
    year: Number(ref.filedDate.slice(0, 4)) || null,
    filedDate: ref.filedDate,
    rawUrl: siteUrl(base, ref.path),
    amendment: ref.amendment,
    kind: ref.kind === 'paper' ? 'paper' : null,
  };
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Run an upstream call, turning its failure into the Temporal failure it deserves. */
async function classify<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ParseError || (err instanceof HttpError && !err.retryable)) {
      throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
    }
    throw toRetryable(err);
  }
}

/** A `Retry-After` from the upstream becomes the next retry delay. */
function toRetryable(err: unknown): unknown {
  if (err instanceof HttpError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nextRetryDelay: err.retryAfterSeconds ? `${err.retryAfterSeconds}s` : undefined,
    });
  }
  return err;
}
