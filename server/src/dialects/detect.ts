import type { Dialect } from '../core/dialect';
import { deref, get, getPair, isMap, isSeq, itemsOf, pairsOf, str, type DataNode } from '../syntax/tree';

/**
 * Which kind of file this is (a `Dialect`): decided by path where the path is conventional, else by
 * content, because real repositories keep workflows outside `.github/workflows/` and name
 * CloudFormation templates anything.
 */

export const DIALECT_NAMES: Record<Dialect, string> = {
  'github-actions': 'GitHub Actions',
  'gitlab-ci': 'GitLab CI',
  cloudformation: 'CloudFormation',
  kubernetes: 'Kubernetes',
  terraform: 'Terraform',
  'iam-policy': 'IAM policy',
};

export type Syntax = 'yaml' | 'json' | 'hcl' | 'dotenv';

/**
 * The syntax a file is parsed with, or null for files Keyless does not read. The name decides,
 * except for `*.template`, the name the AWS samples give CloudFormation templates in either JSON
 * or YAML: the text decides those (see `templateSyntax`), and without the text they are null.
 */
export function syntaxOf(path: string, text?: string): Syntax | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf.json') || lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.tf') || lower.endsWith('.tfvars')) return 'hcl';
  if (lower.endsWith('.hcl')) return isGeneratedHcl(lower) ? null : 'hcl';
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  if (isDotenvName(lower)) return 'dotenv';
  if (lower.endsWith('.template') && text !== undefined) return templateSyntax(text);
  return null;
}

/**
 * Whether Keyless reads a file of this name: what a folder walk, the editor and the workspace index
 * ask before reading it. True for every name `syntaxOf` gives a syntax, and for `*.template`.
 */
export function readsFile(path: string): boolean {
  return syntaxOf(path) !== null || path.toLowerCase().endsWith('.template');
}

/**
 * HCL that is not Terraform (Terragrunt's `terragrunt.hcl`, Packer's `*.pkr.hcl`, Nomad jobs, Vault
 * policies): searched for credential values only, since the Terraform reader does not apply.
 */
export function isTerraformPath(path: string): boolean {
  return !path.toLowerCase().endsWith('.hcl');
}

/**
 * `terraform init` writes `.terraform.lock.hcl` next to every root module, and it holds provider
 * versions and checksums only (Terraform docs, "Dependency Lock File"): never worth a parse.
 */
function isGeneratedHcl(lower: string): boolean {
  return lower === '.terraform.lock.hcl' || lower.endsWith('/.terraform.lock.hcl') || lower.endsWith('\\.terraform.lock.hcl');
}

/**
 * `.env`, `.env.<anything>` (`.env.production`, `.env.local`, `.env.example`) and `<anything>.env`:
 * the names dotenv libraries, Docker Compose (`env_file:`) and direnv-style tooling load.
 */
function isDotenvName(lower: string): boolean {
  const base = lower.slice(Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('\\')) + 1);
  return base === '.env' || base.startsWith('.env.') || (base.endsWith('.env') && base.length > '.env'.length);
}

/**
 * A `*.template` file's syntax by its text: read only when it can be a CloudFormation template (it
 * names `AWSTemplateFormatVersion` or an `AWS::` type, which detection requires anyway), as JSON
 * when it starts with `{`, else as YAML. Other `*.template` files (nginx.conf.template, Jinja) are
 * not read: a plain substring test spares them a parse.
 */
