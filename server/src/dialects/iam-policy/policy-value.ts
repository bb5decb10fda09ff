import { parseJson } from '../../syntax/json';
import type { Span } from '../../core/text';
import { deref, itemsOf, type DataNode } from '../../syntax/tree';
import type { ValueAt } from '../../facts/model';
import { intrinsicOf, intrinsicText, type Intrinsic } from '../cloudformation/intrinsics';
import type { TfExpr } from '../terraform/model';

/**
 * A JSON-shaped value with spans: what an IAM policy document is made of, whichever syntax wrote
 * it — `jsonencode({...})` or a heredoc in Terraform, YAML or JSON in CloudFormation, a bare
 * policy file. One policy reader works over all of them.
 */
export type PolicyValue =
  | { kind: 'object'; entries: PolicyEntry[]; span: Span }
  | { kind: 'array'; items: PolicyValue[]; span: Span }
  /**
   * `computed`: the value is not written but decided elsewhere (a Terraform reference or template,
   * a CloudFormation intrinsic): `value` is its text as written, never a wildcard to match.
   */
  | { kind: 'string'; value: string; span: Span; computed?: boolean }
  | { kind: 'other'; span: Span };

export interface PolicyEntry {
  key: string;
  keySpan: Span;
  value: PolicyValue;
}

export function entry(value: PolicyValue | undefined, key: string): PolicyValue | undefined {
  return value?.kind === 'object' ? value.entries.find((e) => e.key === key)?.value : undefined;
}

/**
 * A string or a list of strings, as IAM allows for `Action`, `Resource` and condition values. An
 * array nested one level (a CloudFormation `Fn::If`'s branches) gives its strings too: either
 * branch may be the value.
 */
export function stringsOf(value: PolicyValue | undefined): ValueAt[] {
  if (!value) return [];
  if (value.kind === 'string') return [valueAtOf(value)];
  if (value.kind !== 'array') return [];
  return value.items.flatMap((item) => (item.kind === 'string' ? [valueAtOf(item)] : item.kind === 'array' ? item.items.flatMap((inner) => (inner.kind === 'string' ? [valueAtOf(inner)] : [])) : []));
}

function valueAtOf(value: Extract<PolicyValue, { kind: 'string' }>): ValueAt {
  return { value: value.value, span: value.span, ...(value.computed ? { computed: true } : {}) };
}

/**
 * A YAML or JSON node as a policy value. With `intrinsics` (CloudFormation), intrinsic functions
 * are read as what they stand for: `!Ref`, `!GetAtt`, `!Sub`, `!Join` (short and long forms) as a
 * computed string of their text, `Fn::If` as the array of its two branches, other functions as
 * opaque values — never as the lists and maps they are written as (`!If [IsProd, "*", …]` is not
 * an action list holding `IsProd`).
 */
export function fromDataNode(node: DataNode | null, options: { intrinsics?: boolean } = {}, depth = 0): PolicyValue {
  const value = deref(node);
  if (!value || depth > 64) return { kind: 'other', span: node?.span ?? { start: 0, end: 0 } };
  if (options.intrinsics) {
    const intrinsic = intrinsicOf(value);
    if (intrinsic) return fromIntrinsic(value, intrinsic, options, depth);
  }
  switch (value.kind) {
    case 'map':
      return {
        kind: 'object',
        entries: value.pairs.filter((p) => p.value !== null).map((p) => ({ key: p.key, keySpan: p.keySpan, value: fromDataNode(p.value, options, depth + 1) })),
        span: value.span,
      };
    case 'seq':
      return { kind: 'array', items: value.items.map((item) => fromDataNode(item, options, depth + 1)), span: value.span };
    case 'scalar':
      // A tagged scalar (`!Sub "repo:${Org}/app:*"`) keeps its text: a `${}` in it marks it as not literal.
      return value.value === null ? { kind: 'other', span: value.span } : { kind: 'string', value: String(value.value), span: value.span, ...(value.tag ? { computed: true } : {}) };
    default:
      return { kind: 'other', span: value.span };
  }
}

function fromIntrinsic(node: DataNode, intrinsic: Intrinsic, options: { intrinsics?: boolean }, depth: number): PolicyValue {
  if (intrinsic.name === 'Fn::If') {
    const branches = itemsOf(intrinsic.argument).slice(1, 3);
    return { kind: 'array', items: branches.map((branch) => fromDataNode(branch, options, depth + 1)), span: node.span };
  }
  const text = intrinsicText(node);
  return text === undefined ? { kind: 'other', span: node.span } : { kind: 'string', value: text.text, span: node.span, ...(text.computed ? { computed: true } : {}) };
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
      return { kind: 'string', value: expr.text, span: expr.span, computed: true };
    case 'string': {
      const trimmed = expr.value.trim();
      if (expr.valueStart !== undefined && (trimmed.startsWith('{') || trimmed.startsWith('['))) return fromEmbeddedJson(expr.value, expr.valueStart, expr.template);
      return { kind: 'string', value: expr.value, span: expr.span, ...(expr.template ? { computed: true } : {}) };
    }
    default:
      return { kind: 'other', span: expr.span };
  }
}

/**
 * JSON written inside a string; spans shifted to where the string's text starts in the file. In a
 * template (a heredoc with `${…}`), the strings that interpolate are computed.
 */
export function fromEmbeddedJson(json: string, offset: number, template = false): PolicyValue {
  const { root } = parseJson(json);
  return shift(fromDataNode(root), offset, template);
}

function shift(value: PolicyValue, delta: number, template: boolean): PolicyValue {
  const span = { start: value.span.start + delta, end: value.span.end + delta };
  switch (value.kind) {
    case 'object':
      return { kind: 'object', span, entries: value.entries.map((e) => ({ key: e.key, keySpan: { start: e.keySpan.start + delta, end: e.keySpan.end + delta }, value: shift(e.value, delta, template) })) };
    case 'array':
      return { kind: 'array', span, items: value.items.map((item) => shift(item, delta, template)) };
    case 'string':
      return { kind: 'string', value: value.value, span, ...(template && value.value.includes('${') ? { computed: true } : {}) };
    default:
      return { kind: 'other', span };
  }
}
