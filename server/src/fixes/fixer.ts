import type { Dialect } from '../core/dialect';
import type { WorkspaceContext } from '../facts/workspace';
import type { AwsCatalog } from '../iam/catalog';
import type { Span } from '../core/text';

/**
 * A fixer turns one finding into proposed fixes: text edits, in this file or others, and files to
 * create. Fixers see syntax (through the handles facts carry) where rules see only facts; they
 * never touch the disk. The engine turns proposals into `Fix`es with line/character ranges.
 *
 * Every proposal must: edit only the ranges it needs (everything else byte for byte, comments
 * included), leave a file that re-parses, remove its finding, and offer nothing once applied.
 * The fix-safety property test holds every fixer to that over all fixtures and the corpus.
 *
 * A rule lists its own fixers (`Rule.fixers`), typed by what its findings are about: a
 * `Fixer<Trust>` of a `Rule<Trust>` receives the Trust its rule found. Fixers and the toolkits
 * here never know rules: this layer comes before `rules/`.
 */
export interface FixContext<About = unknown> {
  /** The rule whose finding this is. */
  ruleId: string;
  /** The finding being fixed: where it is and what it says. */
  finding: { span: Span; message: string };
  /** The fact the finding is about: what the rule put in `about`, of the rule's type. */
  about: About;
  path: string;
  text: string;
  dialect: Dialect;
  workspace: WorkspaceContext;
  /** The AWS action catalog, for scope-downs that must show they grant nothing new. */
  catalog: AwsCatalog;
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

export type Fixer<About = unknown> = (context: FixContext<About>) => FixProposal[];
