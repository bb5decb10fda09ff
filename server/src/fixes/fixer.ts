import type { Dialect } from '../dialects/detect';
import type { WorkspaceContext } from '../engine/workspace';
import type { RuleFinding } from '../rules/rule';
import type { Span } from '../syntax/text';

/**
 * A fixer turns one finding into proposed fixes: text edits, in this file or others, and files to
 * create. Fixers see syntax (through the handles facts carry) where rules see only facts; they
 * never touch the disk. The engine turns proposals into `Fix`es with line/character ranges.
 *
 * Every proposal must: edit only the ranges it needs (everything else byte for byte, comments
 * included), leave a file that re-parses, remove its finding, and offer nothing once applied.
 * The fix-safety property test holds every fixer to that over all fixtures and the corpus.
 */
export interface FixContext {
  ruleId: string;
  finding: RuleFinding;
  /** The fact the finding is about (what the rule put in `about`). */
  about: unknown;
  path: string;
  text: string;
  dialect: Dialect;
  workspace: WorkspaceContext;
}

export interface ProposedEdit {
  /** Another file of the workspace (or one this fix creates); this file when absent. */
  path?: string;
  span: Span;
  newText: string;
}

export interface FixProposal {
  title: string;
  /**
   * Safe: can be applied unattended (`source.fixAll.keyless`, `keyless fix` without `--unsafe`).
   * Unsafe: changes how something authenticates, or needs the cloud side to exist first.
   */
  safe: boolean;
  edits: ProposedEdit[];
  /** New files, with their whole text. */
  creates?: { path: string; text: string }[];
  /** What is left for a person after applying it (see `Fix.followUps`). */
  followUps?: string[];
}

export type Fixer = (context: FixContext) => FixProposal[];
