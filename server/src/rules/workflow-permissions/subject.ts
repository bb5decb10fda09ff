import type { JobTokenPermissions, WorkflowTokenPermissions } from '../../facts/model';

/** What a finding is about: a workflow's token permissions, and the job whose own block is reported (none: the workflow's block, or its absence). */
export interface TokenPermissionsSubject {
  workflow: WorkflowTokenPermissions;
  job?: JobTokenPermissions;
}
