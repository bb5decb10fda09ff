import type { CiJob } from '../../facts/model';
import type { Pair } from '../../syntax/tree';

/**
 * Whether a CI job runs Terraform, and what it hands it: the provider fix offers the form of
 * authentication that works with the login the workspace shows, not one that needs variables
 * nobody sets.
 */

/** `terraform plan`, `tofu apply`, `terragrunt run-all plan`, GitLab's `gitlab-terraform plan`. */
const RUNS_TERRAFORM = /(?:^|[\s;&|(`])(?:terraform|tofu|terragrunt|gitlab-terraform)\s+(?:-chdir=\S+\s+)?(?:init|plan|apply|destroy|import|refresh|validate|run-all|output)\b/m;
/** Actions that run Terraform. */
export const TERRAFORM_ACTIONS: ReadonlySet<string> = new Set(['hashicorp/setup-terraform', 'opentofu/setup-opentofu', 'hashicorp/tfc-workflows-github', 'dflook/terraform-plan', 'dflook/terraform-apply']);
/** A variable a script sets: `export NAME=`, `NAME=value >> $GITHUB_ENV`. */
const SCRIPT_ASSIGNMENT = /(?:^|[\s;&|])(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm;

/** A text no Terraform run can be in (neither a command nor an action names it): its jobs need no reading. */
export function mayRunTerraform(text: string): boolean {
  return /terraform|tofu|terragrunt/i.test(text);
}

export function runsTerraform(script: string): boolean {
  return RUNS_TERRAFORM.test(script);
}

/** The variables a job sets (its `env:`/`variables:` entries and its scripts' assignments), and those set to `true`. */
export function terraformVariables(pairs: readonly Pair[], scripts: readonly string[], valueOf: (pair: Pair) => string | undefined): NonNullable<CiJob['terraform']> {
  const variables = new Set<string>();
  const enabled = new Set<string>();
  for (const pair of pairs) {
    variables.add(pair.key);
    if (/^true$/i.test(valueOf(pair)?.trim() ?? '')) enabled.add(pair.key);
  }
  for (const script of scripts) for (const match of script.matchAll(SCRIPT_ASSIGNMENT)) variables.add(match[1]!);
  return { variables: [...variables], enabled: [...enabled] };
}
