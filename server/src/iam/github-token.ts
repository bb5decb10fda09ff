/**
 * What the GITHUB_TOKEN of a GitHub Actions job may do, scope by scope, and what the common actions
 * and commands need of it: the data `workflow-permissions` judges and writes minimal `permissions:`
 * blocks from, and the hover explains. Tables only; `dialects/github-actions/token-needs.ts` reads
 * a job's steps against them.
 *
 * Written from each action's own README or action.yml (named per row) and from GitHub's docs;
 * nothing here is taken from step-security's knowledge base (AGPL).
 */

export type TokenLevel = 'read' | 'write';

/** Scopes and the level each needs: `{ contents: 'read' }`. */
export type ScopeLevels = Readonly<Record<string, TokenLevel>>;

export interface TokenScope {
  /** What the scope covers: "the code, commits, branches, tags and releases". */
  subject: string;
  /** What `read` lets the token do; absent where GitHub has no read level (`id-token`). */
  read?: string;
  /** What `write` adds; absent where GitHub has no write level (`models`). Write includes read. */
  write?: string;
  /**
   * Whether a fix spelling out `read-all` lists it: the scopes every GitHub (github.com and
   * Enterprise Server alike) accepts with `read`, so the spelled-out block is valid wherever the
   * shorthand was.
   */
  inReadAll: boolean;
}

/**
 * The scopes of `permissions:`. Source: GitHub Docs, "Controlling permissions for GITHUB_TOKEN" and
 * "Workflow syntax: permissions" (the table of permissions and what each allows), read 2025.
 */
export const TOKEN_SCOPES: Readonly<Record<string, TokenScope>> = {
  actions: { subject: 'workflow runs, artifacts and caches', read: 'list runs and download artifacts', write: 'cancel and re-run workflows, delete caches and artifacts', inReadAll: true },
  'artifact-metadata': { subject: 'artifact metadata', read: 'read the storage records of artifacts', write: 'create storage records for built artifacts', inReadAll: false },
  attestations: { subject: 'artifact attestations', read: 'read attestations', write: 'store signed attestations for builds', inReadAll: true },
  checks: { subject: 'check runs and suites', read: 'read check runs', write: 'create and update check runs', inReadAll: true },
  'code-quality': { subject: 'code quality results', read: 'read code quality results', write: 'upload reports such as code coverage', inReadAll: false },
  contents: { subject: 'the code, commits, branches, tags and releases', read: 'clone the repository and read its releases', write: 'push commits and tags, create releases', inReadAll: true },
  deployments: { subject: 'deployments', read: 'list deployments', write: 'create deployments and their statuses', inReadAll: true },
  discussions: { subject: 'GitHub Discussions', read: 'read discussions', write: 'comment on, close and delete discussions', inReadAll: true },
  'id-token': { subject: 'OIDC tokens', write: 'request an OIDC token, which clouds and registries exchange for credentials', inReadAll: false },
  issues: { subject: 'issues', read: 'read issues and their comments', write: 'open, edit, label, close and comment on issues', inReadAll: true },
  models: { subject: 'GitHub Models', read: 'call the GitHub Models inference API', inReadAll: false },
  packages: { subject: 'GitHub Packages', read: 'pull packages and container images', write: 'publish and delete packages and container images', inReadAll: true },
  pages: { subject: 'GitHub Pages', read: 'read the Pages site and its builds', write: 'build and deploy the site', inReadAll: true },
  'pull-requests': { subject: 'pull requests', read: 'read pull requests and their reviews', write: 'open, edit, label, review and comment on pull requests', inReadAll: true },
  'repository-projects': { subject: 'classic projects', read: 'read classic project boards', write: 'edit classic project boards', inReadAll: true },
  'security-events': { subject: 'code scanning alerts', read: 'list code scanning alerts', write: 'upload SARIF results and dismiss alerts', inReadAll: true },
  statuses: { subject: 'commit statuses', read: 'read commit statuses', write: 'set the status shown beside a commit', inReadAll: true },
  'vulnerability-alerts': { subject: 'Dependabot alerts', read: 'list Dependabot alerts', inReadAll: false },
};

/** The levels GitHub accepts for a scope besides `none`. */
export function scopeLevels(scope: TokenScope): TokenLevel[] {
  return [...(scope.read ? ['read' as const] : []), ...(scope.write ? ['write' as const] : [])];
}

