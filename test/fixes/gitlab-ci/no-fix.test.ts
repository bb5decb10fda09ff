import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMPTY_WORKSPACE, type WorkspaceContext } from '../../../server/src/facts/workspace';
import type { PlanFederation } from '../../../server/src/fixes/federation/federation';
import { fakePlanner, fixerProposals } from '../../rules/fix-harness';

const GITLAB_WORKSPACE: WorkspaceContext = { ...EMPTY_WORKSPACE, repository: { host: 'gitlab.com', owner: 'acme/platform', name: 'site' } };

/** The rewrites of `rule` built with `plan`, for each finding of the rule in the pipeline. */
function offered(text: string, rule: string, plan: PlanFederation, workspace: WorkspaceContext = EMPTY_WORKSPACE) {
  return fixerProposals(rule, '.gitlab-ci.yml', text, plan, workspace);
}

/**
 * Where a rewrite would be wrong, or would need a guess, none is offered: the finding stays, with
 * only "Suppress" on it. Each case says why.
 */
function nothingOffered(text: string, rule: string, workspace: WorkspaceContext = EMPTY_WORKSPACE): void {
  const found = offered(text, rule, fakePlanner('reuse'), workspace);
  assert.ok(found.length > 0, 'the case has a finding');
  assert.deepEqual(found.map((f) => f.proposals.map((p) => p.title)), found.map(() => []));
}

const CLOUD = 'static-cloud-credentials';
const REGISTRY = 'static-registry-token';

