import { parseJson } from '../../syntax/json';
import type { Span } from '../../core/text';
import { deref, type DataNode } from '../../syntax/tree';
import type { TfExpr } from '../terraform/model';

/**
 * A JSON-shaped value with spans: what an IAM policy document is made of, whichever syntax wrote
 * it — `jsonencode({...})` or a heredoc in Terraform, YAML or JSON in CloudFormation, a bare
 * policy file. One policy reader works over all of them.
 */
export type PolicyValue =
  | { kind: 'object'; entries: PolicyEntry[]; span: Span }
  | { kind: 'array'; items: PolicyValue[]; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'other'; span: Span };

export interface PolicyEntry {
  key: string;
  keySpan: Span;
  value: PolicyValue;
}

export function entry(value: PolicyValue | undefined, key: string): PolicyValue | undefined {
  return value?.kind === 'object' ? value.entries.find((e) => e.key === key)?.value : undefined;
}

/** A string or a list of strings, as IAM allows for `Action`, `Resource` and condition values. */
export function stringsOf(value: PolicyValue | undefined): { value: string; span: Span }[] {
  if (!value) return [];
  if (value.kind === 'string') return [{ value: value.value, span: value.span }];
  if (value.kind === 'array') return value.items.flatMap((item) => (item.kind === 'string' ? [{ value: item.value, span: item.span }] : []));
  return [];
}

export function fromDataNode(node: DataNode | null, depth = 0): PolicyValue {
  const value = deref(node);
  if (!value || depth > 64) return { kind: 'other', span: node?.span ?? { start: 0, end: 0 } };
  switch (value.kind) {
    case 'map':
      return {
        kind: 'object',
        entries: value.pairs.filter((p) => p.value !== null).map((p) => ({ key: p.key, keySpan: p.keySpan, value: fromDataNode(p.value, depth + 1) })),
        span: value.span,
      };
    case 'seq':
      return { kind: 'array', items: value.items.map((item) => fromDataNode(item, depth + 1)), span: value.span };
    case 'scalar':
      // A tagged scalar (`!Sub "repo:${Org}/app:*"`) keeps its text: a `${}` in it marks it as not literal.
      return value.value === null ? { kind: 'other', span: value.span } : { kind: 'string', value: String(value.value), span: value.span };
    default:
      return { kind: 'other', span: value.span };
  }
}

/**
 * A Terraform expression as a policy value: `jsonencode(...)` is read through, objects and tuples
 * map to objects and arrays, and a string holding JSON (a heredoc, usually) is parsed with spans
 * that point into the heredoc.
 */
export function fromTfExpr(expr: TfExpr, depth = 0): PolicyValue {
  if (depth > 64) return { kind: 'other', span: expr.span };
  switch (expr.kind) {
    case 'call':
      return expr.name === 'jsonencode' && expr.args[0] ? fromTfExpr(expr.args[0], depth + 1) : { kind: 'other', span: expr.span };
    case 'object':
      return { kind: 'object', entries: expr.entries.map((e) => ({ key: e.key, keySpan: e.keySpan, value: fromTfExpr(e.value, depth + 1) })), span: expr.span };
    case 'tuple':
      return { kind: 'array', items: expr.items.map((item) => fromTfExpr(item, depth + 1)), span: expr.span };
    case 'reference':
      // `aws_iam_openid_connect_provider.github.arn`, `aws_s3_bucket.x.arn`: a named thing, kept as
      // its reference text so that readers can resolve it (and never mistake it for "*").
      return { kind: 'string', value: expr.text, span: expr.span };
    case 'string': {
      const trimmed = expr.value.trim();
      if (expr.valueStart !== undefined && (trimmed.startsWith('{') || trimmed.startsWith('['))) return fromEmbeddedJson(expr.value, expr.valueStart);
      return { kind: 'string', value: expr.value, span: expr.span };
    }
    default:
      return { kind: 'other', span: expr.span };
  }
}

/** JSON written inside a string; spans shifted to where the string's text starts in the file. */
export function fromEmbeddedJson(json: string, offset: number): PolicyValue {
  const { root } = parseJson(json);
  return shift(fromDataNode(root), offset);
}

function shift(value: PolicyValue, delta: number): PolicyValue {
  const span = { start: value.span.start + delta, end: value.span.end + delta };
  switch (value.kind) {
    case 'object':
      return { kind: 'object', span, entries: value.entries.map((e) => ({ key: e.key, keySpan: { start: e.keySpan.start + delta, end: e.keySpan.end + delta }, value: shift(e.value, delta) })) };
    case 'array':
      return { kind: 'array', span, items: value.items.map((item) => shift(item, delta)) };
    case 'string':
      return { kind: 'string', value: value.value, span };
    default:
      return { kind: 'other', span };
  }
}