/** What the shorthands grant, for the hover. Source: the same page ("read-all", "write-all", `{}`). */
export const TOKEN_SHORTHANDS: Readonly<Record<string, string>> = {
  'write-all': 'every scope at write: push code and tags, create releases, approve and label pull requests, publish packages, deploy Pages, request an OIDC token',
  'read-all': 'every scope at read: the code, issues, pull requests, packages, Actions artifacts and code scanning alerts',
  '{}': 'no scope at all: the token can read only public data',
};

/**
 * The events whose runs act on what people outside the repository control, with the repository's
 * own token: a pull request from a fork (`pull_request_target`), the run a fork's pull request
 * started and its artifacts (`workflow_run`), anyone's comment (`issue_comment`). zizmor's
 * dangerous-triggers audit names these three (crates/zizmor/src/audit/dangerous_triggers.rs);
 * GitHub's warning on `pull_request_target` says why ("Events that trigger workflows": the token is
 * granted read/write repository permission even when triggered from a fork). Events such as
 * `pull_request` from a fork get a read-only token, so they are not here.
 */
export const UNTRUSTED_TRIGGERS: Readonly<Record<string, string>> = {
  pull_request_target: 'runs with the base repository\'s token and secrets for pull requests anyone can open from a fork',
  workflow_run: 'runs with the repository\'s token after another workflow, which a fork\'s pull request may have started, and often handles its artifacts',
  issue_comment: 'runs with the repository\'s token on comments anyone can write',
};

// ---------------------------------------------------------------------------------------------
// Actions

/** An input condition: the input is set (to anything but `false`, `never` or empty), and, with `matches`, its value matches. */
export interface InputCondition {
  input: string;
  matches?: RegExp;
}

export interface ActionTokenNeed {
  /** `owner/repo` or `owner/repo/path`, lower-case, as a step's `uses:` names it (any ref). */
  action: string;
  /** What the job's token needs for the step; `{}` for nothing. */
  scopes: ScopeLevels;
  /** Only when this input condition holds (a row without it always applies). */
  when?: InputCondition;
  /**
   * The inputs the action takes its credential from (default: the job's token). Set to another
   * token (`${{ secrets.RELEASE_PAT }}`) or a key, the row needs nothing of the job's token.
   */
  tokenInputs?: readonly string[];
  /** The step's needs are in its own input (a script): no table can say them. */
  opaque?: true;
  source: string;
}

/** The tools' token input, when it is one of these, is the job's own token. */
export const JOB_TOKEN = /\$\{\{\s*(?:github\.token|secrets\.GITHUB_TOKEN)\s*\}\}/i;

const SETUP_TOKEN = 'action.yml: its `token` input only downloads tool versions from public github.com repositories, which needs no scope of this repository';
const RUNTIME_TOKEN = 'the Actions runtime token, not the GITHUB_TOKEN\'s scopes: download-artifact README ("the permissions are scoped so they can only download Artifacts within the current workflow run")';
/** OIDC logins need `id-token: write`, which the inference takes from the job's login facts (the reading `oidc-missing-id-token-permission` judges), not from these rows. */
const OIDC_LOGIN = 'nothing else of the token; `id-token: write` when it logs in by OIDC comes from the job\'s login facts';

/**
 * Actions and what they need of the job's token. Several rows of one action add up (a base row and
 * the rows whose input conditions hold). An action not listed here is one Keyless cannot infer.
 */
