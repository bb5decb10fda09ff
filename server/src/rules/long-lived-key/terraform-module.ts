import { declarationsBeside } from '../../dialects/terraform/iam';
import type { TfBlock } from '../../dialects/terraform/model';
import type { WorkspaceContext } from '../../facts/workspace';
import type { Declaration } from '../../facts/model';
import type { Span } from '../../core/text';
import { workspaceGraph } from '../../graph/graph';
import { folderOf } from '../../graph/paths';
import type { ProposedEdit } from '../../fixes/fixer';
import { eolOf, escapeRegExp, lineEndAt, lineStartAt, nextLineStart, wholeLines } from '../../fixes/text';

/**
 * A Terraform module as a fix sees it: the file being fixed (read live) and the other files of
 * its folder (from the workspace index), with their declarations, so that a fix can find and edit
 * everything that depends on the resource it replaces.
 */
export interface ModuleFile {
  /** Undefined for the file being fixed (edits without a path edit it). */
  path: string | undefined;
  text: string;
  declarations: Declaration[];
}

export function moduleOf(block: TfBlock, text: string, path: string, workspace: WorkspaceContext): ModuleFile[] | undefined {
  const current = declarationsBeside(block, text);
  if (!current) return undefined;
  const files: ModuleFile[] = [{ path: undefined, text, declarations: current }];
  for (const other of workspaceGraph(workspace).moduleFiles(folderOf(path))) {
    const text = workspace.files.get(other.path)?.text;
    if (other.path !== path && text !== undefined) files.push({ path: other.path, text, declarations: other.facts.declarations });
  }
  return files;
}

/** A declaration with the file it is in. */
export interface Located {
  file: ModuleFile;
  declaration: Declaration;
}

export function declarationsOf(module: readonly ModuleFile[], type: string): Located[] {
  return module.flatMap((file) => file.declarations.filter((d) => d.type === type).map((declaration) => ({ file, declaration })));
}

export function attribute(declaration: Declaration, name: string): Declaration['attributes'][number] | undefined {
  return declaration.attributes.find((a) => a.name === name);
}

/**
 * Where the module refers to `<type>.<name>` outside comments: each reference with the file it is
 * in. HCL and JSON syntax alike (`.tf.json` writes references inside `"${…}"`).
 */
export function referencesTo(module: readonly ModuleFile[], address: string): { file: ModuleFile; offset: number }[] {
  const pattern = new RegExp(`(?<![A-Za-z0-9_.-])${escapeRegExp(address)}(?![A-Za-z0-9_-])`, 'g');
  const found: { file: ModuleFile; offset: number }[] = [];
  for (const file of module) {
    for (const match of file.text.matchAll(pattern)) {
      if (!inComment(file.text, match.index)) found.push({ file, offset: match.index });
    }
  }
  return found;
}

/** Whether a `#` or `//` outside a string starts before `offset` on its line. */
function inComment(text: string, offset: number): boolean {
  const before = text.slice(lineStartAt(text, offset), offset).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return /#|\/\//.test(before);
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset < span.end;
}

/** Removes a top-level block with its lines, and one blank line beside it so that no gap doubles. */
export function deleteBlock(text: string, span: Span): { span: Span; newText: string } {
  const lines = wholeLines(text, span);
  const following = text.slice(lines.end, lineEndAt(text, lines.end));
  if (lines.end < text.length && following.trim() === '') return { span: { start: lines.start, end: nextLineStart(text, lines.end) }, newText: '' };
  if (lines.start > 0) {
    const previousStart = lineStartAt(text, lines.start - 1);
    if (text.slice(previousStart, lines.start).trim() === '' && previousStart > 0) return { span: { start: previousStart, end: lines.end }, newText: '' };
  }
  return { span: lines, newText: '' };
}

/** Replaces a top-level block's lines with other lines (`blocks` joined by blank lines), in the file's line breaks. */
export function replaceBlock(text: string, span: Span, blocks: readonly string[]): { span: Span; newText: string } {
  const lines = wholeLines(text, span);
  const eol = eolOf(text);
  const body = blocks.join('\n\n').replace(/\n/g, eol);
  // wholeLines takes the line break before a last line without one: give it back.
  const endsFile = lines.end === text.length && !text.endsWith('\n');
  return endsFile && lines.start < span.start ? { span: lines, newText: `${eol}${body}` } : { span: lines, newText: `${body}${eol}` };
}

/** An edit in a module file: with its path unless it is the file being fixed. */
export function inFile(file: ModuleFile, edit: { span: Span; newText: string }): ProposedEdit {
  return file.path === undefined ? edit : { ...edit, path: file.path };
}

