import * as workflows from '../workflows';

/** Workflow types the workers register; `schedules apply` skips a schedule whose workflow is not among them. */
export const IMPLEMENTED_WORKFLOWS: readonly string[] = Object.keys(workflows);
