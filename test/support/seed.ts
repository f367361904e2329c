import type { ParsedFiling, ParsedTransaction } from '../../domain/filing';
import type { Db } from '../../store/db';
import { recordDiscoveredFilings } from '../../store/filingDiscovery';
import { storeParsedFiling } from '../../store/filingStorage';
import { addRule, getUserByEmail, upsertUsers } from '../../store/users';
import { cleanUser } from '../../domain/users';
import type { RuleInput } from '../../domain/rules';

let counter = 0;

/** Store a filing as the ingestion path does (discover, then store parsed), optionally seen at a given time. */
export async function seedFiling(
  db: Db,
  f: Partial<ParsedFiling> & { transactions: ParsedTransaction[]; baseline?: boolean; firstSeenAt?: Date },
): Promise<number> {
  const sourceId = f.filingId ?? `T${Date.now()}${++counter}`;
  const chamber = f.chamber ?? 'house';
  const [id] = await recordDiscoveredFilings(
    db,
    [
      {
        chamber,
        sourceId,
        filerName: f.filerName ?? 'Nancy Pelosi',
        stateDistrict: f.stateDistrict ?? (chamber === 'house' ? 'CA11' : null),
        year: 2025,
        filedDate: f.filedDate ?? '2025-01-17',
        rawUrl: `https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/${sourceId}.pdf`,
        amendment: f.amendment ?? false,
        kind: null,
      },
    ],
    { baseline: f.baseline ?? false },
  );
  if (f.firstSeenAt)
    await db.query('UPDATE filings SET first_seen_at = $2 WHERE id = $1', [id, f.firstSeenAt]);
  await storeParsedFiling(
    db,
    id!,
    {
      chamber,
      filingId: sourceId,
      kind: 'electronic',
      filerName: f.filerName ?? 'Nancy Pelosi',
      stateDistrict: f.stateDistrict ?? (chamber === 'house' ? 'CA11' : null),
      filedDate: f.filedDate ?? '2025-01-17',
      amendment: f.amendment ?? false,
      transactions: f.transactions,
    },
    `sha-${sourceId}`,
  );
  return id!;
}

export async function seedUser(
  db: Db,
  email: string,
  rules: RuleInput[],
  extra: { digest?: string; timezone?: string; quietHours?: string } = {},
): Promise<number> {
  await upsertUsers(db, [cleanUser({ email, ...extra })]);
  for (const r of rules) await addRule(db, email, r);
  return (await getUserByEmail(db, email))!.id;
}
