import { ApplicationFailure } from '@temporalio/activity';
import { ParseError } from '../domain/filing';
import { fetchMemberPage, memberListUrl, nextPageUrl } from '../sources/congress/congressApi';
import type { MemberPage } from '../sources/congress/memberList';
import { HttpError } from '../sources/http';
import { upsertMembers } from '../store/members';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';

export interface MemberSyncResult {
  members: number;
  pages: number;
  skipped: string | null;
}

/** Congress.gov lists about 540 current members; a next link past this many pages is a loop. */
const MAX_PAGES = 40;

export function createMemberActivities({ config, db, logger }: ActivityDeps) {
  return {
    /** Page through Congress.gov's current members and upsert each page; safe to retry from the start. */
    syncMembers: (): Promise<MemberSyncResult> =>
      heartbeating(async () => {
        const key = config.congressApiKey;
        if (!key) {
          const skipped = 'CONGRESS_API_KEY is not set; party rules cannot match until members are synced';
          activityLog(logger).warn(skipped);
          return { members: 0, pages: 0, skipped };
        }
        let url: string | null = memberListUrl(config.sites.congressApi, key);
        let members = 0;
        let pages = 0;
        while (url && pages < MAX_PAGES) {
          const page: MemberPage = await fetchMemberPage(url).catch(classify);
          members += await upsertMembers(db, page.members);
          pages += 1;
          url = page.next ? nextPageUrl(page.next, config.sites.congressApi, key) : null;
        }
        return { members, pages, skipped: null };
      }),
  };
}

export type MemberActivities = ReturnType<typeof createMemberActivities>;

function classify(err: unknown): never {
  if (err instanceof ParseError || (err instanceof HttpError && !err.retryable && err.status !== 429)) {
    throw ApplicationFailure.create({
      message: (err as Error).message,
      type: (err as Error).name,
      nonRetryable: true,
    });
  }
  throw err;
}
