import { entryAt, type DotenvEntry } from '../syntax/dotenv';
import { innermostEnclosing, type SyntaxNode } from '../syntax/hcl';
import type { Span } from '../core/text';
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
        // Text nested past MAX_DEPTH is opaque to the readers, not to the scan: a key pair hidden
        // under 1,000 brackets is still reported, on its own span, in the opaque leaf's container.
        if (leaf?.kind === 'scalar' && leaf.truncated) return `${d}:${leaf.span.start}`;
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

/**
 * For a file with no tree to ask (its parser failed or ran out of time, or a reader threw): every
 * candidate counts, on its own span, and the candidates of one line share a container (an id and
 * its secret on one line are one finding). A comment or a key may then be reported too: better
 * than hiding a credential because its file defeated the parser.
 */
export function textLocator(text: string): ValueLocator {
  return {
    containerAt(offset) {
      return `line:${text.lastIndexOf('\n', offset - 1) + 1}`;
    },
  };
}

/**
 * Values in a `.env` file: the text of each entry's value. The file is one environment, so every
 * value shares one container (an access key id and its secret on two lines are one finding).
 */
export function dotenvLocator(entries: readonly DotenvEntry[]): ValueLocator {
  return {
    containerAt(offset) {
      return entryAt(entries, offset) === undefined ? undefined : 'dotenv';
    },
  };
}

/**
 * For text no syntax tree covers (a YAML file that does not parse, like a Helm chart template
 * whose `{{ }}` is not YAML until rendered): every candidate counts unless a `#` comment holds
 * it — a `#` at the start of a line or after whitespace, outside quotes, as YAML reads comments.
 * The whole file is one container. Candidates come in text order for each detector, so a line is
 * read once per detector however many candidates it holds (a cursor resumes where the last
 * candidate of the same line left off): linear time on any input.
 */
export function yamlTextLocator(text: string): ValueLocator {
  // The state at `at`: where the line started, the open quote, whether a comment started.
  let at = -1;
  let lineStart = 0;
  let quote = '';
  let comment = false;
  return {
    containerAt(offset) {
      if (at < 0 || offset < at) {
        at = text.lastIndexOf('\n', offset - 1) + 1;
        lineStart = at;
        quote = '';
        comment = false;
      }
      for (; at < offset; at++) {
        const c = text[at];
        if (c === '\n') {
          lineStart = at + 1;
          quote = '';
          comment = false;
        } else if (comment) {
          continue;
        } else if (quote !== '') {
          if (c === quote) quote = '';
          else if (c === '\\' && quote === '"' && text[at + 1] !== '\n') at++;
        } else {
          const before = at === lineStart ? ' ' : text[at - 1]!;
          if ((c === '"' || c === "'") && !/[A-Za-z0-9]/.test(before)) quote = c;
          else if (c === '#' && /\s/.test(before)) comment = true;
        }
      }
      return comment ? undefined : 'text';
    },
  };
}
