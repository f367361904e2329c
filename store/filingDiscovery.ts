import type { Chamber } from '../domain/filing';
import type { DiscoveredFiling } from '../domain/sync';
import type { DbClient } from './db';

/**
 * Record filings not seen before (one statement for the whole batch) and return the ids of those that
 * are new. Seen ones are left untouched, so re-running a discovery changes nothing.
 */
export async function recordDiscoveredFilings(
  db: DbClient,
  filings: DiscoveredFiling[],
  opts: { baseline: boolean },
): Promise<number[]> {
  if (filings.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO filings (chamber, source_id, filer_name, state_district, year, filed_date, raw_url, amendment, kind,
                          status, baseline)
     SELECT f.chamber, f.source_id, f.filer_name, f.state_district, f.year, f.filed_date::date, f.raw_url,
            f.amendment, f.kind, 'discovered', $2
       FROM jsonb_to_recordset($1::jsonb) AS f(chamber text, source_id text, filer_name text, state_district text,
                                               year int, filed_date text, raw_url text, amendment boolean, kind text)
     ON CONFLICT (chamber, source_id) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        filings.map((f) => ({
          chamber: f.chamber,
          source_id: f.sourceId,
          filer_name: f.filerName,
          state_district: f.stateDistrict,
          year: f.year,
          filed_date: f.filedDate,
          raw_url: f.rawUrl,
          amendment: f.amendment,
          kind: f.kind,
        })),
      ),
      opts.baseline,
    ],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * Filings still waiting for their document: new ones and those whose PDF was not posted yet. A first
 * sync of several years of indexes lists a few thousand; the limit only bounds one run (the rest
 * wait for the next sync).
 */
export async function pendingFilingIds(db: DbClient, chamber: Chamber, limit = 5000): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM filings WHERE chamber = $1 AND status IN ('discovered', 'not_posted') ORDER BY id LIMIT $2`,
    [chamber, limit],
  );
  return rows.map((r) => r.id);
}
