/**
 * One small file per way a credential value has leaked into Keyless's output (issue 7, "Hostile
 * input"), each with its own fake AWS key pair so that a failure names its class. Shared by the
 * CLI's redaction test (text, JSON, SARIF), the language server's (diagnostics, related
 * information, hover, log) and the mutation fuzzer (as seeds).
 *
 * The values are fake but shaped as the detectors and the redactor expect: an id of `AKIA` and 16
 * capitals or digits, a secret of 40 base64 characters mixing cases, digits and `/`.
 */

export interface LeakClass {
  /** What leaked, as the issue put it. */
  name: string;
  /** Workspace-relative path: it decides the dialect. */
  path: string;
  text: string;
  keyId: string;
  secret: string;
  /** Where the planted value is quoted: a message, a parser error, or a printed source line. */
  quotedIn: 'message' | 'parse-error' | 'source-line';
  /**
   * Text the report must carry to prove the leak site was exercised: the masked name in a message,
   * the masked parser error, or (text format only) the masked source line.
   */
  marker: string;
  /** The rule whose finding quotes the value (undefined for a parser error). */
  rule?: string;
}

/** A fake key pair whose parts carry `tag` (up to 8 capitals), so each class has its own. */
export function fakeKeyPair(tag: string): { keyId: string; secret: string } {
  const id = `AKIA${`${tag}XQ7Z4K2M9W3R5T8Y`.slice(0, 16)}`;
  const lower = tag.toLowerCase();
  const secret = `${`Fk3${lower}/`}${'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Lr2Vt'}`.slice(0, 40);
  return { keyId: id, secret };
}

/**
 * A secret with no digit (letters and `/` only: one AWS secret in some four thousand has none).
 * Printed source lines used to be masked by a random-looking test that wants a digit, so the
 * source-line classes plant one of these.
 */
export function digitlessSecret(tag: string): string {
  return `${tag.toLowerCase().replace(/[^a-z]/g, '')}/wJalrXUtnFEMI/KzMDENG/bPxRfiCYzqLrVtAbCdEfGh`.slice(0, 40);
}

function leak(
  name: string,
  tag: string,
  build: (id: string, secret: string) => Omit<LeakClass, 'name' | 'keyId' | 'secret'>,
  override: { keyId?: string; secret?: string } = {},
): LeakClass {
  const pair = fakeKeyPair(tag);
  const keyId = override.keyId ?? pair.keyId;
  const secret = override.secret ?? pair.secret;
  return { name, keyId, secret, ...build(keyId, secret) };
}

