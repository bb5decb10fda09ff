import type { Authentication } from '../../facts/model';
import { input, isWorkflowSite } from '../../dialects/github-actions/model';
import { isPipelineSite } from '../../dialects/gitlab-ci/model';
import { deref, isScalar } from '../../syntax/tree';
import type { Fixer, FixProposal } from '../../fixes/fixer';
import { GITHUB_SESSION_NAME, GITLAB_SESSION_NAME } from '../../fixes/session-name';
import { insertAfterPair, replaceNode } from '../../fixes/yaml-edit';

const GITHUB_RUN_SUFFIX = '-${{ github.run_id }}-${{ github.run_attempt }}';
const GITLAB_RUN_SUFFIX = '-${CI_PIPELINE_ID}-${CI_JOB_ID}';
/** A GitHub `run:` script sees the run's ids as default environment variables. */
const GITHUB_SCRIPT_SESSION_NAME = 'gha-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}';
const GITHUB_SCRIPT_RUN_SUFFIX = '-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}';

/**
 * A fixed name keeps its text and gains the run's ids after it, so that a trust or policy testing
 * `sts:RoleSessionName` against a prefix still matches. AWS allows 64 characters of `[\w+=,.@-]`;
 * the ids take up to about 24 of them, so a longer or invalid name is replaced instead.
 */
const KEEPABLE_PREFIX = /^[\w+=,.@-]{1,38}$/;

/**
 * Names the session after the run: `role-session-name` (the GitHub action) or `--role-session-name`
 * (a script, GitLab or GitHub), added when missing, given the run's ids when fixed. Safe.
 */
export const fixUnattributedSession: Fixer<Authentication> = ({ about: auth, text }) => {
  const site = auth.syntax;
  // A script's `aws sts assume-role-with-web-identity` (GitLab `script:`, GitHub `run:`).
  if (auth.session?.nameIn === 'shell') {
    const node = isPipelineSite(site) ? site.line?.node : isWorkflowSite(site) ? site.step?.run?.node : undefined;
    if (!node) return [];
    const gitlab = isPipelineSite(site);
    return scriptFix(text, auth, node.span.start, gitlab ? GITLAB_SESSION_NAME : GITHUB_SCRIPT_SESSION_NAME, gitlab ? GITLAB_RUN_SUFFIX : GITHUB_SCRIPT_RUN_SUFFIX, gitlab ? 'pipeline' : 'run');
  }
  if (isWorkflowSite(site) && site.step) {
    const named = input(site.step, 'role-session-name');
    if (named) return renameGithubSession(text, deref(named.value));
    const role = input(site.step, 'role-to-assume');
    const edit = role && insertAfterPair(text, role, [`role-session-name: ${GITHUB_SESSION_NAME}`]);
    return edit ? [{ title: 'Name the session after the run (role-session-name)', safe: true, edits: [edit] }] : [];
  }
  return [];
};

/** `--role-session-name` added after the subcommand, or the ids added to a fixed name, inside the script as written. */
function scriptFix(text: string, auth: Authentication, scalarStart: number, defaultName: string, suffix: string, run: 'run' | 'pipeline'): FixProposal[] {
  // A double-quoted YAML scalar needs its quotes escaped.
  const quote = text[scalarStart] === '"' ? '\\"' : '"';
  const name = auth.session?.name;
  if (name) {
    // Only a plain word that is written as read can be extended in place; `$(date` is half a command.
    if (text.slice(name.span.start, name.span.end) !== name.value || !/^[\w+=,.@${}-]+$/.test(name.value) || name.value.length > 38) return [];
    // Only where the name follows its flag: the same text elsewhere (a role named `deploy`) is not it.
    if (!/--role-session-name(?:=|\s+)(?:\\?["'])?$/.test(text.slice(Math.max(0, name.span.start - 40), name.span.start))) return [];
    // Inside single quotes `${…}` would stay literal: the ids go after the closing quote, in double quotes.
    const single = text[name.span.end] === "'";
    const newText = single ? `${quote}${suffix}${quote}` : suffix;
    const at = single ? name.span.end + 1 : name.span.end;
    return [{ title: `Add the ${run}'s ids to the session name`, safe: true, edits: [{ span: { start: at, end: at }, newText }] }];
  }
  const at = auth.anchor.end;
  return [{ title: `Name the session after the ${run} (--role-session-name)`, safe: true, edits: [{ span: { start: at, end: at }, newText: ` --role-session-name ${quote}${defaultName}${quote}` }] }];
}

function renameGithubSession(text: string, node: ReturnType<typeof deref>): FixProposal[] {
  if (!isScalar(node) || node.value === null) return [];
  const value = String(node.value);
  const written = text.slice(node.span.start, node.span.end);
  const title = "Add the run's ids to the session name";
  // A plain or quoted one-line literal name: the ids go at its end. One with expressions (a SHA,
  // a matrix value) has no known length, so it is replaced.
  const quoted = /^(["'])(.*)\1$/.exec(written);
  const inner = quoted ? quoted[2] : written;
  if (inner === value && KEEPABLE_PREFIX.test(value)) {
    const at = quoted ? node.span.end - 1 : node.span.end;
    return [{ title, safe: true, edits: [{ span: { start: at, end: at }, newText: GITHUB_RUN_SUFFIX }] }];
  }
  if (/^[|>]/.test(written)) return [];
  return [{ title: 'Name the session after the run (role-session-name)', safe: true, edits: [replaceNode(node, GITHUB_SESSION_NAME)] }];
}
