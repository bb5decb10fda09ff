import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertBuilt, findingKeys, runCli, workspace } from './helpers';

// The files `keyless scan` reads beyond the dialects: every YAML, JSON, HCL and .env file is
// searched for credential values (values.yaml, docker-compose.yml, a GCP key file, .env files,
// Helm templates, Terragrunt and Packer HCL), and CloudFormation `*.template` files by content.

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';
const PEM = '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\\n-----END PRIVATE KEY-----\\n';

const GCP_KEY = `{
  "type": "service_account",
  "project_id": "demo",
  "private_key_id": "0123456789abcdef0123456789abcdef01234567",
  "private_key": "${PEM}",
  "client_email": "ci@demo.iam.gserviceaccount.com"
}
`;

const JSON_TEMPLATE = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Key": { "Type": "AWS::IAM::AccessKey", "Properties": { "UserName": "deployer" } }
  }
}
`;
const YAML_TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: deployer\n';

describe('keyless scan: files of no dialect and *.template', { concurrency: true }, () => {
  before(assertBuilt);

  test('values.yaml, docker-compose.yml, config JSON, a GCP key file, .env files and non-Terraform HCL are searched', async () => {
    const cwd = workspace({
      'chart/values.yaml': `aws:\n  accessKeyId: ${ID}\n  secretAccessKey: ${SECRET}\n`,
      'docker-compose.yml': `services:\n  app:\n    environment:\n      - GITHUB_TOKEN=${GITHUB}\n`,
      'config/settings.json': `{\n  "deploy": { "token": "${GITHUB}" }\n}\n`,
      'keys/demo-0123456789ab.json': GCP_KEY,
      '.env': `# local\nexport AWS_ACCESS_KEY_ID=${ID}\nAWS_SECRET_ACCESS_KEY="${SECRET}"\n`,
      '.env.production': `GITHUB_TOKEN=${GITHUB}\n`,
      'deploy/worker.env': `# ${GITHUB} in a comment\nTOKEN=${GITHUB}\n`,
      'live/terragrunt.hcl': `inputs = {\n  github_token = "${GITHUB}"\n}\n`,
      'images/base.pkr.hcl': `source "amazon-ebs" "base" {\n  access_key = "${ID}"\n  secret_key = "${SECRET}"\n}\n`,
      // Never read: Terraform's lock file, and names Keyless does not read.
      'live/.terraform.lock.hcl': `# ${GITHUB}\nprovider "x" { hashes = ["${GITHUB}"] }\n`,
      'notes.txt': `${GITHUB}\n`,
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 1);
    assert.deepEqual(findingKeys(run.stdout), [
      '.env:2:26 hardcoded-secret',
      '.env.production:1:14 hardcoded-secret',
      'chart/values.yaml:2:16 hardcoded-secret',
      'config/settings.json:2:25 hardcoded-secret',
      'deploy/worker.env:2:7 hardcoded-secret',
      'docker-compose.yml:4:22 hardcoded-secret',
      'images/base.pkr.hcl:2:17 hardcoded-secret',
      'keys/demo-0123456789ab.json:5:19 hardcoded-secret',
      'live/terragrunt.hcl:2:19 hardcoded-secret',
    ]);
    // One finding per key file, on the private key, naming the account and the key id to revoke.
    const report = JSON.parse(run.stdout) as { findings: { file: string; message: string }[]; errors: unknown[] };
    assert.match(report.findings.find((f) => f.file.startsWith('keys/'))!.message, /^GCP service-account private key of ci@demo\.iam\.gserviceaccount\.com \(key id 0123…67\) is written in the file/);
    assert.deepEqual(report.errors, []);
  });

  test('no output format prints a value found in a file of no dialect', async () => {
    const cwd = workspace({ '.env': `AWS_ACCESS_KEY_ID=${ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\nGH=${GITHUB}\n`, 'key.json': GCP_KEY });
    for (const format of ['text', 'json', 'sarif']) {
      const run = await runCli(['scan', '--format', format], { cwd });
      assert.equal(run.code, 1, format);
      for (const value of [ID, SECRET, GITHUB, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj']) {
        assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), `${format} prints a credential value`);
      }
    }
  });

  test('a Helm template that is not YAML: no syntax error, a literal key still found, keys in comments not', async () => {
    const cwd = workspace({
      'chart/templates/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "x" . }}\n  {{- include "labels" . | nindent 4 }}\nstringData:\n  token: ${GITHUB}\n  # old: ${ID}\n`,
      // Broken YAML outside a chart is no one's syntax error either, and still searched.
      'conf/broken.yml': `a: [\nb: "${GITHUB}"\n`,
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['chart/templates/secret.yaml:7:10 hardcoded-secret', 'conf/broken.yml:2:5 hardcoded-secret']);
    assert.deepEqual((JSON.parse(run.stdout) as { errors: unknown[] }).errors, []);
    assert.match(run.stderr, /note: chart\/templates\/secret\.yaml: Helm template: searched for credential values only/);
  });

  test('CloudFormation *.template files, JSON or YAML, are read by content; other *.template files are not', async () => {
    const cwd = workspace({
      'cfn/iam.template': JSON_TEMPLATE,
      'cfn/iam-yaml.template': YAML_TEMPLATE,
      'cfn/iam.template.json': JSON_TEMPLATE,
      'cfn/iam.template.yaml': YAML_TEMPLATE,
      'nginx/site.conf.template': `server { listen 80; } # ${GITHUB}\n`,
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), [
      'cfn/iam-yaml.template:3:3 long-lived-key',
      'cfn/iam.template:4:5 long-lived-key',
      'cfn/iam.template.json:4:5 long-lived-key',
      'cfn/iam.template.yaml:3:3 long-lived-key',
    ]);
  });

  test('a named .env or .template file is scanned; a named file of another kind gets a note that lists what is read', async () => {
    const cwd = workspace({ 'prod.env': `T=${GITHUB}\n`, 'stack.template': YAML_TEMPLATE, 'README.md': `${GITHUB}\n` });
    const run = await runCli(['scan', '--format', 'json', 'prod.env', 'stack.template', 'README.md'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['prod.env:1:3 hardcoded-secret', 'stack.template:3:3 long-lived-key']);
    assert.match(run.stderr, /note: README\.md: not scanned: Keyless reads \.tf, \.tfvars, \.hcl, \.json, \.yml, \.yaml, \.env and CloudFormation \.template files/);
  });

  test('a nested .gitignore re-includes with `!` what a parent excludes, also when the scan starts below the top', async () => {
    const root = workspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.env\ngenerated/\n',
      'deploy/.gitignore': '!ci.env\n',
      'deploy/ci.env': `TOKEN=${GITHUB}\n`,
      'deploy/local.env': `TOKEN=${GITHUB}\n`,
      'generated/.gitignore': '!*.env\n',
      'generated/ci.env': `TOKEN=${GITHUB}\n`,
    });
    const all = await runCli(['scan', '--format', 'json'], { cwd: root });
    assert.deepEqual(findingKeys(all.stdout), ['deploy/ci.env:1:7 hardcoded-secret']);
    const below = await runCli(['scan', '--format', 'json', 'deploy'], { cwd: root });
    assert.deepEqual(findingKeys(below.stdout), ['deploy/ci.env:1:7 hardcoded-secret']);
    const inside = await runCli(['scan', '--format', 'json'], { cwd: `${root}/deploy` });
    assert.deepEqual(findingKeys(inside.stdout), ['ci.env:1:7 hardcoded-secret']);
  });
});
