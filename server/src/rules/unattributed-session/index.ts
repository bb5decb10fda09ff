import type { Authentication, ValueAt } from '../../facts/model';
import type { Rule, RuleFinding } from '../rule';
import { fixUnattributedSession } from './fix';

const GITHUB_NAME = 'gha-${{ github.run_id }}-${{ github.run_attempt }}';
const GITLAB_NAME = 'gitlab-${CI_PIPELINE_ID}-${CI_JOB_ID}';
/** In a GitHub `run:` script the run's ids are the default variables the shell sees. */
const GITHUB_SCRIPT_NAME = 'gha-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}';

/**
 * unattributed-session: a CI job assumes a role without naming the session after the run, so
 * CloudTrail shows a generic session name and the run that acted cannot be told from the others.
 * A missing name and a name with no run-specific part (`GitHubActions`, `terraform`) are the same
 * problem; a name built from something this file cannot see (an input, a variable of the
 * project's own) cannot be judged where it is written and is not reported.
 */
export const unattributedSession: Rule<Authentication> = {
  id: 'unattributed-session',
  severity: 'info',
  title: 'An assumed-role session is not tied to the CI run',
  dialects: ['github-actions', 'gitlab-ci'],
  check({ facts }) {
    const found: RuleFinding<Authentication>[] = [];
    for (const auth of facts.authentications) {
      if (auth.principal.kind !== 'ci-job' || auth.target !== 'aws' || auth.session?.role === undefined) continue;
      const platform = auth.principal.platform;
      const name = auth.session.name;
      if (name === undefined) {
        found.push({
          span: auth.anchor,
          about: auth,
          message:
            platform === 'gitlab-ci'
              ? `The role is assumed without \`--role-session-name\`: CloudTrail cannot tie its actions to this pipeline. Add \`--role-session-name "${GITLAB_NAME}"\`.`
              : auth.session.nameIn === 'shell'
                ? `The role is assumed without \`--role-session-name\`: CloudTrail cannot tie its actions to this run. Add \`--role-session-name "${GITHUB_SCRIPT_NAME}"\`.`
                : `The role is assumed without \`role-session-name\`: CloudTrail cannot tie its actions to this run. Add \`role-session-name: ${GITHUB_NAME}\`.`,
        });
        continue;
      }
      const verdict = judgeSessionName(name.value, auth.session.nameIn === 'shell' ? 'shell' : 'workflow-input');
      if (verdict.kind !== 'fixed') continue;
      found.push(fixedNameFinding(auth, name, verdict.why, platform));
    }
    return found;
  },
  fixers: [fixUnattributedSession],
};

function fixedNameFinding(auth: Authentication, name: ValueAt, why: string, platform: 'github-actions' | 'gitlab-ci'): RuleFinding<Authentication> {
  const run = platform === 'gitlab-ci' ? 'pipeline' : 'run';
  const add = platform === 'gitlab-ci' ? '`-${CI_PIPELINE_ID}-${CI_JOB_ID}`' : auth.session?.nameIn === 'shell' ? '`-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}`' : '`-${{ github.run_id }}-${{ github.run_attempt }}`';
  return {
    span: auth.anchor,
    about: auth,
    message: `The session is named \`${name.value}\`, which ${why}. CloudTrail cannot tie its actions to this ${run}: add the ${run}'s ids to the name, e.g. ${add}.`,
    related: [{ span: name.span, message: 'the session name' }],
  };
}

/**
 * Whether a session name says which run it was. `workflow-input` is a GitHub `with:` value: only
 * `${{ }}` expressions are substituted there, and `$GITHUB_RUN_ID` is sent as written. `shell` is
 * a script word: `$VAR`, `${VAR}` and `$(…)` are expanded by the shell.
 */
export type SessionNameVerdict = { kind: 'run-specific' } | { kind: 'unknown' } | { kind: 'fixed'; why: string };

/**
 * What identifies a run (GitHub's `github` context and default variables, GitLab's predefined
 * variables, docs.github.com "Contexts reference" / "Variables reference" and
 * docs.gitlab.com "Predefined CI/CD variables reference"). A commit SHA (`github.sha`,
 * `CI_COMMIT_SHA`) is not among them: it names the code, which re-runs, other workflows and other
 * branches share, so CloudTrail still could not tell those runs apart.
 */
