import type { AwsWebIdentityTrust, OidcIssuer, PolicyCondition, PolicyDocument, ValueAt } from '../facts/model';

/**
 * Trusts of CI and cluster OIDC issuers, and what their subject conditions let in.
 *
 * Subject formats: GitHub `repo:ORG/REPO:<context>` (`ref:refs/heads/main`, `environment:prod`,
 * `pull_request`), GitLab `project_path:GROUP/PROJECT:ref_type:branch:ref:main`, Terraform Cloud
 * `organization:ORG:project:P:workspace:W:run_phase:apply`, EKS `system:serviceaccount:NS:NAME`.
 */

export function issuerOf(host: string): OidcIssuer {
  const h = host.toLowerCase();
  if (h.startsWith('token.actions.githubusercontent.com')) return 'github';
  if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\//.test(h)) return 'eks';
  if (h.startsWith('app.terraform.io')) return 'terraform-cloud';
  if (/(?:^|\.)gitlab\./.test(h) || h.startsWith('gitlab')) return 'gitlab';
  return 'other';
}

/** The issuer host (with its path) of a federated principal: `arn:aws:iam::1:oidc-provider/<host>`. */
export function issuerHostOfPrincipal(value: string): string | undefined {
  const match = /oidc-provider\/(.+)$/.exec(value);
  return match ? match[1] : undefined;
}

/** The issuer host a condition key names: `token.actions.githubusercontent.com:sub` → the host. */
export function issuerHostOfKey(key: string): string | undefined {
  const match = /^(.+):(?:sub|aud|amr|[a-z_]+)$/i.exec(key);
  return match && match[1]!.includes('.') ? match[1] : undefined;
}

/**
 * The web-identity trusts of a document: Allow statements whose Federated principal (or, when the
 * principal is a reference, whose condition keys) name a CI or cluster issuer.
 */
export function webIdentityTrusts(document: PolicyDocument, resolveProviderHost: (reference: string) => string | undefined): AwsWebIdentityTrust[] {
  const trusts: AwsWebIdentityTrust[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    const federated = statement.principals.filter((p) => p.type === 'Federated').flatMap((p) => p.values);
    const hosts = federated.map((v) => issuerHostOfPrincipal(v.value) ?? resolveProviderHost(v.value)).filter((h): h is string => h !== undefined);
    if (hosts.length === 0 && federated.length > 0) hosts.push(...statement.conditions.map((c) => issuerHostOfKey(c.key)).filter((h): h is string => h !== undefined));
    const host = hosts.find((h) => issuerOf(h) !== 'other');
    if (!host) continue;
    trusts.push({ kind: 'aws-web-identity', issuer: issuerOf(host), issuerHost: host.replace(/\/$/, ''), owner: document.owner, statement });
  }
  return trusts;
}

/** Whether a condition key is the issuer's `sub` claim (GitHub's custom `host/<org>:sub` form included). */
export function isSubjectKey(key: string, host: string): boolean {
  const base = host.split('/')[0]!.toLowerCase();
  const k = key.toLowerCase();
  return k.endsWith(':sub') && (k.startsWith(`${host.toLowerCase()}:`) || k.startsWith(`${base}:`) || k.startsWith(`${base}/`));
}

export function isAudienceKey(key: string, host: string): boolean {
  const base = host.split('/')[0]!.toLowerCase();
  const k = key.toLowerCase();
  return k.endsWith(':aud') && (k.startsWith(`${host.toLowerCase()}:`) || k.startsWith(`${base}:`) || k.startsWith(`${base}/`));
}

/** The one audience a trust checks with StringEquals, if it checks one. */
export function audienceChecked(trust: AwsWebIdentityTrust): string | undefined {
  const audiences = trust.statement.conditions.filter((c) => isAudienceKey(c.key, trust.issuerHost) && c.operator === 'StringEquals' && !c.qualifier);
  return audiences.length === 1 && audiences[0]!.values.length === 1 ? audiences[0]!.values[0]!.value : undefined;
}

export type SubjectVerdict =
  /** One repository (project, workspace, service account) and one context, or nothing judgeable. */
  | { scope: 'scoped' }
  /** One repository, any of its refs or environments: a warning. */
  | { scope: 'one-repository'; value: ValueAt }
  /** More than one repository, org or service account: an error. `value` absent when no condition names the subject. */
  | { scope: 'unscoped'; value?: ValueAt; reason: string };

const WILDCARD_OPERATORS = new Set(['StringLike']);

/** Judges a trust's subject conditions against the issuer's subject format. */
export function judgeSubject(issuer: OidcIssuer, host: string, conditions: readonly PolicyCondition[]): SubjectVerdict {
  const subjects = conditions.filter((c) => isSubjectKey(c.key, host));
  if (subjects.length === 0) return { scope: 'unscoped', reason: 'no condition on the token subject (`sub`): any repository the issuer serves can assume it' };
  let worst: SubjectVerdict = { scope: 'scoped' };
  for (const condition of subjects) {
    if (condition.qualifier === 'ForAllValues') {
      return { scope: 'unscoped', ...(condition.values[0] ? { value: condition.values[0] } : {}), reason: '`ForAllValues` on a single-valued claim is true when the claim is absent' };
    }
    // Under StringEquals a `*` is a literal character: such a value admits no one, it does not widen.
    if (!WILDCARD_OPERATORS.has(condition.operator)) continue;
    for (const value of condition.values) {
      const verdict = judgeValue(issuer, value);
      if (verdict.scope === 'unscoped') return verdict;
      if (verdict.scope === 'one-repository' && worst.scope === 'scoped') worst = verdict;
    }
  }
  return worst;
}

