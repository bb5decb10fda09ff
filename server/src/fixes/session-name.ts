/**
 * The AWS session name a CI job's role session gets when a fix writes one: named after the run
 * (its ids), so CloudTrail ties the session's actions to it. The unattributed-session fix adds it
 * where a name is missing; the federation rewrites write it into every login they create, so the
 * rewritten job is attributed from the start.
 */
export const GITHUB_SESSION_NAME = 'gha-${{ github.run_id }}-${{ github.run_attempt }}';
export const GITLAB_SESSION_NAME = 'gitlab-${CI_PIPELINE_ID}-${CI_JOB_ID}';
