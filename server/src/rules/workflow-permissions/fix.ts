import { isWorkflowSite, type Job, type Workflow } from '../../dialects/github-actions/model';
import { workflowTokenNeeds, type TokenNeeds } from '../../dialects/github-actions/token-needs';
import type { Fixer, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { insertJobPermissions, orderedScopes, permissionsLines, replacePermissions } from '../../fixes/github-permissions';
import { insertAfterPair } from '../../fixes/yaml-edit';
import type { TokenPermissionsSubject } from './subject';

type Scopes = ReadonlyMap<string, string>;

/**
 * Writes the permissions the steps show they need (`token-needs.ts`, over the tables of
 * `iam/github-token.ts`), never `write-all`:
 *
 * - a job's `write-all` / `read-all` becomes the job's own needs;
 * - the workflow's shorthand, or its missing block, becomes what every job that inherits it needs
 *   (the scopes they share, at the lower level); a job needing more gets a block of its own with
 *   all it needs (a job's block replaces the workflow's). A job whose steps say nothing (every
 *   step unknown and none needing a scope, a reusable-workflow call) takes the workflow's block and
 *   is named;
 * - a workflow-level shorthand no job inherits becomes `{}`: safe, nothing runs with it.
 *
 * What the tables do not know is named in the title ("could not infer what … needs"). Where
 * nothing at all could be inferred, the one fix offered says so: `contents: read`, as a starting
 * point. Every other fix is unsafe: a script can use the token in ways no step shows (a
 * `git push` inside `./release.sh`, with the credentials actions/checkout leaves behind).
 */
export const fixWorkflowPermissions: Fixer<TokenPermissionsSubject> = ({ about, text }) => {
  const site = about.workflow.syntax;
  if (!isWorkflowSite(site) || site.workflow.kind !== 'workflow') return [];
  const workflow = site.workflow;
  const needs = workflowTokenNeeds(workflow, text);
  if (about.job) {
    const job = workflow.jobs.find((j) => j.id === about.job!.job);
    return job ? jobFix(text, job, needs.get(job.id)!) : [];
  }
  return workflowFix(text, workflow, needs);
};

const STARTING_POINT: Scopes = new Map([['contents', 'read']]);

const REVIEW =
  'Run the workflow once and add any scope a step reports missing ("Resource not accessible by integration"): a script can use the token in ways its steps do not show, such as a `git push` inside a script file.';

function jobFix(text: string, job: Job, needs: TokenNeeds): FixProposal[] {
  if (!job.permissions) return [];
  const guessed = !inferred(needs);
  const scopes = guessed ? STARTING_POINT : needs.scopes;
  const edit = replacePermissions(text, job.permissions, scopes);
  if (!edit) return [];
  const who = `job "${job.id}"`;
  return [
    {
      title: guessed ? short(`Set ${who} permissions to contents: read (nothing inferred)`, 'Set permissions to contents: read (nothing inferred)') : title(`Set ${who} permissions`, scopes, needs.unknown),
      safe: false,
      edits: [edit],
      followUps: followUps([[who, scopes]], needs.unknown, guessed),
    },
  ];
}

function workflowFix(text: string, workflow: Workflow, needs: ReadonlyMap<string, TokenNeeds>): FixProposal[] {
  const inheriting = workflow.jobs.filter((job) => !job.permissions);
  const block = workflow.permissions;
  if (inheriting.length === 0) {
    // No job takes the workflow's block: `{}` changes nothing that runs.
    const edit = block ? replacePermissions(text, block, new Map()) : undefined;
    return edit ? [{ title: 'Set permissions: {} (every job sets its own)', safe: true, edits: [edit] }] : [];
  }
  const known = inheriting.filter((job) => inferred(needs.get(job.id)!));
  const unknown = [...new Set(inheriting.flatMap((job) => needs.get(job.id)!.unknown))];
  const guessed = known.length === 0;
  const shared = guessed ? STARTING_POINT : sharedScopes(known.map((job) => needs.get(job.id)!.scopes));
  const own = guessed ? [] : known.filter((job) => !sameScopes(needs.get(job.id)!.scopes, shared));

  const edits: ProposedEdit[] = [];
  const workflowEdit = block ? replacePermissions(text, block, shared) : insertWorkflowPermissions(text, workflow, shared);
  if (!workflowEdit) return [];
  edits.push(workflowEdit);
  for (const job of own) {
    const edit = insertJobPermissions(text, job, needs.get(job.id)!.scopes);
    if (!edit) return [];
    edits.push(edit);
  }
  const written: [string, Scopes][] = [['the workflow', shared], ...own.map((job): [string, Scopes] => [`job "${job.id}"`, needs.get(job.id)!.scopes])];
  return [
    {
      title: guessed
        ? 'Set permissions to contents: read (nothing inferred)'
        : own.length > 0
          ? title(`Set minimal permissions (workflow and ${own.length} job${own.length > 1 ? 's' : ''})`, undefined, unknown)
          : title('Set permissions', shared, unknown),
      safe: false,
      edits,
      followUps: followUps(written, unknown, guessed),
    },
  ];
}

/** Whether anything was inferred of a job: a step fully read, or a scope some step needs. */
function inferred(needs: TokenNeeds): boolean {
  return needs.known > 0 || needs.scopes.size > 0;
}

/** The scopes every one of these jobs needs, each at the lowest level any of them needs it. */
function sharedScopes(all: readonly Scopes[]): Map<string, string> {
  const shared = new Map(all[0]);
  for (const scopes of all.slice(1)) {
    for (const [scope, level] of shared) {
      const other = scopes.get(scope);
      if (other === undefined) shared.delete(scope);
      else if (other !== level) shared.set(scope, 'read');
    }
  }
  // `id-token` has no read level: shared at `write` by all, or by none.
  if (shared.get('id-token') === 'read') shared.delete('id-token');
  return shared;
}

function sameScopes(a: Scopes, b: Scopes): boolean {
  return a.size === b.size && [...a].every(([scope, level]) => b.get(scope) === level);
}

/** A workflow-level block after `on:`, set apart by a blank line where `on:` is. */
function insertWorkflowPermissions(text: string, workflow: Workflow, scopes: Scopes): ProposedEdit | undefined {
  if (!workflow.on) return undefined;
  const lines = permissionsLines(scopes);
  let end = Math.max(workflow.on.span.end, workflow.on.keySpan.end);
  while (end > workflow.on.keySpan.end && /\s/.test(text[end - 1]!)) end--;
  const blankAfter = /^[^\n]*\n[ \t]*\r?\n/.test(text.slice(end));
  return insertAfterPair(text, workflow.on, blankAfter ? ['', ...lines] : lines);
}

/** Quick-fix menus show about 80 characters. */
const MAX_TITLE = 80;

function short(title: string, fallback: string): string {
  return title.length <= MAX_TITLE ? title : fallback;
}

/** "Set permissions: contents: read", or with what could not be inferred: "…; could not infer what X needs". */
function title(lead: string, scopes: Scopes | undefined, unknown: readonly string[]): string {
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const named = `${lead}; could not infer what ${first}${unknown.length > 1 ? ` and ${unknown.length - 1} more` : ''} need${unknown.length > 1 ? '' : 's'}`;
    if (named.length <= MAX_TITLE) return named;
    const counted = `${lead}; ${unknown.length} use${unknown.length > 1 ? 's' : ''} could not be inferred`;
    return counted.length <= MAX_TITLE ? counted : 'Set inferred permissions; some uses could not be inferred';
  }
  if (!scopes) return lead;
  const listed = `${lead}: ${scopeList(scopes)}`;
  if (listed.length <= MAX_TITLE) return listed;
  const counted = `${lead} (${scopes.size} scopes)`;
  return counted.length <= MAX_TITLE ? counted : `Set minimal permissions (${scopes.size} scopes)`;
}

function scopeList(scopes: Scopes): string {
  return scopes.size === 0 ? '{}' : orderedScopes(scopes).map(([scope, level]) => `${scope}: ${level}`).join(', ');
}

function followUps(written: readonly [string, Scopes][], unknown: readonly string[], guessed: boolean): string[] {
  const result = [`Permissions written: ${written.map(([where, scopes]) => `${where}: ${scopeList(scopes)}`).join('; ')}.`];
  if (unknown.length > 0) {
    result.push(
      `${guessed ? 'Nothing the steps run says what they need: `contents: read` is a starting point, not an inference. ' : ''}Check what ${unknown.map((name) => `\`${name}\``).join(', ')} need${unknown.length > 1 ? '' : 's'} of the GITHUB_TOKEN (an action's README or action.yml says; a called workflow's own \`permissions:\`) and add it.`,
    );
  }
  result.push(REVIEW);
  return result;
}
