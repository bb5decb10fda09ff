import type { Authentication, CiJob, Cloud, Credential, PackageRegistry, Principal, SecretKind, SessionRequest, ValueAt } from '../../facts/model';
import type { Span } from '../../core/text';
import { deref, get, isScalar, str, type Pair } from '../../syntax/tree';
import { webIdentityAssumption } from '../ci-common/assume-role';
import { classifyCiValue, isCredentialShaped, isReference, NPMRC_TOKEN, publishCommand, staticLogin, type PublishCommand } from '../ci-common/credentials';
import { isCompanion, keyVariableAuthentications, referenced } from '../ci-common/key-variables';
import { commandPattern, locateInScalar, pairAnchor } from '../locate';
import { shellCommands, type ShellCommand } from '../../syntax/shell';
import { mayRunTerraform, runsTerraform, TERRAFORM_ACTIONS, terraformVariables } from '../ci-common/terraform';
import { AWS_PROGRAMS } from '../../iam/aws-programs';
import { input, usesAction, type Job, type Step, type Workflow, type WorkflowSite } from './model';
import { tokenSubject } from './subject';

/**
 * How each job of a workflow authenticates: to clouds (through login actions, key variables in
 * `env:`, or login commands) and to package registries (publish steps and their tokens).
 */
export function githubActionsAuthentications(workflow: Workflow, text: string): Authentication[] {
  const found: Authentication[] = [];
  const seen = new Set<string>();
  const add = (auth: Authentication): void => {
    const key = `${auth.target}:${auth.anchor.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(auth);
  };

  const principal = (job: string, step?: string): Principal => ({ kind: 'ci-job', platform: 'github-actions', job, ...(step ? { step } : {}) });
  const site = (fields: Omit<WorkflowSite, 'kind' | 'workflow'>): WorkflowSite => ({ kind: 'github-actions', workflow, ...fields });
  for (const auth of keyVariableAuthentications(workflow.env, principal('*'), text, 'env', undefined, site({ env: workflow.env }))) add(auth);
  for (const job of workflow.jobs) {
    const idToken = idTokenGranted(workflow, job);
    for (const auth of keyVariableAuthentications(job.env, principal(job.id), text, 'env', undefined, site({ job, env: job.env }))) add(auth);
    for (const step of job.steps) {
      const stepName = step.name ?? step.uses?.action ?? `step ${step.index + 1}`;
      for (const auth of keyVariableAuthentications(step.env, principal(job.id, stepName), text, 'env', undefined, site({ job, step, env: step.env }))) add(auth);
      const here = site({ job, step });
      const viaAction = actionAuthentication(job, step, text, idToken);
      if (viaAction) add({ ...viaAction, syntax: here });
      for (const auth of runAuthentications(workflow, job, step, text, idToken)) add({ ...auth, syntax: here });
      const publish = publishActionAuthentication(job, step, text, idToken);
      if (publish) add({ ...publish, syntax: here });
    }
  }
  return found;
}

/** The workflow's jobs, for the workspace graph: the token subject each carries, and what it hands Terraform. */
export function githubJobs(workflow: Workflow, text: string): CiJob[] {
  const terraform = mayRunTerraform(text);
  return workflow.jobs.map((job) => {
    const scripts = job.steps.flatMap((s) => (s.run ? [s.run.script] : []));
    const runs = terraform && (scripts.some(runsTerraform) || job.steps.some((s) => s.uses !== undefined && TERRAFORM_ACTIONS.has(s.uses.action)));
    const pairs = [...workflow.env, ...job.env, ...job.steps.flatMap((s) => s.env)];
    return {
      platform: 'github-actions',
      name: job.id,
      nameSpan: job.idSpan,
      hidden: false,
      tokenSubject: tokenSubject(workflow, job),
      idTokenAudiences: [],
      ...(runs ? { terraform: terraformVariables(pairs, scripts, (pair) => str(pair.value)) } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Login actions

interface LoginAction {
  actions: string[];
  target: Cloud;
  /** Inputs that carry a long-lived credential, with what they carry. */
  staticInputs: Record<string, SecretKind>;
  /** Inputs that, present without static ones, mean federation. */
  federatedInputs: string[];
}

const LOGIN_ACTIONS: LoginAction[] = [
  {
    actions: ['aws-actions/configure-aws-credentials'],
    target: 'aws',
    staticInputs: { 'aws-access-key-id': 'aws-access-key-id', 'aws-secret-access-key': 'aws-secret-access-key', 'aws-session-token': 'aws-session-token' },
    federatedInputs: ['role-to-assume'],
  },
  {
    actions: ['google-github-actions/auth'],
    target: 'gcp',
    staticInputs: { credentials_json: 'gcp-service-account-key' },
    federatedInputs: ['workload_identity_provider'],
  },
  {
    actions: ['azure/login'],
    target: 'azure',
    staticInputs: { creds: 'azure-client-secret', 'client-secret': 'azure-client-secret' },
    federatedInputs: ['client-id'],
  },
  {
    actions: ['azure/webapps-deploy', 'azure/functions-action'],
    target: 'azure',
    staticInputs: { 'publish-profile': 'azure-publish-profile' },
    federatedInputs: [],
  },
  // `azureCredentials` is handed to `azure/login` as `creds` (the action's action.yml): a client secret.
  {
    actions: ['azure/container-apps-deploy-action'],
    target: 'azure',
    staticInputs: { azureCredentials: 'azure-client-secret' },
    federatedInputs: [],
  },
  // The deployment token of an Azure Static Web App never expires until someone resets it
  // (learn.microsoft.com, "Reset deployment tokens in Azure Static Web Apps"). Its federated path
  // (the app's "GitHub" deployment authorization policy, with `github_id_token`) is a setting of
  // the app, not of the workflow, so no input here means federation.
  {
    actions: ['azure/static-web-apps-deploy'],
    target: 'azure',
    staticInputs: { azure_static_web_apps_api_token: 'azure-deployment-token' },
    federatedInputs: [],
  },
  {
    actions: ['hashicorp/vault-action'],
    target: 'vault',
    staticInputs: { token: 'vault-token', secretId: 'vault-token', password: 'vault-token', githubToken: 'vault-token' },
    federatedInputs: ['jwtGithubAudience'],
  },
];

function actionAuthentication(job: Job, step: Step, text: string, idToken: boolean | undefined): Authentication | undefined {
  if (!step.uses) return undefined;
  const login = LOGIN_ACTIONS.find((l) => usesAction(step, ...l.actions));
  if (!login) return undefined;
  const credentials: Credential[] = [];
  for (const pair of step.with) {
    const kind = login.staticInputs[pair.key];
    if (!kind || classifyCiValue(str(pair.value)) === 'empty') continue;
    credentials.push(referenced(kind, pair, text));
  }
  // vault-action's `method: jwt` with a token input present is still a JWT login.
  const method = str(input(step, 'method')?.value)?.toLowerCase();
  const vaultFederated = login.target === 'vault' && method !== undefined && ['jwt', 'oidc', 'kubernetes'].includes(method);
  const principal = { kind: 'ci-job' as const, platform: 'github-actions' as const, job: job.id, step: step.name ?? step.uses.action };
  const anchor = pairAnchor(step.uses.pair, text);
  if (credentials.some((c) => !isCompanion(c.kind)) && !vaultFederated) {
    const session = login.target === 'aws' ? awsSession(step) : undefined;
    return { principal, target: login.target, method: 'static', mechanism: step.uses.action, anchor, credentials, ...(session ? { session } : {}) };
  }
  if (login.federatedInputs.some((name) => input(step, name)) || vaultFederated) {
    // Vault's JWT role is named like an AWS role is: other workflows' fixes reuse it.
    const vaultRole = login.target === 'vault' ? valueAt(input(step, 'role')) : undefined;
    const session: SessionRequest = {
      ...(login.target === 'aws' ? awsSession(step) : {}),
      ...(vaultRole ? { role: vaultRole } : {}),
      ...(idToken !== undefined ? { idTokenGranted: idToken } : {}),
    };
    return { principal, target: login.target, method: 'oidc', mechanism: step.uses.action, anchor, credentials: [], session };
  }
  return undefined;
}

/** What configure-aws-credentials is asked for: the role, the session's name and length. */
function awsSession(step: Step): SessionRequest | undefined {
  const role = valueAt(input(step, 'role-to-assume'));
  if (!role) return undefined;
  const name = valueAt(input(step, 'role-session-name'));
  const duration = valueAt(input(step, 'role-duration-seconds'));
  return { role, ...(name ? { name } : {}), ...(duration ? { durationSeconds: duration } : {}) };
}

function valueAt(pair: Pair | undefined): ValueAt | undefined {
  const node = deref(pair?.value);
  if (!isScalar(node) || node.value === null) return undefined;
  return { value: String(node.value), span: node.span };
}

/**
 * Whether the job may request an OIDC token: `id-token: write` in its effective permissions (its
 * own block if it has one, else the workflow's; `write-all` counts). GitHub's default token
 * permissions never include it. Undefined for composite actions, whose caller decides.
 */
export function idTokenGranted(workflow: Workflow, job: Job): boolean | undefined {
  if (workflow.kind === 'composite-action') return undefined;
  const block = deref((job.permissions ?? workflow.permissions)?.value);
  if (!block) return false;
  if (isScalar(block)) return block.value === 'write-all';
  return str(get(block, 'id-token')) === 'write';
}

// ---------------------------------------------------------------------------------------------
// run: scripts

function runAuthentications(workflow: Workflow, job: Job, step: Step, text: string, idToken: boolean | undefined): Authentication[] {
  if (!step.run) return [];
  const result: Authentication[] = [];
  const principal = { kind: 'ci-job' as const, platform: 'github-actions' as const, job: job.id, step: step.name ?? `step ${step.index + 1}` };
  // Several commands of one script that configure one cloud's key (id, then secret) are one problem.
  const loggedIn = new Set<Cloud>();
  for (const command of workflowShellCommands(step.run.script)) {
    const login = staticLogin(command);
    if (login) {
      if (loggedIn.has(login.cloud)) continue;
      loggedIn.add(login.cloud);
      const anchor = locateInScalar(text, step.run.node, commandPattern(command.words.slice(0, 4)));
      const credentials: Credential[] = login.credential ? [{ origin: 'reference', kind: login.credential.kind, name: login.credential.name, nameSpan: anchor }] : [];
      result.push({ principal, target: login.cloud, method: 'static', mechanism: login.mechanism, anchor, credentials });
      continue;
    }
    const assumed = webIdentityAssumption(command, step.run.node, text);
    if (assumed) {
      const session = { ...assumed.session, ...(idToken !== undefined ? { idTokenGranted: idToken } : {}) };
      result.push({ principal, target: 'aws', method: 'oidc', mechanism: 'aws sts assume-role-with-web-identity', anchor: assumed.anchor, credentials: [], session });
      continue;
    }
    const publish = publishCommand(command);
    if (!publish) continue;
    if (publish.registry === 'npm' && !publishesToNpmjs(job, step)) continue;
    const token = tokenFor(publish, workflow, job, step, text);
    if (token) {
      result.push({ principal, target: publish.registry, method: 'static', mechanism: publish.tool, anchor: token.nameSpan, credentials: [token] });
    } else if ((publish.registry === 'npm' && command.words.includes('--provenance')) || publish.tool === 'uv publish') {
      // Without a token, these mint one from the job's OIDC identity (npm provenance, uv's trusted publishing).
      const anchor = locateInScalar(text, step.run.node, commandPattern(command.words.slice(0, 2)));
      result.push({ principal, target: publish.registry, method: 'trusted-publishing', mechanism: publish.tool, anchor, credentials: [], ...(idToken !== undefined ? { session: { idTokenGranted: idToken } } : {}) });
    }
  }
  if (NPMRC_TOKEN.test(step.run.script) && publishesToNpmjs(job, step)) {
    const anchor = locateInScalar(text, step.run.node, NPMRC_TOKEN);
    result.push({ principal, target: 'npm', method: 'static', mechanism: '.npmrc _authToken', anchor, credentials: [{ origin: 'reference', kind: 'npm-token', name: '_authToken', nameSpan: anchor }] });
  }
  return result;
}

/** The token a publish command would use: a token argument, else the innermost env entry that sets one. */
function tokenFor(publish: PublishCommand, workflow: Workflow, job: Job, step: Step, text: string): (Credential & { nameSpan: Span }) | undefined {
  const argument = publish.tokenArgument;
  if (argument && mintedInJob(argument, job)) return undefined;
  if (argument && isReference(classifyCiValue(argument)) && step.run) {
    const anchor = locateInScalar(text, step.run.node, argument);
    return { origin: 'reference', kind: 'registry-token', name: argument, nameSpan: anchor };
  }
  const pair = tokenEnvEntry(publish.tokenVariables, workflow, job, step);
  if (!pair) return undefined;
  return { origin: 'reference', kind: 'registry-token', name: pair.key, nameSpan: pairAnchor(pair, text), ...(pair.value ? { valueSpan: pair.value.span } : {}) };
}

/**
 * The env entry a step's publish command takes its token from: the innermost (step, then job,
 * then workflow) that sets one of the tool's variables, when its value is a credential (a
 * reference, or a literal that looks like a token). Undefined when none does.
 */
export function tokenEnvEntry(variables: readonly string[], workflow: Workflow, job: Job, step: Step): Pair | undefined {
  for (const env of [step.env, job.env, workflow.env]) {
    const pair = env.find((p) => variables.includes(p.key));
    if (!pair) continue;
    const kind = classifyCiValue(str(pair.value));
    return (isReference(kind) || kind === 'credential-literal') && !mintedInJob(str(pair.value) ?? '', job) ? pair : undefined;
  }
  return undefined;
}

/**
 * Whether a value is the output of a trusted-publishing login of the same job
 * (`${{ steps.crates-io-auth.outputs.token }}`): a token minted for this run, not a stored one.
 */
function mintedInJob(value: string, job: Job): boolean {
  const ids = [...value.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs\./g)].map((m) => m[1]);
  return ids.length > 0 && ids.every((id) => job.steps.some((s) => s.id === id && TRUSTED_PUBLISHING_ACTIONS.some((p) => usesAction(s, p.action) && p.when(s))));
}

/** Every env entry in a step's scope (step, job, workflow) that sets one of `variables` to a credential. */
export function tokenEnvEntries(variables: readonly string[], workflow: Workflow, job: Job, step: Step): Pair[] {
  return [step.env, job.env, workflow.env].flatMap((env) =>
    env.filter((p) => {
      if (!variables.includes(p.key)) return false;
      const kind = classifyCiValue(str(p.value));
      return (isReference(kind) || kind === 'credential-literal') && !mintedInJob(str(p.value) ?? '', job);
    }),
  );
}

/** One publish command of a step's script, and whether it goes to a registry with trusted publishing. */
export interface StepPublish {
  command: ShellCommand;
  /** Undefined when the command publishes elsewhere (a private registry, a dry run) or is no publish. */
  publish: PublishCommand | undefined;
}

/**
 * The npm-style publish commands (`npm`, `pnpm`, `yarn`) of a step, including those that go to
 * another registry: fixers must know what else in a job relies on an npm token.
 */
export function npmPublishCommands(job: Job, step: Step): StepPublish[] {
  if (!step.run) return [];
  const result: StepPublish[] = [];
  for (const command of workflowShellCommands(step.run.script)) {
    const w = command.words;
    const npmLike = (w[0] === 'npm' || w[0] === 'pnpm' || w[0] === 'yarn') && w.includes('publish');
    if (!npmLike) continue;
    const publish = publishCommand(command);
    result.push({ command, publish: publish?.registry === 'npm' && publishesToNpmjs(job, step) ? publish : undefined });
  }
  return result;
}

/** The publish commands of a step that go to a registry with trusted publishing. */
export function stepPublishes(job: Job, step: Step): (StepPublish & { publish: PublishCommand })[] {
  if (!step.run) return [];
  const result: (StepPublish & { publish: PublishCommand })[] = [];
  for (const command of workflowShellCommands(step.run.script)) {
    const publish = publishCommand(command);
    if (!publish || (publish.registry === 'npm' && !publishesToNpmjs(job, step))) continue;
    result.push({ command, publish });
  }
  return result;
}

/**
 * A workflow script's commands. GitHub substitutes `${{ … }}` before the shell runs, so an
 * expression is one word however it is spaced (`--api-key ${{ secrets.KEY }}`): its spaces are
 * masked while the splitter runs.
 */
export function workflowShellCommands(script: string): ShellCommand[] {
  const MASK = '\u0000';
  const masked = script.replace(/\$\{\{[^}]*\}\}/g, (expression) => expression.replace(/ /g, MASK));
  if (masked === script) return shellCommands(script);
  const unmask = (value: string): string => value.split(MASK).join(' ');
  return shellCommands(masked).map((command) => ({ words: command.words.map(unmask), text: unmask(command.text) }));
}

/**
 * Whether an npm publish in this step goes to npmjs.org: yes unless the nearest `actions/setup-node`
 * before it points `registry-url` at another registry (npm's default registry is npmjs.org).
 */
function publishesToNpmjs(job: Job, step: Step): boolean {
  let registry: string | undefined;
  for (const earlier of job.steps) {
    if (earlier.index >= step.index) break;
    if (usesAction(earlier, 'actions/setup-node')) registry = str(input(earlier, 'registry-url')?.value);
  }
  return registry === undefined || /^https?:\/\/registry\.(?:npmjs\.org|yarnpkg\.com)\/?$/i.test(registry);
}

// ---------------------------------------------------------------------------------------------
// Publishing actions

interface PublishAction {
  action: string;
  registry: PackageRegistry;
  tokenInput: string;
  /** Inputs naming the registry, and the registries that support trusted publishing. */
  registryInputs: string[];
  trusted: RegExp;
}

const PUBLISH_ACTIONS: PublishAction[] = [
  { action: 'pypa/gh-action-pypi-publish', registry: 'pypi', tokenInput: 'password', registryInputs: ['repository-url', 'repository_url'], trusted: /^https?:\/\/(?:upload\.pypi\.org|test\.pypi\.org)\/legacy\/?$/i },
  { action: 'rubygems/configure-rubygems-credentials', registry: 'rubygems', tokenInput: 'api-token', registryInputs: ['gem-server'], trusted: /^https?:\/\/rubygems\.org\/?$/i },
  { action: 'js-devtools/npm-publish', registry: 'npm', tokenInput: 'token', registryInputs: ['registry'], trusted: /^https?:\/\/registry\.npmjs\.org\/?$/i },
];

/** Actions that mint a registry token from the job's OIDC identity, when their inputs say so. */
const TRUSTED_PUBLISHING_ACTIONS: { action: string; registry: PackageRegistry; when: (step: Step) => boolean }[] = [
  { action: 'pypa/gh-action-pypi-publish', registry: 'pypi', when: (step) => !input(step, 'password') },
  { action: 'rubygems/release-gem', registry: 'rubygems', when: (step) => str(input(step, 'setup-trusted-publisher')?.value) !== 'false' },
  // Without `api-token` the action exchanges the job's OIDC token: for the role it is given, else
  // (since v1.0.0, which rubygems/release-gem relies on) for the gem's trusted publisher.
  {
    action: 'rubygems/configure-rubygems-credentials',
    registry: 'rubygems',
    when: (step) => !input(step, 'api-token') && str(input(step, 'trusted-publisher')?.value) !== 'false' && /^(?:https?:\/\/rubygems\.org\/?)?$/i.test(str(input(step, 'gem-server')?.value) ?? ''),
  },
  { action: 'rust-lang/crates-io-auth-action', registry: 'crates', when: () => true },
  { action: 'nuget/login', registry: 'nuget', when: () => true },
];

function publishActionAuthentication(job: Job, step: Step, text: string, idToken: boolean | undefined): Authentication | undefined {
  const trusted = TRUSTED_PUBLISHING_ACTIONS.find((p) => usesAction(step, p.action) && p.when(step));
  if (trusted && step.uses) {
    return {
      principal: { kind: 'ci-job', platform: 'github-actions', job: job.id, step: step.name ?? step.uses.action },
      target: trusted.registry,
      method: 'trusted-publishing',
      mechanism: step.uses.action,
      anchor: pairAnchor(step.uses.pair, text),
      credentials: [],
      ...(idToken !== undefined ? { session: { idTokenGranted: idToken } } : {}),
    };
  }
  const publish = PUBLISH_ACTIONS.find((p) => usesAction(step, p.action));
  if (!publish || !step.uses) return undefined;
  const token = input(step, publish.tokenInput);
  const tokenValue = classifyCiValue(str(token?.value));
  if (!token || (!isReference(tokenValue) && tokenValue !== 'credential-literal')) return undefined;
  const registry = publish.registryInputs.map((name) => str(input(step, name)?.value)).find((v) => v !== undefined);
  if (registry !== undefined && !publish.trusted.test(registry)) return undefined;
  const anchor = pairAnchor(token, text);
  const value = deref(token.value);
  return {
    principal: { kind: 'ci-job', platform: 'github-actions', job: job.id, step: step.name ?? step.uses.action },
    target: publish.registry,
    method: 'static',
    mechanism: step.uses.action,
    anchor,
    credentials: [{ origin: 'reference', kind: 'registry-token', name: token.key, nameSpan: anchor, ...(isScalar(value) ? { valueSpan: value.span } : {}) }],
  };
}

// ---------------------------------------------------------------------------------------------
// What a job does, for the fixes that move it to federation

/** What a job runs: each script command's words, and each action with its literal inputs. */
export interface JobActivity {
  commands: string[][];
  actions: { action: string; inputs: Record<string, string> }[];
}

/**
 * The commands and actions of a job, for least privilege on the cloud side. Inputs that are
 * expressions say nothing literal, and a literal that looks like a credential never leaves here.
 */
export function jobActivity(job: Job): JobActivity {
  const commands: string[][] = [];
  const actions: JobActivity['actions'] = [];
  for (const step of job.steps) {
    if (step.run) for (const command of workflowShellCommands(step.run.script)) commands.push(command.words);
    if (!step.uses) continue;
    const inputs: Record<string, string> = {};
    for (const pair of step.with) {
      const value = str(pair.value);
      if (value === undefined || value.includes('${{') || isCredentialShaped(value)) continue;
      inputs[pair.key] = value;
    }
    actions.push({ action: step.uses.action, inputs });
  }
  return { commands, actions };
}

/** Package runners that run one of those (`npx cdk deploy`). */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);

/**
 * Whether a step visibly needs AWS credentials from its environment: it runs an AWS tool
 * (`AWS_PROGRAMS`: `aws`, `sam`, `cdk`, `terraform`, …; `kubectl`/`helm` in a job that works
 * with EKS) or uses an `aws-actions/*` action.
 */
export function stepNeedsAws(job: Job, step: Step): boolean {
  if (step.uses?.action.startsWith('aws-actions/')) return true;
  if (!step.run) return false;
  const eks = jobMentionsEks(job);
  return workflowShellCommands(step.run.script).some(({ words }) => {
    const program = RUNNERS.has(words[0] ?? '') ? words[1] : (words[0] === 'pnpm' || words[0] === 'yarn') && words[1] === 'dlx' ? words[2] : words[0];
    if (program === undefined) return false;
    if (AWS_PROGRAMS.has(program)) return true;
    return eks && (program === 'kubectl' || program === 'helm');
  });
}

function jobMentionsEks(job: Job): boolean {
  return job.steps.some((step) => /\beks\b/i.test(step.run?.script ?? '') || (step.uses?.action.includes('eks') ?? false) || step.with.some((p) => /\.eks\.amazonaws\.com|\beks\b/i.test(str(p.value) ?? '')));
}

/** The variables the AWS SDKs and CLI read the region from, in the order they prefer them. */
export const AWS_REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/** The region entry a step sees in its environment (step, job, then workflow `env:`). */
export function awsRegionEntry(workflow: Workflow, job: Job | undefined, step: Step | undefined): Pair | undefined {
  for (const env of [step?.env ?? [], job?.env ?? [], workflow.env]) {
    for (const name of AWS_REGION_VARIABLES) {
      const pair = env.find((p) => p.key === name && str(p.value) !== undefined && str(p.value) !== '');
      if (pair) return pair;
    }
  }
  return undefined;
}
