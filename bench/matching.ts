import type { Db, DbClient } from '../store/db';
import { cleanUser } from '../domain/users';
import { recordDiscoveredFilings } from '../store/filingDiscovery';
import { storeParsedFiling } from '../store/filingStorage';
import { linkFilingMembers, matchStatement, matchUnmatchedFilings } from '../store/matching';
import { upsertUsers } from '../store/users';
import { cpuSecondsBetween, postgresCpu, type BenchPostgres } from './benchPostgres';
import {
  amendmentOf,
  syntheticFilings,
  syntheticRoster,
  syntheticTickers,
  type RosterMember,
  type SyntheticFiling,
} from './matchingData';
import { baselineMatchTransactions } from './matchingBaseline';
import { msSince, type BenchResult, type Measurement } from './measurement';
import { followerUsers } from './syntheticUsers';

const SECTION = 'matching';

export interface MatchingBenchOptions {
  users: number;
  rulesPerUser: number;
  /** Run today's statement beside the old one (minutes at full scale); without it, no ratios. */
  baseline: boolean;
}

/**
 * 100,000 followers × 3 rules (tickers and members mostly, a few broad rules) against a typical sync
 * (100 transactions in 5 filings) and a busy one (1,000 in 50, two of them amendments of yesterday's
 * filings), each matched by today's `matchUnmatchedFilings` and by the statement it replaced, side by
 * side on the same database: the old one in a transaction rolled back, the new one for real. Both must
 * write the same notifications. The plan of the new statement (EXPLAIN ANALYZE) shows the indexes used.
 */
export async function benchMatching(pg: BenchPostgres, opts: MatchingBenchOptions): Promise<BenchResult> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const plans: BenchResult['appendix'] = [];

  const { db } = await pg.createDatabase('bench_matching');
  const roster = await syntheticRoster();
  const tickers = syntheticTickers();
  await insertMembers(db, roster);
  const generated = followerUsers(
    opts.users,
    { members: roster, tickers },
    { rulesPerUser: opts.rulesPerUser },
  );
  let t = performance.now();
  await upsertUsers(
    db,
    generated.users.map((u, i) => cleanUser(u, `user ${i + 1}`)),
  );
  add(
    `${generated.users.length} users × ${opts.rulesPerUser} rules imported (upsertUsers)`,
    msSince(t),
    'ms',
  );
  add('rules: ticker / member / broad', await ruleMix(db), 'rules');
  add('members / tickers the rules draw from', `${roster.length} / ${tickers.length}`, 'members / tickers');

  // Yesterday's sync: already matched, its alerts sent, so today's amendments of it are corrections.
  const traders = roster.slice(0, 106);
  const house = traders.filter((m) => m.chamber === 'house');
  const yesterday = syntheticFilings({
    filings: 10,
    transactions: 200,
    filers: house,
    tickers,
    idBase: 30_000_000,
    seed: 1,
  });
  await storeFilings(db, yesterday);
  await db.query('ANALYZE');
  t = performance.now();
  const first = await matchUnmatchedFilings(db, { syncId: 'bench-yesterday', maxFilingAgeDays: 0 });
  add('yesterday: 200 transactions in 10 filings matched (new code)', msSince(t), 'ms');
  add('yesterday: notifications written', first.notifications, 'notifications');
  await db.query(`UPDATE notifications SET status = 'sent', sent_at = now()`);

  const typical = syntheticFilings({
    filings: 5,
    transactions: 100,
    filers: traders,
    tickers,
    idBase: 31_000_000,
    seed: 2,
  });
  const busy = [
    ...syntheticFilings({
      filings: 48,
      transactions: 990,
      filers: traders,
      tickers,
      idBase: 32_000_000,
      seed: 3,
    }),
    amendmentOf(yesterday[0]!, '32100000', 4),
    amendmentOf(yesterday[1]!, '32100001', 4),
  ];
  for (const [label, filings] of [
    ['typical sync', typical],
    ['busy sync', busy],
  ] as const) {
    const ids = await storeFilings(db, filings);
    const transactions = filings.reduce((n, f) => n + f.parsed.transactions.length, 0);
    const what = `${label} (${transactions} transactions in ${filings.length} filings)`;
    await db.query('ANALYZE');
    await warm(db);

    let old: Awaited<ReturnType<typeof oldPath>> | null = null;
    if (opts.baseline) {
      const cpu = await postgresCpu(db);
      old = await oldPath(db, ids);
      add(`${what}: old statement (baseline), wall`, old.ms, 'ms');
      add(
        `${what}: old statement (baseline), PostgreSQL CPU`,
        cpuSecondsBetween(cpu, await postgresCpu(db)) * 1000,
        'ms',
      );
    }
    const plan = await explain(db, ids);
    const indexes = indexesUsed(plan);
    plans.push({
      title: `EXPLAIN ANALYZE of the match statement, ${what}`,
      text: `indexes used: ${indexes.join(', ')}\n\n${plan}`,
    });
    const cpu = await postgresCpu(db);
    t = performance.now();
    const result = await matchUnmatchedFilings(db, { syncId: `bench-${label}`, maxFilingAgeDays: 0 });
    const ms = msSince(t);
    add(`${what}: matchUnmatchedFilings, wall`, ms, 'ms');
    add(
      `${what}: matchUnmatchedFilings, PostgreSQL CPU (all connections)`,
      cpuSecondsBetween(cpu, await postgresCpu(db)) * 1000,
      'ms',
    );
    add(
      `${what}: notifications / corrections / users`,
      `${result.notifications} / ${result.corrections} / ${result.users}`,
      'rows / rows / users',
    );
    if (result.filings !== filings.length)
      throw new Error(`${label}: matched ${result.filings} filings, not ${filings.length}`);
    const written = await fingerprint(db, ids);
    if (old) {
      if (old.fingerprint.digest !== written.digest) {
        throw new Error(
          `${label}: the old statement wrote ${old.fingerprint.rows} notifications (${old.fingerprint.digest}), ` +
            `the new one ${written.rows} (${written.digest})`,
        );
      }
      add(
        `${what}: same notifications written by both`,
        `yes (${written.rows} rows, md5 ${written.digest.slice(0, 8)})`,
        '(checked)',
      );
      add(`${what}: speed-up (old wall / new wall)`, old.ms / ms, '×');
    }
    add(`${what}: indexes used by the plan (EXPLAIN, named below)`, indexes.length, 'indexes');
  }
  return { rows, appendix: plans };
}

