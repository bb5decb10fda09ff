import type { PolicyCondition, PolicyDocument, PolicyOwner, PolicyStatement, ValueAt } from '../../facts/model';
import { parseOperator } from '../../iam/condition';
import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import type { TfBlock, TfExpr } from '../terraform/model';
import { entry, stringsOf, type PolicyValue } from './policy-value';

/**
 * IAM policy documents, read into `PolicyStatement`s: from JSON-shaped values (`jsonencode`,
 * heredocs, CloudFormation, policy files) and from Terraform's `aws_iam_policy_document` blocks.
 */

/**
 * How a statement is written, so that a fixer can edit it in its own syntax: an HCL object inside
 * `jsonencode(...)`, JSON (a heredoc, a CloudFormation JSON template, a policy file), CloudFormation
 * YAML (block or flow style), or a `statement {}` block of an `aws_iam_policy_document` data
 * source. The spans of `statement` point into the file. The block form holds a live syntax handle:
 * valid during analysis only (`Engine.facts` strips it).
 */
export type StatementSyntax =
  | { form: 'jsonencode' | 'json' | 'yaml'; statement: PolicyObject }
  | { form: 'policy-document'; block: TfBlock };

export type PolicyObject = Extract<PolicyValue, { kind: 'object' }>;

export function isStatementSyntax(value: unknown): value is StatementSyntax {
  if (typeof value !== 'object' || value === null) return false;
  const form = (value as { form?: unknown }).form;
  return form === 'jsonencode' || form === 'json' || form === 'yaml' || form === 'policy-document';
}

/** https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: no real policy comes near. */
export const MAX_STATEMENTS = 1_000;

export function readPolicyDocument(value: PolicyValue, owner: PolicyOwner, text: string, form?: 'jsonencode' | 'json' | 'yaml'): PolicyDocument {
  const statement = entry(value, 'Statement');
  // An IAM policy is at most 10,240 characters (IAM and STS quotas), a few hundred statements: a
  // "policy" of 30,000 (a generated or hostile 1 MB file) is read up to MAX_STATEMENTS.
  const items = statement?.kind === 'array' ? statement.items.slice(0, MAX_STATEMENTS) : statement ? [statement] : [];
  const statements: PolicyStatement[] = [];
  for (const item of items) {
    if (item.kind !== 'object') continue;
    const effect = stringsOf(entry(item, 'Effect'))[0]?.value;
    statements.push({
      ...(form ? { syntax: { form, statement: item } satisfies StatementSyntax } : {}),
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: stringsOf(entry(item, 'Action')),
      notActions: stringsOf(entry(item, 'NotAction')),
      resources: stringsOf(entry(item, 'Resource')),
      notResources: stringsOf(entry(item, 'NotResource')),
      principals: principalsOf(entry(item, 'Principal')),
      conditions: conditionsOf(entry(item, 'Condition')),
      anchor: firstLine(text, item.span.start, item.span.end),
    });
  }
  return { owner, statements };
}

function principalsOf(value: PolicyValue | undefined): PolicyStatement['principals'] {
  if (!value) return [];
  if (value.kind === 'string') return [{ type: '*', values: [{ value: value.value, span: value.span }] }];
  if (value.kind !== 'object') return [];
  return value.entries.map((e) => ({ type: e.key, values: stringsOf(e.value) }));
}

function conditionsOf(value: PolicyValue | undefined): PolicyCondition[] {
  if (value?.kind !== 'object') return [];
  const conditions: PolicyCondition[] = [];
  for (const operatorEntry of value.entries) {
    const parsed = parseOperator(operatorEntry.key);
    if (operatorEntry.value.kind !== 'object') continue;
    for (const keyEntry of operatorEntry.value.entries) {
      conditions.push({ ...parsed, key: keyEntry.key, keySpan: keyEntry.keySpan, values: stringsOf(keyEntry.value) });
    }
  }
  return conditions;
}

/** `data "aws_iam_policy_document"`: `statement {}` blocks with their attributes and nested blocks. */
export function readPolicyDocumentBlock(block: TfBlock, owner: PolicyOwner): PolicyDocument {
  const statements: PolicyStatement[] = [];
  for (const statement of block.blocks('statement')) {
    const effect = literalOf(statement.attribute('effect')?.value);
    statements.push({
      syntax: { form: 'policy-document', block: statement } satisfies StatementSyntax,
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      // `action` is not Terraform's spelling, but real files (and Checkov's fixtures) carry it.
      actions: listOf(statement.attribute('actions')?.value ?? statement.attribute('action')?.value),
      notActions: listOf(statement.attribute('not_actions')?.value),
      resources: listOf(statement.attribute('resources')?.value),
      notResources: listOf(statement.attribute('not_resources')?.value),
      principals: statement.blocks('principals').map((p) => ({ type: literalOf(p.attribute('type')?.value) ?? '', values: listOf(p.attribute('identifiers')?.value) })),
      conditions: statement.blocks('condition').map((c) => {
        const variable = c.attribute('variable')?.value;
        return {
          ...parseOperator(literalOf(c.attribute('test')?.value) ?? ''),
          key: literalOf(variable) ?? '',
          keySpan: variable?.span ?? c.headerSpan,
          values: listOf(c.attribute('values')?.value),
        };
      }),
      anchor: statement.headerSpan,
    });
  }
  return { owner, statements };
}

function literalOf(expr: TfExpr | undefined): string | undefined {
  return expr?.kind === 'string' ? expr.value : undefined;
}

function listOf(expr: TfExpr | undefined): ValueAt[] {
  if (!expr) return [];
  if (expr.kind === 'string') return [{ value: expr.value, span: expr.span }];
  if (expr.kind === 'tuple') return expr.items.flatMap((item) => (item.kind === 'string' ? [{ value: item.value, span: item.span }] : []));
  return [];
}

/** From `start` to the end of its line, or to `limit` (the end of the node it anchors). */
export function firstLine(text: string, start: number, limit = text.length): Span {
  let end = lineBreakWithin(text, start, limit);
  if (text[end - 1] === '\r') end--;
  return { start, end: Math.max(start, end) };
}
