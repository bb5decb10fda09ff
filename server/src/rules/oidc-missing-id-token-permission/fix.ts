import type { Authentication } from '../../facts/model';
import { isWorkflowSite } from '../../dialects/github-actions/model';
import type { Fixer } from '../../fixes/fixer';
import { grantIdToken } from '../../fixes/github-permissions';

/**
 * Grants the job `id-token: write` at the narrowest level. Safe when it merges into permissions
 * the job already declares (or inherits); unsafe when the job ran on the repository's default
 * permissions, which the new block replaces.
 */
export const fixMissingIdTokenPermission: Fixer<Authentication> = ({ about, text }) => {
  const site = about.syntax;
  if (!isWorkflowSite(site) || !site.job) return [];
  const grant = grantIdToken(text, site.workflow, site.job);
  if (!grant || grant.edits.length === 0) return [];
  return [
    {
      title: grant.narrowsDefaults ? `Add id-token: write to job "${site.job.id}" (its permissions become explicit)` : `Add id-token: write to job "${site.job.id}"`,
      safe: !grant.narrowsDefaults,
      edits: grant.edits,
      ...(grant.narrowsDefaults
        ? { followUps: [`Review the permissions of job "${site.job.id}": they replace the repository's defaults, and a scope the job needs beyond the inferred ones must be added.`] }
        : {}),
    },
  ];
};
