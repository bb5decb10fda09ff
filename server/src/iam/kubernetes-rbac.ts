import type { Facts, KubeServiceAccount, RbacBinding, RbacRole, RbacRule, RbacSubject, ValueAt } from '../facts/model';

/**
 * What a Kubernetes RBAC rule grants, and which of its grants the published risk models rate as a
 * way to more privilege: the one answer for the RBAC rules (`privilege-escalation`,
 * `rbac-wildcard`, `admin-access`) and the hover on a rule.
 *
 * Rule matching follows the API server's authorizer (`ResourceMatches`, `VerbMatches`,
 * `APIGroupMatches` in k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac): a value matches
 * itself or `*`, and a subresource (`pods/exec`) also matches the star of every resource with that
 * subresource (a star, a slash, `exec`); there is no `pods/` star form.
 */

/** Where a role's grant applies: cluster-wide (a ClusterRole), in kube-system, or in an ordinary (or unstated) namespace. */
export type RbacScope = 'cluster' | 'kube-system' | 'namespace';

export function roleScope(role: RbacRole): RbacScope {
  if (role.kind === 'ClusterRole') return 'cluster';
  // rbac-police's `privileged_namespaces` (lib/utils/builtins.rego). A Role whose namespace the
  // file leaves to `kubectl apply -n` is judged as an ordinary namespace.
  return role.namespace === 'kube-system' ? 'kube-system' : 'namespace';
}

/**
 * A grant the published models rate as privilege escalation, with where it counts:
 * `anywhere`, `privileged` (cluster-wide or in kube-system, where admin-equivalent service accounts
 * live), or `cluster` (a cluster-scoped resource, which a namespaced Role cannot grant).
 */
export interface RbacRisk {
  id: string;
  /** How messages name the grant in general (a finding names the verbs and values its rule writes). */
  label: string;
  /** What it lets the holder do, as the end of "…: it lets the holder …". */
  effect: string;
  /** The field whose written value makes the grant explicit, and where its finding lands. */
  key: 'verb' | 'resource';
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  where: 'anywhere' | 'privileged' | 'cluster';
}

/**
 * The risky grants. Source: rbac-police's policy library (Palo Alto Networks, MIT,
 * github.com/PaloAltoNetworks/rbac-police, lib/*.rego: escalate_roles, bind_roles, impersonate,
 * pods_exec, pods_ephemeral_ctrs, token_request, nodes_proxy, approve_csrs, control_webhooks),
 * with `pods/attach` from the Kubernetes "RBAC good practices" page, which names it beside
 * `pods/exec`. Differences from rbac-police, on purpose: the three verbs are reported in any
 * namespace (RULES.md lists them outright: inside its namespace the holder still rises above its
 * grant); `nodes/proxy` counts with `get` too (the good-practices page says access to the
 * subresource at all; the kubelet's streaming endpoints are reached with GET); CSR approval alone
 * counts (rbac-police also wants `approve` on a signer, which most approvers hold).
 */
