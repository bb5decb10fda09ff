import { deref, isMap, isScalar, isSeq, itemsOf, type DataNode } from '../../syntax/tree';

/**
 * CloudFormation intrinsic functions, short form (`!Sub "…"`, a YAML tag) and long form
 * (`{ "Fn::Sub": "…" }`, a map of one key), read as far as a policy needs: what text a value
 * stands for, and which resource of the template it names.
 */

export interface Intrinsic {
  /** The long name: `Ref`, `Fn::Sub`, `Fn::Join`, `Fn::If`, … */
  name: string;
  argument: DataNode | null;
}

/** The intrinsic function a node is, if it is one. */
export function intrinsicOf(node: DataNode | null): Intrinsic | undefined {
  const value = deref(node);
  if (!value) return undefined;
  if (value.tag && /^![A-Za-z]+$/.test(value.tag)) {
    const short = value.tag.slice(1);
    return { name: short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`, argument: value };
  }
  if (isMap(value) && value.pairs.length === 1) {
    const key = value.pairs[0]!.key;
    if (key === 'Ref' || key.startsWith('Fn::')) return { name: key, argument: deref(value.pairs[0]!.value) };
  }
  return undefined;
}

/**
 * What a value reads as, as text: a plain string as itself; `!Ref X` as `X`, `!GetAtt X.Arn` as
 * `X.Arn` (the names a reader resolves); `!Sub` as its template (`arn:${AWS::Partition}:…`); `!Join`
 * as its parts joined, a `Ref` inside written `${X}` as `!Sub` would. `computed` when any part is
 * decided at deploy time. Undefined for what cannot be told (`!If`, `!Select`, `!ImportValue`, …).
 */
export function intrinsicText(node: DataNode | null, depth = 0): { text: string; computed: boolean } | undefined {
  const value = deref(node);
  if (!value || depth > 16) return undefined;
  const intrinsic = intrinsicOf(value);
  if (!intrinsic) return isScalar(value) && value.value !== null ? { text: String(value.value), computed: false } : undefined;
  const argument = intrinsic.argument;
  switch (intrinsic.name) {
    case 'Ref': {
      const name = scalarText(argument);
      return name === undefined ? undefined : { text: name, computed: true };
    }
    case 'Fn::GetAtt': {
      const parts = isSeq(argument) ? itemsOf(argument).map(scalarText) : [scalarText(argument)];
      return parts.every((p) => p !== undefined) && parts.length > 0 ? { text: parts.join('.'), computed: true } : undefined;
    }
    case 'Fn::Sub': {
      const template = isSeq(argument) ? scalarText(itemsOf(argument)[0] ?? null) : scalarText(argument);
      return template === undefined ? undefined : { text: template, computed: template.includes('${') };
    }
    case 'Fn::Join': {
      const [delimiter, list] = itemsOf(argument);
      const separator = scalarText(delimiter ?? null);
      if (separator === undefined || !isSeq(deref(list ?? null))) return undefined;
      let computed = false;
      const parts: string[] = [];
      for (const part of itemsOf(list ?? null)) {
        const inner = intrinsicOf(part);
        const read = intrinsicText(part, depth + 1);
        if (!read) return undefined;
        computed ||= read.computed;
        parts.push(inner?.name === 'Ref' || inner?.name === 'Fn::GetAtt' ? `\${${read.text}}` : read.text);
      }
      return { text: parts.join(separator), computed };
    }
    default:
      return undefined;
  }
}

/** The logical id a `!Ref X` / `!GetAtt X.Arn` (either form) names; undefined for pseudo parameters (`AWS::Region`) and anything else. */
export function referencedResource(node: DataNode | null): string | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name !== 'Ref' && intrinsic?.name !== 'Fn::GetAtt') return undefined;
  const text = intrinsicText(node)?.text;
  const id = text?.split('.')[0];
  return id && !id.startsWith('AWS::') ? id : undefined;
}

function scalarText(node: DataNode | null): string | undefined {
  const value = deref(node);
  return isScalar(value) && value.value !== null ? String(value.value) : undefined;
}

/** The values a node may take: both branches of a `Fn::If` (nested ones too), none for `!Ref AWS::NoValue`, else itself. */
export function alternatives(node: DataNode | null, depth = 0): DataNode[] {
  const value = deref(node);
  if (!value || depth > 4) return [];
  const intrinsic = intrinsicOf(value);
  if (intrinsic?.name === 'Fn::If') return itemsOf(intrinsic.argument).slice(1, 3).flatMap((branch) => alternatives(branch, depth + 1));
  if (intrinsic?.name === 'Ref' && scalarText(intrinsic.argument) === 'AWS::NoValue') return [];
  return [value];
}
