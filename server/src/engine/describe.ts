import type { Authentication, Credential, Facts, TokenPermissionsBlock } from '../facts/model';
import { scopeLevels, TOKEN_SCOPES, TOKEN_SHORTHANDS } from '../iam/github-token';
import { CLOUD_NAMES, isCloud, REGISTRY_NAMES } from '../rules/wording';
import type { Span } from '../core/text';
import { describeRolesAt } from './describe-roles';

/**
 * The identity facts at a place, in words: what a hover says about the line under the cursor.
 * Each sentence names who authenticates, to what, and how; never a credential value (literal
 * credentials appear redacted).
 */
export function describeAt(facts: Facts, offset: number): { span: Span; lines: string[] } | undefined {
  const hits: { span: Span; line: string }[] = [];
  for (const auth of facts.authentications) {
    const span = [auth.anchor, ...auth.credentials.flatMap(spansOf)].filter((s) => covers(s, offset)).sort(bySize)[0];
    if (span) hits.push({ span, line: describeAuthentication(auth) });
  }
  for (const credential of facts.credentials) {
    const span = spansOf(credential).find((s) => covers(s, offset));
    if (span) hits.push({ span, line: describeCredential(credential) });
  }
  hits.push(...describeRolesAt(facts, offset));
  for (const workflow of facts.githubTokenPermissions) {
    const blocks: [TokenPermissionsBlock | undefined, string][] = [
      [workflow.workflow, 'every job without its own `permissions:`'],
      ...workflow.jobs.map((job): [TokenPermissionsBlock | undefined, string] => [job.permissions, `job ${code(job.job)}`]),
    ];
    for (const [block, whose] of blocks) {
      if (!block || !covers(block.span, offset)) continue;
      const scope = block.scopes.find((s) => covers(s.span, offset));
      if (scope) hits.push({ span: scope.span, line: describeScope(scope.scope, scope.level) });
      else if (covers(block.keySpan, offset) || block.kind !== 'scopes') hits.push({ span: block.kind === 'scopes' ? block.keySpan : block.span, line: describePermissions(block, whose) });
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => bySize(a.span, b.span));
  return { span: hits[0]!.span, lines: [...new Set(hits.map((h) => h.line))] };
}

function covers(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
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

/** What a `permissions:` entry gives the GITHUB_TOKEN, and whose token it is. */
function describePermissions(block: TokenPermissionsBlock, whose: string): string {
  switch (block.kind) {
    case 'write-all':
    case 'read-all':
      return `The GITHUB_TOKEN of ${whose} gets ${TOKEN_SHORTHANDS[block.kind]}.`;
    case 'none':
      return `The GITHUB_TOKEN of ${whose} gets ${TOKEN_SHORTHANDS['{}']}.`;
    case 'scopes': {
      const granted = block.scopes.filter((s) => TOKEN_SCOPES[s.scope] && (scopeLevels(TOKEN_SCOPES[s.scope]!) as string[]).includes(s.level)).map((s) => `${s.scope}: ${s.level}`);
      return `The GITHUB_TOKEN of ${whose} gets ${granted.length > 0 ? code(granted.join(', ')) : 'no scope'}; every scope not named is none.`;
    }
    case 'other':
      return `GitHub reads this \`permissions:\` when the run starts: it is not a scope map, \`read-all\`, \`write-all\` or \`{}\`.`;
  }
}

/** What one scope at one level lets the token do. */
function describeScope(scope: string, level: string): string {
  const known = TOKEN_SCOPES[scope];
  if (!known) return `${code(scope)} is not a scope of the GITHUB_TOKEN.`;
  if (level === 'none') return `${code(`${scope}: none`)}: no access to ${known.subject}.`;
  const levels: string[] = scopeLevels(known);
  if (!levels.includes(level)) return `${code(scope)} takes ${[...levels, 'none'].join(' or ')}, not ${code(level)}.`;
  return `${code(`${scope}: ${level}`)}: ${level === 'write' ? `${known.write}${known.read ? ' (write includes read)' : ''}` : known.read}.`;
}
