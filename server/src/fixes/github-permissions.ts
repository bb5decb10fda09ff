import type { Job, Workflow } from '../dialects/github-actions/model';
import { jobTokenNeeds } from '../dialects/github-actions/token-needs';
import { TOKEN_SCOPES } from '../iam/github-token';
import { deref, getPair, isMap, isScalar, str, type DataNode, type Pair } from '../syntax/tree';
import type { ProposedEdit } from './fixer';
import { eolOf, indentationAt, lineEndAt, startsLine } from './text';
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

/** The scopes `read-all` is spelled out as: those every GitHub accepts with `read`. */
const ALL_SCOPES = Object.entries(TOKEN_SCOPES).filter(([, scope]) => scope.inReadAll).map(([name]) => name);

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
  const scopes = inherited ? scopesOf(inherited) : inferredScopes(workflow, job);
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
 * `contents: read` (checkout) and the scopes its steps visibly use with the GITHUB_TOKEN (the
 * tables of `iam/github-token.ts`, read by `token-needs.ts`).
 */
export function inferredScopes(workflow: Workflow, job: Job): Map<string, string> {
  const scopes = new Map<string, string>([['contents', 'read']]);
  for (const [scope, level] of jobTokenNeeds(workflow, job, false).scopes) {
    if (scopes.get(scope) !== 'write') scopes.set(scope, level);
  }
  return scopes;
}

/** Scopes in the order blocks are written: `id-token` first (what a federated login adds), then by name. */
export function orderedScopes(scopes: ReadonlyMap<string, string>): [string, string][] {
  return [...scopes].sort(([a], [b]) => (a === 'id-token' ? -1 : b === 'id-token' ? 1 : a.localeCompare(b)));
}

/** The lines of a `permissions:` entry: `permissions: {}` when it grants nothing. */
export function permissionsLines(scopes: ReadonlyMap<string, string>): string[] {
  if (scopes.size === 0) return ['permissions: {}'];
  return ['permissions:', ...orderedScopes(scopes).map(([scope, level]) => `  ${scope}: ${level}`)];
}

/**
 * Replaces a one-line `permissions:` value (`write-all`, `read-all`, a flow map) with these scopes,
 * keeping a comment on its line where it was. Undefined where the entry is not on a line of its
 * own or its value spans lines.
 */
export function replacePermissions(text: string, pair: Pair, scopes: ReadonlyMap<string, string>): ProposedEdit | undefined {
  const value = deref(pair.value);
  if (!value || !startsLine(text, pair.keySpan.start) || text[pair.keySpan.end] !== ':') return undefined;
  const lineEnd = lineEndAt(text, value.span.end);
  if (lineEndAt(text, pair.keySpan.end) !== lineEnd) return undefined;
  if (scopes.size === 0) return { span: value.span, newText: '{}' };
  // After the value, only a comment may stand on its line: it stays there, the scopes go below.
  const rest = text.slice(value.span.end, lineEnd);
  if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
  const eol = eolOf(text);
  const indent = `${indentationAt(text, pair.keySpan.start)}  `;
  const lines = orderedScopes(scopes).map(([scope, level]) => `${eol}${indent}${scope}: ${level}`);
  return { span: { start: pair.keySpan.end + 1, end: lineEnd }, newText: `${rest}${lines.join('')}` };
}

/** A `permissions:` block for the job, after its `runs-on:` (or first among its keys). */
export function insertJobPermissions(text: string, job: Job, scopes: ReadonlyMap<string, string>): ProposedEdit | undefined {
  const lines = permissionsLines(scopes);
  const after = getPair(job.node, 'runs-on') ?? getPair(job.node, 'environment') ?? getPair(job.node, 'needs');
  return after ? insertAfterPair(text, after, lines) : insertIntoMap(text, job.node, lines);
}
