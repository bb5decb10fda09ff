import { innermostEnclosing, type SyntaxNode } from '../syntax/hcl';
import type { Span } from '../syntax/text';
import { nodePathAt, type DataNode } from '../syntax/tree';
import type { ValueLocator } from './scan';

/** Values in YAML or JSON documents: scalars reached by descending through values, never keys. */
export function dataLocator(documents: readonly { root: DataNode | null; span: Span }[]): ValueLocator {
  return {
    containerAt(offset) {
      for (let d = 0; d < documents.length; d++) {
        const { root, span } = documents[d]!;
        if (!root || offset < span.start || offset >= span.end) continue;
        const path = nodePathAt(root, offset);
        const leaf = path[path.length - 1];
        if (!leaf || leaf.kind !== 'scalar' || typeof leaf.value !== 'string') return undefined;
        const container = path.length >= 2 ? path[path.length - 2]! : leaf;
        return `${d}:${container.span.start}`;
      }
      return undefined;
    },
  };
}

const STRING_PARTS = new Set(['template_literal', 'string_lit', 'quoted_template', 'heredoc_template']);
const CONTAINERS = new Set(['object', 'tuple', 'block', 'config_file']);

/** Values in HCL: text inside quoted strings and heredocs; comments and identifiers are not values. */
export function hclLocator(root: SyntaxNode): ValueLocator {
  return {
    containerAt(offset) {
      const node: SyntaxNode | null = root.descendantForIndex(offset);
      if (!node || !STRING_PARTS.has(node.type)) return undefined;
      const container = innermostEnclosing(root, node, (type) => CONTAINERS.has(type));
      return container ? `${container.type}:${container.startIndex}` : 'file';
    },
  };
}
