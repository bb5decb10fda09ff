import { isStatementSyntax, type StatementSyntax } from '../../dialects/iam-policy/policy-document';
import type { PolicyDocument, PolicyStatement, ValueAt } from '../../facts/model';
import { actionPattern, actionsCovered, type CatalogAction } from '../../iam/catalog';
import { proveNarrower, type NarrowingStatement, type NarrowingValue } from '../../iam/narrowing';
import type { FixContext, Fixer, FixProposal } from '../fixer';
import { ciEvidence } from './ci-evidence';
import { definedResources, namedArns, servicesOf, type DefinedResource } from './evidence';
import { itemValue, replaceStatementList, type ListItem, type ListKey } from './statement-lists';

/**
 * Scope-down fixes for AWS policy statements: `Action` wildcards replaced by named actions, and
 * `Resource: "*"` by the resources the workspace shows. Evidence first (the actions the CI jobs
 * that assume the role run, the resources the module or template defines for the statement's
 * services, the ARNs the file already names); without it,
 * the catalog's split of a wildcard — the actions it grants today, or only its read ones — as
 * alternatives whose titles say what they are, never a silent default. Every proposal is proven
 * to grant nothing new (`iam/narrowing.ts`) before it is offered, and none is `safe`: a narrower
 * policy can break a deploy that needed what it takes away.
 */

/** What the findings these fixers fix are about (the rules' `AwsStatementSubject` has this shape). */
export interface ScopeDownSubject {
  document: PolicyDocument;
  statement: PolicyStatement;
  value?: ValueAt;
}

/** More named actions than this in one statement is a list no one reviews (about 3,000 characters of the 6,144 a managed policy may hold): not offered. */
export const MAX_LISTED_ACTIONS = 100;

/** The access levels of "the read actions" (the catalog's List and Read). */
const READ_LEVELS: ReadonlySet<string> = new Set(['List', 'Read']);

/** `Action` wildcards of one service or more (`s3:*`, `s3:Get*`) replaced by named actions. */
export const scopeDownActions: Fixer<ScopeDownSubject> = (context) => {
  const target = editable(context);
  if (!target || target.statement.notActions.length > 0) return [];
  const actions = target.statement.actions.map((a) => a.value.trim());
  const wildcards = actions.filter((a) => actionPattern(a).wildcard && !actionPattern(a).malformed);
  // `*` and `s*:Get*` span services: admin-access's, not a service split's.
  if (wildcards.length === 0 || !servicesOf(wildcards)) return [];
  const named = actions.filter((a) => !wildcards.includes(a));
  const proposals: FixProposal[] = [];
  // Evidence first: what the CI jobs that assume the role run, of what this statement grants.
  const ci = ciEvidence(context.about.document.owner, context.path, context.workspace);
  if (ci) {
    const needed = ci.actions.filter((a) => actionsCovered({ actions }, { actions: [a] }));
    const listed = [...named, ...needed.filter((a) => !named.some((n) => n.toLowerCase() === a.toLowerCase()))];
    if (needed.length > 0) {
      const proposal = actionProposal(context, target, listed, `Only the ${listed.length} actions ${ci.who} uses`, [`Read from what ${ci.who} runs: anything else that uses the role loses the other actions.`]);
      if (proposal) proposals.push(proposal);
    }
  }
  const today = wildcards.map((w) => context.catalog.expand(w).actions);
  if (today.some((list) => list.length === 0)) return []; // a typo or unknown service: the finding says so
  const partialOnly = wildcards.every((w) => actionPattern(w).action !== '*');
  if (partialOnly) {
    const listed = merged(named, today.flat());
    const title = wildcards.length === 1 ? `List the ${today[0]!.length} actions ${wildcards[0]} grants today` : `List the ${listed.length - named.length} actions the wildcards grant today`;
    const proposal = actionProposal(context, target, listed, title, ['Actions AWS adds later under the wildcard are no longer granted.']);
    if (proposal) proposals.push(proposal);
  }
  const reads = today.map((list) => list.filter((a) => READ_LEVELS.has(a.accessLevel)));
  const readListed = merged(named, reads.flat());
  const sameAsToday = partialOnly && reads.every((list, i) => list.length === today[i]!.length);
  if (!sameAsToday && readListed.length > named.length) {
    const services = [...servicesOf(wildcards)!];
    const title = `Only the read actions of ${services.join(' and ')} (${readListed.length - named.length} List and Read actions)`;
    const proposal = actionProposal(context, target, readListed, title, [`Write, tagging and permissions-management actions of ${services.join(' and ')} are no longer granted: check the identity needs none.`]);
    if (proposal) proposals.push(proposal);
  }
  return proposals;
};