export const ACTION_TOKEN_NEEDS: readonly ActionTokenNeed[] = [
  { action: 'actions/checkout', scopes: { contents: 'read' }, tokenInputs: ['token', 'ssh-key'], source: 'actions/checkout README, "Recommended permissions" ("unless alternative auth is provided via the `token` or `ssh-key` inputs")' },
  { action: 'actions/upload-artifact', scopes: {}, source: RUNTIME_TOKEN },
  { action: 'actions/download-artifact', scopes: {}, source: RUNTIME_TOKEN },
  { action: 'actions/download-artifact', scopes: { actions: 'read' }, when: { input: 'github-token' }, tokenInputs: ['github-token'], source: 'actions/download-artifact README, "Download Artifacts from other Workflow Runs or Repositories" (a token with actions:read)' },
  { action: 'actions/cache', scopes: {}, source: 'actions/cache: the cache service takes the Actions runtime token, not the GITHUB_TOKEN\'s scopes' },
  { action: 'actions/cache/restore', scopes: {}, source: 'as actions/cache' },
  { action: 'actions/cache/save', scopes: {}, source: 'as actions/cache' },
  { action: 'actions/upload-pages-artifact', scopes: {}, source: 'actions/upload-pages-artifact: an upload-artifact of the site' },
  { action: 'actions/setup-node', scopes: {}, source: SETUP_TOKEN },
  { action: 'actions/setup-python', scopes: {}, source: SETUP_TOKEN },
  { action: 'actions/setup-go', scopes: {}, source: SETUP_TOKEN },
  { action: 'actions/setup-java', scopes: {}, source: SETUP_TOKEN },
  { action: 'actions/setup-dotnet', scopes: {}, source: SETUP_TOKEN },
  { action: 'github/codeql-action/init', scopes: {}, source: 'github/codeql-action starter workflow: the job\'s scopes come with analyze / upload-sarif' },
  { action: 'github/codeql-action/autobuild', scopes: {}, source: 'as github/codeql-action/init' },
  // `actions: read` and `contents: read` are "only required for workflows in private repositories":
  // a workflow cannot tell, and the starter workflow grants them.
  { action: 'github/codeql-action/analyze', scopes: { 'security-events': 'write', actions: 'read', contents: 'read' }, source: 'actions/starter-workflows code-scanning/codeql.yml and the github/codeql-action README, "Workflow Permissions"' },
  { action: 'github/codeql-action/upload-sarif', scopes: { 'security-events': 'write', actions: 'read', contents: 'read' }, source: 'as github/codeql-action/analyze' },
  { action: 'peter-evans/create-pull-request', scopes: { contents: 'write', 'pull-requests': 'write' }, tokenInputs: ['token'], source: 'peter-evans/create-pull-request README, "Token" (contents: write, pull-requests: write)' },
  { action: 'peter-evans/create-or-update-comment', scopes: { issues: 'write', 'pull-requests': 'write' }, tokenInputs: ['token'], source: 'peter-evans/create-or-update-comment README, inputs: `token` (issues: write, pull-requests: write)' },
  { action: 'marocchino/sticky-pull-request-comment', scopes: { 'pull-requests': 'write' }, tokenInputs: ['GITHUB_TOKEN'], source: 'marocchino/sticky-pull-request-comment README (pull-requests: write)' },
  { action: 'softprops/action-gh-release', scopes: { contents: 'write' }, tokenInputs: ['token'], source: 'softprops/action-gh-release README, "Permissions" (contents: write)' },
  { action: 'softprops/action-gh-release', scopes: { discussions: 'write' }, when: { input: 'discussion_category_name' }, tokenInputs: ['token'], source: 'softprops/action-gh-release README: discussions: write with `discussion_category_name`' },
  { action: 'actions/create-release', scopes: { contents: 'write' }, source: 'GitHub Docs, "Controlling permissions for GITHUB_TOKEN": contents: write creates a release' },
  { action: 'actions/upload-release-asset', scopes: { contents: 'write' }, source: 'as actions/create-release' },
  { action: 'ncipollo/release-action', scopes: { contents: 'write' }, tokenInputs: ['token'], source: 'ncipollo/release-action README (contents: write)' },
  { action: 'googleapis/release-please-action', scopes: { contents: 'write', 'pull-requests': 'write' }, tokenInputs: ['token'], source: 'googleapis/release-please-action README (contents: write, pull-requests: write)' },
  { action: 'stefanzweifel/git-auto-commit-action', scopes: { contents: 'write' }, source: 'stefanzweifel/git-auto-commit-action README (contents: write to push)' },
  { action: 'peaceiris/actions-gh-pages', scopes: { contents: 'write' }, source: 'peaceiris/actions-gh-pages README (contents: write)' },
  { action: 'jamesives/github-pages-deploy-action', scopes: { contents: 'write' }, tokenInputs: ['token'], source: 'JamesIves/github-pages-deploy-action README (contents: write)' },
  { action: 'actions/configure-pages', scopes: { pages: 'read' }, tokenInputs: ['token'], source: 'actions/configure-pages action.yml (`token`) and GitHub REST docs, "Get a GitHub Pages site" (Pages: read)' },
  { action: 'actions/deploy-pages', scopes: { pages: 'write', 'id-token': 'write' }, source: 'actions/deploy-pages README, "Usage" (pages: write, id-token: write)' },
  { action: 'actions/attest-build-provenance', scopes: { 'id-token': 'write', attestations: 'write' }, source: 'actions/attest README, "Usage" (id-token: write, attestations: write); attest-build-provenance wraps it' },
  { action: 'actions/attest-sbom', scopes: { 'id-token': 'write', attestations: 'write' }, source: 'as actions/attest' },
  { action: 'actions/attest', scopes: { 'id-token': 'write', attestations: 'write', 'artifact-metadata': 'write' }, source: 'actions/attest README, "Usage" (id-token, attestations and artifact-metadata: write)' },
  { action: 'actions/labeler', scopes: { contents: 'read', 'pull-requests': 'write' }, tokenInputs: ['repo-token'], source: 'actions/labeler README, "Recommended Permissions" (issues: write only to create labels that do not exist)' },
  { action: 'actions/stale', scopes: { actions: 'write', issues: 'write', 'pull-requests': 'write' }, tokenInputs: ['repo-token'], source: 'actions/stale README, "Recommended permissions"' },
  { action: 'actions/stale', scopes: { contents: 'write' }, when: { input: 'delete-branch' }, tokenInputs: ['repo-token'], source: 'actions/stale README: contents: write only for `delete-branch`' },
  { action: 'actions/dependency-review-action', scopes: { contents: 'read' }, source: 'actions/dependency-review-action README (contents: read)' },
  { action: 'actions/dependency-review-action', scopes: { 'pull-requests': 'write' }, when: { input: 'comment-summary-in-pr' }, source: 'actions/dependency-review-action README: `comment-summary-in-pr` needs pull-requests: write' },
  { action: 'actions/github-script', scopes: {}, tokenInputs: ['github-token'], opaque: true, source: 'actions/github-script README: the script calls the API with the job\'s token unless `github-token` gives another' },
  { action: 'docker/login-action', scopes: {}, source: 'docker/login-action: a registry other than ghcr.io takes its own credentials' },
  { action: 'docker/login-action', scopes: { packages: 'write' }, when: { input: 'registry', matches: /^(?:https?:\/\/)?ghcr\.io(?:\/|$)/i }, tokenInputs: ['password'], source: 'GitHub Docs, "Publishing Docker images" (packages: write to push to ghcr.io with the GITHUB_TOKEN)' },
  { action: 'docker/build-push-action', scopes: { contents: 'read' }, tokenInputs: ['github-token'], source: 'docker/build-push-action action.yml: `github-token` reads the repository for the Git context' },
  { action: 'docker/setup-buildx-action', scopes: {}, source: 'docker/setup-buildx-action: installs buildx; no repository access' },
  { action: 'docker/setup-qemu-action', scopes: {}, source: 'docker/setup-qemu-action: installs QEMU; no repository access' },
  { action: 'docker/metadata-action', scopes: {}, source: 'docker/metadata-action: reads the event payload; no repository access' },
  { action: 'codecov/codecov-action', scopes: {}, source: 'codecov/codecov-action README: uploads with its own token' },
  { action: 'codecov/codecov-action', scopes: { 'id-token': 'write' }, when: { input: 'use_oidc' }, source: 'codecov/codecov-action README, "Using OIDC" (id-token: write)' },
  { action: 'aws-actions/configure-aws-credentials', scopes: {}, source: OIDC_LOGIN },
  { action: 'aws-actions/amazon-ecr-login', scopes: {}, source: 'aws-actions/amazon-ecr-login: logs in with the AWS credentials of the job' },
  { action: 'google-github-actions/auth', scopes: {}, source: OIDC_LOGIN },
  { action: 'google-github-actions/setup-gcloud', scopes: {}, source: 'google-github-actions/setup-gcloud: installs the SDK; no repository access' },
  { action: 'azure/login', scopes: {}, source: OIDC_LOGIN },
  { action: 'hashicorp/setup-terraform', scopes: {}, source: 'hashicorp/setup-terraform: installs Terraform; no repository access' },
  { action: 'hashicorp/vault-action', scopes: {}, source: OIDC_LOGIN },
  { action: 'pypa/gh-action-pypi-publish', scopes: {}, source: OIDC_LOGIN },
];

