import { scopeDownActions } from '../../fixes/scope-down';
import type { Facts, PolicyDocument, PolicyStatement, ValueAt } from '../../facts/model';
import { actionPattern, isEveryAction, summarizeGrant, type AwsCatalog } from '../../iam/catalog';
import { statementsReportedElsewhere } from '../aws-reported';
import { describeGrant, identityAllows, listValues, policySubject, statementFinding, statementReach, type AwsStatementSubject } from '../aws-statement';
import type { Rule, RuleFinding } from '../rule';

/**
 * wildcard-action: an Allow in an identity's policy whose actions are a pattern, not a list — a
 * service wildcard (`s3:*`, `s3:Get*`, read-only ones such as `ec2:Describe*` included: RULES.md's
 * decisions), `NotAction` (every action but some), or `*` on named resources (`*` on every
 * resource is `admin-access`). Anchor: the first wildcard value (the others as related
 * locations), or the first `NotAction` value. The message says what the pattern grants today by
 * access level, names the risky actions among them (the catalog's summary), says it grows as AWS
 * adds actions, and flags the patterns of the statement that grant nothing (a typo).
 *
 * Not reported: statements `admin-access` or `privilege-escalation` report (one problem, one
 * finding), Deny, trust and resource policies (a resource policy is judged on its principal, by
 * `wildcard-resource`), caps. A condition that pins resources or principals lowers it to info.
 */
export const wildcardAction: Rule<AwsStatementSubject> = {
  id: 'wildcard-action',
  severity: 'warning',
  title: 'A policy grants actions by wildcard instead of listing them',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  fixers: [scopeDownActions],
  check({ facts, catalog }) {
    return awsWildcardActions(facts, catalog);
  },
};

function awsWildcardActions(facts: Facts, catalog: AwsCatalog): RuleFinding<AwsStatementSubject>[] {
  const findings: RuleFinding<AwsStatementSubject>[] = [];
  const reported = statementsReportedElsewhere(facts, catalog);
  for (const { document, statement } of identityAllows(facts)) {
    if (reported.has(statement)) continue;
    const found = statement.notActions.length > 0 ? judgeNotAction(document, statement, catalog) : judgeWildcards(document, statement, catalog);
    if (found) findings.push(found);
  }
  return findings;
}

function judgeNotAction(document: PolicyDocument, statement: PolicyStatement, catalog: AwsCatalog): RuleFinding<AwsStatementSubject> | undefined {
  const first = statement.notActions.find((v) => !v.computed);
  if (!first) return undefined;
  const notActions = statement.notActions.filter((v) => !v.computed).map((v) => v.value);
  const { reach } = statementReach(statement);
  const summary = summarizeGrant(catalog, { notActions }, { everyResource: reach === 'every' });
  const { count, risks, unknown } = describeGrant(catalog, summary);
  return statementFinding('info', document, statement, first, [], `${policySubject(document.owner)} allows every action but ${listValues(statement.notActions)} (\`NotAction\`)${on(statement)}: ${count}.${sentences(risks, unknown)}`, 'List the actions it needs in `Action` instead.');
}

function judgeWildcards(document: PolicyDocument, statement: PolicyStatement, catalog: AwsCatalog): RuleFinding<AwsStatementSubject> | undefined {
  const wildcards = statement.actions.filter((v) => !v.computed && actionPattern(v.value).wildcard);
  const first = wildcards[0];
  if (!first) return undefined;
  const relatedTo = (anchor: ValueAt) => wildcards.filter((v) => v !== anchor).map((v) => ({ span: v.span, message: `another wildcard: \`${v.value}\`` }));
  const literal = statement.actions.filter((v) => !v.computed).map((v) => v.value);
  if (wildcards.some((v) => isEveryAction(actionPattern(v.value)))) {
    // `*` on named resources: whatever AWS lets be done to them, by any service.
    const { unknown } = describeGrant(catalog, summarizeGrant(catalog, { actions: literal.filter((a) => !isEveryAction(actionPattern(a))) }));
    const every = wildcards.find((v) => isEveryAction(actionPattern(v.value)))!;
    return statementFinding('info', document, statement, every, relatedTo(every), `${policySubject(document.owner)} allows every action (\`*\`)${on(statement)}: everything any AWS service can do to them, today and as AWS adds actions.${sentences(unknown)}`, 'List the actions it needs.');
  }
  const { reach } = statementReach(statement);
  const shown = wildcards.map((v) => v.value);
  const { count } = describeGrant(catalog, summarizeGrant(catalog, { actions: shown }, { everyResource: reach === 'every' }));
  // Risks and unknown patterns of the whole statement: a typo next to the wildcard is worth a word.
  const { risks, unknown } = describeGrant(catalog, summarizeGrant(catalog, { actions: literal }, { everyResource: reach === 'every' }));
  const granted = wildcards.length === 1 ? `\`${first.value}\`` : `${listValues(wildcards)}`;
  return statementFinding('info', document, statement, first, relatedTo(first), `${policySubject(document.owner)} allows ${granted}${on(statement)}: ${count}.${sentences(risks, unknown)}`, 'List the actions it needs.');
}

/** Sentences that follow another, each with its space; empty ones left out. */
function sentences(...parts: string[]): string {
  return parts.filter(Boolean).map((p) => ` ${p}`).join('');
}

/** ` on every resource`, ` on `arn:aws:s3:::logs``. */
function on(statement: PolicyStatement): string {
  const { reach } = statementReach(statement);
  if (reach === 'every') return statement.notResources.length > 0 ? ` on every resource but ${listValues(statement.notResources)}` : ' on every resource';
  return statement.resources.length > 0 ? ` on ${listValues(statement.resources)}` : '';
}
