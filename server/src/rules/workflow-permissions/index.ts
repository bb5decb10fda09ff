import type { JobTokenPermissions, TokenPermissionsBlock, WorkflowTokenPermissions } from '../../facts/model';
import { UNTRUSTED_TRIGGERS } from '../../iam/github-token';
import type { Rule, RuleFinding } from '../rule';
import { fixWorkflowPermissions } from './fix';
import type { TokenPermissionsSubject } from './subject';

/**
 * workflow-permissions: a GitHub Actions workflow whose GITHUB_TOKEN can do more than its jobs
 * need. Reported: `write-all` and `read-all`, at the workflow or at a job; and no `permissions:`
 * anywhere a job runs, where the workflow has more than one job or a trigger that runs on what
 * outsiders control (`UNTRUSTED_TRIGGERS`), so the repository's default applies — read and write on
 * every scope under GitHub's permissive default, which the file cannot show. A scope map is not
 * judged here: what it names is a decision someone wrote down. A workflow-level `write-all` or
 * `read-all` that no job inherits (every job sets its own) is reported at info: it is harmless
 * until a job is added. A single job with no block and a trigger of the repository's own (push, a
 * schedule, a dispatch) is not reported: one job, one default, nothing to narrow per job.
 */
export const workflowPermissions: Rule<TokenPermissionsSubject> = {
  id: 'workflow-permissions',
  severity: 'warning',
  title: 'The GITHUB_TOKEN of a workflow is over-scoped',
  dialects: ['github-actions'],
  check({ facts }) {
    const found: RuleFinding<TokenPermissionsSubject>[] = [];
    for (const workflow of facts.githubTokenPermissions) {
      if (workflow.jobs.length === 0) continue;
      const inheriting = workflow.jobs.filter((job) => job.permissions === undefined);
      const trigger = untrustedTrigger(workflow);
      const block = workflow.workflow;
      if (block && isShorthand(block)) {
        found.push({
          span: block.keySpan,
          about: { workflow },
          ...(inheriting.length === 0
            ? { severity: 'info' as const, message: `\`permissions: ${block.kind}\` reaches no job today, since every job sets its own \`permissions:\`; a job added later would get ${reach(block)}. Set \`permissions: {}\` here.` }
            : { message: `\`permissions: ${block.kind}\` gives ${jobsPhrase(inheriting, workflow)} a GITHUB_TOKEN with ${reach(block)}${triggerClause(trigger)}. Grant only the scopes the steps use.` }),
        });
      } else if (!block && workflow.onKey && inheriting.length > 0 && (workflow.jobs.length > 1 || trigger)) {
        found.push({
          span: workflow.onKey,
          about: { workflow },
          message: `This workflow declares no \`permissions:\`, so ${jobsPhrase(inheriting, workflow)} run${jobsPhrase(inheriting, workflow).startsWith('jobs ') ? '' : 's'} with the repository's default GITHUB_TOKEN permissions, set in its settings and not in this file: read and write on every scope under GitHub's permissive default${triggerClause(trigger)}. Declare the scopes the jobs use.`,
        });
      }
      for (const job of workflow.jobs) {
        if (!job.permissions || !isShorthand(job.permissions)) continue;
        found.push({
          span: job.permissions.keySpan,
          about: { workflow, job },
          message: `Job \`${job.job}\` sets \`permissions: ${job.permissions.kind}\`: its GITHUB_TOKEN has ${reach(job.permissions)}${triggerClause(trigger)}. Grant only the scopes its steps use.`,
        });
      }
    }
    return found;
  },
  fixers: [fixWorkflowPermissions],
};

function isShorthand(block: TokenPermissionsBlock): block is TokenPermissionsBlock & { kind: 'write-all' | 'read-all' } {
  return block.kind === 'write-all' || block.kind === 'read-all';
}

function reach(block: TokenPermissionsBlock): string {
  return block.kind === 'write-all'
    ? 'write access to every scope (push code and tags, create releases, approve pull requests, publish packages)'
    : 'read access to every scope (code, issues, pull requests, packages, Actions artifacts, code scanning alerts), where most jobs need only `contents: read`';
}

/** The first trigger that runs on what outsiders control, if any. */
function untrustedTrigger(workflow: WorkflowTokenPermissions): string | undefined {
  return workflow.events.find((event) => Object.hasOwn(UNTRUSTED_TRIGGERS, event));
}

function triggerClause(trigger: string | undefined): string {
  return trigger ? `, and \`${trigger}\` ${UNTRUSTED_TRIGGERS[trigger]}` : '';
}

/** "every job", "job `build`", "jobs `build`, `test` and 2 more". */
function jobsPhrase(jobs: readonly JobTokenPermissions[], workflow: WorkflowTokenPermissions): string {
  if (jobs.length === workflow.jobs.length && jobs.length > 1) return `every job (${names(jobs)})`;
  return `${jobs.length === 1 ? 'job' : 'jobs'} ${names(jobs)}`;
}

function names(jobs: readonly JobTokenPermissions[]): string {
  const shown = jobs.slice(0, 3).map((job) => `\`${job.job}\``);
  const more = jobs.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown.join('');
}
