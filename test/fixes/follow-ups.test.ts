import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dialect } from '../../server/src/core/dialect';
import { EMPTY_WORKSPACE } from '../../server/src/facts/workspace';
import type { FixContext, FixProposal } from '../../server/src/fixes/fixer';
import { withFollowUps } from '../../server/src/fixes/follow-ups';
import { nextSteps } from '../../server/src/output/next-steps';
import { awsCatalog } from '../../server/src/workspace/aws-catalog';

// The follow-ups every fix shares (fixes/follow-ups.ts) and how `keyless fix` orders them
// (output/next-steps.ts). The fake keys are AWS's documentation examples, as elsewhere.

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function context(dialect: Dialect, path: string, text: string, ruleId = 'static-cloud-credentials'): FixContext {
  return { ruleId, finding: {} as FixContext['finding'], about: undefined, path, text, dialect, workspace: EMPTY_WORKSPACE, catalog: awsCatalog() };
}

function removing(text: string, removed: string, newText = '', extra: Partial<FixProposal> = {}): FixProposal {
  const start = text.indexOf(removed);
  assert.ok(start >= 0);
  return { title: 't', safe: false, edits: [{ span: { start, end: start + removed.length }, newText }], ...extra };
}

describe('follow-ups every fix shares', () => {
  test('a removed literal key pair: revoke it, named by its masked id only', () => {
    const env = `    env:\n      AWS_ACCESS_KEY_ID: ${KEY_ID}\n      AWS_SECRET_ACCESS_KEY: ${SECRET}\n`;
    const text = `jobs:\n  a:\n${env}    steps: []\n`;
    const [proposal] = withFollowUps(context('github-actions', '.github/workflows/a.yml', text), [removing(text, env)]);
    assert.deepEqual(proposal!.followUps, [
      'Revoke the AWS access key id AKIA…LE once the new login works: removing it from the file does not disable it, and git history keeps it.',
    ]);
    assert.ok(!JSON.stringify(proposal!.followUps).includes(KEY_ID) && !JSON.stringify(proposal!.followUps).includes(SECRET));
  });

  test('references, and literals the edit keeps, are nothing to revoke', () => {
    const text = 'env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.KEY }}\n  KEPT: AKIAIOSFODNN7EXAMPLE\n';
    const reference = withFollowUps(context('github-actions', 'w.yml', text), [removing(text, '  AWS_ACCESS_KEY_ID: ${{ secrets.KEY }}\n')]);
    assert.equal(reference[0]!.followUps, undefined);
    const moved = withFollowUps(context('github-actions', 'w.yml', text), [removing(text, '  KEPT: AKIAIOSFODNN7EXAMPLE\n', '  MOVED: AKIAIOSFODNN7EXAMPLE\n')]);
    assert.equal(moved[0]!.followUps, undefined);
  });

  test('repository variables the rewrite writes: set them, unless the fixer already said how', () => {
    const text = 'steps: []\n';
    const insertion = (newText: string, followUps?: string[]): FixProposal => ({ title: 't', safe: false, edits: [{ span: { start: 0, end: 0 }, newText }], ...(followUps ? { followUps } : {}) });
    const [plain] = withFollowUps(context('github-actions', 'w.yml', text), [insertion('role-to-assume: ${{ vars.AWS_ROLE_ARN }}\naws-region: ${{ vars.AWS_REGION }}\n', ['Set the repository variable AWS_ROLE_ARN to the role.'])]);
    assert.deepEqual(plain!.followUps, ['Set the repository variable AWS_ROLE_ARN to the role.', 'Set the repository variable AWS_REGION (Settings → Secrets and variables → Actions → Variables): the rewritten job reads it.']);
    // GitLab's `$VARS` are the fixers' to explain: no guess from the text.
    const [gitlab] = withFollowUps(context('gitlab-ci', '.gitlab-ci.yml', text), [insertion('AWS_ROLE_ARN: ${{ vars.X }}\n')]);
    assert.equal(gitlab!.followUps, undefined);
  });

  test('files created or edited elsewhere: review and apply them, by their kind; an IaC file fixed in place: apply it', () => {
    const text = 'resource "aws_iam_access_key" "ci" {}\n';
    const proposal: FixProposal = {
      title: 't',
      safe: false,
      edits: [{ span: { start: 0, end: 0 }, newText: '# x\n' }, { path: 'infra/other.tf', span: { start: 0, end: 0 }, newText: '# y\n' }],
      creates: [{ path: 'infra/keyless-oidc-site-main.tf', text: '# z\n' }, { path: 'cfn/keyless-oidc-site-main.yaml', text: '# z\n' }],
    };
    const [key] = withFollowUps(context('terraform', 'main.tf', text, 'long-lived-key'), [proposal]);
    assert.deepEqual(key!.followUps, [
      'Review infra/keyless-oidc-site-main.tf (created), then apply it with terraform apply, before the job next runs.',
      'Review cfn/keyless-oidc-site-main.yaml (created), then deploy it as a CloudFormation stack (aws cloudformation deploy --capabilities CAPABILITY_NAMED_IAM), before the job next runs.',
      'Review the change to infra/other.tf, then apply it with terraform apply, before the job next runs.',
      'Apply the change to main.tf (terraform apply): nothing changes in the cloud until then.',
    ]);
    // How Terraform logs in is not something to apply.
    const [provider] = withFollowUps(context('terraform', 'main.tf', text, 'provider-static-credentials'), [{ ...proposal, creates: [], edits: [proposal.edits[0]!] }]);
    assert.equal(provider!.followUps, undefined);
  });
});

describe('next steps', () => {
  test('once each, in the order a person does them, masked whatever a fixer wrote', () => {
    const steps = nextSteps([
      'Revoke the AWS access key id AKIA…LE once the new login works.',
      'Review a.tf (created), then apply it.',
      'Set the repository variable AWS_ROLE_ARN.',
      'The other jobs lose the keys.',
      'Register w.yml as a trusted publisher.',
      'Review a.tf (created), then apply it.',
      `Set the repository variable LEAK to ${KEY_ID}.`,
      '  ',
    ]);
    assert.deepEqual(steps, [
      'Set the repository variable AWS_ROLE_ARN.',
      'Set the repository variable LEAK to AKIA…LE.',
      'Review a.tf (created), then apply it.',
      'Register w.yml as a trusted publisher.',
      'The other jobs lose the keys.',
      'Revoke the AWS access key id AKIA…LE once the new login works.',
    ]);
  });
});
