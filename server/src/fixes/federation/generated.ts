import type { WorkspaceContext } from '../../facts/workspace';
import type { RepositoryRef } from '../../facts/repository';
import type { WorkspaceGraph } from '../../graph/graph';
import type { FederationPlan, FederationRequest } from './federation';
import { commentLines } from './render';

/** What every cloud's planner starts from: the request, and what `planFederation` resolved. */
export interface PlanInput {
  request: FederationRequest;
  /** For the texts of files a plan rewrites. */
  workspace: WorkspaceContext;
  graph: WorkspaceGraph;
  repository: RepositoryRef;
  /** The issuer's host as IAM names it. */
  issuerHost: string;
  /** The subject claim the trust admits. */
  subject: string;
  /** The environment or branch, for names. */
  scopeName: string;
}

/** The first words of every file Keyless writes: how a later plan knows the file is its own to rewrite. */
export const GENERATED_MARK = 'Written by Keyless';

/**
 * A generated file's text as a plan's `creates` or, when a file of that path exists and Keyless
 * wrote it, as an edit that rewrites it (never a second copy). Undefined when a file of that name
 * exists that Keyless did not write: it is someone's, and is not overwritten.
 */
export function generatedFile(workspace: WorkspaceContext, path: string, text: string): Pick<FederationPlan, 'creates' | 'edits'> | undefined {
  const existing = workspace.files.get(path);
  if (!existing) return { creates: [{ path, text }], edits: [] };
  if (!isGenerated(existing.text)) return undefined;
  return { creates: [], edits: [{ path, span: { start: 0, end: existing.text.length }, newText: text }] };
}

export function isGenerated(text: string): boolean {
  return text.replace(/^\uFEFF/, '').startsWith(`# ${GENERATED_MARK}`);
}

/**
 * How a generated file takes effect: nothing in the cloud changes until a person has read it and
 * applied it, which is the first thing its header asks (`keyless fix` says it again in "Next steps").
 */
const APPLY: Record<'terraform' | 'cloudformation', string> = {
  terraform: 'Review this file, then apply it with terraform apply before the jobs it serves next run',
  cloudformation: 'Review this template, then deploy it as a stack (aws cloudformation deploy --capabilities CAPABILITY_NAMED_IAM) before the jobs it serves next run',
};

/** The head of a generated file: what it is, then what needs a person (review and apply it first), as `#` comments. */
export function fileHeader(header: string, notes: readonly string[], format: 'terraform' | 'cloudformation' = 'terraform'): string[] {
  return [...commentLines(`${GENERATED_MARK}: ${header}`, '#'), ...notesComment([APPLY[format], ...notes], '#')];
}

/** A "Needs a person" list of notes as comment lines. */
function notesComment(notes: readonly string[], prefix: string): string[] {
  if (notes.length === 0) return [];
  return [prefix, `${prefix} Needs a person:`, ...notes.flatMap((note) => commentLines(`- ${note}`, prefix).map((line, i) => (i === 0 ? line : line.replace(`${prefix} `, `${prefix}   `))))];
}

/** `keyless-oidc-<repo>-<scope>.<ext>`. */
export function generatedFileName(repository: RepositoryRef, scopeName: string, extension: string, kebab: (value: string) => string): string {
  return `keyless-oidc-${kebab(repository.name)}-${kebab(scopeName)}.${extension}`;
}