function judgeValue(issuer: OidcIssuer, value: ValueAt): SubjectVerdict {
  const v = value.value;
  // A value built from variables or CloudFormation substitutions cannot be judged from here.
  if (v.includes('${') || value.computed) return { scope: 'scoped' };
  if (!/[*?]/.test(v)) return { scope: 'scoped' };
  const who = subjectScope(issuer, v);
  if (who.kind === 'one') return { scope: 'one-repository', value };
  return { scope: 'unscoped', value, reason: `\`${v}\` lets in ${who.text}` };
}

/**
 * Whom a subject lets in, in the issuer's own terms, naming what the subject names: "any ref of
 * acme/app", "any repository of acme", "any service account in namespace ci". `one` is a subject
 * that stays inside one repository (project, workspace) but spans its refs; `many` spans several.
 */
export type SubjectScope = { kind: 'one'; text: string; repository: string } | { kind: 'many'; text: string; owner?: string };

const isWild = (part: string | undefined): boolean => part === undefined || /[*?]/.test(part);

export function subjectScope(issuer: OidcIssuer, v: string): SubjectScope {
  switch (issuer) {
    case 'github': {
      const match = /^repo:([^/:]*)\/([^:]*)(?::(.*))?$/.exec(v);
      if (!match) return { kind: 'many', text: v === '*' || /^repo:\*/.test(v) ? 'any repository on GitHub' : 'more than one repository' };
      return ownerAndName(match[1]!, match[2]!, 'repository', 'repositories', 'organisation', 'any repository on GitHub');
    }
    case 'gitlab': {
      const match = /^project_path:([^:]*)(?::(.*))?$/.exec(v);
      if (!match) return { kind: 'many', text: 'more than one project' };
      const path = match[1]!;
      const at = path.lastIndexOf('/');
      if (at === -1) return isWild(path) ? { kind: 'many', text: 'any project on the GitLab instance' } : { kind: 'one', text: `any ref of ${path}`, repository: path };
      return ownerAndName(path.slice(0, at), path.slice(at + 1), 'project', 'projects', 'group', 'any project on the GitLab instance');
    }
    case 'terraform-cloud': {
      const match = /^organization:([^:]*):project:([^:]*):workspace:([^:]*)(?::(.*))?$/.exec(v);
      if (!match || isWild(match[1])) return { kind: 'many', text: 'workspaces of any organization' };
      const [, org, project, workspace] = match;
      if (isWild(project)) return { kind: 'many', text: `any workspace of the organization ${org}`, owner: org };
      if (isWild(workspace)) return { kind: 'many', text: `any workspace of ${org}'s project ${project}`, owner: org };
      return { kind: 'one', text: `any run phase of ${org}/${project}/${workspace}`, repository: `${org}/${project}/${workspace}` };
    }
    case 'eks': {
      const match = /^system:serviceaccount:([^:]*):(.*)$/.exec(v);
      if (!match || isWild(match[1])) return { kind: 'many', text: 'service accounts of any namespace' };
      return { kind: 'many', text: `any service account in namespace ${match[1]}`, owner: match[1] };
    }
    default:
      return { kind: 'many', text: 'any subject the pattern matches' };
  }
}

/** `owner/name` with wildcards: whom it admits, naming the owner (org, group) when it is literal. */
function ownerAndName(owner: string, name: string, one: string, many: string, ownerKind: string, anywhere: string): SubjectScope {
  if (isWild(owner)) return { kind: 'many', text: owner === '*' || owner === '' ? anywhere : `${many} of every ${ownerKind} matching \`${owner}\`` };
  if (!isWild(name)) return { kind: 'one', text: `any ref of ${owner}/${name}`, repository: `${owner}/${name}` };
  return { kind: 'many', text: name === '*' ? `any ${one} of ${owner}` : `${many} of ${owner} matching \`${name}\``, owner };
}

/**
 * Whether a trust admits exactly this subject: judged scoped, and every `sub` condition is
 * `StringEquals` on this one value (case aside), none set-qualified or `IfExists`.
 */
export function admitsExactly(trust: AwsWebIdentityTrust, subject: string): boolean {
  if (judgeSubject(trust.issuer, trust.issuerHost, trust.statement.conditions).scope !== 'scoped') return false;
  const subjects = trust.statement.conditions.filter((c) => isSubjectKey(c.key, trust.issuerHost));
  return (
    subjects.length > 0 &&
    subjects.every((c) => c.operator === 'StringEquals' && !c.qualifier && !c.ifExists && c.values.length === 1 && c.values[0]!.value.toLowerCase() === subject.toLowerCase())
  );
}
