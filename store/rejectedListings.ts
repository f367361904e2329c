import type { Chamber } from '../domain/filing';
import type { RejectedRow } from '../domain/sync';
import type { DbClient } from './db';

/** A listing row that could not be read, as `capitolscope filings rejected` shows it. */
export interface RejectedListing {
  source: Chamber;
  reason: string;
  /** The row as listed (cut to a few thousand characters). */
  row: string;
  firstSeen: Date;
  lastSeen: Date;
  /** Discoveries that listed it; a row an upstream keeps listing is one record. */
  timesSeen: number;
}

/**
 * Record rows of a source's listing that could not be read (one statement). The same row seen again
 * is counted on its record, not added twice.
 */
export async function recordRejectedListings(
  db: DbClient,
  source: Chamber,
  rows: readonly RejectedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO rejected_listings (source, fingerprint, reason, row)
     SELECT DISTINCT ON (md5(r.row)) $1, md5(r.row), r.reason, r.row
       FROM jsonb_to_recordset($2::jsonb) AS r(reason text, row text)
     ON CONFLICT (source, fingerprint) DO UPDATE
        SET reason = EXCLUDED.reason, last_seen_at = now(), times_seen = rejected_listings.times_seen + 1`,
    [source, JSON.stringify(rows)],
  );
}

/** Rejected listing rows, most recently seen first. */
export async function listRejectedListings(
  db: DbClient,
  opts: { source?: Chamber; limit: number },
): Promise<RejectedListing[]> {
  const { rows } = await db.query<RejectedListing>(
    `SELECT source, reason, row, first_seen_at AS "firstSeen", last_seen_at AS "lastSeen",
            times_seen AS "timesSeen"
       FROM rejected_listings
      WHERE $1::text IS NULL OR source = $1
      ORDER BY last_seen_at DESC, id DESC
      LIMIT $2`,
    [opts.source ?? null, opts.limit],
  );
  return rows;
}
