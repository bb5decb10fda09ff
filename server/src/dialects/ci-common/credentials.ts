import type { Cloud, PackageRegistry, SecretKind } from '../../facts/model';
import { looksRandom } from '../../secrets/detectors';
import { flagValue, hasFlag, type ShellCommand } from '../../syntax/shell';

/**
 * What CI pipelines (GitHub Actions and GitLab CI alike) use to hold long-lived cloud keys and
 * registry tokens: the environment variables the clouds' SDKs and CLIs read, the commands that log
 * in with a key, and the publish commands of registries that support trusted publishing.
 */

export interface KeyVariable {
  cloud: Cloud;
  kind: SecretKind;
  /** Only a credential together with a primary one (a session token without its key pair means nothing). */
  companion?: boolean;
}

/** Environment variables that hand a job long-lived cloud credentials. */
export const CI_KEY_VARIABLES: Readonly<Record<string, KeyVariable>> = {
  AWS_ACCESS_KEY_ID: { cloud: 'aws', kind: 'aws-access-key-id' },
  AWS_SECRET_ACCESS_KEY: { cloud: 'aws', kind: 'aws-secret-access-key' },
  AWS_SESSION_TOKEN: { cloud: 'aws', kind: 'aws-session-token', companion: true },
  GOOGLE_CREDENTIALS: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  GOOGLE_CLOUD_KEYFILE_JSON: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  GCLOUD_KEYFILE_JSON: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  GOOGLE_APPLICATION_CREDENTIALS: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  AZURE_CLIENT_SECRET: { cloud: 'azure', kind: 'azure-client-secret' },
  ARM_CLIENT_SECRET: { cloud: 'azure', kind: 'azure-client-secret' },
  AZURE_CLIENT_CERTIFICATE_PASSWORD: { cloud: 'azure', kind: 'azure-client-secret' },
  ARM_CLIENT_CERTIFICATE_PASSWORD: { cloud: 'azure', kind: 'azure-client-secret' },
  VAULT_TOKEN: { cloud: 'vault', kind: 'vault-token' },
  // The Static Web Apps CLI reads its deployment token from here (`swa deploy`, azure.github.io/static-web-apps-cli).
  SWA_CLI_DEPLOYMENT_TOKEN: { cloud: 'azure', kind: 'azure-deployment-token' },
};

export type CiValueKind = 'secret-reference' | 'variable-reference' | 'expression' | 'credential-literal' | 'other-literal' | 'empty';

/**
 * How a CI variable's value is given. References and expressions are real credentials flowing in
 * from the CI's secret store. A literal counts only when it looks like a credential: jobs that
 * test against LocalStack, moto or MinIO set `AWS_ACCESS_KEY_ID: test`, and those are not keys.
 */
export function classifyCiValue(value: string | undefined): CiValueKind {
  const text = (value ?? '').trim();
  if (text === '') return 'empty';
  if (/^\$\{\{\s*secrets\.[A-Za-z0-9_-]+\s*\}\}$/.test(text)) return 'secret-reference';
  if (text.includes('${{')) return 'expression';
  if (/^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(text)) return 'variable-reference';
  return isCredentialShaped(text) ? 'credential-literal' : 'other-literal';
}

