import type { GcpProviderTrust, Trust } from '../../facts/model';
import { judgeSubject, subjectScope } from '../../iam/trust';
import type { Rule, RuleFinding } from '../rule';
import { fixUnscopedTrust } from './fix';

const ISSUER_NAMES: Record<string, string> = {
  github: 'GitHub Actions',
  gitlab: 'GitLab CI',
  'terraform-cloud': 'Terraform Cloud',
  eks: 'the EKS cluster',
  other: 'the issuer',
};

const NARROW_TO: Record<string, string> = {
  github: '`repo:ORG/REPO:environment:production` (or `repo:ORG/REPO:ref:refs/heads/main`)',
  gitlab: '`project_path:GROUP/PROJECT:ref_type:branch:ref:main`',
  'terraform-cloud': '`organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:apply`',
  eks: '`system:serviceaccount:NAMESPACE:NAME`',
  other: 'one subject',
};

/**
 * The example subject of a message, with the repository (or its owner) the trust itself names in
 * place of the placeholders: `repo:acme/app:environment:production` for a `repo:acme/app:*` trust.
 */
function narrowTo(issuer: string, repository?: string, owner?: string): string {
  if (issuer === 'github' && (repository || owner)) {
    const repo = repository ?? `${owner}/REPO`;
    return `\`repo:${repo}:environment:production\` (or \`repo:${repo}:ref:refs/heads/main\`)`;
  }
  if (issuer === 'gitlab' && (repository || owner)) return `\`project_path:${repository ?? `${owner}/PROJECT`}:ref_type:branch:ref:main\``;
  if (issuer === 'eks' && owner) return `\`system:serviceaccount:${owner}:NAME\``;
  return NARROW_TO[issuer] ?? 'one subject';
}

/** The owner (org, group, namespace) a wildcard subject names, when it names one. */
function ownerOf(issuer: Trust['issuer'], value: string): string | undefined {
  const scope = subjectScope(issuer, value);
  return scope.kind === 'many' ? scope.owner : undefined;
}

/**
 * oidc-trust-unscoped: a trust of a CI or cluster OIDC issuer that lets more than one repository,
 * project, workspace or service account in. A subject that stays in one repository but spans its
 * refs (`repo:org/app:*`) is a warning; anything wider is an error.
 */
export const oidcTrustUnscoped: Rule<Trust> = {
  id: 'oidc-trust-unscoped',
  severity: 'error',
  title: 'An OIDC trust lets more than one repository or service account in',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  check({ facts }) {
    return facts.trusts.flatMap((trust) => judge(trust).map((finding) => ({ ...finding, about: trust })));
  },
  fixers: [fixUnscopedTrust],
};

/** A finding of one trust, before the check adds what it is about (the trust). */
type Judged = Omit<RuleFinding<Trust>, 'about'>;

function judge(trust: Trust): Judged[] {
  switch (trust.kind) {
    case 'aws-web-identity': {
      const verdict = judgeSubject(trust.issuer, trust.issuerHost, trust.statement.conditions);
      const who = `${trust.owner.resourceType} "${trust.owner.name}"`;
      if (verdict.scope === 'unscoped') {
        const owner = verdict.value ? ownerOf(trust.issuer, verdict.value.value) : undefined;
        return [{ span: verdict.value?.span ?? trust.owner.anchor, message: `${who} trusts ${ISSUER_NAMES[trust.issuer]} tokens but ${verdict.reason}. Narrow the \`sub\` condition to ${narrowTo(trust.issuer, undefined, owner)}.` }];
      }
      if (verdict.scope === 'one-repository') {
        const scope = subjectScope(trust.issuer, verdict.value.value);
        const repository = scope.kind === 'one' ? scope.repository : undefined;
        return [
          {
            span: verdict.value.span,
            severity: 'warning',
            message: `${who} trusts ${repository ? `any ref and environment of ${repository}` : 'every ref and environment of one repository'} (\`${verdict.value.value}\`): a workflow on any branch, including an unreviewed one, can assume it. Pin the \`sub\` to one environment or branch, e.g. ${narrowTo(trust.issuer, repository)}, under StringEquals.`,
          },
        ];
      }
      return [];
    }
    case 'gcp-workload-identity-provider':
      return judgeGcp(trust);
    case 'azure-federated-credential':
      // A subject from a variable or an interpolation cannot be judged here, as AWS subjects are not.
      if (trust.subject && !trust.subject.computed && /[*?]/.test(trust.subject.value)) {
        const scope = subjectScope(trust.issuer, trust.subject.value);
        const repository = scope.kind === 'one' ? scope.repository : undefined;
        const owner = scope.kind === 'many' ? scope.owner : undefined;
        return [
          {
            span: trust.subject.span,
            message: `Federated credential "${trust.name}" has a wildcard in its subject (\`${trust.subject.value}\`), meant to let in ${scope.text}. Azure matches subjects exactly, so it admits no one as written; name one subject, e.g. ${narrowTo(trust.issuer === 'other' ? 'github' : trust.issuer, repository, owner)}.`,
          },
        ];
      }
      return [];
  }
}

/**
 * A GCP provider is judged with the service-account bindings of the same file: the path as a whole
 * must name one repository, in the provider's `attribute_condition` or in the binding's principal.
 */
function judgeGcp(trust: GcpProviderTrust): Judged[] {
  // A condition from a module input, a variable or a local cannot be judged where it is written:
  // AWS trusts built from variables are not reported either, and the clouds must agree.
  if (trust.attributeCondition?.computed) return [];
  if (!trust.attributeCondition) {
    return [{ span: trust.anchor, message: `Workload identity provider "${trust.name}" has no \`attribute_condition\`: every identity the issuer vouches for (any repository on GitHub) can exchange its token. Add one that names the repository, e.g. \`assertion.repository == "ORG/REPO"\`.` }];
  }
  const condition = trust.attributeCondition.value;
  const namesOneRepository = /(?:assertion|attribute)\.(?:repository|sub)\s*==/.test(condition) || /(?:assertion|attribute)\.repository_id\s*==/.test(condition);
  const bindingNamesOne = trust.boundPrincipals.some((p) => /\/attribute\.repository\/[^/*]+\/[^/*]+$|\/subject\/repo:[^/*]+\/[^:*]+:/.test(p.value));
  if (namesOneRepository || bindingNamesOne || condition.includes('${')) return [];
  // The owner the condition (or a binding) does name, so that the message says whose repositories get in.
  const owner =
    /(?:assertion|attribute)\.repository_owner\s*==\s*['"]([^'"]+)['"]/.exec(condition)?.[1] ??
    trust.boundPrincipals.map((p) => /\/attribute\.repository_owner\/([^/*]+)$/.exec(p.value)?.[1]).find((o) => o !== undefined);
  const who = owner ? `every repository of ${owner} can impersonate the service account` : 'several repositories can impersonate the service account';
  const repo = owner ? `${owner}/REPO` : 'ORG/REPO';
  return [{ span: trust.attributeCondition.span, message: `Workload identity provider "${trust.name}": its \`attribute_condition\` (\`${condition}\`) and the service-account bindings in this file do not name one repository, so ${who}. Check \`assertion.repository == "${repo}"\` or bind \`principalSet://…/attribute.repository/${repo}\`.` }];
}