const GITHUB_RUN_PROPERTIES = new Set(['run_id', 'run_number', 'run_attempt']);
const RUN_VARIABLES = new Set(['GITHUB_RUN_ID', 'GITHUB_RUN_NUMBER', 'GITHUB_RUN_ATTEMPT', 'CI_PIPELINE_ID', 'CI_PIPELINE_IID', 'CI_JOB_ID']);
/** The platforms' own variables: their values are known to be the same for every run unless listed above. */
const PREDEFINED_VARIABLE = /^(?:CI|GITLAB|GITHUB|RUNNER)_[A-Z0-9_]*$|^CI$|^GITHUB_ACTIONS$|^GITLAB_CI$/;
/** Expression contexts whose values this file cannot see (set by a caller, an earlier step, the job's env). */
const UNKNOWN_CONTEXTS = new Set(['env', 'inputs', 'steps', 'needs', 'jobs']);
/** Commands that make a name unique without saying which run it was: the time, a random id. */
const UNIQUE_NOT_RUN = /^(?:date|uuidgen)$/;

/** Far beyond AWS's 64 characters: a longer value is no session name, and is not scanned (nothing slow on hostile input). */
const MAX_JUDGED_LENGTH = 512;

export function judgeSessionName(value: string, context: 'workflow-input' | 'shell'): SessionNameVerdict {
  if (value.length > MAX_JUDGED_LENGTH) return { kind: 'unknown' };
  let unknown = false;
  let commitOnly = false;
  let uniqueOnly = false;
  let literalVariable: string | undefined;

  // `${{ … }}`: substituted by the runner in both contexts. A context is read where it starts
  // (`github.…`, not the `.inputs` inside `github.event.inputs`).
  const withoutExpressions = value.replace(/\$\{\{(.*?)\}\}/g, (_, body: string) => {
    if (/\bgithub\s*\.\s*event\s*\.\s*inputs\b/.test(body)) unknown = true;
    for (const match of body.matchAll(/(?<![.\w'"-])([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*['"]([A-Za-z0-9_-]+)['"]\s*\])?/g)) {
      const [, head = '', dotted, indexed] = match;
      const property = dotted ?? indexed;
      if (head === 'github') {
        if (property !== undefined && GITHUB_RUN_PROPERTIES.has(property)) return ' RUN ';
        if (property === 'sha') commitOnly = true;
      } else if (UNKNOWN_CONTEXTS.has(head)) {
        unknown = true;
      }
      // Anything else (`matrix`, `strategy`, `runner`, `job`, `vars`, `secrets`, functions,
      // literals) is the same for every run of the job or matrix leg.
    }
    return ' ';
  });
  if (/ RUN /.test(withoutExpressions)) return { kind: 'run-specific' };

  if (context === 'shell') {
    for (const match of withoutExpressions.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}?|([A-Za-z_][A-Za-z0-9_]*)|\(\s*([A-Za-z0-9_.-]*)|\$)|`\s*([A-Za-z0-9_.-]*)/g)) {
      const variable = match[1] ?? match[2];
      const command = match[3] ?? match[4];
      if (variable !== undefined) {
        if (RUN_VARIABLES.has(variable)) return { kind: 'run-specific' };
        if (variable === 'CI_COMMIT_SHA' || variable === 'CI_COMMIT_SHORT_SHA' || variable === 'GITHUB_SHA') commitOnly = true;
        else if (variable === 'RANDOM' || variable === 'SRANDOM' || variable === 'EPOCHSECONDS' || variable === 'EPOCHREALTIME') uniqueOnly = true;
        else if (!PREDEFINED_VARIABLE.test(variable)) unknown = true;
      } else if (command !== undefined) {
        if (UNIQUE_NOT_RUN.test(command)) uniqueOnly = true;
        else unknown = true;
      } else {
        // `$$`: the shell's process id, unique on one runner at a time and meaningless after.
        uniqueOnly = true;
      }
    }
  } else {
    const variable = /\$\{?([A-Z][A-Z0-9_]*)/.exec(withoutExpressions)?.[1];
    if (variable !== undefined) literalVariable = variable;
  }

  if (unknown) return { kind: 'unknown' };
  if (literalVariable !== undefined) {
    return { kind: 'fixed', why: `is sent as written (\`with:\` inputs are not expanded by a shell, so \`$${literalVariable}\` stays literal, and \`$\` is not allowed in a session name)` };
  }
  if (commitOnly) return { kind: 'fixed', why: 'names the commit, not the run (re-runs and other workflows on the same commit get the same name)' };
  if (uniqueOnly) return { kind: 'fixed', why: 'is unique (a time, a random number) but does not say which run it was' };
  return { kind: 'fixed', why: 'is the same for every run' };
}
