import type { Authentication, Credential, Facts } from '../facts/model';
import type { AwsCatalog } from '../iam/catalog';
import { CLOUD_NAMES, isCloud, REGISTRY_NAMES } from '../rules/wording';
import { spanCovers, type Span } from '../core/text';
import { describeAwsPolicyAt } from './describe-aws-policy';
import { describeRbacRuleAt } from './describe-rbac';
import { describeRolesAt } from './describe-roles';
import { describeTokenPermissionsAt } from './describe-token-permissions';

/**
 * The identity facts at a place, in words: what a hover says about the line under the cursor.
 * Each sentence names who authenticates, to what, and how; never a credential value (literal
 * credentials appear redacted).
 */
export function describeAt(facts: Facts, offset: number, catalog: AwsCatalog): { span: Span; lines: string[] } | undefined {
  const hits: { span: Span; line: string }[] = [];
  for (const auth of facts.authentications) {
    const span = [auth.anchor, ...auth.credentials.flatMap(spansOf)].filter((s) => spanCovers(s, offset)).sort(bySize)[0];
    if (span) hits.push({ span, line: describeAuthentication(auth) });
  }
  for (const credential of facts.credentials) {
    const span = spansOf(credential).find((s) => spanCovers(s, offset));
    if (span) hits.push({ span, line: describeCredential(credential) });
  }
  hits.push(...describeRolesAt(facts, offset));
  hits.push(...describeTokenPermissionsAt(facts, offset));
  hits.push(...describeRbacRuleAt(facts, offset));
  hits.push(...describeAwsPolicyAt(facts, offset, catalog));
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => bySize(a.span, b.span));
  return { span: hits[0]!.span, lines: [...new Set(hits.map((h) => h.line))] };
}

function bySize(a: Span, b: Span): number {
  return a.end - a.start - (b.end - b.start);
}

function spansOf(credential: Credential): Span[] {
  switch (credential.origin) {
    case 'literal':
      return [credential.valueSpan];
    case 'reference':
      return credential.valueSpan ? [credential.nameSpan, credential.valueSpan] : [credential.nameSpan];
    case 'minted':
      return [credential.anchor];
  }
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function names(credentials: readonly Credential[]): string {
  const list = [...new Set(credentials.map((c) => (c.origin === 'reference' ? c.name : c.origin === 'literal' ? c.label : c.resourceType)))];
  return list.map(code).join(', ');
}

function describeAuthentication(auth: Authentication): string {
  const who = principalName(auth);
  const through = mechanismPhrase(auth);
  const keys = auth.credentials.length > 0 ? ` (${names(auth.credentials)})` : '';
  if (!isCloud(auth.target)) {
    const registry = REGISTRY_NAMES[auth.target];
    return auth.method === 'static'
      ? `${who} publishes to ${registry} with a long-lived token${keys}${through}.`
      : `${who} publishes to ${registry} by trusted publishing${through}: no stored token.`;
  }
  const cloud = CLOUD_NAMES[auth.target];
  if (auth.method === 'static') return `${who} authenticates to ${cloud} with long-lived credentials${keys}${through}.`;
  return `${who} authenticates to ${cloud} by ${auth.method === 'oidc' ? 'OIDC federation' : 'workload identity'}${through}: short-lived credentials, no stored key.`;
}

/** " through `aws-actions/configure-aws-credentials`", " from its `env`", or nothing where the subject says it. */
function mechanismPhrase(auth: Authentication): string {
  if (auth.principal.kind === 'terraform-provider') return '';
  if (auth.principal.kind === 'workload') return ' from its environment';
  if (auth.mechanism === 'env' || auth.mechanism === 'variables') return ` from its \`${auth.mechanism}\``;
  return ` through ${code(auth.mechanism)}`;
}

function principalName(auth: Authentication): string {
  const p = auth.principal;
  switch (p.kind) {
    case 'ci-job':
      return p.job === '*' ? `Every job of this ${p.platform === 'gitlab-ci' ? 'pipeline' : 'workflow'}` : `Job ${code(p.job)}`;
    case 'workload':
      return `Container ${code(p.container)} of ${code(p.workload)}`;
    case 'terraform-provider':
      return `Provider ${code(p.provider)}${p.alias ? ` (alias ${code(p.alias)})` : ''}`;
  }
}

function describeCredential(credential: Credential): string {
  switch (credential.origin) {
    case 'literal':
      return `A literal ${credential.label}${credential.preview ? ` (${code(credential.preview)})` : ''}${credential.encoding ? `, ${credential.encoding},` : ''} is written here.`;
    case 'minted':
      return `${code(credential.resourceType)} ${code(credential.resourceName)} mints a long-lived ${CLOUD_NAMES[credential.cloud]} credential.`;
    case 'reference':
      return `${code(credential.name)} carries a long-lived credential.`;
  }
}

