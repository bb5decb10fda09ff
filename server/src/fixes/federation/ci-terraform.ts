import { readWorkflow } from '../../dialects/github-actions/model';
import { readPipeline, variableValue } from '../../dialects/gitlab-ci/model';
import type { WorkspaceContext } from '../../engine/workspace';
import type { Authentication } from '../../facts/model';
import type { Pair } from '../../syntax/tree';
import { yamlRoots } from './subject';

/**
 * The CI jobs of the workspace that run Terraform, and what they hand it: the logins before it
 * (from the file's facts) and the environment variables the job sets (`env:`/`variables:` at any
 * level, `export NAME=` and `NAME=… >> $GITHUB_ENV` in its scripts). A provider fix uses them to
 * offer the form of authentication that works with the login the workspace shows, not one that
 * needs variables nobody sets.
 */
export interface TerraformJob {
  file: string;
  job: string;
  platform: 'github-actions' | 'gitlab-ci';
  /** Names of the variables the job sets (values are not kept). */
  variables: ReadonlySet<string>;
  /** Variables set to `true` (`ARM_USE_OIDC: true`). */
  enabled: ReadonlySet<string>;
  /** The job's authentications, from the file's facts. */
  logins: readonly Authentication[];
}

/** `terraform plan`, `tofu apply`, `terragrunt run-all plan`, GitLab's `gitlab-terraform plan`. */
const RUNS_TERRAFORM = /(?:^|[\s;&|(`])(?:terraform|tofu|terragrunt|gitlab-terraform)\s+(?:-chdir=\S+\s+)?(?:init|plan|apply|destroy|import|refresh|validate|run-all|output)\b/m;
const TERRAFORM_ACTIONS = new Set(['hashicorp/setup-terraform', 'opentofu/setup-opentofu', 'hashicorp/tfc-workflows-github', 'dflook/terraform-plan', 'dflook/terraform-apply']);
/** A variable a script sets: `export NAME=`, `NAME=value >> $GITHUB_ENV`. */
const SCRIPT_ASSIGNMENT = /(?:^|[\s;&|])(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm;

export function terraformJobs(workspace: WorkspaceContext): TerraformJob[] {
  const jobs: TerraformJob[] = [];
  for (const [path, file] of workspace.files) {
    if (file.dialect !== 'github-actions' && file.dialect !== 'gitlab-ci') continue;
    if (!/terraform|tofu|terragrunt/i.test(file.text)) continue;
    const loginsOf = (job: string): Authentication[] => file.facts.authentications.filter((a) => a.principal.kind === 'ci-job' && a.principal.job === job);
    for (const root of yamlRoots(file)) {
      if (file.dialect === 'github-actions') {
        const workflow = readWorkflow(root);
        for (const job of workflow?.jobs ?? []) {
          const scripts = job.steps.flatMap((s) => (s.run ? [s.run.script] : []));
          const runs = scripts.some((s) => RUNS_TERRAFORM.test(s)) || job.steps.some((s) => s.uses && TERRAFORM_ACTIONS.has(s.uses.action));
          if (!runs) continue;
          const pairs = [...(workflow!.env ?? []), ...job.env, ...job.steps.flatMap((s) => s.env)];
          jobs.push({ file: path, job: job.id, platform: 'github-actions', ...variablesOf(pairs, scripts), logins: loginsOf(job.id) });
        }
      } else {
        const pipeline = readPipeline(root);
        for (const job of pipeline?.jobs ?? []) {
          if (job.hidden) continue;
          const scripts = [...pipeline!.defaultScripts, ...job.scripts].map((l) => l.script);
          if (!scripts.some((s) => RUNS_TERRAFORM.test(s))) continue;
          jobs.push({ file: path, job: job.name, platform: 'gitlab-ci', ...variablesOf([...pipeline!.variables, ...job.variables], scripts), logins: loginsOf(job.name) });
        }
      }
    }
  }
  return jobs;
}

function variablesOf(pairs: readonly Pair[], scripts: readonly string[]): { variables: Set<string>; enabled: Set<string> } {
  const variables = new Set<string>();
  const enabled = new Set<string>();
  for (const pair of pairs) {
    variables.add(pair.key);
    if (/^true$/i.test(variableValue(pair)?.trim() ?? '')) enabled.add(pair.key);
  }
  for (const script of scripts) for (const match of script.matchAll(SCRIPT_ASSIGNMENT)) variables.add(match[1]!);
  return { variables, enabled };
}

/** `job "plan" in .gitlab-ci.yml` (and how many more). */
export function jobsPhrase(jobs: readonly { job: string; file: string }[]): string {
  const first = jobs[0]!;
  const more = jobs.length - 1;
  return `job "${first.job}" in ${first.file}${more > 0 ? ` (and ${more} more)` : ''}`;
}