/** A CI secret resource of the GitHub provider that carries a value (`plaintext_value = …`). */
export const GITHUB_SECRET_TYPES = ['github_actions_secret', 'github_actions_environment_secret'];
/** A CI/CD variable of the GitLab provider that carries a value to one project's pipelines (`value = …`). */
export const GITLAB_VARIABLE_TYPES = ['gitlab_project_variable'];

/**
 * Rewrites the GitHub secrets that carry a replaced credential: the first becomes a variable with
 * the federated identity's name (`AWS_ROLE_ARN` = the role's ARN), the rest go. Each is written
 * where it was, as the variable resource of the same scope (repository or environment).
 */
export function secretsToVariables(secrets: readonly Located[], variables: readonly { name: string; value: string }[]): ProposedEdit[] | undefined {
  if (secrets.some((s) => GITLAB_VARIABLE_TYPES.includes(s.declaration.type))) return gitlabVariables(secrets, variables);
  const edits: ProposedEdit[] = [];
  for (const group of groupedBy(secrets, ['repository', 'environment'])) {
    const [first, ...rest] = group;
    const repository = attribute(first!.declaration, 'repository');
    if (!repository) return undefined;
    const environment = first!.declaration.type === 'github_actions_environment_secret' ? attribute(first!.declaration, 'environment') : undefined;
    if (first!.declaration.type === 'github_actions_environment_secret' && !environment) return undefined;
    const blocks = variables.map((variable, i) =>
      variableBlock(
        environment ? 'github_actions_environment_variable' : 'github_actions_variable',
        variableLabel(first!, variable, i),
        [['repository', repository.text], ...(environment ? [['environment', environment.text] as [string, string]] : []), ['variable_name', `"${variable.name}"`], ['value', variable.value]],
        i === 0 ? `# Federation needs no secret: CI reads the identity's name from this variable.` : undefined,
      ),
    );
    edits.push(inFile(first!.file, replaceBlock(first!.file.text, first!.declaration.span, blocks)));
    for (const other of rest) edits.push(inFile(other.file, deleteBlock(other.file.text, other.declaration.span)));
  }
  return edits;
}

/**
 * The GitLab form of `secretsToVariables`: the project variables that carried the credential become
 * one project variable per federated name (`AWS_ROLE_ARN`), written where the first was, keeping
 * its `protected` and `environment_scope` (the pipelines that read it stay the same); no longer
 * `masked`, since an identity's name is no secret. The rest go.
 */
function gitlabVariables(variablesOf: readonly Located[], variables: readonly { name: string; value: string }[]): ProposedEdit[] | undefined {
  if (!variablesOf.every((v) => GITLAB_VARIABLE_TYPES.includes(v.declaration.type))) return undefined;
  const edits: ProposedEdit[] = [];
  for (const group of groupedBy(variablesOf, ['project', 'environment_scope'])) {
    const [first, ...rest] = group;
    const project = attribute(first!.declaration, 'project');
    if (!project) return undefined;
    const kept = ['protected', 'environment_scope'].flatMap((name) => {
      const value = attribute(first!.declaration, name);
      return value ? [[name, value.text] as [string, string]] : [];
    });
    const blocks = variables.map((variable, i) =>
      variableBlock(
        'gitlab_project_variable',
        variableLabel(first!, variable, i),
        [['project', project.text], ['key', `"${variable.name}"`], ['value', variable.value], ...kept],
        i === 0 ? "# Federation needs no secret: the pipeline reads the identity's name from this variable." : undefined,
      ),
    );
    edits.push(inFile(first!.file, replaceBlock(first!.file.text, first!.declaration.span, blocks)));
    for (const other of rest) edits.push(inFile(other.file, deleteBlock(other.file.text, other.declaration.span)));
  }
  return edits;
}

/** The declarations grouped by the text of the attributes that scope them (repository and environment, say), in order. */
function groupedBy(declarations: readonly Located[], scope: readonly string[]): Located[][] {
  const groups = new Map<string, Located[]>();
  for (const located of declarations) {
    const key = scope.map((name) => attribute(located.declaration, name)?.text ?? '').join('|');
    groups.set(key, [...(groups.get(key) ?? []), located]);
  }
  return [...groups.values()];
}

/** The first variable keeps the replaced declaration's label; the others add their name (`ci_role_arn`). */
function variableLabel(first: Located, variable: { name: string }, index: number): string {
  return index === 0 ? first.declaration.name : `${first.declaration.name}_${variable.name.toLowerCase().replace(/^(?:aws|gcp|azure)_/, '')}`;
}

/** A variable resource, its `=` aligned as `terraform fmt` aligns them, under an optional comment. */
function variableBlock(type: string, label: string, attributes: readonly [string, string][], comment: string | undefined): string {
  const width = Math.max(...attributes.map(([k]) => k.length));
  return [...(comment ? [comment] : []), `resource "${type}" "${label}" {`, ...attributes.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`), '}'].join('\n');
}
