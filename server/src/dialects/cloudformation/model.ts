import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import { deref, get, isMap, pairsOf, str, type DataNode, type MapNode } from '../../syntax/tree';

/**
 * A CloudFormation or SAM template, YAML or JSON: its resources by logical id. Short-form
 * intrinsics (`!Ref x`) keep their tag on the node; long forms (`{ "Ref": "x" }`) are plain maps.
 */
export interface Template {
  root: MapNode;
  resources: TemplateResource[];
}

export interface TemplateResource {
  logicalId: string;
  /** The logical id's line: where "the resource's first line" anchors are drawn. */
  firstLine: Span;
  type: string;
  node: MapNode;
  properties: DataNode | null;
}

export function readTemplate(root: DataNode | null, text: string): Template | null {
  const map = deref(root);
  if (!isMap(map)) return null;
  const resources: TemplateResource[] = [];
  for (const pair of pairsOf(get(map, 'Resources'))) {
    const node = deref(pair.value);
    if (!isMap(node)) continue;
    let end = lineBreakWithin(text, pair.keySpan.start, pair.span.end);
    if (text[end - 1] === '\r') end--;
    resources.push({ logicalId: pair.key, firstLine: { start: pair.keySpan.start, end }, type: str(get(node, 'Type')) ?? '', node, properties: get(node, 'Properties') });
  }
  return { root: map, resources };
}
