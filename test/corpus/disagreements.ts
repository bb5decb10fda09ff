/**
 * Where the corpus manifest (../shared/corpus/manifest.json, not ours to edit) and the rule catalog
 * (../shared/RULES.md) disagree, the catalog wins and the disagreement is written here, reviewed,
 * with the reason: the corpus test reports each one as a TODO (visible in the runner's summary)
 * instead of failing, and still checks that Keyless reports exactly what the catalog asks for.
 * Each entry should go once the manifest is updated.
 */
export interface ManifestDisagreement {
  file: string;
  rule: string;
  /** 1-based lines where Keyless reports the rule, as the catalog asks. */
  lines: number[];
  reason: string;
}

export const MANIFEST_DISAGREEMENTS: readonly ManifestDisagreement[] = [
  {
    file: 'checkov/tests/github_actions/resources/.github/workflows/docker-slsa.yaml',
    rule: 'unattributed-session',
    lines: [75, 215],
    reason:
      'the manifest forbids unattributed-session here, but both steps use the fixed role-session-name "GithubActionsSession", which RULES.md and issue 7 make a finding (a name with no run-specific part ties nothing to the run); the manifest entry predates that decision',
  },
];
