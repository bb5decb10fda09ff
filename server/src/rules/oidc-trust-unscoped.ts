import type { GcpProviderTrust, Trust } from '../facts/model';
import { judgeSubject } from '../dialects/iam/trust';
import type { Rule, RuleFinding } from './rule';

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
 * oidc-trust-unscoped: a trust of a CI or cluster OIDC issuer that lets more than one repository,
 * project, workspace or service account in. A subject that stays in one repository but spans its
 * refs (`repo:org/app:*`) is a warning; anything wider is an error.
 */
export const oidcTrustUnscoped: Rule = {
  id: 'oidc-trust-unscoped',
  severity: 'error',
  title: 'An OIDC trust lets more than one repository or service account in',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  check({ facts }) {
    return facts.trusts.flatMap((trust) => judge(trust).map((finding) => ({ ...finding, about: trust })));
  },
};

function judge(trust: Trust): RuleFinding[] {
  switch (trust.kind) {
    case 'aws-web-identity': {
      const verdict = judgeSubject(trust.issuer, trust.issuerHost, trust.statement.conditions);
      const who = `${trust.owner.resourceType} "${trust.owner.name}"`;
      if (verdict.scope === 'unscoped') {
        return [{ span: verdict.value?.span ?? trust.owner.anchor, message: `${who} trusts ${ISSUER_NAMES[trust.issuer]} tokens but ${verdict.reason}. Narrow the \`sub\` condition to ${NARROW_TO[trust.issuer]}.` }];
      }
      if (verdict.scope === 'one-repository') {
        return [
          {
            span: verdict.value.span,
            severity: 'warning',
            message: `${who} trusts every ref and environment of one repository (\`${verdict.value.value}\`): a workflow on any branch, including an unreviewed one, can assume it. Pin the \`sub\` to one environment or branch, e.g. ${NARROW_TO[trust.issuer]}, under StringEquals.`,
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
        return [{ span: trust.subject.span, message: `Federated credential "${trust.name}" has a wildcard in its subject (\`${trust.subject.value}\`). Azure matches subjects exactly; name one subject, e.g. \`repo:ORG/REPO:environment:production\`.` }];
      }
      return [];
  }
}

/**
 * A GCP provider is judged with the service-account bindings of the same file: the path as a whole
 * must name one repository, in the provider's `attribute_condition` or in the binding's principal.
 */
function judgeGcp(trust: GcpProviderTrust): RuleFinding[] {
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
  return [{ span: trust.attributeCondition.span, message: `Workload identity provider "${trust.name}": its \`attribute_condition\` (\`${condition}\`) and the service-account bindings in this file do not name one repository, so several repositories can impersonate the service account. Check \`assertion.repository == "ORG/REPO"\` or bind \`principalSet://…/attribute.repository/ORG/REPO\`.` }];
}
