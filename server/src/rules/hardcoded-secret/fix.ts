import type { Dialect } from '../../core/dialect';
import type { WorkspaceContext } from '../../facts/workspace';
import type { LiteralCredential } from '../../facts/model';
import type { Span } from '../../core/text';
import { deref, getPair, isMap, isScalar, isSeq, nodePathAt, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';
import { parseJson } from '../../syntax/json';
import { parseYaml } from '../../syntax/yaml';
import { folderOf, joinPath } from '../../graph/paths';
import type { Fixer, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { eolOf, indentationAt, lineEndAt, lineStartAt } from '../../fixes/text';
import { deletePair } from '../../fixes/yaml-edit';

/**
 * hardcoded-secret: the literal is replaced by a reference fit for the format (RULES.md), named
 * after the key it was written under (`AWS_SECRET_ACCESS_KEY`, `aws-secret-access-key` →
 * `AWS_SECRET_ACCESS_KEY`, `password` → `var.password`):
 *
 * - GitHub Actions, under `env:` or `with:`: `${{ secrets.NAME }}`;
 * - GitLab CI, under `variables:`: the entry goes — a project CI/CD variable of the same name
 *   (masked) reaches the job by itself and takes precedence over the file's, and `NAME: $NAME`
 *   would only refer to itself;
 * - Kubernetes, a container's `env` entry: `valueFrom: secretKeyRef` on a Secret named after the
 *   workload (`<name>-credentials`), the key being the variable's name;
 * - CloudFormation, under a resource's `Properties`: `{{resolve:secretsmanager:<LogicalId>/NAME}}`,
 *   a dynamic reference CloudFormation resolves in any resource property (ssm-secure works only for
 *   a listed few);
 * - Terraform, an attribute written as one string: `var.name`, and a `variable` block with
 *   `sensitive = true` — in the module's `variables.tf` when it has one (where reviewers look for
 *   inputs), else at the end of the file.
 *
 * Nowhere else (a script line, a Secret's own data, a policy, `.env`, plain JSON, `.tfvars`,
 * `.tf.json`, a base64-encoded value): there is no reference to write there. Unsafe: someone must
 * create the secret first, and the literal stays in the git history — `followUps` say which secret
 * to create (and the shared follow-ups, that the old value must be revoked).
 */
export const fixHardcodedSecret: Fixer<LiteralCredential[]> = ({ about: group, text, path, dialect, workspace }) => {
  if (group.length === 0 || group.some((c) => c.encoding)) return [];
  const proposal = referenceFor(dialect, text, path, group, workspace);
  return proposal ? [proposal] : [];
};

function referenceFor(dialect: Dialect, text: string, path: string, group: readonly LiteralCredential[], workspace: WorkspaceContext): FixProposal | undefined {
  switch (dialect) {
    case 'github-actions':
      return github(text, group);
    case 'gitlab-ci':
      return gitlab(text, group);
    case 'kubernetes':
      return kubernetes(text, group);
    case 'cloudformation':
      return cloudformation(text, path, group);
    case 'terraform':
      return /\.tf$/i.test(path) ? terraform(text, path, group, workspace) : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Where a literal stands in a YAML or JSON tree

interface Located {
  /** The document's root, then every node down to the scalar. */
  path: DataNode[];
  scalar: ScalarNode;
  /** The map holding the scalar, and the pair whose value it is. */
  map: MapNode;
  pair: Pair;
}

/**
 * The file's trees, parsed once for all its findings: the engine asks the fixer finding by finding
 * over the same text, and a manifest with hundreds of literals must not be parsed hundreds of times.
 */
let lastParse: { text: string; json: boolean; roots: (DataNode | null)[] } | undefined;

function roots(text: string, json: boolean): (DataNode | null)[] {
  if (lastParse?.text !== text || lastParse.json !== json) lastParse = { text, json, roots: json ? [parseJson(text).root] : parseYaml(text).documents.map((d) => d.root) };
  return lastParse.roots;
}

/** The pair whose whole value is the literal (not a part of a longer string, not a block scalar). */
function locate(text: string, roots: readonly (DataNode | null)[], literal: LiteralCredential): Located | undefined {
  for (const root of roots) {
    if (!root || literal.valueSpan.start < root.span.start || literal.valueSpan.start >= root.span.end) continue;
    const path = nodePathAt(root, literal.valueSpan.start);
    const scalar = path[path.length - 1];
    const map = path[path.length - 2];
    if (!isScalar(scalar) || !isMap(map) || typeof scalar.value !== 'string') return undefined;
    // The literal is the whole value (a block scalar's indentation and line breaks aside).
    const squeeze = (s: string): string => s.replace(/\s+/g, '');
    const written = squeeze(text.slice(literal.valueSpan.start, literal.valueSpan.end));
    // A PEM key is found by its header; the value must be that key and nothing more.
    const wholeKey = literal.kind === 'private-key' && squeeze(scalar.value).startsWith(written) && /^\s*-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*-----END [A-Z ]*PRIVATE KEY-----\s*$/.test(scalar.value);
    if (written !== squeeze(scalar.value) && !wholeKey) return undefined;
    const pair = map.pairs.find((p) => p.value === scalar);
    return pair ? { path, scalar, map, pair } : undefined;
  }
  return undefined;
}

/** The key of the map `levels` above the scalar's map (`env`, `with`, `variables`, `Properties`…). */
function keyAbove(located: Located, levels: number): string | undefined {
  const child = located.path[located.path.length - 2 - levels];
  const parent = located.path[located.path.length - 3 - levels];
  if (!child || !isMap(parent)) return undefined;
  return parent.pairs.find((p) => deref(p.value) === child)?.key;
}

/** `aws-secret-access-key`, `awsSecretKey`, `db.password` → `AWS_SECRET_ACCESS_KEY`, `AWS_SECRET_KEY`, `DB_PASSWORD`. */
export function envName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/**
 * Where the replacement goes, which must exist before the file reads it. Revoking the old value
 * (still valid, and in the git history) is the follow-up every fix that removes a literal shares
 * (follow-ups.ts).
 */
function revoke(literal: LiteralCredential, store: string): string {
  return `Store a new ${literal.label} in ${store}, before the next run reads it.`;
}

function title(references: readonly string[]): string {
  const first = references[0]!;
  const more = references.length > 1 ? ` and ${references.length - 1} more` : '';
  const full = `Replace the literal${references.length > 1 ? 's' : ''} with ${first}${more}`;
  return full.length < 80 ? full : `Replace the literal${references.length > 1 ? 's' : ''} with a secret reference`;
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions and GitLab CI

function github(text: string, group: readonly LiteralCredential[]): FixProposal | undefined {
  const tree = roots(text, false);
  const edits: ProposedEdit[] = [];
  const references: string[] = [];
  const followUps: string[] = [];
  for (const literal of group) {
    const located = locate(text, tree, literal);
    const under = located && keyAbove(located, 0);
    if (!located || (under !== 'env' && under !== 'with')) return undefined;
    const name = envName(located.pair.key);
    // GitHub's rules for secret names: letters, digits and `_`, not starting with a digit or GITHUB_.
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith('GITHUB_')) return undefined;
    const reference = `\${{ secrets.${name} }}`;
    edits.push({ span: located.scalar.span, newText: reference });
    references.push(reference);
    followUps.push(revoke(literal, `the repository (or environment) secret ${name}: gh secret set ${name}`));
  }
  return { title: title(references), safe: false, edits, followUps };
}

function gitlab(text: string, group: readonly LiteralCredential[]): FixProposal | undefined {
  const tree = roots(text, false);
  const edits: ProposedEdit[] = [];
  const names: string[] = [];
  const followUps: string[] = [];
  const emptied = new Map<MapNode, Pair[]>();
  for (const literal of group) {
    const located = locate(text, tree, literal);
    if (!located || keyAbove(located, 0) !== 'variables') return undefined;
    const name = located.pair.key;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    emptied.set(located.map, [...(emptied.get(located.map) ?? []), located.pair]);
    names.push(name);
    // GitLab masks single-line values only: a PEM key can be protected, not masked.
    const kind = literal.kind === 'private-key' ? 'a protected CI/CD variable' : 'a masked, protected CI/CD variable';
    followUps.push(revoke(literal, `${kind} ${name} (Settings › CI/CD › Variables): the job reads it from there`));
  }
  for (const [map, pairs] of emptied) {
    // A `variables:` left with nothing goes with its last entry (an empty one is a GitLab error).
    const whole = pairs.length === map.pairs.length ? parentPair(tree, map) : undefined;
    for (const pair of whole ? [whole] : pairs) {
      const edit = deletePair(text, pair);
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  const full = names.length > 1 ? `Read ${names[0]} and ${names.length - 1} more from masked CI/CD variables` : `Read ${names[0]} from a masked CI/CD variable`;
  return { title: full.length < 80 ? full : 'Read the value from a masked CI/CD variable', safe: false, edits, followUps };
}

function parentPair(tree: readonly (DataNode | null)[], map: MapNode): Pair | undefined {
  for (const root of tree) {
    if (!root) continue;
    const path = nodePathAt(root, map.span.start);
    for (let i = path.length - 1; i > 0; i--) {
      const parent = path[i - 1];
      if (path[i] !== map && deref(path[i]) !== map) continue;
      if (isMap(parent)) return parent.pairs.find((p) => deref(p.value) === map);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

function kubernetes(text: string, group: readonly LiteralCredential[]): FixProposal | undefined {
  const tree = roots(text, false);
  const edits: ProposedEdit[] = [];
  const followUps: string[] = [];
  const references: string[] = [];
  const eol = eolOf(text);
  for (const literal of group) {
    const located = locate(text, tree, literal);
    if (!located || located.pair.key !== 'value') return undefined;
    // An `env` entry: `- name: X` / `value: literal`, in block style, under a list named `env`.
    const list = located.path[located.path.length - 3];
    const name = str(getPair(located.map, 'name')?.value);
    if (!isSeq(list) || keyAbove(located, 1) !== 'env' || !name || text[located.map.span.start] === '{') return undefined;
    const root = located.path[0];
    const workload = str(deref(getPair(getPair(root, 'metadata')?.value as DataNode | null, 'name')?.value ?? null));
    const namespace = str(deref(getPair(getPair(root, 'metadata')?.value as DataNode | null, 'namespace')?.value ?? null));
    if (!workload || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(workload)) return undefined;
    const secret = `${workload}-credentials`.slice(0, 253);
    const column = ' '.repeat(located.pair.keySpan.start - lineStartAt(text, located.pair.keySpan.start));
    edits.push({
      span: { start: located.pair.keySpan.start, end: located.scalar.span.end },
      newText: ['valueFrom:', '  secretKeyRef:', `    name: ${secret}`, `    key: ${name}`].join(`${eol}${column}`),
    });
    references.push(`secretKeyRef ${secret}/${name}`);
    followUps.push(
      revoke(literal, `the Secret "${secret}"${namespace ? ` in namespace ${namespace}` : ''}, key ${name}: kubectl create secret generic ${secret} --from-literal=${name}=…`),
    );
  }
  return { title: title(references), safe: false, edits, followUps };
}

// ---------------------------------------------------------------------------------------------
// CloudFormation

function cloudformation(text: string, path: string, group: readonly LiteralCredential[]): FixProposal | undefined {
  const json = /\.json$/i.test(path) || /^\s*\{/.test(text);
  const tree = roots(text, json);
  const edits: ProposedEdit[] = [];
  const references: string[] = [];
  const followUps: string[] = [];
  for (const literal of group) {
    const located = locate(text, tree, literal);
    if (!located) return undefined;
    // Only inside a resource's Properties: Resources › <LogicalId> › Properties › …
    const keys = keysOf(located.path);
    if (keys[0] !== 'Resources' || keys[2] !== 'Properties' || !keys[1]) return undefined;
    const logicalId = keys[1];
    // `- Name: AWS_SECRET_ACCESS_KEY` / `Value: …` (an environment list) is named by its Name.
    const key = located.pair.key === 'Value' ? str(getPair(located.map, 'Name')?.value) ?? 'Value' : located.pair.key;
    const name = `${logicalId}/${envName(key)}`;
    if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) return undefined;
    const reference = `{{resolve:secretsmanager:${name}}}`;
    const quoted = json ? JSON.stringify(reference) : `'${reference}'`;
    edits.push({ span: located.scalar.span, newText: quoted });
    references.push(reference);
    followUps.push(revoke(literal, `the Secrets Manager secret ${name} before the next deploy: aws secretsmanager create-secret --name ${name}`));
  }
  return { title: title(references), safe: false, edits, followUps };
}

/** The map keys on the way from the root to a node (sequence items skipped). */
function keysOf(path: readonly DataNode[]): string[] {
  const keys: string[] = [];
  for (let i = 1; i < path.length; i++) {
    const parent = path[i - 1];
    if (isMap(parent)) {
      const pair = parent.pairs.find((p) => p.value === path[i] || deref(p.value) === path[i]);
      if (pair) keys.push(pair.key);
    }
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Terraform

/** `name = "literal"` alone on its line (a trailing comment allowed). */
const HCL_ATTRIBUTE = /^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)([ \t]*=[ \t]*)("(?:[^"\\$%]|\\.)*")[ \t]*(?:(?:#|\/\/).*)?$/;
const BLOCK_HEADER = /^[ \t]*(resource|data|provider|module|locals|variable|output|terraform|[A-Za-z_][A-Za-z0-9_-]*)((?:[ \t]+"[^"]*")*)[ \t]*\{[ \t]*(?:(?:#|\/\/).*)?$/;

function terraform(text: string, path: string, group: readonly LiteralCredential[], workspace: WorkspaceContext): FixProposal | undefined {
  const taken = variableNames(text, path, workspace);
  const edits: ProposedEdit[] = [];
  const blocks: string[] = [];
  const references: string[] = [];
  const followUps: string[] = [];
  for (const literal of group) {
    const start = lineStartAt(text, literal.valueSpan.start);
    const line = text.slice(start, lineEndAt(text, literal.valueSpan.start));
    const match = HCL_ATTRIBUTE.exec(line);
    if (!match) return undefined;
    const valueStart = start + match[1]!.length + match[2]!.length + match[3]!.length;
    const valueSpan: Span = { start: valueStart, end: valueStart + match[4]!.length };
    // The literal is the whole string, not a part of it.
    if (literal.valueSpan.start !== valueSpan.start + 1 || literal.valueSpan.end !== valueSpan.end - 1) return undefined;
    const header = enclosingHeader(text, start);
    if (!header || header.kind === 'variable' || header.kind === 'terraform') return undefined;
    const attribute = match[2]!.toLowerCase().replace(/-/g, '_');
    const name = [attribute, `${header.label}_${attribute}`].find((n) => /^[a-z_][a-z0-9_]*$/.test(n) && !taken.has(n));
    if (!name) return undefined;
    taken.add(name);
    edits.push({ span: valueSpan, newText: `var.${name}` });
    references.push(`var.${name}`);
    blocks.push(
      [
        `variable "${name}" {`,
        `  description = "${literal.label.replace(/"/g, '')} for ${header.kind}${header.label ? ` ${header.label}` : ''} (set from a secret store: TF_VAR_${name})"`,
        '  type        = string',
        '  sensitive   = true',
        '}',
      ].join('\n'),
    );
    followUps.push(revoke(literal, `TF_VAR_${name}, set from a CI secret or a secret store (or a *.auto.tfvars kept out of git)`));
  }
  const target = joinPath(folderOf(path), 'variables.tf');
  const inVariablesFile = target !== path && workspace.files.get(target)?.dialect === 'terraform' ? workspace.files.get(target)!.text : undefined;
  const destination = inVariablesFile ?? text;
  const eol = eolOf(destination);
  const body = blocks.map((b) => b.replace(/\n/g, eol)).join(`${eol}${eol}`);
  const lead = destination === '' ? '' : destination.endsWith('\n') ? eol : `${eol}${eol}`;
  edits.push({ ...(inVariablesFile !== undefined ? { path: target } : {}), span: { start: destination.length, end: destination.length }, newText: `${lead}${body}${eol}` });
  return { title: title(references), safe: false, edits, followUps };
}

/** Variables declared in the file and in the other `.tf` files of its folder (a module shares them). */
function variableNames(text: string, path: string, workspace: WorkspaceContext): Set<string> {
  const names = new Set<string>();
  const scan = (source: string): void => {
    for (const match of source.matchAll(/^[ \t]*variable[ \t]+"([^"]+)"/gm)) names.add(match[1]!);
  };
  scan(text);
  const folder = folderOf(path);
  for (const [other, file] of workspace.files) if (other !== path && folderOf(other) === folder && /\.tf$/i.test(other)) scan(file.text);
  return names;
}

/** The header of the block around a line: the nearest line above it that opens a block at a smaller indentation. */
function enclosingHeader(text: string, lineStart: number): { kind: string; label: string } | undefined {
  let indent = indentationAt(text, lineStart).length;
  let at = lineStart;
  while (at > 0) {
    at = lineStartAt(text, at - 1);
    const line = text.slice(at, lineEndAt(text, at));
    if (line.trim() === '' || /^\s*(?:#|\/\/)/.test(line)) continue;
    const own = indentationAt(text, at).length;
    if (own >= indent) continue;
    const header = BLOCK_HEADER.exec(line);
    if (!header) {
      // An object-valued attribute (`variables = {`) nests like a block.
      if (!/^[ \t]*[A-Za-z_][A-Za-z0-9_-]*[ \t]*=[ \t]*\{[ \t]*$/.test(line)) return undefined;
      indent = own;
      continue;
    }
    if (own > 0) {
      // A nested block (`environment {`): keep looking for the top-level one that names it.
      indent = own;
      continue;
    }
    const labels = [...header[2]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    return { kind: header[1]!, label: (labels[labels.length - 1] ?? '').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase() };
  }
  return undefined;
}
