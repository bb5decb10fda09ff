import { isAudienceKey } from '../../iam/trust';
import type { AwsWebIdentityTrust } from '../../facts/model';
import type { Rule } from '../rule';
import { fixMissingAudience } from './fix';

const AUDIENCE: Record<string, string> = {
  github: 'sts.amazonaws.com',
  gitlab: 'the audience of your `id_tokens` (e.g. `https://gitlab.com`)',
  'terraform-cloud': 'aws.workload.identity',
  eks: 'sts.amazonaws.com',
  other: "the provider's audience",
};

/** oidc-trust-missing-audience: a web-identity trust of a CI or cluster issuer with no `aud` condition. */
export const oidcTrustMissingAudience: Rule<AwsWebIdentityTrust> = {
  id: 'oidc-trust-missing-audience',
  severity: 'warning',
  title: 'An OIDC trust does not check the token audience',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  check({ facts }) {
    return facts.trusts.flatMap((trust) => {
      if (trust.kind !== 'aws-web-identity') return [];
      if (trust.statement.conditions.some((c) => isAudienceKey(c.key, trust.issuerHost))) return [];
      return [
        {
          span: trust.statement.anchor,
          about: trust,
          message: `This trust of ${trust.owner.resourceType} "${trust.owner.name}" accepts ${trust.issuerHost} tokens minted for any audience. Add a StringEquals condition on \`${trust.issuerHost}:aud\` = ${AUDIENCE[trust.issuer]}.`,
        },
      ];
    });
  },
  fixers: [fixMissingAudience],
};
