import type { Chamber } from './filing';
import type { Party } from './rules';

/** A member of Congress as rules and filings need them. */
export interface MemberRecord {
  bioguideId: string;
  fullName: string;
  lastName: string;
  party: Party | null;
  /** Postal code (`CA`), or null when the name is not a known state. */
  state: string | null;
  district: string | null;
  /** Of the member's latest term. */
  chamber: Chamber | null;
}

/** What a MemberSyncWorkflow run did. */
export interface MemberSyncResult {
  members: number;
  pages: number;
  /** Why nothing was synced (no API key), or null. */
  skipped: string | null;
}
