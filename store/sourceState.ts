import type { DbClient } from './db';

/**
 * The `source_state` keys under which discovery records each source's last successful sync (the
 * first one is the source's baseline; health checks watch for a stale one).
 */
export const SOURCE_STATE_KEYS = { house: 'house', senate: 'senate-efd' } as const;

/** Conditional-request validators and the last successful sync of one upstream source. */
export interface SourceState {
  etag: string | null;
  lastModified: string | null;
  lastSuccessAt: Date | null;
}

export async function getSourceState(db: DbClient, source: string): Promise<SourceState> {
  const { rows } = await db.query<SourceState>(
    `SELECT etag, last_modified AS "lastModified", last_success_at AS "lastSuccessAt" FROM source_state WHERE source = $1`,
    [source],
  );
  return rows[0] ?? { etag: null, lastModified: null, lastSuccessAt: null };
}

export async function saveSourceState(
  db: DbClient,
  source: string,
  state: Partial<SourceState>,
): Promise<void> {
  await db.query(
    `INSERT INTO source_state (source, etag, last_modified, last_success_at, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (source) DO UPDATE SET
       etag = CASE WHEN $5 THEN EXCLUDED.etag ELSE source_state.etag END,
       last_modified = CASE WHEN $5 THEN EXCLUDED.last_modified ELSE source_state.last_modified END,
       last_success_at = COALESCE(EXCLUDED.last_success_at, source_state.last_success_at),
       updated_at = now()`,
    [source, state.etag ?? null, state.lastModified ?? null, state.lastSuccessAt ?? null, 'etag' in state],
  );
}
