import type { Rule } from './rule';

/**
 * unattributed-session: a CI job assumes a role without naming the session, so CloudTrail shows a
 * generic session name and the run that acted cannot be told from the others.
 */
export const unattributedSession: Rule = {
  id: 'unattributed-session',
  severity: 'info',
  title: 'An assumed-role session is not tied to the CI run',
  dialects: ['github-actions', 'gitlab-ci'],
  check({ facts }) {
    return facts.authentications
      .filter((auth) => auth.principal.kind === 'ci-job' && auth.target === 'aws' && auth.session?.role !== undefined && auth.session.name === undefined)
      .map((auth) => {
        const gitlab = auth.principal.kind === 'ci-job' && auth.principal.platform === 'gitlab-ci';
        return {
          span: auth.anchor,
          about: auth,
          message: gitlab
            ? 'The role is assumed without `--role-session-name`: CloudTrail cannot tie its actions to this pipeline. Add `--role-session-name "gitlab-${CI_PIPELINE_ID}-${CI_JOB_ID}"`.'
            : 'The role is assumed without `role-session-name`: CloudTrail cannot tie its actions to this run. Add `role-session-name: gha-${{ github.run_id }}-${{ github.run_attempt }}`.',
        };
      });
  },
};
