import type { PodSite } from '../dialects/kubernetes/facts';
import type { Span } from '../core/text';
import type { MapNode } from '../syntax/tree';
import type { ProposedEdit } from './fixer';
import { eolOf, indentationAt, lineStartAt, nextLineStart, startsLine } from './text';
import { insertIntoMap, replaceNode } from './yaml-edit';

/**
 * Edits of Kubernetes manifests in block-style YAML, for the fixers of the pod and service-account
 * rules. Each returns undefined where the manifest's shape would need a reformat (JSON, flow
 * style, a pod spec shared through an alias, a key merged in with `<<`): the fixer then offers
 * nothing rather than something wrong.
 */

/**
 * Whether the pod spec can take line edits: block style, and this pod's own (not an alias, not an
 * anchored map that aliases elsewhere share, no keys merged in with `<<`).
 */
function editablePodSpec(text: string, site: PodSite): MapNode | undefined {
  const { podSpec, podSpecPair } = site;
  const first = podSpec.pairs[0];
  if (!first || podSpecPair.value?.kind === 'alias' || text[podSpec.span.start] === '{') return undefined;
  const between = text.slice(podSpecPair.keySpan.end, first.keySpan.start);
  if (/&[^\s]/.test(between.replace(/#[^\n]*/g, '')) || podSpec.pairs.some((pair) => pair.key === '<<')) return undefined;
  return podSpec;
}

/**
 * Sets a scalar key of a pod spec: its value replaced where written, else the key added as the
 * spec's first, on the line after `spec:` (so that comments above the first key stay with it).
 */
export function setPodSpecScalar(text: string, site: PodSite, key: string, valueText: string): ProposedEdit | undefined {
  const podSpec = editablePodSpec(text, site);
  if (!podSpec) return undefined;
  const own = podSpec.pairs.find((pair) => pair.key === key);
  if (own) return own.value?.kind === 'scalar' ? replaceNode(own.value, valueText) : undefined;
  const first = podSpec.pairs[0]!;
  const keyLineEnd = nextLineStart(text, site.podSpecPair.keySpan.end);
  if (!startsLine(text, first.keySpan.start) || keyLineEnd > first.keySpan.start) return insertIntoMap(text, podSpec, [`${key}: ${valueText}`]);
  return { span: { start: keyLineEnd, end: keyLineEnd }, newText: `${indentationAt(text, first.keySpan.start)}${key}: ${valueText}${eolOf(text)}` };
}

/**
 * Writes a new object (its lines, unindented) right before `object`: as an item before it in a
 * `kind: List`, or as a document of its own before its document, with the `---` that separates
 * them (after the document's own marker and comments are kept with the object they describe).
 */
export function insertObjectBefore(text: string, object: MapNode, lines: readonly string[]): ProposedEdit | undefined {
  const firstKey = object.pairs[0]?.keySpan.start;
  if (firstKey === undefined) return undefined;
  const lineStart = lineStartAt(text, firstKey);
  const before = text.slice(lineStart, firstKey);
  const eol = eolOf(text);
  if (/^[ \t]*-[ \t]+$/.test(before)) {
    // An item of a List: the same dash and gap as the item it goes before.
    const body = lines.map((line, i) => `${i === 0 ? before : ' '.repeat(before.length)}${line}${eol}`).join('');
    return { span: { start: lineStart, end: lineStart }, newText: body };
  }
  if (before.trim() !== '' || text[object.span.start] === '{') return undefined;
  const indent = indentationAt(text, firstKey);
  const body = lines.map((line) => `${indent}${line}`).join(eol);
  const marker = documentMarkerAbove(text, lineStart);
  if (marker !== undefined) return { span: { start: marker, end: marker }, newText: `---${eol}${body}${eol}` };
  return { span: { start: lineStart, end: lineStart }, newText: `${body}${eol}---${eol}` };
}

/** The start of the `---` line that opens the document whose content starts at `lineStart`, past comments and blank lines. */
function documentMarkerAbove(text: string, lineStart: number): number | undefined {
  let end = lineStart;
  for (let guard = 0; end > 0 && guard < 10_000; guard++) {
    const start = lineStartAt(text, end - 1);
    const line = text.slice(start, end).replace(/\r?\n$/, '');
    if (/^---(?:[ \t]+#.*|[ \t]*)$/.test(line)) return start;
    if (line.trim() !== '' && !line.trim().startsWith('#')) return undefined;
    end = start;
  }
  return undefined;
}

/** The indentation one level of a map adds in this manifest (two spaces when it cannot tell). */
export function indentUnit(text: string, map: MapNode | null | undefined): string {
  for (const pair of map?.pairs ?? []) {
    const child = pair.value;
    if (child?.kind !== 'map' || child.pairs.length === 0) continue;
    const unit = column(text, child.pairs[0]!.keySpan) - column(text, pair.keySpan);
    if (unit > 0 && unit <= 8) return ' '.repeat(unit);
  }
  return '  ';
}

function column(text: string, span: Span): number {
  return span.start - lineStartAt(text, span.start);
}
