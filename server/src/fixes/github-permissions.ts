import { input, usesAction, type Job, type Workflow } from '../dialects/github-actions/model';
import { deref, getPair, isMap, isScalar, str, type DataNode, type Pair } from '../syntax/tree';
import type { ProposedEdit } from './fixer';
import { eolOf, indentationAt } from './text';
import { insertAfterPair, insertIntoMap } from './yaml-edit';

/**
 * Granting a job `id-token: write` without taking anything else away. GitHub's rules: a job's
 * `permissions:` replaces the workflow's; declaring one scope sets every other scope to none;
 * `write-all`/`read-all` set all of them. So the grant goes at the job (the narrowest level), and
 * a job block written where none was carries what the job had: the workflow's scopes, or — when
 * nothing was declared and the repository default applied — `contents: read` plus the scopes its
 * steps visibly use.
 */
export interface PermissionGrant {
  edits: ProposedEdit[];
  /**
   * True when the job's permissions become explicit where the repository default applied: a scope
   * the steps use in a way Keyless cannot see would be lost, so the fix is not applied unattended.
   */
  narrowsDefaults: boolean;
}

/** Every scope GitHub knows, for expanding `read-all`. */
const ALL_SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'issues', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'];

export interface GrantOptions {
  /**
   * When the grant edits or writes the job's permissions, leave `contents` at `read` at least
   * (what RULES asks of a cloud login: checkout keeps working). Nothing is edited for it alone.
   */
  contentsRead?: boolean;
}

export function grantIdToken(text: string, workflow: Workflow, job: Job, options: GrantOptions = {}): PermissionGrant | undefined {
  if (workflow.kind === 'composite-action') return undefined;
  if (job.permissions && deref(job.permissions.value)) {
    const edits = addToBlock(text, job.permissions, options);
    return edits ? { edits, narrowsDefaults: false } : undefined;
  }
  const inherited = deref(workflow.permissions?.value);
  if (isScalar(inherited) && inherited.value === 'write-all') return { edits: [], narrowsDefaults: false };
  const scopes = inherited ? scopesOf(inherited) : inferredScopes(job);
  if (!scopes) return undefined;
  if (scopes.get('id-token') === 'write') return { edits: [], narrowsDefaults: false };
  scopes.set('id-token', 'write');
  if (options.contentsRead && (scopes.get('contents') ?? 'none') === 'none') scopes.set('contents', 'read');
  const edit = insertJobPermissions(text, job, scopes);
  return edit ? { edits: [edit], narrowsDefaults: !inherited } : undefined;
}

/** Adds `id-token: write` to a job's existing block, in whatever form it is written. */
function addToBlock(text: string, permissions: Pair, options: GrantOptions): ProposedEdit[] | undefined {
  const block = deref(permissions.value)!;
  if (isScalar(block)) {
    if (block.value === 'write-all') return [];
    if (block.value !== 'read-all') return undefined;
    // read-all plus one write: spelled out, since the shorthand cannot be combined with a scope.
    const eol = eolOf(text);
    const indent = `${indentationAt(text, permissions.keySpan.start)}  `;
    const lines = ['id-token: write', ...ALL_SCOPES.map((scope) => `${scope}: read`)];
    return [{ span: { start: permissions.keySpan.end + 1, end: block.span.end }, newText: lines.map((line) => `${eol}${indent}${line}`).join('') }];
  }
  if (!isMap(block)) return undefined;
  const existing = getPair(block, 'id-token');
  if (existing && !existing.value) return undefined;
  if (existing?.value && str(existing.value) === 'write') return [];
  const edits: ProposedEdit[] = [];
  const added: string[] = [];
  if (existing?.value) edits.push({ span: existing.value.span, newText: 'write' });
  else added.push('id-token: write');
  if (options.contentsRead) {
    const contents = getPair(block, 'contents');
    if (contents && !contents.value) return undefined;
    if (!contents) added.push('contents: read');
    else if (str(contents.value) === 'none') edits.push({ span: contents.value!.span, newText: 'read' });
  }
  if (added.length === 0) return edits;
  if (text[block.span.start] === '{') {
    // Flow style: `{}` or `{ contents: read }`; new scopes go after the last one.
    const last = block.pairs.at(-1);
    if (!last) return [...edits, { span: { start: block.span.start + 1, end: block.span.end - 1 }, newText: ` ${added.join(', ')} ` }];
    const end = Math.max(last.span.end, last.keySpan.end);
    return [...edits, { span: { start: end, end }, newText: added.map((line) => `, ${line}`).join('') }];
  }
  const edit = insertIntoMap(text, block, added);
  return edit ? [...edits, edit] : undefined;
}