// ---------------------------------------------------------------------------------------------
// Commands of `run:` scripts

export interface CommandTokenNeed {
  /** The program and, for `gh`, its command group: `['gh', 'pr']`, `['git']`. */
  words: readonly string[];
  /** The subcommands (the next word) this row covers. */
  verbs: readonly string[];
  scopes: ScopeLevels;
  /** Only when a later word matches (`docker push ghcr.io/…`). */
  argument?: RegExp;
  source: string;
}

/**
 * Source of the `gh` rows: GitHub REST docs, "Permissions required for fine-grained personal access
 * tokens" (the permission each endpoint a `gh` command calls needs; merging a pull request needs
 * Contents: write), and the GitHub CLI manual for which endpoint each command calls.
 */
const GH_SOURCE = 'GitHub REST docs, "Permissions required for fine-grained personal access tokens"';

export const COMMAND_TOKEN_NEEDS: readonly CommandTokenNeed[] = [
  { words: ['gh', 'pr'], verbs: ['create', 'edit', 'close', 'reopen', 'ready', 'review', 'comment', 'lock', 'unlock'], scopes: { 'pull-requests': 'write' }, source: GH_SOURCE },
  { words: ['gh', 'pr'], verbs: ['merge'], scopes: { 'pull-requests': 'write', contents: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'pr'], verbs: ['view', 'list', 'diff', 'checks', 'status'], scopes: { 'pull-requests': 'read' }, source: GH_SOURCE },
  { words: ['gh', 'pr'], verbs: ['checkout'], scopes: { 'pull-requests': 'read', contents: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'release'], verbs: ['create', 'upload', 'edit', 'delete', 'delete-asset'], scopes: { contents: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'release'], verbs: ['view', 'list', 'download'], scopes: { contents: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'issue'], verbs: ['create', 'edit', 'close', 'reopen', 'comment', 'delete', 'lock', 'unlock', 'pin', 'unpin'], scopes: { issues: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'issue'], verbs: ['view', 'list', 'status'], scopes: { issues: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'label'], verbs: ['create', 'edit', 'delete', 'clone'], scopes: { issues: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'label'], verbs: ['list'], scopes: { issues: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'workflow'], verbs: ['run', 'enable', 'disable'], scopes: { actions: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'workflow'], verbs: ['view', 'list'], scopes: { actions: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'run'], verbs: ['rerun', 'cancel', 'delete'], scopes: { actions: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'run'], verbs: ['view', 'list', 'watch', 'download'], scopes: { actions: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'cache'], verbs: ['delete'], scopes: { actions: 'write' }, source: GH_SOURCE },
  { words: ['gh', 'cache'], verbs: ['list'], scopes: { actions: 'read' }, source: GH_SOURCE },
  { words: ['gh', 'auth'], verbs: ['status', 'token', 'setup-git'], scopes: {}, source: 'GitHub CLI manual, "gh auth": reads the token it is given; no repository access' },
  // actions/checkout persists the job's token in the git config: a later `git push` writes with it.
  { words: ['git'], verbs: ['push'], scopes: { contents: 'write' }, source: 'actions/checkout README, "Push a commit using the built-in token"' },
  { words: ['docker'], verbs: ['push'], argument: /^ghcr\.io\//i, scopes: { packages: 'write' }, source: 'GitHub Docs, "Working with the Container registry" (packages: write to push with the GITHUB_TOKEN)' },
];

/**
 * Programs that never call the GitHub API by themselves: in a step that hands the job's token to
 * its script, these are not what uses it. Shell builtins and text tools.
 */
export const TOKENLESS_PROGRAMS: ReadonlySet<string> = new Set([
  'echo', 'printf', 'cd', 'export', 'set', 'unset', 'test', '[', '[[', 'true', 'false', 'exit', 'if', 'then', 'else', 'elif', 'fi',
  'for', 'while', 'do', 'done', 'case', 'esac', 'mkdir', 'cp', 'mv', 'rm', 'cat', 'ls', 'pwd', 'sleep', 'touch', 'chmod', 'grep',
  'sed', 'awk', 'tr', 'cut', 'head', 'tail', 'sort', 'uniq', 'wc', 'jq', 'tee', 'date', 'read', 'shift', 'source',
  '.', 'local', 'declare', 'basename', 'dirname', 'tar', 'unzip', 'zip',
]);