export const RBAC_RISKS: readonly RbacRisk[] = [
  {
    id: 'escalate',
    label: '`escalate`',
    effect: 'write roles with permissions it does not hold itself, up to cluster-admin',
    key: 'verb',
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'clusterroles'],
    verbs: ['escalate'],
    where: 'anywhere',
  },
  {
    id: 'bind',
    label: '`bind`',
    effect: 'bind roles it does not hold itself, cluster-admin included, to any subject',
    key: 'verb',
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'clusterroles'],
    verbs: ['bind'],
    where: 'anywhere',
  },
  {
    id: 'impersonate',
    label: '`impersonate`',
    effect: 'act as other users, groups or service accounts, with all their permissions',
    key: 'verb',
    apiGroups: ['', 'authentication.k8s.io'],
    resources: ['users', 'groups', 'serviceaccounts', 'userextras', 'uids'],
    verbs: ['impersonate'],
    where: 'anywhere',
  },
  {
    id: 'serviceaccounts/token',
    label: '`create` on `serviceaccounts/token`',
    effect: 'mint tokens for any service account it reaches, admin-equivalent ones included',
    key: 'resource',
    apiGroups: [''],
    resources: ['serviceaccounts/token'],
    verbs: ['create'],
    where: 'privileged',
  },
  {
    id: 'pods/exec',
    label: '`create` on `pods/exec`',
    effect: 'run commands in other pods, and use their service-account tokens',
    key: 'resource',
    apiGroups: [''],
    resources: ['pods/exec'],
    verbs: ['create'],
    where: 'privileged',
  },
  {
    id: 'pods/attach',
    label: '`create` on `pods/attach`',
    effect: 'attach to the processes of other pods, and act through them',
    key: 'resource',
    apiGroups: [''],
    resources: ['pods/attach'],
    verbs: ['create'],
    where: 'privileged',
  },
  {
    id: 'pods/ephemeralcontainers',
    label: '`update` on `pods/ephemeralcontainers`',
    effect: 'add a (possibly privileged) container to any running pod, and break out to its node',
    key: 'resource',
    apiGroups: [''],
    resources: ['pods/ephemeralcontainers'],
    verbs: ['update', 'patch'],
    where: 'anywhere',
  },
  {
    id: 'nodes/proxy',
    label: '`nodes/proxy`',
    effect: "reach the kubelet's API and run commands in every pod of the node",
    key: 'resource',
    apiGroups: [''],
    resources: ['nodes/proxy'],
    verbs: ['get', 'create'],
    where: 'cluster',
  },
  {
    id: 'certificatesigningrequests/approval',
    label: 'approving CSRs (`certificatesigningrequests/approval`)',
    effect: 'approve certificate requests, and so issue client certificates for any user or group, system:masters included',
    key: 'resource',
    apiGroups: ['certificates.k8s.io'],
    resources: ['certificatesigningrequests/approval'],
    verbs: ['update', 'patch'],
    where: 'cluster',
  },
  {
    id: 'webhook-configurations',
    label: 'writing admission webhook configurations',
    effect: 'register admission webhooks that see every object sent to the API, and (mutating ones) change it',
    key: 'resource',
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
    verbs: ['create', 'update', 'patch'],
    where: 'cluster',
  },
];

/** Reading Secrets, reported by `rbac-wildcard` cluster-wide and in kube-system (rbac-police list_secrets, retrieve_secrets). */
const SECRET_READ_VERBS = ['get', 'list', 'watch'];

export interface ExplicitRisk {
  risk: RbacRisk;
  /** The values that grant it: the verb, or the (sub)resources. */
  values: ValueAt[];
  /** The rule's verbs that make it risky (`*` included). */
  verbs: string[];
}

/** "`bind`", "`create` on `pods/exec` and `pods/attach`", "every verb on `serviceaccounts/token`": an explicit grant as its rule writes it. */
export function explicitGrant(entry: ExplicitRisk): string {
  if (entry.risk.key === 'verb') return listOf(entry.values.map((v) => v.value));
  const verbs = entry.verbs.includes('*') ? 'every verb' : listOf(entry.verbs);
  return `${verbs} on ${listOf(entry.values.map((v) => v.value))}`;
}

/** What one RBAC rule grants that matters, sorted for the rules that report it. */
export interface RuleAssessment {
  /** `*` values (and the star-slash-subresource form) of its verbs, resources and API groups, in source order. */
  wildcards: ValueAt[];
  /** Risky grants written out (the key value is in the file), each with those values in source order and the verbs that make it risky. */
  explicitRisks: ExplicitRisk[];
  /** Risky grants that only a `*` gives (`*` verbs on `roles` give `escalate`). */
  impliedRisks: RbacRisk[];
  /** Reading every Secret (cluster-wide or in kube-system): the `secrets` value when written, else through a `*`. */
  secretsRead?: { value?: ValueAt };
}

const isWildcard = (value: ValueAt): boolean => value.value === '*';
const isSubresourceWildcard = (value: ValueAt): boolean => value.value.startsWith('*/');