export const LEAK_CLASSES: readonly LeakClass[] = [
  leak('a CloudFormation logical id holding a key pair (message)', 'CFNID', (id, secret) => ({
    path: 'cfn/template.yaml',
    text: `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  CiKey${id}${secret}:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: ci\n`,
    quotedIn: 'message',
    marker: 'AWS::IAM::AccessKey "CiKe…',
    rule: 'long-lived-key',
  })),
  leak('a Terraform label holding a key pair (message)', 'TFLABEL', (id, secret) => ({
    path: 'tf/keys.tf',
    text: `resource "aws_iam_access_key" "ci_${id}_${secret}" {\n  user = "ci"\n}\n`,
    quotedIn: 'message',
    marker: '"ci_AKIA…',
    rule: 'long-lived-key',
  })),
  leak('an Azure federated credential name holding a key pair (message)', 'AZFED', (id, secret) => ({
    path: 'tf/azure.tf',
    text:
      `resource "azuread_application_federated_identity_credential" "deploy-${id}-${secret}" {\n` +
      `  application_id = azuread_application.deploy.id\n` +
      `  display_name   = "deploy-${id}-${secret}"\n` +
      `  issuer         = "https://token.actions.githubusercontent.com"\n` +
      `  audiences      = ["api://AzureADTokenExchange"]\n` +
      `  subject        = "repo:acme/app:*"\n` +
      `}\n`,
    quotedIn: 'message',
    marker: 'Federated credential "deploy-AKIA…',
    rule: 'oidc-trust-unscoped',
  })),
  leak('a GCP attribute condition holding a key pair (message)', 'GCPCOND', (id, secret) => ({
    path: 'tf/gcp.tf',
    text:
      `resource "google_iam_workload_identity_pool_provider" "github" {\n` +
      `  workload_identity_pool_id          = "github"\n` +
      `  workload_identity_pool_provider_id = "github"\n` +
      `  attribute_mapping                  = { "google.subject" = "assertion.sub" }\n` +
      `  attribute_condition                = "assertion.repository_owner == '${id}${secret}'"\n` +
      `  oidc {\n    issuer_uri = "https://token.actions.githubusercontent.com"\n  }\n` +
      `}\n`,
    quotedIn: 'message',
    marker: "(`assertion.repository_owner == 'AKIA…",
    rule: 'oidc-trust-unscoped',
  })),
  leak('a Kubernetes Secret name holding a key pair (message)', 'KSNAME', (id, secret) => ({
    path: 'k8s/token.yaml',
    text:
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token-${id}-${secret}\n  annotations:\n` +
      `    kubernetes.io/service-account.name: ci\ntype: kubernetes.io/service-account-token\n`,
    quotedIn: 'message',
    marker: 'Secret "ci-token-AKIA…',
    rule: 'long-lived-key',
  })),
  leak('a YAML parser error quoting the source', 'YAMLERR', (id, secret) => ({
    path: '.github/workflows/broken.yml',
    text: `name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: | ${id} ${secret}\n`,
    quotedIn: 'parse-error',
    marker: 'Not a YAML token: AKIA…',
  })),
  leak('a secret inside an HCL ${"…"} (source line)', 'HCLINTERP', (id, secret) => ({
    path: 'tf/interp.tf',
    text: `locals {\n  pair = "\${"${id}"}:\${"${secret}"}"\n}\n`,
    quotedIn: 'source-line',
    marker: `pair = "\${"AKIA${'*'.repeat(14)}`,
    rule: 'hardcoded-secret',
  }), { secret: digitlessSecret('HCLINTERP') }),
  // A repetitive id glued to a word does not look random as a whole: only its shape tells.
  leak('an access key id glued to letters (source line)', 'GLUED', (id, secret) => ({
    path: 'tf/glued.tf',
    text: `provider "aws" { access_key = "access${id}" }\nresource "aws_ssm_parameter" "k" {\n  value = "${secret}"\n}\n`,
    quotedIn: 'source-line',
    marker: `provider "aws" { access_key = "accessAKIA${'*'.repeat(14)}`,
    rule: 'provider-static-credentials',
  }), { keyId: 'AKIAEEEEEEEEEEEEEEEE' }),
  leak('a YAML anchor name (source line)', 'ANCHOR', (id, secret) => ({
    path: '.github/workflows/anchor.yml',
    text:
      `name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n` +
      `      AWS_ACCESS_KEY_ID: &k${secret} ${id}\n    steps:\n      - run: aws s3 ls\n`,
    quotedIn: 'source-line',
    marker: 'AWS_ACCESS_KEY_ID: &kanc*',
    rule: 'static-cloud-credentials',
  }), { secret: digitlessSecret('ANCHOR') }),
  leak('the second string of a JSON array (source line)', 'JSONARR', (id, secret) => ({
    path: 'policy/keys.json',
    text: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["${id}", "${secret}"], "Resource": "*"}]}\n`,
    quotedIn: 'source-line',
    marker: `"Action": ["AKIA${'*'.repeat(14)}`,
    rule: 'hardcoded-secret',
  }), { secret: digitlessSecret('JSONARR') }),
];

/** The planted values of a class that appear in `output`, by kind (never the values themselves). */
export function plantedIn(leak: Pick<LeakClass, 'keyId' | 'secret'>, output: string): string[] {
  const found: string[] = [];
  if (output.includes(leak.keyId)) found.push('the access key id');
  if (output.includes(leak.secret)) found.push('the secret access key');
  return found;
}
