import { planFederation } from './federation/plan';
import type { Fixer } from './fixer';
import { withFollowUps } from './follow-ups';
import { alignProposal } from './hcl-format';
import { githubActionsFixers } from './github-actions';
import { gitlabFixers } from './gitlab-ci';
import { iacFixers } from './iac';
import { fixHardcodedSecret } from './hardcoded-secret';
import { fixLongSession } from './long-session';
import { fixMissingIdTokenPermission } from './oidc-missing-id-token-permission';
import { fixProviderStaticCredentials } from './provider-static-credentials';
import { fixUnattributedSession } from './unattributed-session';

/** A module's fixers, by rule id. */
export type FixerSet = readonly (readonly [ruleId: string, fixer: Fixer])[];

const GENERAL_FIXERS: FixerSet = [
  ['oidc-missing-id-token-permission', fixMissingIdTokenPermission],
  ['unattributed-session', fixUnattributedSession],
  ['long-session', fixLongSession],
  ['provider-static-credentials', fixProviderStaticCredentials],
  ['hardcoded-secret', fixHardcodedSecret],
];

/**
 * The fixers of each rule, in the order their fixes are offered (the first safe one is the
 * preferred quick fix). A rule without fixers still gets "Suppress <rule> on this line". Each
 * platform's rewrites live in their own module and join here with one line.
 */
export const FIXERS: ReadonlyMap<string, readonly Fixer[]> = byRule([GENERAL_FIXERS, githubActionsFixers(planFederation), gitlabFixers(planFederation), iacFixers]);

function byRule(sets: readonly FixerSet[]): Map<string, Fixer[]> {
  const map = new Map<string, Fixer[]>();
  for (const set of sets) {
    for (const [ruleId, fixer] of set) {
      const list = map.get(ruleId) ?? [];
      // Every proposal carries what it leaves for a person, whichever fixer made it (follow-ups.ts),
      // and keeps terraform fmt's alignment in the HCL it edits (hcl-format.ts).
      list.push(keepsFmtAlignment((context) => withFollowUps(context, fixer(context))));
      map.set(ruleId, list);
    }
  }
  return map;
}

/** Every fixer's edits to Terraform files keep `terraform fmt`'s alignment (see `hcl-format.ts`). */
function keepsFmtAlignment(fixer: Fixer): Fixer {
  return (context) => fixer(context).map((proposal) => alignProposal(proposal, context));
}