/** `Resource: "*"` replaced by the resources the workspace shows for the statement's services. */
export const scopeDownResources: Fixer<ScopeDownSubject> = (context) => {
  const target = editable(context);
  if (!target || target.statement.notResources.length > 0 || target.statement.notActions.length > 0) return [];
  const resources = target.statement.resources;
  if (!resources.some((r) => r.value.trim() === '*' && !isComputed(r))) return [];
  const actions = target.statement.actions.map((a) => a.value.trim());
  const services = servicesOf(actions);
  if (!services || services.size === 0) return [];
  const granted = context.catalog.granted({ actions });
  // Actions that accept only `*` would lose every resource: scoping them is no fix.
  if (granted.length === 0 || granted.some((a) => a.wildcardResourceOnly)) return [];
  const kept: ListItem[] = resources.filter((r) => r.value.trim() !== '*').map((r) => ({ kind: 'literal', value: r.value }));
  if (resources.some((r) => isComputed(r))) return []; // a computed neighbour cannot be written back as a literal
  const proposals: FixProposal[] = [];

  const defined = definedResources(context.path, context.text, context.dialect, context.workspace).filter((d) => services.has(d.service));
  if (defined.length > 0 && [...services].every((s) => defined.some((d) => d.service === s))) {
    const proposal = resourceProposal(context, target, [...kept, ...defined.flatMap((d) => d.items)], `Scope Resource to ${definedNames(defined)}`);
    if (proposal) proposals.push(proposal);
  }

  const policies = context.workspace.files.get(context.path)?.facts.policies ?? [context.about.document];
  // Only the ARNs some granted action can act on (a bucket's ARN is no place for s3:PutObject), and only when every action has one.
  const arns = namedArns(policies.includes(context.about.document) ? policies : [...policies, context.about.document], services, context.about.statement).filter((arn) => granted.some((a) => context.catalog.resourceScope(a, arn) !== 'none'));
  if (arns.length > 0 && granted.every((a) => arns.some((arn) => context.catalog.resourceScope(a, arn) !== 'none'))) {
    const title = arns.length === 1 ? `Scope Resource to ${arns[0]}` : `Scope Resource to the ${arns.length} ARNs this file names for ${[...services].join(' and ')}`;
    const proposal = resourceProposal(context, target, [...kept, ...arns.map((value): ListItem => ({ kind: 'literal', value }))], title);
    if (proposal) proposals.push(proposal);
  }
  return proposals;
};

/** The statement's syntax when it is an Allow this file writes (not merged in from elsewhere) with literal actions. */
function editable(context: FixContext<ScopeDownSubject>): { statement: PolicyStatement; syntax: StatementSyntax } | undefined {
  const { statement } = context.about;
  if (statement.effect !== 'Allow' || !isStatementSyntax(statement.syntax)) return undefined;
  if (statement.principals.length > 0) return undefined; // resource and trust policies: judged on their principal
  if ([...statement.actions, ...statement.notActions].some(isComputed)) return undefined;
  return { statement, syntax: statement.syntax };
}

function isComputed(value: ValueAt): boolean {
  return (value as { computed?: boolean }).computed === true;
}

/** Names kept as written, then the catalog's, each once (IAM compares names case-insensitively). */
function merged(named: readonly string[], actions: readonly CatalogAction[]): string[] {
  const seen = new Set(named.map((n) => n.toLowerCase()));
  const listed = [...named];
  for (const action of actions) {
    if (seen.has(action.name.toLowerCase())) continue;
    seen.add(action.name.toLowerCase());
    listed.push(action.name);
  }
  return listed;
}

function actionProposal(context: FixContext<ScopeDownSubject>, target: { statement: PolicyStatement; syntax: StatementSyntax }, actions: readonly string[], title: string, followUps: string[]): FixProposal | undefined {
  if (actions.length > MAX_LISTED_ACTIONS) return undefined;
  return proposal(context, target, 'Action', actions.map((value) => ({ kind: 'literal', value })), title, followUps);
}

function resourceProposal(context: FixContext<ScopeDownSubject>, target: { statement: PolicyStatement; syntax: StatementSyntax }, items: readonly ListItem[], title: string): FixProposal | undefined {
  return proposal(context, target, 'Resource', items, title, ['The statement no longer grants on resources other than these: check the identity needs no other.']);
}

/** The edit, when it can be written in place and is proven to grant nothing new. */
function proposal(context: FixContext<ScopeDownSubject>, target: { statement: PolicyStatement; syntax: StatementSyntax }, key: ListKey, items: readonly ListItem[], title: string, followUps: string[]): FixProposal | undefined {
  const edit = replaceStatementList(context.text, context.dialect, target.syntax, key, items);
  if (!edit) return undefined;
  const rewritten: NarrowingStatement = { ...narrowingOf(target.statement), ...(key === 'Action' ? { actions: items.map(itemValue) } : { resources: items.map(itemValue) }) };
  const before = context.about.document.statements.map(narrowingOf);
  const after = context.about.document.statements.map((s) => (s === target.statement ? rewritten : narrowingOf(s)));
  if (!proveNarrower(before, after).narrower) return undefined;
  return { title: shortTitle(title), safe: false, edits: [edit], followUps };
}

/** A statement as the proof reads it. */
export function narrowingOf(statement: PolicyStatement): NarrowingStatement {
  const values = (list: readonly ValueAt[]): NarrowingValue[] => list.map((v) => ({ value: v.value, ...(isComputed(v) ? { computed: true } : {}) }));
  return {
    effect: statement.effect,
    actions: values(statement.actions),
    notActions: values(statement.notActions),
    resources: values(statement.resources),
    notResources: values(statement.notResources),
    conditions: statement.conditions.map((c) => ({ ...c, values: values(c.values) })),
    principals: statement.principals.map((p) => ({ type: p.type, values: values(p.values) })),
    notPrincipals: ((statement as { notPrincipals?: PolicyStatement['principals'] }).notPrincipals ?? []).map((p) => ({ type: p.type, values: values(p.values) })),
  };
}

function definedNames(defined: readonly DefinedResource[]): string {
  if (defined.length <= 2) return defined.map((d) => d.name).join(' and ');
  const plurals = [...new Set(defined.map((d) => d.plural))];
  return `the ${defined.length} ${plurals.length === 1 ? plurals[0] : 'resources'} defined here`;
}

/** Titles stay under 80 characters: a long name is cut, not the words around it. */
function shortTitle(title: string): string {
  return title.length <= 80 ? title : `${title.slice(0, 79)}…`;
}

export { itemValue, replaceStatementList, type ListItem } from './statement-lists';
export { definedResources, namedArns } from './evidence';
