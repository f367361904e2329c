import type { MemberSyncResult } from '../domain/member';
import { fetchMemberPage, memberListUrl, nextPageUrl } from '../sources/congress/congressApi';
import type { MemberPage } from '../sources/congress/memberList';
import { upsertMembers } from '../store/members';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';
import { fromUpstream } from './upstreamErrors';

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
        let url: string | null = memberListUrl(config.sites.congressApi);
        let members = 0;
        let pages = 0;
        while (url && pages < MAX_PAGES) {
          const pageUrl: string = url;
          const page: MemberPage = await fromUpstream(() => fetchMemberPage(pageUrl, key));
          members += await upsertMembers(db, page.members);
          pages += 1;
          url = page.next ? nextPageUrl(page.next, config.sites.congressApi) : null;
        }
        return { members, pages, skipped: null };
      }),
  };
}

export type MemberActivities = ReturnType<typeof createMemberActivities>;
