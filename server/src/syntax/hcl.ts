import { Language, Parser, type Node as SyntaxNode, type Tree } from 'web-tree-sitter';
import { hclParseView, type OpaqueSpan } from './hcl-view';
import { MAX_SYNTAX_ERRORS, type ParseError } from './parse-error';

export type { SyntaxNode, Tree };

/**
 * HCL with web-tree-sitter and the Terraform grammar from `@tree-sitter-grammars/tree-sitter-hcl`:
 * error-tolerant (a missing brace still leaves every other block in the tree), with real expression
 * nodes (`jsonencode({...})`, heredocs, `${}` templates, references).
 *
 * Loading WebAssembly is asynchronous, so an engine awaits `loadHcl()` once; parsing is then
 * synchronous. A tree lives in WebAssembly memory: whoever parses calls `tree.delete()` when done.
 */

/**
 * The two WebAssembly modules HCL parsing runs on, as bytes: the adapters read them
 * (`workspace/grammar.ts`), so parsing reads no file.
 */
export interface HclWasm {
  /** web-tree-sitter's runtime, `web-tree-sitter.wasm`. */
  runtime: Uint8Array;
  /** The Terraform grammar, `tree-sitter-terraform.wasm`. */
  grammar: Uint8Array;
}

let loaded: Promise<Parser> | undefined;

/**
 * The HCL parser. The web-tree-sitter runtime is one per process, so the first call's modules
 * serve every later call: all engines of a process share one parser.
 */
export function loadHcl(wasm: HclWasm): Promise<Parser> {
  loaded ??= (async () => {
    await Parser.init({ wasmBinary: wasm.runtime });
    const language = await Language.load(wasm.grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loaded;
}

export interface HclParseResult {
  /** Null only when parsing was cancelled by the deadline. */
  tree: Tree | null;
  errors: ParseError[];
  /**
   * Spans the tree does not hold (huge collections and literals, read as comments: hcl-view.ts),
   * sorted. Their text is still the file's, for the secret scan.
   */
  opaque: OpaqueSpan[];
}

/**
 * Parses HCL text. `deadline` (a `performance.now()` value) bounds the time spent: past it the
 * parse is cancelled and the file reports that instead of findings.
 */
export function parseHcl(parser: Parser, text: string, deadline = Infinity): HclParseResult {
  let tree: Tree | null;
  // The same offsets as `text`, with what the grammar reads in quadratic or slow time rewritten.
  const view = hclParseView(text);
  try {
    tree = parser.parse(view.text, null, deadline === Infinity ? undefined : { progressCallback: () => performance.now() > deadline });
  } catch (error) {
    // The class of the error only: a message could quote the text.
    return { tree: null, errors: [{ message: `HCL parser failed (${error instanceof Error ? error.name : typeof error})`, span: { start: 0, end: 0 }, failure: true }], opaque: [] };
  }
  if (!tree) {
    parser.reset();
    return { tree: null, errors: [{ message: 'parsing took too long and was stopped', span: { start: 0, end: 0 }, failure: true }], opaque: [] };
  }
  const errors = [...view.notes, ...collectErrors(tree.rootNode)].sort((a, b) => a.span.start - b.span.start);
  return { tree, errors, opaque: view.opaque };
}

/** ERROR and MISSING nodes, found by descending only into subtrees that contain one. */
function collectErrors(root: SyntaxNode, limit = MAX_SYNTAX_ERRORS): ParseError[] {
  const errors: ParseError[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0 && errors.length < limit) {
    const node = stack.pop()!;
    if (node.isMissing) {
      errors.push({ message: `missing ${node.type}`, span: { start: node.startIndex, end: node.endIndex } });
      continue;
    }
    if (node.isError) {
      // The message never quotes the text: a broken line may well hold a credential.
      errors.push({ message: 'syntax error', span: { start: node.startIndex, end: node.endIndex } });
      continue;
    }
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return errors;
}

/**
 * The innermost node on the path from `root` down to `target` (`target` included) whose type
 * `accept`s, or null. It descends from the root, one `childWithDescendant` a level, instead of
 * climbing `node.parent`, which in tree-sitter searches down from the root on every call: climbing
 * out of 5,000 nested parentheses cost 12.5 million steps and seconds per lookup; descending costs
 * what one `parent` call costs.
 */
export function innermostEnclosing(root: SyntaxNode, target: SyntaxNode, accept: (type: string) => boolean): SyntaxNode | null {
  let node: SyntaxNode | null = root;
  let found: SyntaxNode | null = null;
  while (node) {
    if (accept(node.type)) found = node;
    if (node.id === target.id) break;
    node = node.childWithDescendant(target);
  }
  return found;
}
