import type { MemberRecord } from '../domain/member';
import type { DbClient } from './db';

/** Insert or refresh members in one statement; party and chamber change over time, the id does not. */
export async function upsertMembers(db: DbClient, members: MemberRecord[]): Promise<number> {
  if (members.length === 0) return 0;
  const r = await db.query(
    `INSERT INTO members (bioguide_id, full_name, last_name, party, state, district, chamber, updated_at)
     SELECT m."bioguideId", m."fullName", m."lastName", m.party, m.state, m.district, m.chamber, now()
       FROM jsonb_to_recordset($1::jsonb) AS m("bioguideId" text, "fullName" text, "lastName" text, party text,
                                               state text, district text, chamber text)
     ON CONFLICT (bioguide_id) DO UPDATE SET full_name = EXCLUDED.full_name, last_name = EXCLUDED.last_name,
       party = EXCLUDED.party, state = EXCLUDED.state, district = EXCLUDED.district, chamber = EXCLUDED.chamber,
       updated_at = now()`,
    [JSON.stringify(members)],
  );
  return r.rowCount ?? 0;
}
