import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedDir } from '../devstack/sharedDir';
import { readHousePtrPdf } from '../sources/house/readPtr';
import type { Db } from '../store/db';
import { recordDiscoveredFilings } from '../store/filingDiscovery';
import { storeParsedFiling } from '../store/filingStorage';
import { linkFilingMembers, matchTransactions, ruleHolds } from '../store/matching';
import { msSince, type Measurement } from './measurement';

const SECTION = 'matching';
const DOC_ID = '20026590';

/**
 * One real filing matched against every rule in one statement, side by side with a loop of one query per
 * user over a sample. The baseline runs in a rolled-back transaction, so both see the same empty
 * notifications table, and its matches for the sample must equal the set-based ones.
 */
export async function benchMatching(
  db: Db,
  opts: { users: number; rules: number; loopSample: number },
): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });

  const filingId = await storeFiling(db);
  const { rows: txRows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM transactions WHERE filing_id = $1',
    [filingId],
  );
  add(`filing ${DOC_ID} (Pelosi): transactions`, txRows[0]!.n, 'rows');
  add('active users × rules matched against', `${opts.users} × ${opts.rules}`, 'users × rules');
  // The bulk import just wrote every row: give the planner statistics, as autovacuum would.
  await db.query('ANALYZE users; ANALYZE alert_rules; ANALYZE transactions; ANALYZE filings');

  const { rows: ids } = await db.query<{ id: number }>('SELECT id FROM users ORDER BY id');
  const step = Math.max(1, Math.floor(ids.length / opts.loopSample));
  const sample = ids
    .filter((_, i) => i % step === 0)
    .slice(0, opts.loopSample)
    .map((r) => r.id);
  const loop = await perUserLoop(db, filingId, sample);
  const perUserMs = loop.ms / sample.length;
  const loopExtrapolatedMs = perUserMs * ids.length;
  add(`per-user loop baseline (${sample.length} users, 1 query each): wall`, loop.ms, 'ms');
  add('per-user loop baseline: per user', perUserMs, 'ms/user');
  add(`per-user loop baseline: extrapolated to ${ids.length} users`, loopExtrapolatedMs, 'ms');

  let t = performance.now();
  const result = await matchTransactions(db, { filingIds: [filingId], syncId: 'bench', maxFilingAgeDays: 0 });
  const setMs = msSince(t);
  add('matchTransactions (one statement): wall', setMs, 'ms');
  add('matchTransactions: notifications created', result.notifications, 'notifications');
  add('matchTransactions: users alerted', result.users, 'users');
  add('set-based vs per-user loop (time ratio)', loopExtrapolatedMs / setMs, '×');

  const { rows: agree } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notifications WHERE user_id = ANY ($1::bigint[])',
    [sample],
  );
  if (agree[0]!.n !== loop.notifications) {
    throw new Error(
      `per-user loop found ${loop.notifications} notifications for the sample, the set-based statement ${agree[0]!.n}`,
    );
  }
  add('sample: notifications by loop = by statement', loop.notifications, 'notifications');

  t = performance.now();
  const again = await matchTransactions(db, {
    filingIds: [filingId],
    syncId: 'bench-2',
    maxFilingAgeDays: 0,
  });
  add('matchTransactions re-run: wall', msSince(t), 'ms');
  add('matchTransactions re-run: notifications created', again.notifications, 'notifications');
  return rows;
}

/** Parse and store the filing as a sync would, first seen now (after every rule was created). */
async function storeFiling(db: Db): Promise<number> {
  const bytes = await readFile(
    join(sharedDir(), 'fixtures/house-clerk/public_disc/ptr-pdfs/2025', `${DOC_ID}.pdf`),
  );
  const parsed = await readHousePtrPdf(bytes, DOC_ID);
  // Party rules need the filer linked to a member record.
  await db.query(
    `INSERT INTO members (bioguide_id, full_name, last_name, party, state, district, chamber)
     VALUES ('P000197', 'Nancy Pelosi', 'Pelosi', 'D', 'CA', '11', 'house') ON CONFLICT DO NOTHING`,
  );
  const [id] = await recordDiscoveredFilings(
    db,
    [
      {
        chamber: 'house',
        sourceId: DOC_ID,
        filerName: parsed.filerName,
        stateDistrict: parsed.stateDistrict,
        year: 2025,
        filedDate: parsed.filedDate,
        rawUrl: `https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/${DOC_ID}.pdf`,
        amendment: false,
        kind: null,
      },
    ],
    { baseline: false },
  );
  if (id === undefined) throw new Error(`filing ${DOC_ID} was already stored`);
  await storeParsedFiling(db, id, parsed, createHash('sha256').update(bytes).digest('hex'));
  await linkFilingMembers(db, [id]);
  return id;
}

/** The naive alternative: for each user, one query evaluating that user's rules against the filing. */
async function perUserLoop(
  db: Db,
  filingId: number,
  userIds: number[],
): Promise<{ ms: number; notifications: number }> {
  const client = await db.connect();
  let notifications = 0;
  try {
    await client.query('BEGIN');
    const t = performance.now();
    for (const userId of userIds) {
      const r = await client.query(
        `INSERT INTO notifications (user_id, transaction_id, kind, rule_ids, reasons, sync_id)
         SELECT r.user_id, nt.id, 'alert', array_agg(r.id ORDER BY r.id), array_agg(r.label ORDER BY r.id), 'loop'
           FROM transactions nt
           JOIN filings f ON f.id = nt.filing_id AND NOT f.baseline
           JOIN alert_rules r ON r.user_id = $2 AND r.created_at <= f.first_seen_at
           JOIN users u ON u.id = r.user_id AND u.status = 'active'
           LEFT JOIN members m ON m.bioguide_id = f.member_id
          WHERE nt.filing_id = $1
            AND ${ruleHolds({ rule: 'r', tx: 'nt', filing: 'f', member: 'm' })}
          GROUP BY nt.id, r.user_id
         ON CONFLICT (user_id, transaction_id) DO NOTHING`,
        [filingId, userId],
      );
      notifications += r.rowCount ?? 0;
    }
    const ms = msSince(t);
    return { ms, notifications };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