/** The scopes a workflow-level block grants, as a job block would have to restate them. */
function scopesOf(block: DataNode): Map<string, string> | undefined {
  if (isScalar(block)) {
    if (block.value === 'write-all') return new Map([['id-token', 'write']]);
    if (block.value === 'read-all') return new Map(ALL_SCOPES.map((s) => [s, 'read']));
    return undefined;
  }
  if (!isMap(block)) return undefined;
  const scopes = new Map<string, string>();
  for (const pair of block.pairs) {
    const level = str(pair.value);
    if (level) scopes.set(pair.key, level);
  }
  return scopes;
}

/**
 * With no block anywhere, the repository default applied. The job block written instead keeps
 * `contents: read` (checkout) and the scopes its steps visibly use with the GITHUB_TOKEN.
 */
export function inferredScopes(job: Job): Map<string, string> {
  const scopes = new Map<string, string>([['contents', 'read']]);
  const raise = (scope: string, level: 'read' | 'write'): void => {
    if (scopes.get(scope) !== 'write') scopes.set(scope, level);
  };
  for (const step of job.steps) {
    const run = step.run?.script ?? '';
    if (usesAction(step, 'docker/login-action') && /ghcr\.io/.test(str(input(step, 'registry')?.value) ?? '')) raise('packages', 'write');
    if (/docker\s+push\s+ghcr\.io/.test(run)) raise('packages', 'write');
    if (usesAction(step, 'softprops/action-gh-release', 'ncipollo/release-action') || /\bgh\s+release\s+(?:create|upload|edit)/.test(run) || /\bgit\s+push\b/.test(run)) raise('contents', 'write');
    if (usesAction(step, 'peter-evans/create-pull-request')) {
      raise('contents', 'write');
      raise('pull-requests', 'write');
    }
    if (/\bgh\s+pr\s+(?:create|comment|merge|edit|review)/.test(run) || usesAction(step, 'marocchino/sticky-pull-request-comment')) raise('pull-requests', 'write');
    if (/\bgh\s+issue\s+(?:create|comment|edit|close)/.test(run)) raise('issues', 'write');
    if (usesAction(step, 'actions/deploy-pages')) raise('pages', 'write');
    if (usesAction(step, 'github/codeql-action/upload-sarif', 'github/codeql-action/analyze')) raise('security-events', 'write');
    if (usesAction(step, 'actions/attest-build-provenance')) raise('attestations', 'write');
  }
  return scopes;
}

/** A `permissions:` block for the job, after its `runs-on:` (or first among its keys). */
function insertJobPermissions(text: string, job: Job, scopes: Map<string, string>): ProposedEdit | undefined {
  const ordered = [...scopes].sort(([a], [b]) => (a === 'id-token' ? -1 : b === 'id-token' ? 1 : a.localeCompare(b)));
  const lines = ['permissions:', ...ordered.map(([scope, level]) => `  ${scope}: ${level}`)];
  const after = getPair(job.node, 'runs-on') ?? getPair(job.node, 'environment') ?? getPair(job.node, 'needs');
  return after ? insertAfterPair(text, after, lines) : insertIntoMap(text, job.node, lines);
}