/** Whether `values` grant `wanted` (a verb, an API group or a resource): by name, or through `*`. */
function grants(values: readonly ValueAt[], wanted: readonly string[], field: 'verb' | 'group' | 'resource'): { named: ValueAt[]; starred: boolean } {
  const named = values.filter((v) => wanted.includes(v.value) || (field === 'resource' && isSubresourceWildcard(v) && wanted.some((w) => w.includes('/') && w.slice(w.indexOf('/')) === v.value.slice(1))));
  return { named, starred: values.some(isWildcard) };
}

export function assessRule(rule: RbacRule, scope: RbacScope): RuleAssessment {
  const wildcards = [...rule.verbs.filter(isWildcard), ...rule.resources.filter((v) => isWildcard(v) || isSubresourceWildcard(v)), ...rule.apiGroups.filter(isWildcard)].sort((a, b) => a.span.start - b.span.start);
  const explicitRisks: RuleAssessment['explicitRisks'] = [];
  const impliedRisks: RbacRisk[] = [];
  for (const risk of RBAC_RISKS) {
    if ((risk.where === 'privileged' && scope === 'namespace') || (risk.where === 'cluster' && scope !== 'cluster')) continue;
    const verbs = grants(rule.verbs, risk.verbs, 'verb');
    const groups = grants(rule.apiGroups, risk.apiGroups, 'group');
    const resources = grants(rule.resources, risk.resources, 'resource');
    const grantsVerb = verbs.named.length > 0 || verbs.starred;
    const grantsGroup = groups.named.length > 0 || groups.starred;
    const grantsResource = resources.named.length > 0 || resources.starred;
    if (risk.key === 'verb') {
      // The verb written out is the finding, whatever it is written on (RULES.md: the verbs themselves).
      if (verbs.named.length > 0) explicitRisks.push({ risk, values: verbs.named, verbs: verbs.named.map((v) => v.value) });
      else if (verbs.starred && grantsGroup && grantsResource) impliedRisks.push(risk);
      continue;
    }
    // A rule pinned to named objects (resourceNames) does not reach every pod, token or webhook.
    if (rule.resourceNames.length > 0 || !grantsVerb || !grantsGroup) continue;
    if (resources.named.length > 0) explicitRisks.push({ risk, values: resources.named, verbs: [...verbs.named.map((v) => v.value), ...(verbs.starred ? ['*'] : [])] });
    else if (resources.starred) impliedRisks.push(risk);
  }
  const assessment: RuleAssessment = { wildcards, explicitRisks, impliedRisks };
  if (scope !== 'namespace' && rule.resourceNames.length === 0) {
    const verbs = grants(rule.verbs, SECRET_READ_VERBS, 'verb');
    const groups = grants(rule.apiGroups, [''], 'group');
    const resources = grants(rule.resources, ['secrets'], 'resource');
    if ((verbs.named.length > 0 || verbs.starred) && (groups.named.length > 0 || groups.starred)) {
      if (resources.named.length > 0) assessment.secretsRead = { value: resources.named[0]! };
      else if (resources.starred) assessment.secretsRead = {};
    }
  }
  return assessment;
}

/** Every verb on every resource of every API group: what cluster-admin grants. */
export function grantsEverything(rule: RbacRule): boolean {
  return rule.verbs.some(isWildcard) && rule.resources.some(isWildcard) && rule.apiGroups.some(isWildcard);
}

function code(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}

/** "`get`, `list` and 2 more": values in code, the list shortened. */
export function listOf(values: readonly string[], limit = 4): string {
  return inWords([...new Set(values)].map(code), limit);
}