export function isCredentialShaped(value: string): boolean {
  if (/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/.test(value)) return true;
  if (/^[A-Za-z0-9/+]{40}$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  if (/^(?:gh[pousr]_|github_pat_|glpat-|npm_|pypi-AgE)/.test(value)) return true;
  if (value.includes('-----BEGIN') || /"type"\s*:\s*"service_account"/.test(value)) return true;
  return value.length >= 20 && looksRandom(value);
}

/** A value that comes from somewhere else (a secret, a variable, an expression) rather than being written out. */
export function isReference(kind: CiValueKind): boolean {
  return kind === 'secret-reference' || kind === 'variable-reference' || kind === 'expression';
}

// --------------------------------------------------------------------------------------------
// Commands that log in with a long-lived key

export interface StaticLogin {
  cloud: Cloud;
  mechanism: string;
  /** The credential's flag and kind, where the command takes something other than a cloud key (a deployment token). */
  credential?: { name: string; kind: SecretKind };
}

export function staticLogin(command: ShellCommand): StaticLogin | undefined {
  const w = command.words;
  if (w[0] === 'aws' && w[1] === 'configure' && w[2] === 'set' && /^(?:(?:default|profile\.[^.]+)\.)?aws_(?:access_key_id|secret_access_key)$/.test(w[3] ?? '')) {
    return { cloud: 'aws', mechanism: 'aws configure set' };
  }
  if (w[0] === 'gcloud' && w.includes('activate-service-account') && hasFlag(w, '--key-file')) {
    return { cloud: 'gcp', mechanism: 'gcloud auth activate-service-account --key-file' };
  }
  if (w[0] === 'az' && w[1] === 'login' && hasFlag(w, '--service-principal') && hasFlag(w, '-p', '--password', '--secret', '--client-secret') && !hasFlag(w, '--federated-token')) {
    return { cloud: 'azure', mechanism: 'az login --service-principal with a secret' };
  }
  // `swa deploy --deployment-token …`, also through npx (`npx @azure/static-web-apps-cli deploy`).
  const swa = w.findIndex((x, i) => i < 3 && (x === 'swa' || /^@azure\/static-web-apps-cli(?:@[^\s]*)?$/.test(x)));
  if (swa !== -1 && w[swa + 1] === 'deploy' && (flagValue(w, '--deployment-token', '-d') ?? '') !== '') {
    return { cloud: 'azure', mechanism: 'swa deploy', credential: { name: '--deployment-token', kind: 'azure-deployment-token' } };
  }
  if (w[0] === 'vault' && w[1] === 'login') {
    const method = flagValue(w, '-method', '--method')?.toLowerCase();
    const positional = w.slice(2).filter((x) => !x.startsWith('-'));
    if ((method === undefined || method === 'token') && positional.length > 0) return { cloud: 'vault', mechanism: 'vault login with a token' };
    if (method && ['userpass', 'ldap', 'approle', 'github', 'radius', 'okta'].includes(method)) return { cloud: 'vault', mechanism: `vault login -method=${method}` };
  }
  return undefined;
}

// --------------------------------------------------------------------------------------------
// Package publishing with a registry token

export interface PublishCommand {
  registry: PackageRegistry;
  tool: string;
  /** Environment variables the tool reads its token from. */
  tokenVariables: readonly string[];
  /** A token passed on the command line, as written (`${{ secrets.X }}`, `$X`). */
  tokenArgument: string | undefined;
}

const NPM_TOKEN_VARIABLES = ['NODE_AUTH_TOKEN', 'NPM_TOKEN', 'NPM_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN', 'NPM_CONFIG__AUTHTOKEN', 'npm_config__authToken'];
const PYPI_TOKEN_VARIABLES = ['TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'POETRY_HTTP_BASIC_PYPI_PASSWORD', 'FLIT_PASSWORD', 'HATCH_INDEX_AUTH', 'PYPI_TOKEN', 'PYPI_API_TOKEN'];

const NPMJS = /^https?:\/\/registry\.(?:npmjs\.org|yarnpkg\.com)\/?$/i;
const PYPI = /^https?:\/\/(?:upload\.pypi\.org|test\.pypi\.org)\/legacy\/?$/i;
const NUGET = /^https?:\/\/(?:api\.nuget\.org|www\.nuget\.org)\//i;

/**
 * A command that publishes to a registry supporting trusted publishing, or undefined. A publish
 * to another registry (a private npm registry, an alternative cargo registry, a custom PyPI index)
 * is not one: trusted publishing cannot replace its token.
 */
export function publishCommand(command: ShellCommand): PublishCommand | undefined {
  const w = command.words;
  const dryRun = hasFlag(w, '--dry-run', '-n') || w.includes('--dry-run');
  // npm, yarn (classic and berry), pnpm
  const npmLike =
    (w[0] === 'npm' && w[1] === 'publish') ||
    (w[0] === 'pnpm' && w.includes('publish')) ||
    (w[0] === 'yarn' && (w[1] === 'publish' || (w[1] === 'npm' && w[2] === 'publish')));
  if (npmLike) {
    if (hasFlag(w, '--dry-run')) return undefined;
    const registry = flagValue(w, '--registry');
    if (registry && !NPMJS.test(registry)) return undefined;
    return { registry: 'npm', tool: w[0] === 'yarn' && w[1] === 'npm' ? 'yarn npm publish' : `${w[0]} publish`, tokenVariables: NPM_TOKEN_VARIABLES, tokenArgument: undefined };
  }
  // cargo [+toolchain] publish
  if (w[0] === 'cargo') {
    const sub = w[1]?.startsWith('+') ? w[2] : w[1];
    if (sub !== 'publish' || dryRun) return undefined;
    const registry = flagValue(w, '--registry');
    if (registry && registry !== 'crates-io') return undefined;
    return { registry: 'crates', tool: 'cargo publish', tokenVariables: ['CARGO_REGISTRY_TOKEN'], tokenArgument: flagValue(w, '--token') };
  }
  // twine upload, python -m twine upload
  const twineAt = w[0] === 'twine' ? 0 : w[0]?.startsWith('python') && w[1] === '-m' && w[2] === 'twine' ? 2 : -1;
  if (twineAt >= 0 && w[twineAt + 1] === 'upload') {
    const url = flagValue(w, '--repository-url');
    const repository = flagValue(w, '-r', '--repository');
    if ((url && !PYPI.test(url)) || (repository && !['pypi', 'testpypi'].includes(repository))) return undefined;
    return { registry: 'pypi', tool: 'twine upload', tokenVariables: PYPI_TOKEN_VARIABLES, tokenArgument: flagValue(w, '-p', '--password') };
  }
  if ((w[0] === 'uv' || w[0] === 'poetry' || w[0] === 'flit' || w[0] === 'hatch' || w[0] === 'pdm') && w[1] === 'publish' && !dryRun) {
    const url = flagValue(w, '--publish-url', '--repository-url', '--repository', '-r', '--repo');
    if (url && /^https?:/.test(url) && !PYPI.test(url)) return undefined;
    if (url && !/^https?:/.test(url) && !['pypi', 'testpypi'].includes(url)) return undefined;
    return { registry: 'pypi', tool: `${w[0]} publish`, tokenVariables: PYPI_TOKEN_VARIABLES, tokenArgument: flagValue(w, '--token', '-t', '--password', '-p') };
  }
  if (w[0] === 'gem' && w[1] === 'push') {
    const host = flagValue(w, '--host');
    if (host && !/^https?:\/\/rubygems\.org\/?$/.test(host)) return undefined;
    return { registry: 'rubygems', tool: 'gem push', tokenVariables: ['GEM_HOST_API_KEY', 'RUBYGEMS_API_KEY'], tokenArgument: undefined };
  }
  const nugetPush = (w[0] === 'dotnet' && w[1] === 'nuget' && w[2] === 'push') || (/^nuget(?:\.exe)?$/i.test(w[0] ?? '') && w[1]?.toLowerCase() === 'push');
  if (nugetPush) {
    const source = flagValue(w, '--source', '-s', '-Source');
    if (source && !NUGET.test(source) && source.toLowerCase() !== 'nuget.org') return undefined;
    return { registry: 'nuget', tool: 'nuget push', tokenVariables: ['NUGET_API_KEY', 'NUGET_AUTH_TOKEN'], tokenArgument: flagValue(w, '--api-key', '-k', '-ApiKey') };
  }
  return undefined;
}

/** `//registry.npmjs.org/:_authToken=${NPM_TOKEN}` written to an .npmrc: a token reference in a script. */
export const NPMRC_TOKEN = /\/\/registry\.npmjs\.org\/:_authToken=\S+/;
