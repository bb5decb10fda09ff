import type { LiteralCredential } from '../../facts/model';
import type { Rule, RuleFinding } from '../rule';
import { fixHardcodedSecret } from './fix';

/** Kinds that travel as one AWS key: an id, its secret, and maybe a session token. */
const AWS_KEY_PARTS = new Set(['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']);

/**
 * hardcoded-secret: a credential value written into a file Keyless reads, of any dialect or none. The message names what it
 * is and shows at most its first 4 and last 2 characters; an access key id and its secret in the
 * same container (env block, provider block, heredoc) are one finding on the first of them.
 */
export const hardcodedSecret: Rule<LiteralCredential[]> = {
  id: 'hardcoded-secret',
  severity: 'error',
  title: 'A credential value is written in the file',
  dialects: ['github-actions', 'gitlab-ci', 'cloudformation', 'kubernetes', 'terraform', 'iam-policy'],
  // A credential value is a finding wherever it is written: a values.yaml, a .env, a key file.
  everyFile: true,
  check({ facts }) {
    const literals = facts.credentials.filter((c): c is LiteralCredential => c.origin === 'literal');
    return groupAwsKeys(literals).map(toFinding);
  },
  fixers: [fixHardcodedSecret],
};

function groupAwsKeys(literals: LiteralCredential[]): LiteralCredential[][] {
  const groups: LiteralCredential[][] = [];
  for (const literal of [...literals].sort((a, b) => a.valueSpan.start - b.valueSpan.start)) {
    if (AWS_KEY_PARTS.has(literal.kind)) {
      const partner = groups.find(
        (g) => AWS_KEY_PARTS.has(g[0]!.kind) && g[0]!.container === literal.container && !g.some((member) => member.kind === literal.kind),
      );
      if (partner) {
        partner.push(literal);
        continue;
      }
    }
    groups.push([literal]);
  }
  return groups;
}

function toFinding(group: LiteralCredential[]): RuleFinding<LiteralCredential[]> {
  const [first, ...rest] = group as [LiteralCredential, ...LiteralCredential[]];
  const what = `${first.label}${first.preview ? ` "${first.preview}"` : ''}${first.encoding ? ` (${first.encoding})` : ''}`;
  const together = rest.length > 0 ? ` with its ${rest.map((r) => r.label.replace(/^AWS /, '')).join(' and ')}` : '';
  return {
    span: first.valueSpan,
    message: `${capitalize(what)}${together} is written in the file: anyone who can read the repository can use it. Revoke it, then read it from a secret store or, better, switch to federation.`,
    related: rest.map((r) => ({ span: r.valueSpan, message: `${r.label}${r.preview ? ` "${r.preview}"` : ''}` })),
    about: group,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
