import { isStatementSyntax, type StatementSyntax } from '../../dialects/iam-policy/policy-document';
import { isSubjectKey } from '../../iam/trust';
import type { WorkspaceContext } from '../../facts/workspace';
import type { AwsWebIdentityTrust, AzureFederatedCredentialTrust, GcpProviderTrust, Trust } from '../../facts/model';
import { assumedRoleName, sharedSubject, workspaceGraph, type JobAuthentication } from '../../graph/graph';
import { issuerHost, subjectClaim } from '../../graph/tokens';
import { hclString } from '../../fixes/federation/render';
import { likeMatches } from '../../fixes/federation/claims';
import type { Fixer, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { eolOf, indentationAt, lineStartAt, startsLine } from '../../fixes/text';
import { claimPrefix } from '../../fixes/iac/claim-prefix';
import { addCondition, addConditionBlock, conditionEntries, conditionObject, deleteEntry, insertEntry, isHclBlock, renameKey, replaceValue, trailingComment } from '../../fixes/iac/statement-edit';

/**
 * oidc-trust-unscoped: narrows a trust to the one subject the workspace shows for it — the
 * repository (from the git remote) and the environment or single branch of the workflows and
 * pipelines whose jobs assume the role. Offered only when those jobs agree on one subject, and
 * when the old trust admitted it (a fix narrows; it never moves access elsewhere). The `sub`
 * value is rewritten under `StringEquals` (a `sub` condition is added where there was none).
 * GCP: an `attribute_condition` naming the repository; Azure: the exact subject for the wildcard.
 * Unsafe: any other workflow that assumed the role is locked out.
 */
export const fixUnscopedTrust: Fixer<Trust> = ({ about: trust, text, path, workspace }) => {
  switch (trust.kind) {
    case 'aws-web-identity':
      return narrowAws(trust, text, path, workspace);
    case 'gcp-workload-identity-provider':
      return narrowGcp(trust, text, workspace);
    case 'azure-federated-credential':
      return narrowAzure(trust, text, workspace);
    default:
      return [];
  }
};

// ---------------------------------------------------------------------------------------------
// AWS

function narrowAws(trust: AwsWebIdentityTrust, text: string, path: string, workspace: WorkspaceContext): FixProposal[] {
  const syntax = trust.statement.syntax;
  const repository = workspace.repository;
  if (!isStatementSyntax(syntax) || !repository || (trust.issuer !== 'github' && trust.issuer !== 'gitlab')) return [];
  if (issuerHost(trust.issuer, repository)?.toLowerCase() !== trust.issuerHost.toLowerCase()) return [];
  const graph = workspaceGraph(workspace);
  const roleNames = graph.roleNamesOfTrust(trust, path);
  if (roleNames.length === 0) return [];
  const jobs = graph.jobAuthentications((auth) => {
    const role = assumedRoleName(auth);
    return auth.target === 'aws' && auth.method === 'oidc' && role !== undefined && roleNames.includes(role);
  });
  const shared = sharedSubject(jobs);
  if (!shared || shared.issuer !== trust.issuer) return [];
  const subject = subjectClaim(trust.issuer, repository, shared.subject, graph.immutableSubjects);
  if (!subject || !admitted(trust, subject)) return [];
  const key = `${claimPrefix(trust)}:sub`;
  const edits = syntax.form === 'policy-document' ? narrowBlock(text, syntax, trust, key, subject) : narrowData(text, syntax, trust, key, subject);
  if (!edits) return [];
  return [{ title: `Narrow the trust to ${subject}`, safe: false, edits, followUps: [`The trust now admits only ${subject}, ${jobsPhrase(jobs)}: any other workflow that assumes it is locked out.`] }];
}

function jobsPhrase(jobs: readonly JobAuthentication[]): string {
  const first = jobs[0]!;
  const more = jobs.length - 1;
  return `the subject of job "${first.job}" in ${first.file}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * Whether the old trust already admitted the subject: each of its `sub` conditions matches it
 * (wildcards under StringLike, the exact value otherwise). No `sub` condition admits everything.
 */
function admitted(trust: AwsWebIdentityTrust, subject: string): boolean {
  return trust.statement.conditions
    .filter((c) => isSubjectKey(c.key, trust.issuerHost))
    .every((c) => c.values.some((v) => (c.operator === 'StringLike' ? likeMatches(v.value, subject) : v.value === subject)));
}

function narrowData(text: string, syntax: Extract<StatementSyntax, { statement: unknown }>, trust: AwsWebIdentityTrust, key: string, subject: string): ProposedEdit[] | undefined {
  const entries = conditionEntries(syntax.statement);
  if (!entries) return undefined;
  const subjects = entries.filter((e) => isSubjectKey(e.entry.key, trust.issuerHost));
  if (subjects.length === 0) return addCondition(text, syntax, 'StringEquals', key, subject);
  if (subjects.length > 1) return undefined;
  const { operator, entry } = subjects[0]!;
  const value = replaceValue(syntax.form, entry, subject, text);
  if (operator.key === 'StringEquals') return [value];
  const condition = conditionObject(syntax.statement)!;
  if (condition.value.kind !== 'object' || operator.value.kind !== 'object') return undefined;
  const equals = condition.value.entries.find((e) => e.key === 'StringEquals');
  const others = operator.value.entries.filter((e) => e !== entry);
  // The operator keeps its other keys' meaning under StringEquals when none of them has a wildcard.
  const othersPlain = others.every((e) => e.value.kind === 'string' ? !/[*?]/.test(e.value.value) : e.value.kind === 'array' && e.value.items.every((i) => i.kind === 'string' && !/[*?]/.test(i.value)));
  if (!equals && (others.length === 0 || othersPlain)) return [renameKey(text, operator, 'StringEquals'), value];
  if (!equals) {
    const removal = deleteEntry(text, syntax.form, operator.value, entry);
    const addition = insertEntry(text, syntax.form, condition.value, 'StringEquals', { [entry.key]: subject }, trailingComment(text, entry));
    return removal && addition ? [removal, addition] : undefined;
  }
  if (equals.value.kind !== 'object') return undefined;
  const removal = others.length === 0 ? deleteEntry(text, syntax.form, condition.value, operator) : deleteEntry(text, syntax.form, operator.value, entry);
  // The moved entry keeps its trailing comment on its new line.
  const addition = insertEntry(text, syntax.form, equals.value, entry.key, subject, trailingComment(text, entry));
  return removal && addition ? [removal, addition] : undefined;
}

function narrowBlock(text: string, syntax: Extract<StatementSyntax, { form: 'policy-document' }>, trust: AwsWebIdentityTrust, key: string, subject: string): ProposedEdit[] | undefined {
  if (!isHclBlock(text, syntax.block)) return undefined;
  const conditions = syntax.block.blocks('condition').filter((c) => {
    const variable = c.attribute('variable')?.value;
    return variable?.kind === 'string' && isSubjectKey(variable.value, trust.issuerHost);
  });
  if (conditions.length === 0) return addConditionBlock(text, syntax.block, 'StringEquals', key, [subject]);
  if (conditions.length > 1) return undefined;
  const condition = conditions[0]!;
  const test = condition.attribute('test');
  const values = condition.attribute('values');
  if (!test || !values) return undefined;
  const edits: ProposedEdit[] = [{ span: values.value.span, newText: `[${hclString(subject)}]` }];
  if (!(test.value.kind === 'string' && test.value.value === 'StringEquals')) edits.push({ span: test.value.span, newText: '"StringEquals"' });
  return edits;
}

// ---------------------------------------------------------------------------------------------
// GCP and Azure

/**
 * A GitHub provider whose condition does not name one repository: the repository's name is added
 * (`assertion.repository == 'ORG/REPO'`, joined to an existing condition with `&&`) when this
 * workspace's workflows federate to Google Cloud and this is the only GitHub provider it defines.
 */
function narrowGcp(trust: GcpProviderTrust, text: string, workspace: WorkspaceContext): FixProposal[] {
  const repository = workspace.repository;
  if (!repository || trust.issuer !== 'github' || issuerHost('github', repository) === undefined || !trust.span) return [];
  const graph = workspaceGraph(workspace);
  const providers = graph.trusts.filter(({ trust: t }) => t.kind === 'gcp-workload-identity-provider' && t.issuer === 'github');
  if (providers.length > 1) return [];
  const jobs = graph.jobAuthentications((auth) => auth.target === 'gcp' && auth.method === 'oidc');
  if (jobs.length === 0 || jobs.some((j) => j.issuer !== 'github')) return [];
  const clause = `assertion.repository == '${repository.owner}/${repository.name}'`;
  const title = `Admit only ${repository.owner}/${repository.name} (attribute_condition)`;
  const current = trust.attributeCondition;
  if (current) {
    const written = text.slice(current.span.start, current.span.end);
    if (!/^"[^"$%\n]*"$/.test(written)) return [];
    return [{ title, safe: false, edits: [{ span: current.span, newText: hclString(`(${current.value}) && ${clause}`) }] }];
  }
  const close = trust.span.end - 1;
  if (text[close] !== '}' || !startsLine(text, close) || !startsLine(text, trust.anchor.start)) return [];
  const headerEnd = text.indexOf('\n', trust.anchor.start);
  if (headerEnd === -1 || headerEnd >= close) return [];
  const indent = indentationAt(text, headerEnd + 1) || `${indentationAt(text, trust.anchor.start)}  `;
  const at = lineStartAt(text, close);
  return [{ title, safe: false, edits: [{ span: { start: at, end: at }, newText: `${indent}attribute_condition = ${hclString(clause)}${eolOf(text)}` }] }];
}

/** An Azure credential with a wildcard subject: the one subject this workspace's Azure logins present, when they agree and the wildcard admitted it. */
function narrowAzure(trust: AzureFederatedCredentialTrust, text: string, workspace: WorkspaceContext): FixProposal[] {
  const repository = workspace.repository;
  const current = trust.subject;
  if (!repository || !current || (trust.issuer !== 'github' && trust.issuer !== 'gitlab')) return [];
  if (!/^"[^"$%\n]*"$/.test(text.slice(current.span.start, current.span.end))) return [];
  const graph = workspaceGraph(workspace);
  const jobs = graph.jobAuthentications((auth) => auth.target === 'azure' && auth.method === 'oidc');
  const shared = sharedSubject(jobs);
  if (!shared || shared.issuer !== trust.issuer) return [];
  const subject = subjectClaim(shared.issuer, repository, shared.subject, graph.immutableSubjects);
  if (!subject || !likeMatches(current.value, subject)) return [];
  return [
    {
      title: `Narrow the subject to ${subject}`,
      safe: false,
      edits: [{ span: current.span, newText: hclString(subject) }],
      followUps: [`The credential now admits only ${subject}, ${jobsPhrase(jobs)}: any other workflow that signs in with it is locked out.`],
    },
  ];
}
