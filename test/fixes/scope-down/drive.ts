import type { Parser } from 'web-tree-sitter';
import { syntaxOf } from '../../../server/src/dialects/detect';
import type { Engine } from '../../../server/src/engine/analyze';
import { extractFacts } from '../../../server/src/engine/extract';
import { parseFile } from '../../../server/src/engine/parse';
import type { Facts, PolicyDocument, PolicyStatement } from '../../../server/src/facts/model';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/facts/workspace';
import type { Fixer, FixProposal } from '../../../server/src/fixes/fixer';
import { scopeDownActions, scopeDownResources, type ScopeDownSubject } from '../../../server/src/fixes/scope-down';
import { applyEdits } from '../../../server/src/fixes/text';

/**
 * The scope-down fixers driven straight from the policy facts of a file, as the rules that will
 * list them would (wildcard-action, wildcard-resource): every Allow statement of every document is
 * offered to both, so the tests see every proposal the fixers can make, finding or not.
 */

export const SCOPE_DOWN_FIXERS: readonly (readonly [string, Fixer<ScopeDownSubject>])[] = [
  ['wildcard-action', scopeDownActions],
  ['wildcard-resource', scopeDownResources],
];

export interface Offered {
  fixer: string;
  documentIndex: number;
  statementIndex: number;
  statement: PolicyStatement;
  proposal: FixProposal;
  /** The file with the proposal applied. */
  fixed: string;
}

/** The file's facts with their syntax handles (the engine's index strips them), while `use` runs. */
export function withFacts<T>(engine: Engine, path: string, text: string, use: (facts: Facts, dialect: NonNullable<ReturnType<typeof parseFile>['dialect']>) => T): T | undefined {
  const syntax = syntaxOf(path, text);
  if (!syntax) return undefined;
  const parser = (engine as unknown as { hclParser: Parser }).hclParser;
  const parsed = parseFile(path, text, syntax, parser, Number.POSITIVE_INFINITY);
  try {
    if (parsed.dialect === null) return undefined;
    return use(extractFacts(parsed, text), parsed.dialect);
  } finally {
    parsed.dispose();
  }
}

/** A workspace of these files, as an index would hold them. */
export function workspaceOf(engine: Engine, files: Readonly<Record<string, string>>): WorkspaceContext {
  const map = new Map<string, WorkspaceFile>();
  for (const [path, text] of Object.entries(files)) {
    const read = engine.facts({ path, text });
    if (read) map.set(path, { dialect: read.dialect, facts: read.facts, text });
  }
  return { files: map, immutableSubjects: false };
}

/** Every proposal of the scope-down fixers for the statements of `path`. */
export function offered(engine: Engine, path: string, files: Readonly<Record<string, string>>, workspace = workspaceOf(engine, files)): Offered[] {
  const text = files[path]!;
  return (
    withFacts(engine, path, text, (facts, dialect) => {
      const found: Offered[] = [];
      facts.policies.forEach((document: PolicyDocument, documentIndex) => {
        document.statements.forEach((statement, statementIndex) => {
          for (const [ruleId, fixer] of SCOPE_DOWN_FIXERS) {
            const proposals = fixer({ ruleId, finding: { span: statement.anchor, message: '' }, about: { document, statement }, path, text, dialect, workspace, catalog: engine.catalog });
            for (const proposal of proposals) found.push({ fixer: ruleId, documentIndex, statementIndex, statement, proposal, fixed: applyEdits(text, proposal.edits) });
          }
        });
      });
      return found;
    }) ?? []
  );
}