describe('GitLab CI cloud rewrites: not offered', () => {
  test('the scripts read the key variables themselves', () => {
    nothingOffered(`deploy:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
  script:
    - ./upload.sh "$AWS_ACCESS_KEY_ID"
    - aws s3 ls
`, CLOUD);
  });

  test('the job takes its ID tokens from default:, which one of its own would hide', () => {
    nothingOffered(`default:
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
deploy:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('flow-style variables (a line edit would need a reformat)', () => {
    nothingOffered(`deploy:
  variables: { AWS_ACCESS_KEY_ID: $KEY_ID, AWS_SECRET_ACCESS_KEY: $SECRET }
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('variables that come through an alias (editing them would change every user of the anchor)', () => {
    nothingOffered(`.keys: &keys
  AWS_ACCESS_KEY_ID: $KEY_ID
  AWS_SECRET_ACCESS_KEY: $SECRET
deploy:
  variables: *keys
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('a job extends the template and a parent this file does not define', () => {
    nothingOffered(`include:
  - project: acme/ci-templates
    file: deploy.yml
.aws:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
deploy:
  extends: [.aws, .remote-deploy]
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('a job overrides one of the template keys (it takes only part of them from there)', () => {
    nothingOffered(`.aws:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
deploy:
  extends: .aws
  variables:
    AWS_SECRET_ACCESS_KEY: $OTHER_SECRET
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('global keys and no job that visibly uses AWS (which jobs need them cannot be told)', () => {
    nothingOffered(`variables:
  AWS_ACCESS_KEY_ID: $KEY_ID
  AWS_SECRET_ACCESS_KEY: $SECRET
build:
  script:
    - make deploy
`, CLOUD);
  });

  test('the job already asks for an AWS_ID_TOKEN', () => {
    nothingOffered(`deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.com
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
  script:
    - aws s3 ls
`, CLOUD);
  });

  test('the login shares its line with another command, or sits in a block scalar', () => {
    nothingOffered(`deploy:
  script:
    - gcloud auth activate-service-account --key-file key.json && gcloud run deploy app
`, CLOUD);
    nothingOffered(`deploy:
  script:
    - |
      gcloud auth activate-service-account --key-file key.json
      gcloud run deploy app
`, CLOUD);
  });

  test('aws configure set (the keys would have to come from somewhere: no rewrite)', () => {
    nothingOffered(`deploy:
  script:
    - aws configure set aws_access_key_id "$KEY_ID"
    - aws configure set aws_secret_access_key "$SECRET"
    - aws s3 ls
`, CLOUD);
  });

  test('az login without a tenant (the federated login needs one)', () => {
    nothingOffered(`deploy:
  script:
    - az login --service-principal -u "$CLIENT_ID" -p "$SECRET"
`, CLOUD);
  });

  test('VAULT_TOKEN for a job that does not run the vault CLI (the login needs it)', () => {
    nothingOffered(`apply:
  variables:
    VAULT_TOKEN: $VAULT_CI_TOKEN
  script:
    - terraform apply
`, CLOUD);
  });

  test('GOOGLE_CREDENTIALS for a job without gcloud (the credential configuration needs it)', () => {
    nothingOffered(`apply:
  image: hashicorp/terraform
  variables:
    GOOGLE_CREDENTIALS: $GCP_KEY
  script:
    - terraform apply
`, CLOUD);
  });

  test('an ARM client certificate password (certificate login, not a secret to swap)', () => {
    nothingOffered(`apply:
  variables:
    ARM_CLIENT_CERTIFICATE_PASSWORD: $CERT_PASSWORD
  script:
    - terraform apply
`, CLOUD);
  });
});

describe('GitLab CI trusted publishing: not offered', () => {
  const npm = (image: string, extra = ''): string => `publish:
  image: ${image}${extra}
  script:
    - echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc
    - npm publish
`;

  test('a self-managed GitLab (npm and PyPI trust GitLab.com only)', () => {
    nothingOffered(npm('node:24'), REGISTRY, { ...GITLAB_WORKSPACE, repository: { host: 'gitlab.example.com', owner: 'acme', name: 'site' } });
  });

  test('Node older than 22.14 (npm trusted publishing needs it)', () => {
    nothingOffered(npm('node:20'), REGISTRY);
  });

  test('runners picked by tags (npm trusts GitLab.com shared runners only)', () => {
    nothingOffered(npm('node:24', '\n  tags: [our-runner]'), REGISTRY);
  });

  test('yarn or pnpm publish (npm documents trusted publishing for the npm CLI)', () => {
    nothingOffered(`publish:
  script:
    - echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc
    - yarn publish
`, REGISTRY);
  });

  test('a token variable no line writes to an .npmrc (a committed .npmrc reads it, and npm fails without it)', () => {
    nothingOffered(`publish:
  variables:
    NPM_TOKEN: $NPM_PUBLISH_TOKEN
  script:
    - npm publish
`, REGISTRY);
  });

  test('an .npmrc line in a job that installs but does not publish', () => {
    nothingOffered(`.npmrc: &npmrc
  - echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc
test:
  before_script: *npmrc
  script:
    - npm ci
publish:
  before_script: *npmrc
  script:
    - npm publish
`, REGISTRY);
  });

  test('TWINE_PASSWORD that a job also uses for a private index', () => {
    nothingOffered(`variables:
  TWINE_PASSWORD: $PYPI_TOKEN
publish:
  script:
    - twine upload dist/*
internal:
  script:
    - twine upload --repository-url https://pypi.internal.example/legacy/ dist/*
`, REGISTRY);
  });

  test('a TWINE_USERNAME other than __token__ (trusted publishing uses __token__)', () => {
    nothingOffered(`publish:
  variables:
    TWINE_USERNAME: release-bot
    TWINE_PASSWORD: $PYPI_TOKEN
  script:
    - twine upload dist/*
`, REGISTRY);
  });

  test("uv publish (its GitLab support is not in PyPI's guide)", () => {
    nothingOffered(`publish:
  variables:
    UV_PUBLISH_TOKEN: $PYPI_TOKEN
  script:
    - uv publish
`, REGISTRY);
  });
});

test('no plan and no repository: the AWS rewrite still comes, with the role from a CI/CD variable', () => {
  const [found] = offered(`deploy:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
  script:
    - aws s3 ls
`, CLOUD, fakePlanner('none'));
  assert.match(found!.proposals[0]!.followUps!.join('\n'), /^Set the CI\/CD variable AWS_ROLE_ARN .* audience the GitLab instance's URL/);
});
