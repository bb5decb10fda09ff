import type { TokenPermissionsBlock, WorkflowTokenPermissions } from '../../facts/model';
import { deref, isMap, isScalar, str, type Pair } from '../../syntax/tree';
import { readTriggers, type Workflow, type WorkflowSite } from './model';

/**
 * The GITHUB_TOKEN permissions a workflow declares, at both levels, with the events that start it.
 * GitHub's rules (Docs, "Workflow syntax: permissions"): a job's block replaces the workflow's;
 * `read-all` / `write-all` set every scope; `{}` sets none; a map sets the scopes it names and every
 * other to none. Undefined for a composite action, whose caller's token it runs with.
 */
export function workflowTokenPermissions(workflow: Workflow): WorkflowTokenPermissions | undefined {
  if (workflow.kind !== 'workflow') return undefined;
  const site: WorkflowSite = { kind: 'github-actions', workflow };
  return {
    syntax: site,
    onKey: workflow.on?.keySpan,
    events: readTriggers(workflow).events,
    workflow: workflow.permissions ? permissionsBlock(workflow.permissions) : undefined,
    jobs: workflow.jobs.map((job) => ({
      job: job.id,
      jobSpan: job.idSpan,
      permissions: job.permissions ? permissionsBlock(job.permissions) : undefined,
      ...(job.uses ? { calls: str(job.uses.value) ?? '' } : {}),
    })),
  };
}

function permissionsBlock(pair: Pair): TokenPermissionsBlock {
  const value = deref(pair.value);
  const block = (kind: TokenPermissionsBlock['kind'], scopes: TokenPermissionsBlock['scopes'] = []): TokenPermissionsBlock => ({ keySpan: pair.keySpan, span: pair.span, kind, scopes });
  if (isScalar(value)) return block(value.value === 'write-all' ? 'write-all' : value.value === 'read-all' ? 'read-all' : 'other');
  if (!isMap(value)) return block('other');
  if (value.pairs.length === 0) return block('none');
  return block(
    'scopes',
    value.pairs.map((p) => ({ scope: p.key, level: (str(p.value) ?? '').toLowerCase(), keySpan: p.keySpan, span: p.span })),
  );
}
