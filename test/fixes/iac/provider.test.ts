import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { Fix } from '../../../server/src/core/finding';
import { workspaceOf } from '../../rules/fix-harness';

/**
 * provider-static-credentials: which fixes are offered, in which order, for the CI logins the
 * workspace shows — the ambient chain first always; the provider's federated form only where a
 * job that runs Terraform provides what it reads.
 */
const REPO = { repository: { host: 'github.com', owner: 'acme', name: 'app' } };
const AWS = 'provider "aws" {\n  region     = "eu-west-1"\n  access_key = var.access_key\n  secret_key = var.secret_key\n}\n';
const AZURE = 'provider "azurerm" {\n  features {}\n  client_id     = var.client_id\n  client_secret = var.client_secret\n}\n';

const CONFIGURE_AWS = `on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/tf
          role-session-name: gha-\${{ github.run_id }}
          aws-region: eu-west-1
      - run: terraform plan
`;
const STATIC_AWS = `on: push
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: terraform apply -auto-approve
`;
const GITLAB_WEB_IDENTITY = `plan:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.com
  variables:
    AWS_ROLE_ARN: arn:aws:iam::123456789012:role/tf
    AWS_WEB_IDENTITY_TOKEN_FILE: /tmp/token
  script:
    - echo "$AWS_ID_TOKEN" > /tmp/token
    - terraform plan
`;
const AZURE_OIDC = `on: push
jobs:
  apply:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: azure/login@v2
        with:
          client-id: \${{ vars.AZURE_CLIENT_ID }}
          tenant-id: \${{ vars.AZURE_TENANT_ID }}
          subscription-id: \${{ vars.AZURE_SUBSCRIPTION_ID }}
      - run: terraform apply -auto-approve
`;

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function fixes(file: string, text: string, others: Record<string, string>): Fix[] {
  const files = new Map([[file, text], ...Object.entries(others)]);
  const report = engine.analyze({ path: file, text }, { workspace: workspaceOf(engine, files, REPO) });
  return report.findings.filter((f) => f.rule === 'provider-static-credentials').flatMap((f) => f.fixes).filter((f) => !f.title.startsWith('Suppress '));
}

describe('provider-static-credentials fixes follow the CI login', () => {
  test('configure-aws-credentials (temporary keys): only the ambient chain, and the note says why it works', () => {
    const offered = fixes('main.tf', AWS, { '.github/workflows/tf.yml': CONFIGURE_AWS });
    assert.deepEqual(offered.map((f) => f.title), ['Remove provider "aws"\'s static credentials (ambient credential chain)']);
    assert.match(offered[0]!.followUps![0]!, /Job "plan" in \.github\/workflows\/tf\.yml logs in with aws-actions\/configure-aws-credentials/);
    assert.match(offered[0]!.followUps!.at(-1)!, /var\.access_key, var\.secret_key/);
  });

  test('a job that sets AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE: ambient first, then the web-identity block', () => {
    const offered = fixes('main.tf', AWS, { '.gitlab-ci.yml': GITLAB_WEB_IDENTITY });
    assert.deepEqual(offered.map((f) => f.title), [
      'Remove provider "aws"\'s static credentials (ambient credential chain)',
      'Use assume_role_with_web_identity in provider "aws" (no static credentials)',
    ]);
    assert.match(offered[0]!.followUps![0]!, /sets AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE/);
  });

  test('no CI job runs terraform: the ambient chain, with how to log in', () => {
    const offered = fixes('main.tf', AWS, {});
    assert.equal(offered.length, 1);
    assert.match(offered[0]!.followUps![0]!, /log in before it runs: aws-actions\/configure-aws-credentials with role-to-assume/);
  });

  test('a job that still uses stored keys is pointed at its own fix', () => {
    const offered = fixes('main.tf', AWS, { '.github/workflows/tf.yml': STATIC_AWS });
    assert.match(offered[0]!.followUps![0]!, /still logs in with stored keys: apply the static-cloud-credentials fix/);
  });

  test('azurerm: use_oidc only when a job that runs terraform logs in to Azure by OIDC', () => {
    assert.deepEqual(fixes('main.tf', AZURE, {}).map((f) => f.title), ['Remove provider "azurerm"\'s static credentials (ambient credential chain)']);
    assert.deepEqual(fixes('main.tf', AZURE, { '.github/workflows/tf.yml': AZURE_OIDC }).map((f) => f.title), [
      'Remove provider "azurerm"\'s static credentials (ambient credential chain)',
      'Use OIDC (use_oidc = true) in provider "azurerm" (no static credentials)',
    ]);
  });

  test('a literal key: the notes say to revoke it, masked', () => {
    const literal = 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n}\n';
    const [fix] = fixes('main.tf', literal, {});
    const notes = fix!.followUps!.join('\n');
    assert.match(notes, /Revoke the AWS access key id AKIA…LE/);
    assert.ok(!notes.includes('AKIAIOSFODNN7EXAMPLE') && !notes.includes('EXAMPLEKEY'));
  });

  test('titles stay under 80 characters', () => {
    for (const fix of [...fixes('main.tf', AWS, { '.gitlab-ci.yml': GITLAB_WEB_IDENTITY }), ...fixes('main.tf', AZURE, { '.github/workflows/tf.yml': AZURE_OIDC })]) assert.ok(fix.title.length < 80, fix.title);
  });
});
