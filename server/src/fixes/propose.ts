import type { Fixer, FixContext, FixProposal } from './fixer';
import { withFollowUps } from './follow-ups';
import { alignProposal } from './hcl-format';

/**
 * A fixer's proposals as the engine offers them, whichever rule's fixer made them: each carries the
 * follow-ups every fix shares (`follow-ups.ts`: created files to review and apply, repository
 * variables now read, removed credentials to revoke), and its edits to Terraform files keep
 * `terraform fmt`'s alignment (`hcl-format.ts`), so a fmt-clean file stays clean.
 */
export function propose<About>(fixer: Fixer<About>, context: FixContext<About>): FixProposal[] {
  return withFollowUps(context, fixer(context)).map((proposal) => alignProposal(proposal, context));
}
