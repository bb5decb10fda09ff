import type { Authentication, PackageRegistry, ReferencedCredential } from '../../facts/model';
import { npmPublishCommands, stepPublishes, tokenEnvEntries, tokenEnvEntry } from '../../dialects/github-actions/facts';
import { input, usesAction, type Job, type Step, type Workflow } from '../../dialects/github-actions/model';
import type { Span } from '../../core/text';
import { str, type MapNode, type Pair } from '../../syntax/tree';
import type { FixContext, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { grantFor, identitySource, proposal, runsSelfHosted, SELF_HOSTED_PUBLISH_WARNING, stepSite, workflowAuthentication } from '../../fixes/github-actions/context';
import { blockMap, fromMatrix, insertStepBefore, removePairs, setStepEnv } from '../../fixes/github-actions/edit';

/**
 * Static registry tokens to trusted publishing: the job mints a short-lived token from its OIDC
 * identity, so the token goes. Tools that do the exchange themselves (npm ≥ 11.5.1, pnpm, yarn
 * berry, uv, pypa/gh-action-pypi-publish, configure-rubygems-credentials) simply lose the token;
 * for the others a login step is added whose output replaces it (crates.io, NuGet) or which sets
 * it for the steps after it (`gem push`). Each job that publishes gets `id-token: write`.
 */

/** Tools whose publish does trusted publishing by itself once no token is set. */
const SELF_EXCHANGING = new Set(['npm publish', 'pnpm publish', 'yarn npm publish', 'uv publish']);

export function rewritePublishing(context: FixContext<Authentication>): FixProposal[] {
  const found = workflowAuthentication(context);
  if (!found || found.auth.method !== 'static' || !found.site.job || !found.site.step) return [];
  const { auth } = found;
  const token = auth.credentials[0];
  if (token?.origin !== 'reference') return [];
  switch (auth.mechanism) {
    case 'pypa/gh-action-pypi-publish':
      return dropInput(context, 'pypi', token);
    case 'rubygems/configure-rubygems-credentials':
      return dropInput(context, 'rubygems', token);
    case 'cargo publish':
      return crates(context, token);
    case 'nuget push':
      return nuget(context, token);
    default:
      return SELF_EXCHANGING.has(auth.mechanism) || auth.mechanism === 'gem push' ? dropEnvTokens(context, auth.target as PackageRegistry, auth.mechanism, token) : [];
  }
}

/** The tools whose token this rewrite can take away, by registry: a shared entry must serve only those. */
const TOOLS: Record<PackageRegistry, ReadonlySet<string>> = {
  npm: new Set(['npm publish', 'pnpm publish', 'yarn npm publish']),
  pypi: new Set(['uv publish']),
  rubygems: new Set(['gem push']),
  crates: new Set(['cargo publish']),
  nuget: new Set(),
};

const REGISTRY_NAMES: Record<PackageRegistry, string> = { npm: 'npm', pypi: 'PyPI', rubygems: 'RubyGems', crates: 'crates.io', nuget: 'NuGet' };

/**
 * Where a package names the workflow it trusts, from each registry's trusted-publishing guide
 * (docs.pypi.org/trusted-publishers, docs.npmjs.com/trusted-publishers, guides.rubygems.org/trusted-publishing,
 * crates.io/docs/trusted-publishing, learn.microsoft.com/nuget/nuget-org/trusted-publishing).
 */
const PUBLISHER_SETTINGS: Record<PackageRegistry, string> = {
  npm: "the package's settings on npmjs.com",
  pypi: "the project's Publishing settings on pypi.org",
  rubygems: "the gem's Trusted publishers page on rubygems.org",
  crates: "the crate's Trusted Publishing settings on crates.io",
  nuget: 'your Trusted Publishing policies on nuget.org',
};

/** What a trusted-publishing rewrite leaves to do: the registry must trust this workflow before the next release. */
function registerPublisher(registry: PackageRegistry, context: FixContext<Authentication>): string {
  return `Register ${context.path} as a trusted publisher in ${PUBLISHER_SETTINGS[registry]}: until then the publish fails.`;
}

function warnings(jobs: readonly Job[]): string[] {
  return jobs.some(runsSelfHosted) ? [SELF_HOSTED_PUBLISH_WARNING] : [];
}

/** The job's `id-token: write`, for each job; undefined when one job's permissions cannot be edited. */
function grants(context: FixContext<Authentication>, workflow: Workflow, jobs: readonly Job[]): ProposedEdit[] | undefined {
  const edits: ProposedEdit[] = [];
  for (const job of new Set(jobs)) {
    const grant = grantFor(context.text, workflow, job, false);
    if (!grant) return undefined;
    edits.push(...grant);
  }
  return edits;
}

/**
 * pypa/gh-action-pypi-publish without `password` (and without a `user` other than the default
 * `__token__`, which would turn trusted publishing off); configure-rubygems-credentials without
 * `api-token`, which then exchanges the job's token for the gem's trusted publisher.
 */
function dropInput(context: FixContext<Authentication>, registry: 'pypi' | 'rubygems', token: ReferencedCredential): FixProposal[] {
  const found = stepSite(context);
  if (!found) return [];
  const { workflow, job, step } = found;
  const block = blockMap(context.text, step.node, 'with');
  const pair = block?.map.pairs.find((p) => p.keySpan.start === token.nameSpan.start);
  if (!block || !pair || fromMatrix(context.text, pair.value?.span)) return [];
  const remove = [pair];
  const user = block.map.pairs.find((p) => p.key === 'user');
  if (registry === 'pypi' && user && str(user.value) !== '__token__') remove.push(user);
  const removal = removePairs(context.text, block.pair, remove);
  const grant = grants(context, workflow, [job]);
  if (!removal || !grant) return [];
  const dropped = remove.map((p) => p.key).join(' and ');
  return [
    proposal(`Publish to ${REGISTRY_NAMES[registry]} with trusted publishing (drop ${dropped})`, [...removal, ...grant], undefined, warnings([job]), [registerPublisher(registry, context)]),
  ];
}

/** A publish step that takes its token from an env entry, with the entries in its scope. */
interface Consumer {
  job: Job;
  step: Step;
}

/**
 * The token entries to remove and the publish steps that lose them, grown together until closed:
 * an entry goes with every step that reads it, and a step loses every token entry in its scope
 * (else the next one out would take over). Undefined when a step reads one with a tool this
 * rewrite does not handle.
 */
function closure(workflow: Workflow, first: Consumer, entry: Pair, registry: PackageRegistry, tools: ReadonlySet<string>): { entries: Pair[]; consumers: Consumer[] } | undefined {
  const entries = new Set<Pair>([entry]);
  const consumers: Consumer[] = [];
  const all: Consumer[] = workflow.jobs.flatMap((job) => job.steps.map((step) => ({ job, step })));
  let grown = true;
  const add = (consumer: Consumer): void => {
    if (consumers.some((c) => c.step === consumer.step)) return;
    consumers.push(consumer);
    grown = true;
  };
  add(first);
  while (grown) {
    grown = false;
    for (const consumer of all) {
      for (const { publish } of stepPublishes(consumer.job, consumer.step)) {
        if (publish.registry !== registry) continue;
        const used = tokenEnvEntry(publish.tokenVariables, workflow, consumer.job, consumer.step);
        if (used && entries.has(used)) add(consumer);
      }
    }
    for (const consumer of consumers) {
      for (const { publish } of stepPublishes(consumer.job, consumer.step)) {
        if (publish.registry !== registry) continue;
        for (const pair of tokenEnvEntries(publish.tokenVariables, workflow, consumer.job, consumer.step)) {
          if (entries.has(pair)) continue;
          entries.add(pair);
          grown = true;
        }
      }
    }
  }
  for (const consumer of consumers) {
    for (const { publish } of stepPublishes(consumer.job, consumer.step)) {
      if (publish.registry === registry && (!tools.has(publish.tool) || publish.tokenArgument !== undefined)) return undefined;
    }
  }
  return { entries: [...entries], consumers };
}

/** Where an env entry is written: the env block's pair and the scope (a step, a job, the workflow) that sees it. */
function ownerOf(workflow: Workflow, entry: Pair): { owner: Pair; scope: MapNode; steps: Consumer[] } | undefined {
  const envOf = (node: MapNode): Pair | undefined => node.pairs.find((p) => p.key === 'env');
  for (const job of workflow.jobs) {
    for (const step of job.steps) if (step.env.includes(entry)) return withOwner(envOf(step.node), step.node, [{ job, step }]);
    if (job.env.includes(entry)) return withOwner(envOf(job.node), job.node, job.steps.map((step) => ({ job, step })));
  }
  if (workflow.env.includes(entry)) return withOwner(envOf(workflow.root), workflow.root, workflow.jobs.flatMap((job) => job.steps.map((step) => ({ job, step }))));
  return undefined;
}

function withOwner(owner: Pair | undefined, scope: MapNode, steps: Consumer[]): { owner: Pair; scope: MapNode; steps: Consumer[] } | undefined {
  return owner ? { owner, scope, steps } : undefined;
}

/**
 * Whether something in the entry's scope reads the variable by name (`$NAME`, `${NAME}`,
 * `%NAME%`, `$env:NAME`, `env.NAME`) outside the entries being removed: then it is not only the
 * publish's token, and removing it would break that.
 */
function referencedElsewhere(text: string, scope: MapNode, name: string, removed: readonly Span[]): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?:\\$\\{?|%|\\$env:|\\benv\\.|\\benv\\[['"])${escaped}\\b`, 'gi');
  const source = text.slice(scope.span.start, scope.span.end);
  for (const match of source.matchAll(pattern)) {
    const at = scope.span.start + match.index!;
    if (!removed.some((span) => span.start <= at && at < span.end)) return true;
  }
  return false;
}

/** The entry the credential names, and the step that reads it. */
function tokenEntry(context: FixContext<Authentication>, token: ReferencedCredential): { workflow: Workflow; consumer: Consumer; entry: Pair } | undefined {
  const found = stepSite(context);
  if (!found) return undefined;
  const { workflow, job, step } = found;
  const entry = [...step.env, ...job.env, ...workflow.env].find((p) => p.keySpan.start === token.nameSpan.start);
  return entry ? { workflow, consumer: { job, step }, entry } : undefined;
}

/**
 * The entries and consumers of a token, when every entry can go: written in an env block of its
 * own (no anchor, no matrix), read by name nowhere else, and — for npm — no publish to another
 * registry in its scope relies on it.
 */
interface Removable {
  workflow: Workflow;
  consumers: Consumer[];
  /** The entries to remove, by the `env:` pair that holds them. */
  byOwner: Map<Pair, Pair[]>;
}

function removableTokens(context: FixContext<Authentication>, registry: PackageRegistry, token: ReferencedCredential): Removable | undefined {
  const at = tokenEntry(context, token);
  if (!at) return undefined;
  const { workflow } = at;
  const closed = closure(workflow, at.consumer, at.entry, registry, TOOLS[registry]);
  if (!closed) return undefined;
  const removedSpans = closed.entries.map((e) => e.span);
  const byOwner = new Map<Pair, Pair[]>();
  for (const entry of closed.entries) {
    if (fromMatrix(context.text, entry.value?.span)) return undefined;
    const owner = ownerOf(workflow, entry);
    if (!owner || referencedElsewhere(context.text, owner.scope, entry.key, removedSpans)) return undefined;
    if (registry === 'npm' && owner.steps.some(({ job, step }) => npmPublishCommands(job, step).some((c) => c.publish === undefined))) return undefined;
    byOwner.set(owner.owner, [...(byOwner.get(owner.owner) ?? []), entry]);
  }
  return { workflow, consumers: closed.consumers, byOwner };
}

/** npm, pnpm, yarn berry, uv: the token entries go. `gem push`: they go, and configure-rubygems-credentials sets the key before it. */
function dropEnvTokens(context: FixContext<Authentication>, registry: PackageRegistry, tool: string, token: ReferencedCredential): FixProposal[] {
  const removable = removableTokens(context, registry, token);
  if (!removable) return [];
  const { workflow, consumers, byOwner } = removable;
  const edits: ProposedEdit[] = [];
  for (const [owner, pairs] of byOwner) {
    const removal = removePairs(context.text, owner, pairs);
    if (!removal) return [];
    edits.push(...removal);
  }
  const jobs = consumers.map((c) => c.job);
  const grant = grants(context, workflow, jobs);
  if (!grant) return [];
  edits.push(...grant);
  const names = [...new Set([...byOwner.values()].flat().map((p) => p.key))].join(', ');
  if (tool === 'gem push') {
    for (const job of new Set(jobs)) {
      const first = consumers.filter((c) => c.job === job).sort((a, b) => a.step.index - b.step.index)[0]!;
      const configured = job.steps.some((s) => s.index < first.step.index && usesAction(s, 'rubygems/configure-rubygems-credentials') && !input(s, 'api-token'));
      if (configured) continue;
      const insertion = insertStepBefore(context.text, first.step, ['name: Configure RubyGems credentials (trusted publishing)', 'uses: rubygems/configure-rubygems-credentials@v1']);
      if (!insertion) return [];
      edits.push(insertion);
    }
    return [proposal(`Publish to RubyGems with trusted publishing (drop ${names})`, edits, undefined, warnings(jobs), [registerPublisher('rubygems', context)])];
  }
  const needs = registry === 'npm' ? ['Use npm 11.5.1 or later in the publishing job: older versions cannot publish with trusted publishing.'] : [];
  return [proposal(`Publish to ${REGISTRY_NAMES[registry]} with trusted publishing (drop ${names})`, edits, undefined, warnings(jobs), [registerPublisher(registry, context), ...needs])];
}

const CRATES_STEP_ID = 'crates-io-auth';
const CRATES_TOKEN = '${{ steps.crates-io-auth.outputs.token }}';
const NUGET_STEP_ID = 'nuget-login';
const NUGET_KEY = '${{ steps.nuget-login.outputs.NUGET_API_KEY }}';

/**
 * The login step a job's publishes read their token from: inserted before the first of them, or
 * the job's own when a step with that id already runs before it. Undefined when the id is taken
 * by a step that is not that login, or runs after the first publish.
 */
function loginStep(context: FixContext<Authentication>, job: Job, first: Step, id: string, action: string, lines: readonly string[]): ProposedEdit[] | undefined {
  const existing = job.steps.find((s) => s.id === id);
  if (existing) return existing.index < first.index && usesAction(existing, action) ? [] : undefined;
  const insertion = insertStepBefore(context.text, first, lines);
  return insertion ? [insertion] : undefined;
}

/**
 * A token handed on the command line (`--token`, `--api-key`), replaced by the login's output in
 * the script as written. A `$VAR` argument's step-level env entry goes too, when nothing else in
 * the step reads it.
 */
function replaceArgument(context: FixContext<Authentication>, step: Step, token: ReferencedCredential, replacement: string): ProposedEdit[] | undefined {
  const { text } = context;
  if (text.slice(token.nameSpan.start, token.nameSpan.end) !== token.name || !step.run) return undefined;
  const edits: ProposedEdit[] = [{ span: token.nameSpan, newText: replacement }];
  const variable = /^\$(?:\{(\w+)\}|env:(\w+)|(\w+))$/.exec(token.name);
  const name = variable?.[1] ?? variable?.[2] ?? variable?.[3];
  const envPair = name ? step.env.find((p) => p.key === name) : undefined;
  const owner = step.node.pairs.find((p) => p.key === 'env');
  if (name && envPair && owner && !referencedElsewhere(text, step.node, name, [token.nameSpan])) {
    const removal = removePairs(text, owner, [envPair]);
    if (removal) edits.push(...removal);
  }
  return edits;
}

/**
 * `cargo publish` with CARGO_REGISTRY_TOKEN (or `--token`) → rust-lang/crates-io-auth-action
 * before it, its output as the token. The output is a step output, which only a step's `env:`
 * can read: job- and workflow-level entries go, and each publishing step sets its own.
 */
function crates(context: FixContext<Authentication>, token: ReferencedCredential): FixProposal[] {
  const { text } = context;
  const authLines = ['name: Authenticate to crates.io (trusted publishing)', `id: ${CRATES_STEP_ID}`, 'uses: rust-lang/crates-io-auth-action@v1'];
  const title = 'Publish to crates.io with trusted publishing (crates-io-auth-action)';
  const followUps = [registerPublisher('crates', context)];
  const found = stepSite(context);
  if (!found) return [];
  if (!tokenEntry(context, token)) {
    // On the command line.
    const { workflow, job, step } = found;
    const argument = replaceArgument(context, step, token, CRATES_TOKEN);
    const login = loginStep(context, job, step, CRATES_STEP_ID, 'rust-lang/crates-io-auth-action', authLines);
    const grant = grants(context, workflow, [job]);
    if (!argument || !login || !grant) return [];
    return [proposal(title, [...argument, ...login, ...grant], undefined, warnings([job]), followUps)];
  }
  const removable = removableTokens(context, 'crates', token);
  if (!removable) return [];
  const { workflow, consumers, byOwner } = removable;
  const edits: ProposedEdit[] = [];
  // Each publishing step sets the output in its own env (a value replaced where it had the entry);
  // the job- and workflow-level entries go.
  const kept = new Set<Pair>();
  for (const { step } of consumers) {
    const own = step.env.find((p) => p.key === 'CARGO_REGISTRY_TOKEN');
    if (own) kept.add(own);
    const set = setStepEnv(text, step, 'CARGO_REGISTRY_TOKEN', CRATES_TOKEN);
    if (!set) return [];
    edits.push(set);
  }
  for (const [owner, pairs] of byOwner) {
    const rest = pairs.filter((p) => !kept.has(p));
    if (rest.length === 0) continue;
    const removal = removePairs(text, owner, rest);
    if (!removal) return [];
    edits.push(...removal);
  }
  const jobs = [...new Set(consumers.map((c) => c.job))];
  for (const job of jobs) {
    const first = consumers.filter((c) => c.job === job).sort((a, b) => a.step.index - b.step.index)[0]!;
    const login = loginStep(context, job, first.step, CRATES_STEP_ID, 'rust-lang/crates-io-auth-action', authLines);
    if (!login) return [];
    edits.push(...login);
  }
  const grant = grants(context, workflow, jobs);
  if (!grant) return [];
  return [proposal(title, [...edits, ...grant], undefined, warnings(jobs), followUps)];
}

/** `dotnet nuget push --api-key X` → NuGet/login before it, `--api-key` its output. */
function nuget(context: FixContext<Authentication>, token: ReferencedCredential): FixProposal[] {
  const found = stepSite(context);
  if (!found || tokenEntry(context, token)) return [];
  const { workflow, job, step } = found;
  const lines = ['name: Log in to NuGet (trusted publishing)', `id: ${NUGET_STEP_ID}`, 'uses: NuGet/login@v1', 'with:', '  user: ${{ vars.NUGET_USER }}'];
  const argument = replaceArgument(context, step, token, NUGET_KEY);
  const login = loginStep(context, job, step, NUGET_STEP_ID, 'nuget/login', lines);
  const grant = grants(context, workflow, [job]);
  if (!argument || !login || !grant) return [];
  const user = login.length === 0 ? [] : identitySource(undefined, 'your nuget.org user name, not your email', ['NUGET_USER'], false);
  return [proposal('Publish to NuGet with trusted publishing (NuGet/login)', [...argument, ...login, ...grant], undefined, warnings([job]), [registerPublisher('nuget', context), ...user])];
}