export function templateSyntax(text: string): Syntax | null {
  if (!text.includes('AWSTemplateFormatVersion') && !text.includes('AWS::')) return null;
  return /^\uFEFF?\s*\{/.test(text) ? 'json' : 'yaml';
}

const WORKFLOW_PATH = /(?:^|[\\/])\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i;
const ACTION_PATH = /(?:^|[\\/])action\.ya?ml$/i;
const GITLAB_PATH = /(?:^|[\\/])(?:[^\\/]*\.)?gitlab-ci\.ya?ml$/i;
const HELM_TEMPLATE_PATH = /(?:^|[\\/])templates[\\/]/;

export type Detection =
  | { dialect: Dialect }
  | { dialect: null; note?: string };

/** Detection for a YAML stream: `documents` are the roots of its documents. */
export function detectYaml(path: string, text: string, documents: readonly (DataNode | null)[]): Detection {
  if (HELM_TEMPLATE_PATH.test(path) && text.includes('{{')) {
    return { dialect: null, note: 'Helm template: searched for credential values only; Keyless reads rendered manifests, not chart templates ({{ }} is not YAML)' };
  }
  const first = documents.find((d) => d !== null) ?? null;
  if (WORKFLOW_PATH.test(path) || (ACTION_PATH.test(path) && isCompositeAction(first))) return { dialect: 'github-actions' };
  if (GITLAB_PATH.test(path)) return { dialect: 'gitlab-ci' };
  if (isWorkflow(first) || isCompositeAction(first)) return { dialect: 'github-actions' };
  if (documents.some(isCloudFormation)) return { dialect: 'cloudformation' };
  if (documents.some(isKubernetesObject)) return { dialect: 'kubernetes' };
  if (isGitLabPipeline(first)) return { dialect: 'gitlab-ci' };
  return { dialect: null };
}

export function detectJson(path: string, root: DataNode | null): Detection {
  if (path.toLowerCase().endsWith('.tf.json')) return { dialect: 'terraform' };
  if (isCloudFormation(root)) return { dialect: 'cloudformation' };
  if (isPolicyDocument(root)) return { dialect: 'iam-policy' };
  if (isKubernetesObject(root)) return { dialect: 'kubernetes' };
  return { dialect: null };
}

/** `on:` and `jobs:` whose jobs run steps or call reusable workflows. */
export function isWorkflow(root: DataNode | null): boolean {
  if (!isMap(deref(root)) || (!getPair(root, 'on') && !getPair(root, 'true'))) return false;
  const jobs = get(root, 'jobs');
  return pairsOf(jobs).some((job) => isMap(deref(job.value)) && (getPair(job.value, 'steps') || getPair(job.value, 'runs-on') || getPair(job.value, 'uses')));
}

function isCompositeAction(root: DataNode | null): boolean {
  const runs = get(root, 'runs');
  return isMap(runs) && (getPair(runs, 'steps') !== undefined || getPair(runs, 'using') !== undefined);
}

export function isCloudFormation(root: DataNode | null): boolean {
  if (!isMap(deref(root))) return false;
  if (getPair(root, 'AWSTemplateFormatVersion')) return true;
  const resources = get(root, 'Resources');
  return pairsOf(resources).some((r) => /^AWS::/.test(str(get(r.value, 'Type')) ?? ''));
}

export function isKubernetesObject(root: DataNode | null): boolean {
  return isMap(deref(root)) && typeof str(get(root, 'apiVersion')) === 'string' && typeof str(get(root, 'kind')) === 'string';
}

export function isPolicyDocument(root: DataNode | null): boolean {
  if (!isMap(deref(root)) || !getPair(root, 'Statement')) return false;
  const statement = get(root, 'Statement');
  return getPair(root, 'Version') !== undefined && (isSeq(statement) || isMap(statement));
}

/** Top-level keys GitLab reserves; every other top-level mapping is a job or a hidden template. */
export const GITLAB_KEYWORDS = new Set([
  'default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache',
  'before_script', 'after_script', 'spec', 'pages',
]);

const GITLAB_JOB_KEYS = ['stage', 'image', 'rules', 'only', 'except', 'needs', 'tags', 'artifacts', 'extends', 'before_script', 'environment', 'id_tokens'];

function isGitLabPipeline(root: DataNode | null): boolean {
  if (!isMap(deref(root)) || getPair(root, 'jobs') || getPair(root, 'on')) return false;
  const hasStages = isSeq(get(root, 'stages'));
  return pairsOf(root).some((pair) => {
    if (GITLAB_KEYWORDS.has(pair.key) && pair.key !== 'pages') return false;
    const job = deref(pair.value);
    if (!isMap(job)) return false;
    const script = get(job, 'script');
    const runs = script !== null && (isSeq(script) || typeof str(script) === 'string');
    return runs && (hasStages || GITLAB_JOB_KEYS.some((k) => getPair(job, k)));
  });
}

/** The objects of a Kubernetes document, unwrapping `kind: List`. */
export function kubernetesObjects(root: DataNode | null): DataNode[] {
  if (!isKubernetesObject(root)) return [];
  if (/List$/.test(str(get(root, 'kind')) ?? '') && isSeq(get(root, 'items'))) {
    return itemsOf(get(root, 'items')).filter(isKubernetesObject);
  }
  return [deref(root)!];
}