async function insertMembers(db: Db, roster: RosterMember[]): Promise<void> {
  await db.query(
    `INSERT INTO members (bioguide_id, full_name, last_name, party, state, district, chamber)
     SELECT m.bioguide_id, m.full_name, m.last_name, m.party, m.state, m.district, m.chamber
       FROM jsonb_to_recordset($1::jsonb) AS m(bioguide_id text, full_name text, last_name text, party text,
                                                state text, district text, chamber text)`,
    [
      JSON.stringify(
        roster.map((m) => ({
          bioguide_id: m.bioguideId,
          full_name: m.fullName,
          last_name: m.last,
          party: m.party,
          state: m.state,
          district: m.district,
          chamber: m.chamber,
        })),
      ),
    ],
  );
}

/** Discover and store filings as ingestion does (first seen now, after every rule was created). */
async function storeFilings(db: Db, filings: SyntheticFiling[]): Promise<number[]> {
  const ids = await recordDiscoveredFilings(
    db,
    filings.map((f) => f.discovered),
    { baseline: false },
  );
  if (ids.length !== filings.length) throw new Error('a benchmark filing was already stored');
  for (const [i, f] of filings.entries())
    await storeParsedFiling(db, ids[i]!, f.parsed, `bench-${f.discovered.sourceId}`);
  return ids;
}

async function ruleMix(db: Db): Promise<string> {
  const { rows } = await db.query<{ ticker: number; member: number; broad: number }>(
    `SELECT count(*) FILTER (WHERE ticker IS NOT NULL)::int AS ticker,
            count(*) FILTER (WHERE ticker IS NULL AND member_key IS NOT NULL)::int AS member,
            count(*) FILTER (WHERE ticker IS NULL AND member_key IS NULL)::int AS broad
       FROM alert_rules`,
  );
  const r = rows[0]!;
  return `${r.ticker} / ${r.member} / ${r.broad}`;
}

/** Read the tables both paths read, so neither pays for a cold cache. */
async function warm(db: Db): Promise<void> {
  await db.query(
    `SELECT (SELECT count(*) FROM alert_rules), (SELECT count(*) FROM users), (SELECT count(*) FROM notifications),
            (SELECT count(*) FROM transactions)`,
  );
}

/** Today's path before the change: one transaction, one statement for every filing; rolled back. */
async function oldPath(db: Db, ids: number[]): Promise<{ ms: number; fingerprint: Fingerprint }> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const t = performance.now();
    const { rows } = await client.query<{ id: number }>(
      `SELECT id FROM filings WHERE matched_at IS NULL AND status = 'parsed' ORDER BY id FOR UPDATE SKIP LOCKED`,
    );
    const filingIds = rows.map((r) => r.id);
    await linkFilingMembers(client, filingIds);
    await baselineMatchTransactions(client, { filingIds, syncId: 'bench-baseline', maxFilingAgeDays: 0 });
    await client.query('UPDATE filings SET matched_at = now() WHERE id = ANY ($1::bigint[])', [filingIds]);
    const ms = msSince(t);
    return { ms, fingerprint: await fingerprint(client, ids) };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** The plan of the statement `matchUnmatchedFilings` is about to run, executed and rolled back. */
async function explain(db: Db, ids: number[]): Promise<string> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await linkFilingMembers(client, ids);
    const statement = matchStatement({ filingIds: ids, syncId: 'bench-explain', maxFilingAgeDays: 0 });
    const { rows } = await client.query<{ 'QUERY PLAN': string }>({
      text: `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${statement.text}`,
      values: statement.values,
    });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

function indexesUsed(plan: string): string[] {
  return [
    ...new Set([...plan.matchAll(/Index (?:Only )?Scan (?:using|on) (\w+)/g)].map((m) => m[1]!)),
  ].sort();
}

interface Fingerprint {
  rows: number;
  digest: string;
}

/** Every notification for the rows of these filings, as one digest: equal digests, equal notifications. */
async function fingerprint(db: DbClient, filingIds: number[]): Promise<Fingerprint> {
  const { rows } = await db.query<Fingerprint>(
    `SELECT count(*)::int AS rows,
            coalesce(md5(string_agg(concat_ws('|', n.user_id, n.transaction_id, n.kind, n.corrects_transaction_id,
                                              n.rule_ids::text, n.reasons::text), ',' ORDER BY n.user_id, n.transaction_id)), '')
              AS digest
       FROM notifications n JOIN transactions t ON t.id = n.transaction_id
      WHERE t.filing_id = ANY ($1::bigint[])`,
    [filingIds],
  );
  return rows[0]!;
}
