import { yamlString } from '../yaml-edit';
import { commentLines } from './render';

/**
 * CloudFormation written by fixes, as a small tree that prints as block-style YAML (short-form
 * intrinsics, comments above keys) or as JSON (long-form intrinsics; JSON has no comments).
 */
export type CfnNode =
  | { kind: 'map'; entries: CfnEntry[] }
  | { kind: 'list'; items: CfnNode[] }
  | { kind: 'scalar'; value: string | number | boolean; quoted?: boolean }
  | { kind: 'ref'; name: string }
  | { kind: 'getatt'; name: string; attribute: string }
  | { kind: 'sub'; template: string };

export interface CfnEntry {
  key: string;
  value: CfnNode;
  /** A comment written above the key in YAML (wrapped to the line width there). */
  comment?: string;
}

export const cfn = {
  map: (entries: (CfnEntry | [string, CfnNode] | undefined)[]): CfnNode => ({
    kind: 'map',
    entries: entries.filter((e): e is CfnEntry | [string, CfnNode] => e !== undefined).map((e) => (Array.isArray(e) ? { key: e[0], value: e[1] } : e)),
  }),
  list: (items: CfnNode[]): CfnNode => ({ kind: 'list', items }),
  str: (value: string, quoted = false): CfnNode => ({ kind: 'scalar', value, ...(quoted ? { quoted } : {}) }),
  num: (value: number): CfnNode => ({ kind: 'scalar', value }),
  ref: (name: string): CfnNode => ({ kind: 'ref', name }),
  getatt: (name: string, attribute: string): CfnNode => ({ kind: 'getatt', name, attribute }),
  sub: (template: string): CfnNode => ({ kind: 'sub', template }),
};

/** The lines of `node` as the value of a YAML key at `indent` (block style). */
export function yamlLines(entries: readonly CfnEntry[], indent: string): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.comment) lines.push(...commentLines(entry.comment, '#', 100 - indent.length).map((line) => `${indent}${line}`));
    const key = yamlString(entry.key);
    const inline = yamlInline(entry.value);
    if (inline !== undefined) lines.push(`${indent}${key}: ${inline}`);
    else {
      lines.push(`${indent}${key}:`);
      lines.push(...yamlBlock(entry.value, `${indent}  `));
    }
  }
  return lines;
}

function yamlBlock(node: CfnNode, indent: string): string[] {
  if (node.kind === 'map') return yamlLines(node.entries, indent);
  if (node.kind === 'list') {
    const lines: string[] = [];
    for (const item of node.items) {
      const inline = yamlInline(item);
      if (inline !== undefined) lines.push(`${indent}- ${inline}`);
      else if (item.kind === 'map') {
        const inner = yamlLines(item.entries, `${indent}  `);
        // The first key shares its line with the dash: its comment goes above the dash.
        const first = inner.findIndex((line) => !line.trimStart().startsWith('#'));
        const lead = inner.slice(0, first).map((line) => `${indent}${line.trimStart()}`);
        lines.push(...lead, `${indent}- ${inner[first]!.slice(indent.length + 2)}`, ...inner.slice(first + 1));
      } else lines.push(`${indent}-`, ...yamlBlock(item, `${indent}  `));
    }
    return lines;
  }
  return [`${indent}${yamlInline(node) ?? ''}`];
}

/** A node that fits on its key's line, or undefined for maps and non-empty lists. */
function yamlInline(node: CfnNode): string | undefined {
  switch (node.kind) {
    case 'scalar':
      if (typeof node.value !== 'string') return String(node.value);
      return node.quoted ? JSON.stringify(node.value) : yamlString(node.value);
    case 'ref':
      return `!Ref ${node.name}`;
    case 'getatt':
      return `!GetAtt ${node.name}.${node.attribute}`;
    case 'sub':
      return `!Sub ${yamlString(node.template)}`;
    case 'list':
      return node.items.length === 0 ? '[]' : undefined;
    case 'map':
      return node.entries.length === 0 ? '{}' : undefined;
  }
}

/** `node` as JSON, continuing at `indent` (its first line is not indented), with `step` per level. */
export function jsonText(node: CfnNode, indent: string, step: string, eol: string): string {
  const inner = `${indent}${step}`;
  switch (node.kind) {
    case 'scalar':
      return JSON.stringify(node.value);
    case 'ref':
      return `{ "Ref": ${JSON.stringify(node.name)} }`;
    case 'getatt':
      return `{ "Fn::GetAtt": [${JSON.stringify(node.name)}, ${JSON.stringify(node.attribute)}] }`;
    case 'sub':
      return `{ "Fn::Sub": ${JSON.stringify(node.template)} }`;
    case 'list':
      if (node.items.length === 0) return '[]';
      return `[${eol}${node.items.map((item) => `${inner}${jsonText(item, inner, step, eol)}`).join(`,${eol}`)}${eol}${indent}]`;
    case 'map':
      if (node.entries.length === 0) return '{}';
      return `{${eol}${jsonEntries(node.entries, inner, step, eol)}${eol}${indent}}`;
  }
}

/** Map entries as JSON members at `indent`, separated by commas, without a trailing one. */
export function jsonEntries(entries: readonly CfnEntry[], indent: string, step: string, eol: string): string {
  return entries.map((entry) => `${indent}${JSON.stringify(entry.key)}: ${jsonText(entry.value, indent, step, eol)}`).join(`,${eol}`);
}
