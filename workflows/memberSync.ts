import { proxyActivities } from '@temporalio/workflow';
import type { MemberActivities } from '../activities/members';
import type { MemberSyncResult } from '../domain/member';

// A dozen paced pages; Congress.gov outages are retried for about an hour.
const { syncMembers } = proxyActivities<MemberActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 minute',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    maximumAttempts: 6,
  },
});

/** Members of Congress (party, state, chamber, bioguide id) from Congress.gov (schedule `member-sync`). */
export async function MemberSyncWorkflow(): Promise<MemberSyncResult> {
  return syncMembers();
}
