import type { Authentication } from '../facts/model';
import { input, isWorkflowSite } from '../dialects/github-actions/model';
import { isPipelineSite } from '../dialects/gitlab-ci/model';
import type { Fixer } from './fixer';
import { insertAfterPair } from './yaml-edit';

export const GITHUB_SESSION_NAME = 'gha-${{ github.run_id }}-${{ github.run_attempt }}';
export const GITLAB_SESSION_NAME = 'gitlab-${CI_PIPELINE_ID}-${CI_JOB_ID}';

/** Names the session after the run: `role-session-name` (GitHub) or `--role-session-name` (GitLab). Safe. */
export const fixUnattributedSession: Fixer = ({ about, text }) => {
  const auth = about as Authentication | undefined;
  const site = auth?.syntax;
  if (isWorkflowSite(site) && site.step) {
    const role = input(site.step, 'role-to-assume');
    const edit = role && insertAfterPair(text, role, [`role-session-name: ${GITHUB_SESSION_NAME}`]);
    return edit ? [{ title: 'Name the session after the run (role-session-name)', safe: true, edits: [edit] }] : [];
  }
  if (isPipelineSite(site) && site.line && auth) {
    // After the subcommand, inside the script line as written; a double-quoted YAML scalar needs its quotes escaped.
    const quote = text[site.line.node.span.start] === '"' ? '\\"' : '"';
    const at = auth.anchor.end;
    return [{ title: 'Name the session after the pipeline (--role-session-name)', safe: true, edits: [{ span: { start: at, end: at }, newText: ` --role-session-name ${quote}${GITLAB_SESSION_NAME}${quote}` }] }];
  }
  return [];
};
