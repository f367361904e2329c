import type { Chamber, FilingKind } from './filing';
import type { DeliveryRetryPolicy } from './notifications';

export type SyncSource = Chamber;

/** Where a stored filing's ingestion stands. */
export type FilingStatus = 'discovered' | 'parsed' | 'paper' | 'not_posted' | 'failed';
export const FILING_STATUSES: readonly FilingStatus[] = [
  'discovered',
  'parsed',
  'paper',
  'not_posted',
  'failed',
];

/** A filing as found in an upstream index or search, before its document is fetched. */
export interface DiscoveredFiling {
  chamber: Chamber;
  /** House DocID; Senate report UUID. */
  sourceId: string;
  filerName: string;
  stateDistrict: string | null;
  year: number | null;
  filedDate: string | null;
  /** Where people (and the House ingestion) find the document. */
  rawUrl: string;
  amendment: boolean;
  /** Known from the listing alone (Senate paper reports); null until the document says. */
  kind: FilingKind | null;
}

/**
 * A row of an upstream listing (a House index record, a Senate search row) that could not be read.
 * It is recorded for operators (`capitolscope filings rejected`); the rest of the listing is ingested.
 */
export interface RejectedRow {
  reason: string;
  /** The row as listed (cut to a few thousand characters): what an operator needs to recognise it. */
  row: string;
}

/** Longest `RejectedRow.row` kept. */
export const REJECTED_ROW_MAX_CHARS = 2000;

/** What one discovery step found; ids only, so workflow histories stay small. */
export interface DiscoveryResult {
  source: SyncSource;
  /** The source's first successful sync (even one that found nothing): what it found alerts nobody. */
  baseline: boolean;
  /** The upstream index had not changed since the last sync (House: one 304). */
  unchanged: boolean;
  newFilings: number;
  /** Rows of the listing that could not be read (recorded in `rejected_listings`). */
  rejected: number;
  /** New filings plus earlier ones still waiting for their document, to ingest now. */
  filingIds: number[];
}

export type IngestStatus = 'parsed' | 'paper' | 'not_posted' | 'failed' | 'unchanged';

export interface IngestResult {
  filingId: number;
  status: IngestStatus;
  transactions: number;
  newTransactions: number;
}

/** What ingesting a set of filings did: a child workflow's result, summed into the sync's summary. */
export interface IngestTally {
  parsed: number;
  paper: number;
  /** Still waiting for their document (not posted yet). */
  pending: number;
  failed: number;
  /** Fetched again, the same bytes as stored: nothing new. */
  unchanged: number;
  /** Trades stored by this ingestion. */
  newTransactions: number;
}

/** One batch of filings for an IngestFilingsWorkflow child (a few hundred ids). */
export interface IngestBatchInput {
  filingIds: number[];
}

export interface MatchResult {
  notifications: number;
  corrections: number;
  users: number;
}

export interface TradeSyncInput {
  sources?: SyncSource[];
  /** How the alert fan-out retries failed sends (default DELIVERY_RETRY); fault drills compress it. */
  deliveryRetry?: DeliveryRetryPolicy;
}

/** What a TradeSyncWorkflow run did; reads well in the Web UI and in `capitolscope sync --wait`. */
export interface TradeSyncSummary {
  syncId: string;
  sources: Record<string, { baseline: boolean; unchanged: boolean; newFilings: number; rejected: number }>;
  filings: { new: number; parsed: number; paper: number; pending: number; failed: number; unchanged: number };
  transactions: number;
  notifications: number;
  corrections: number;
  usersNotified: number;
  emailsSent: number;
}

/** Where a running trade sync stands: answered by its `progress` query (`sync --wait`, the Web UI). */
export interface TradeSyncProgress {
  stage: 'discovering' | 'ingesting' | 'matching' | 'notifying' | 'done';
  filingsIngested: number;
  filingsToIngest: number;
}

export const TRADE_SYNC_PROGRESS_QUERY = 'progress';
