import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../support/fixtures';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { matchUnmatchedFilings } from '../../store/matching';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';

let sys: TestSystem;
const seen: { url: URL; apiKey: string | string[] | undefined }[] = [];

/** Congress.gov's member list in two pages: the official example member, then two more in its shape. */
function serveMembers(): void {
  const example = JSON.parse(readFileSync(fixturePath('congress-gov/member-list.limit1.json'), 'utf8'));
  const member = (
    bioguideId: string,
    name: string,
    partyName: string,
    state: string,
    chamber: string,
    district?: number,
  ) => ({
    ...example.members[0],
    bioguideId,
    name,
    partyName,
    state,
    ...(district ? { district } : {}),
    terms: { item: [{ chamber, startYear: 2021 }] },
  });
  sys.sites.override('/congress/v3/member', {
    handler: (url, headers) => {
      seen.push({ url, apiKey: headers['x-api-key'] });
      const last = url.searchParams.get('offset') === '1';
      const body = last
        ? {
            members: [
              member('P000197', 'Pelosi, Nancy', 'Democratic', 'California', 'House of Representatives', 11),
              member('R000608', 'Rosen, Jacky', 'Democratic', 'Nevada', 'Senate'),
            ],
            pagination: { count: 3 },
          }
        : example;
      return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    },
  });
}

beforeAll(async () => {
  sys = await startTestSystem({ CONGRESS_API_KEY: 'test-key' });
  serveMembers();
});
afterAll(async () => sys?.stop());

describe('MemberSyncWorkflow', () => {
  it('pages through Congress.gov with the API key and stores every member', async () => {
    const handle = await sys.client.workflow.start('MemberSyncWorkflow', {
      taskQueue: TASK_QUEUES.dataIngestion,
      workflowId: `member-sync-${Date.now()}`,
    });
    expect(await handle.result()).toEqual({ members: 3, pages: 2, skipped: null });
    // The key travels in the X-Api-Key header, never in a URL (URLs reach logs and failure messages).
    expect(seen.map((r) => r.apiKey)).toEqual(['test-key', 'test-key']);
    expect(seen.map((r) => r.url.search)).not.toContainEqual(expect.stringContaining('test-key'));
    const { rows } = await sys.db.query(
      `SELECT bioguide_id, full_name, last_name, party, state, district, chamber FROM members ORDER BY bioguide_id`,
    );
    expect(rows).toEqual([
      {
        bioguide_id: 'P000197',
        full_name: 'Nancy Pelosi',
        last_name: 'Pelosi',
        party: 'D',
        state: 'CA',
        district: '11',
        chamber: 'house',
      },
      {
        bioguide_id: 'R000608',
        full_name: 'Jacky Rosen',
        last_name: 'Rosen',
        party: 'D',
        state: 'NV',
        district: null,
        chamber: 'senate',
      },
      {
        bioguide_id: 'Y000064',
        full_name: 'Todd Young',
        last_name: 'Young',
        party: 'R',
        state: 'IN',
        district: null,
        chamber: 'senate',
      },
    ]);
  });

  it('synced members make party rules and bioguide-id rules match their filings', async () => {
    await seedUser(sys.db, 'dems@example.com', [{ party: 'D', chamber: 'house' }]);
    await seedUser(sys.db, 'reps@example.com', [{ party: 'R' }]);
    await seedUser(sys.db, 'bio@example.com', [{ member: 'r000608' }]);
    await seedFiling(sys.db, {
      filerName: 'Hon. Nancy Pelosi',
      stateDistrict: 'CA11',
      transactions: [trade()],
    });
    await seedFiling(sys.db, {
      chamber: 'senate',
      filerName: 'Jacklyn S Rosen',
      transactions: [trade({ ticker: 'VFC' })],
    });
    await matchUnmatchedFilings(sys.db, { syncId: 'party', maxFilingAgeDays: 0 });
    const { rows } = await sys.db.query(
      `SELECT u.email, t.ticker FROM notifications n JOIN users u ON u.id = n.user_id
         JOIN transactions t ON t.id = n.transaction_id ORDER BY u.email`,
    );
    expect(rows).toEqual([
      { email: 'bio@example.com', ticker: 'VFC' },
      { email: 'dems@example.com', ticker: 'NVDA' },
    ]);
  });

  it('without CONGRESS_API_KEY it says so and changes nothing', async () => {
    const { createMemberActivities } = await import('../../activities/members');
    const { createLogger } = await import('../../ops/logger');
    const { MockActivityEnvironment } = await import('@temporalio/testing');
    const acts = createMemberActivities({
      config: { ...sys.config, congressApiKey: null },
      db: sys.db,
      logger: createLogger('error'),
    });
    const result = await new MockActivityEnvironment().run(acts.syncMembers);
    expect(result).toEqual({
      members: 0,
      pages: 0,
      skipped: 'CONGRESS_API_KEY is not set; party rules cannot match until members are synced',
    });
  });
});
