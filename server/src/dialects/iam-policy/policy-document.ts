import type { PolicyCondition, PolicyDocument, PolicyOwner, PolicyReference, PolicyStatement, ValueAt } from '../../facts/model';
import { parseOperator } from '../../iam/condition';
import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import type { TfBlock, TfExpr } from '../terraform/model';
import { entry, fromTfExpr, stringsOf, type PolicyValue } from './policy-value';

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
  return { owner, statements: readStatements(value, text, form) };
}

/** The statements of a JSON-shaped policy value (`{ Statement: [...] }`). */
export function readStatements(value: PolicyValue, text: string, form?: 'jsonencode' | 'json' | 'yaml'): PolicyStatement[] {
  const statement = entry(value, 'Statement');
  // An IAM policy is at most 10,240 characters (IAM and STS quotas), a few hundred statements: a
  // "policy" of 30,000 (a generated or hostile 1 MB file) is read up to MAX_STATEMENTS.
  const items = statement?.kind === 'array' ? statement.items.slice(0, MAX_STATEMENTS) : statement ? [statement] : [];
  const statements: PolicyStatement[] = [];
  for (const item of items) {
    if (item.kind !== 'object') continue;
    const effect = stringsOf(entry(item, 'Effect'))[0]?.value;
    const sid = literal(stringsOf(entry(item, 'Sid'))[0]);
    statements.push({
      ...(form ? { syntax: { form, statement: item } satisfies StatementSyntax } : {}),
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      ...(sid ? { sid } : {}),
      actions: stringsOf(entry(item, 'Action')),
      notActions: stringsOf(entry(item, 'NotAction')),
      resources: stringsOf(entry(item, 'Resource')),
      notResources: stringsOf(entry(item, 'NotResource')),
      principals: principalsOf(entry(item, 'Principal')),
      notPrincipals: principalsOf(entry(item, 'NotPrincipal')),
      conditions: conditionsOf(entry(item, 'Condition')),
      anchor: firstLine(text, item.span.start, item.span.end),
    });
  }
  return statements;
}

