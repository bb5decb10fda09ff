import { readWorkflow } from '../../dialects/github-actions/model';
import { readPipeline } from '../../dialects/gitlab-ci/model';
import type { PolicyOwner } from '../../facts/model';
import type { WorkspaceContext } from '../../facts/workspace';
import { folderOf } from '../../graph/paths';
import { assumedRoleName, workspaceGraph } from '../../graph/graph';
import { inferAwsPermissions, type JobUsage } from '../../iam/least-privilege';
import { parseYaml } from '../../syntax/yaml';
import { usageOf } from '../github-actions/context';
import { jobUsage } from '../gitlab-ci/usage';

/**
 * What the CI jobs that assume a policy's role run, as actions (`iam/least-privilege.ts` over the
 * command → action tables): the strongest evidence a scope-down has. Only when it is whole: every
 * job that assumes the role is read, and none runs something the tables cannot turn into actions
 * (`terraform apply`, a stack deploy without a service role) — else undefined, and the scope-down
 * falls back to the workspace's resources or the catalog split.
 */
export interface CiEvidence {
  /** `job deploy`, `2 CI jobs`: for titles. */
  who: string;
  actions: string[];
}

export function ciEvidence(owner: PolicyOwner, path: string, workspace: WorkspaceContext): CiEvidence | undefined {
  const refs = (owner.identities ?? []).filter((ref) => ref.kind === 'role');
  if (refs.length === 0 || workspace.files.size === 0) return undefined;
  const graph = workspaceGraph(workspace);
  const folder = folderOf(path);
  const roleNames = new Set<string>();
  for (const ref of refs) {
    const role = graph.roles.find((r) => folderOf(r.path) === folder && ref.resource !== undefined && (ref.resource === `${r.identity.resourceType}.${r.identity.name}` || ref.resource === r.identity.name));
    const name = role?.identity.roleName ?? (ref.value && !ref.value.computed ? ref.value.value : undefined);
    if (!name) return undefined; // a role whose IAM name is computed: its jobs cannot be told
    roleNames.add(name);
  }
  const jobs = graph.jobAuthentications((auth) => {
    const assumed = assumedRoleName(auth);
    return assumed !== undefined && roleNames.has(assumed);
  });
  if (jobs.length === 0) return undefined;
  const actions = new Set<string>();
  for (const job of jobs) {
    const usage = usageOfJob(workspace, job.file, job.job);
    if (!usage) return undefined;
    const inferred = inferAwsPermissions(usage, {});
    if (inferred.notes.length > 0) return undefined;
    for (const grant of inferred.grants) for (const action of grant.actions) actions.add(action);
  }
  if (actions.size === 0) return undefined;
  const names = [...new Set(jobs.map((j) => j.job))];
  return { who: names.length === 1 ? `job ${names[0]}` : `${names.length} CI jobs`, actions: [...actions].sort() };
}

function usageOfJob(workspace: WorkspaceContext, file: string, name: string): JobUsage | undefined {
  const source = workspace.files.get(file);
  if (!source) return undefined;
  const root = parseYaml(source.text).documents[0]?.root ?? null;
  if (source.dialect === 'github-actions') {
    const job = readWorkflow(root)?.jobs.find((j) => j.id === name);
    return job && usageOf(job);
  }
  if (source.dialect === 'gitlab-ci') {
    const pipeline = readPipeline(root);
    const job = pipeline?.jobs.find((j) => j.name === name);
    return pipeline && job ? jobUsage(pipeline, [job]) : undefined;
  }
  return undefined;
}

