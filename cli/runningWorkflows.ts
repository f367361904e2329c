import type { Client } from '@temporalio/client';

/** Ids of running executions of a workflow type (scheduled or manual), at most `limit` of them. */
export async function runningWorkflows(client: Client, workflowType: string, limit = 5): Promise<string[]> {
  const ids: string[] = [];
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;
  for await (const wf of client.workflow.list({ query, pageSize: limit })) {
    ids.push(wf.workflowId);
    if (ids.length >= limit) break;
  }
  return ids;
}