function literal(value: ValueAt | undefined): string | undefined {
  return value && !value.computed ? value.value : undefined;
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

/**
 * `data "aws_iam_policy_document"`: `statement {}` blocks with their attributes and nested blocks,
 * and the documents merged into it (`source_policy_documents`, `override_policy_documents`, the
 * older `source_json` / `override_json`). A merged document written in place (`jsonencode({...})`,
 * a heredoc) has its statements read with this one's; one named by reference is recorded.
 */
export function readPolicyDocumentBlock(block: TfBlock, owner: PolicyOwner, text: string): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const merges: NonNullable<PolicyDocument['merges']> = [];
  for (const [attribute, how] of MERGE_ATTRIBUTES) {
    const value = block.attribute(attribute)?.value;
    const documents = value?.kind === 'tuple' ? value.items : value ? [value] : [];
    for (const document of documents) {
      const reference = policyReference(document);
      if (reference) merges.push({ how, from: reference });
      else statements.push(...readStatements(fromTfExpr(document), text, document.kind === 'call' ? 'jsonencode' : 'json'));
    }
  }
  for (const statement of block.blocks('statement')) {
    if (statements.length >= MAX_STATEMENTS) break;
    const effect = literalOf(statement.attribute('effect')?.value);
    const sidValue = statement.attribute('sid')?.value;
    const sid = sidValue?.kind === 'string' && !sidValue.template ? sidValue.value : undefined;
    statements.push({
      syntax: { form: 'policy-document', block: statement } satisfies StatementSyntax,
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      ...(sid ? { sid } : {}),
      // `action` is not Terraform's spelling, but real files (and Checkov's fixtures) carry it.
      actions: listOf(statement.attribute('actions')?.value ?? statement.attribute('action')?.value),
      notActions: listOf(statement.attribute('not_actions')?.value),
      resources: listOf(statement.attribute('resources')?.value),
      notResources: listOf(statement.attribute('not_resources')?.value),
      principals: principalBlocks(statement, 'principals'),
      notPrincipals: principalBlocks(statement, 'not_principals'),
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
  return { owner, statements, ...(merges.length > 0 ? { merges } : {}) };
}

const MERGE_ATTRIBUTES: readonly (readonly [string, 'source' | 'override'])[] = [
  ['source_policy_documents', 'source'],
  ['source_json', 'source'],
  ['override_policy_documents', 'override'],
  ['override_json', 'override'],
];

function principalBlocks(statement: TfBlock, type: 'principals' | 'not_principals'): PolicyStatement['principals'] {
  return statement.blocks(type).map((p) => ({ type: literalOf(p.attribute('type')?.value) ?? '', values: listOf(p.attribute('identifiers')?.value) }));
}

/**
 * Where a Terraform policy value's statements are when it does not write them: a reference
 * (`data.aws_iam_policy_document.x.json`, `var.policy`), a call that is not `jsonencode` of a
 * literal (`jsonencode(local.policy)` is the local's), `file(…)` / `templatefile(…)`. Undefined
 * for a document written in place.
 */
export function policyReference(expr: TfExpr): PolicyReference | undefined {
  switch (expr.kind) {
    case 'reference':
      return { kind: 'expression', text: expr.text, span: expr.span };
    case 'call': {
      const argument = expr.args[0];
      if ((expr.name === 'file' || expr.name === 'templatefile') && argument?.kind === 'string') {
        const relativePath = relativeToModule(argument.value);
        return { kind: 'file', function: expr.name, path: argument.value, ...(relativePath !== undefined ? { relativePath } : {}), span: expr.span };
      }
      if (expr.name === 'jsonencode' && (argument?.kind === 'object' || argument?.kind === 'tuple')) return undefined;
      const text = expr.name === 'jsonencode' && argument?.kind === 'reference' ? argument.text : `${expr.name}(…)`;
      return { kind: 'expression', text, span: expr.span };
    }
    case 'string':
      // A string holds the JSON itself (a heredoc); one made of a single interpolation is a reference.
      if (expr.template && /^\$\{[^{}]*\}$/.test(expr.value.trim())) return { kind: 'expression', text: expr.value.trim().slice(2, -1).trim(), span: expr.span };
      return undefined;
    case 'other':
      return { kind: 'expression', text: expr.text, span: expr.span };
    default:
      return undefined;
  }
}

/** `${path.module}/policies/ci.json`, `./policies/ci.json`, `policies/ci.json` → `policies/ci.json`; undefined when another part is computed. */
function relativeToModule(path: string): string | undefined {
  const rest = path.replace(/^\$\{path\.module\}\//, '').replace(/^(?:\.\/)+/, '');
  return rest.includes('${') || rest.startsWith('/') || rest === '' ? undefined : rest;
}

/** A string's text, templates included (a condition key `"${local.issuer}:sub"` is still read as written). */
function literalOf(expr: TfExpr | undefined): string | undefined {
  return expr?.kind === 'string' ? expr.value : undefined;
}

/**
 * A list attribute's values: literal strings as they are; references and templates
 * (`aws_s3_bucket.logs.arn`, `"${aws_s3_bucket.logs.arn}/*"`) as computed values with their text;
 * a whole list from elsewhere (`var.arns`) as one computed value.
 */
function listOf(expr: TfExpr | undefined): ValueAt[] {
  if (!expr) return [];
  if (expr.kind === 'tuple') return expr.items.flatMap((item) => (item.kind === 'tuple' || item.kind === 'object' ? [] : [valueOf(item)]));
  if (expr.kind === 'object') return [];
  return [valueOf(expr)];
}

function valueOf(expr: TfExpr): ValueAt {
  if (expr.kind === 'string') return { value: expr.value, span: expr.span, ...(expr.template ? { computed: true } : {}) };
  return { value: 'text' in expr ? expr.text : '', span: expr.span, computed: true };
}

/** From `start` to the end of its line, or to `limit` (the end of the node it anchors). */
export function firstLine(text: string, start: number, limit = text.length): Span {
  let end = lineBreakWithin(text, start, limit);
  if (text[end - 1] === '\r') end--;
  return { start, end: Math.max(start, end) };
}

/**
 * A Lambda permission (`aws_lambda_permission`, `AWS::Lambda::Permission`) is one statement of the
 * function's resource policy, as Lambda writes it
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html): the
 * principal, the action on the function, and these arguments as the conditions they become.
 */
export const LAMBDA_PERMISSION_CONDITIONS: readonly { terraform: string; cloudformation: string; operator: string; key: string }[] = [
  { terraform: 'source_arn', cloudformation: 'SourceArn', operator: 'ArnLike', key: 'AWS:SourceArn' },
  { terraform: 'source_account', cloudformation: 'SourceAccount', operator: 'StringEquals', key: 'AWS:SourceAccount' },
  { terraform: 'principal_org_id', cloudformation: 'PrincipalOrgID', operator: 'StringEquals', key: 'aws:PrincipalOrgID' },
];

export function lambdaPermissionStatement(parts: { principal: ValueAt | undefined; action: ValueAt | undefined; functionName: ValueAt | undefined; conditions: PolicyCondition[]; anchor: Span }): PolicyStatement {
  const { principal, action, functionName } = parts;
  return {
    effect: 'Allow',
    actions: action ? [action] : [],
    notActions: [],
    resources: functionName ? [functionName] : [],
    notResources: [],
    principals: principal ? [{ type: principalType(principal.value), values: [principal] }] : [],
    notPrincipals: [],
    conditions: parts.conditions,
    anchor: parts.anchor,
  };
}

/** How a principal written as one string (a Lambda permission's) reads as a policy's `Principal`: everyone, a service, or an account or ARN. */
function principalType(value: string): string {
  if (value === '*') return '*';
  return /\.amazonaws\.com(?:\.cn)?$|\.amazon\.com$/.test(value) ? 'Service' : 'AWS';
}