/** "a, b and c", "a, b and 2 more". */
export function inWords(items: readonly string[], limit = 4): string {
  const shown = items.slice(0, limit);
  if (items.length > limit) return `${shown.join(', ')} and ${items.length - limit} more`;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** What a rule grants, in words: "every verb on every resource of every API group", "`get` on `secrets` of the core API group". */
export function describeRule(rule: RbacRule): string {
  const verbs = rule.verbs.some(isWildcard) ? 'every verb' : rule.verbs.length > 0 ? listOf(rule.verbs.map((v) => v.value)) : 'no verb';
  if (rule.resources.length === 0 && rule.nonResourceURLs.length > 0) {
    const urls = rule.nonResourceURLs.some(isWildcard) ? 'every non-resource URL' : `the non-resource URLs ${listOf(rule.nonResourceURLs.map((v) => v.value))}`;
    return `${verbs} on ${urls}`;
  }
  const resources = rule.resources.some(isWildcard) ? 'every resource' : rule.resources.length > 0 ? listOf(rule.resources.map((v) => v.value)) : 'no resource';
  const groups = rule.apiGroups.some(isWildcard)
    ? 'of every API group'
    : rule.apiGroups.length === 1 && rule.apiGroups[0]!.value === ''
      ? 'of the core API group'
      : rule.apiGroups.length > 0
        ? `of the API group${rule.apiGroups.length > 1 ? 's' : ''} ${listOf(rule.apiGroups.map((v) => (v.value === '' ? 'core' : v.value)))}`
        : 'of no API group';
  const named = rule.resourceNames.length > 0 ? ` named ${listOf(rule.resourceNames.map((v) => v.value))}` : '';
  return `${verbs} on ${resources}${named} ${groups}`;
}

/** "ClusterRole "x"", "Role "x"". */
export function roleName(role: RbacRole): string {
  return `${role.kind} "${role.name}"`;
}

/** Where a role's grant applies, for messages: "cluster-wide", "in namespace kube-system". */
export function scopePhrase(role: RbacRole): string {
  if (role.kind === 'ClusterRole') return 'cluster-wide';
  return role.namespace ? `in namespace ${role.namespace}` : 'in its namespace';
}

/** Namespaces match when equal, or when either is left to `kubectl apply -n` (absent). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** The built-in ClusterRoles a label aggregates into: `rbac.authorization.k8s.io/aggregate-to-<role>: "true"`. */
const BUILT_IN_AGGREGATES = ['admin', 'edit', 'view'];

/** Who gets a role's rules, as far as the file shows: the bindings that name it or a ClusterRole it is aggregated into. */
export interface RoleReach {
  bindings: RbacBinding[];
  /** The ClusterRoles of the file whose aggregationRule selects this one. */
  aggregatedInto: RbacRole[];
  /** The built-in roles (admin, edit, view) its labels aggregate it into. */
  builtInAggregates: string[];
}

export function roleReach(role: RbacRole, facts: Facts): RoleReach {
  const index = indexOf(facts);
  const aggregatedInto = role.kind === 'ClusterRole' ? index.aggregators.filter((other) => other !== role && other.aggregationSelectors!.some((selector) => selects(selector, role.labels))) : [];
  const builtInAggregates = role.kind === 'ClusterRole' ? BUILT_IN_AGGREGATES.filter((name) => role.labels[`rbac.authorization.k8s.io/aggregate-to-${name}`] === 'true') : [];
  const bindings = [role, ...aggregatedInto].flatMap((target) => (index.bindingsByRole.get(`${target.kind}/${target.name}`) ?? []).filter((binding) => binds(binding, target)));
  return { bindings: [...new Set(bindings)], aggregatedInto, builtInAggregates };
}

/**
 * What the RBAC rules look up across a file's objects, indexed once per analysis (rules run on
 * every keystroke; a manifest of thousands of pods and bindings must not cost their product).
 */
interface RbacIndex {
  /** Bindings by `roleRef` (`ClusterRole/name`). */
  bindingsByRole: Map<string, RbacBinding[]>;
  /** ClusterRoles with an aggregationRule. */
  aggregators: RbacRole[];
  /** ServiceAccount subjects of the file's bindings by name, with their namespaces. */
  boundAccounts: Map<string, (string | undefined)[]>;
  accountsByName: Map<string, KubeServiceAccount[]>;
}

const indexes = new WeakMap<Facts, RbacIndex>();

function indexOf(facts: Facts): RbacIndex {
  let index = indexes.get(facts);
  if (index) return index;
  index = { bindingsByRole: new Map(), aggregators: facts.rbacRoles.filter((r) => r.aggregationSelectors !== undefined), boundAccounts: new Map(), accountsByName: new Map() };
  for (const binding of facts.rbacBindings) {
    push(index.bindingsByRole, `${binding.roleRef.kind}/${binding.roleRef.name.value}`, binding);
    for (const subject of binding.subjects) if (subject.kind === 'ServiceAccount') push(index.boundAccounts, subject.name, subject.namespace ?? binding.namespace);
  }
  for (const account of facts.kubeServiceAccounts) push(index.accountsByName, account.name, account);
  indexes.set(facts, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An empty selector selects nothing here: the controller reads `matchLabels: {}` as every ClusterRole, a case for its own review. */
function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function binds(binding: RbacBinding, role: RbacRole): boolean {
  if (binding.roleRef.kind !== role.kind || binding.roleRef.name.value !== role.name) return false;
  // A RoleBinding names a Role of its own namespace; a ClusterRole from any.
  return role.kind === 'ClusterRole' || sameNamespace(binding.namespace, role.namespace);
}

/** "ServiceAccount prod/deployer", "User alice", "Group system:masters". */
export function subjectName(subject: RbacSubject, binding: RbacBinding): string {
  const namespace = subject.namespace ?? (subject.kind === 'ServiceAccount' ? binding.namespace : undefined);
  return `${subject.kind} ${namespace && subject.kind === 'ServiceAccount' ? `${namespace}/` : ''}${subject.name}`;
}

/** "ServiceAccount ci/deployer, User alice": a binding's subjects, the first three named. */
export function subjectsPhrase(binding: RbacBinding): string {
  const subjects = binding.subjects.map((s) => subjectName(s, binding));
  return subjects.length === 0 ? 'no subject yet' : inWords(subjects, 3);
}

/**
 * Who gets a role, as far as the file shows, in sentences: the roles it is aggregated into, and
 * "Granted to ServiceAccount ci/deployer by ClusterRoleBinding "deployer"." for the first two
 * bindings; '' when the file shows none.
 */
export function reachPhrase(reach: RoleReach): string {
  const parts: string[] = [];
  const shown = reach.bindings.slice(0, 2);
  for (const binding of shown) parts.push(`${subjectsPhrase(binding)} by ${binding.kind} "${binding.name}"`);
  if (reach.bindings.length > shown.length) parts.push(`${reach.bindings.length - shown.length} more binding${reach.bindings.length - shown.length > 1 ? 's' : ''}`);
  const sentences: string[] = [];
  if (reach.aggregatedInto.length > 0) sentences.push(`Its rules are aggregated into ${reach.aggregatedInto.map((r) => `ClusterRole "${r.name}"`).join(', ')}.`);
  if (reach.builtInAggregates.length > 0) sentences.push(`Its labels aggregate it into the built-in ${listOf(reach.builtInAggregates)} role${reach.builtInAggregates.length > 1 ? 's' : ''}: everyone bound to ${reach.builtInAggregates.length > 1 ? 'them' : 'it'} gets these rules.`);
  if (parts.length > 0) sentences.push(`Granted to ${parts.join('; ')}.`);
  return sentences.join(' ');
}

/** Whether a binding of the file grants a role to this service account (by name and namespace). */
export function accountIsBound(facts: Facts, name: string, namespace: string | undefined): boolean {
  return (indexOf(facts).boundAccounts.get(name) ?? []).some((bound) => sameNamespace(bound, namespace));
}

/** The file's ServiceAccount of that name in that namespace, when the file has it. */
export function serviceAccountOf(facts: Facts, name: string, namespace: string | undefined): KubeServiceAccount | undefined {
  return (indexOf(facts).accountsByName.get(name) ?? []).find((account) => sameNamespace(account.namespace, namespace));
}
