import * as fs from 'node:fs';
import * as path from 'node:path';
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

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

let loaded: Promise<Parser> | undefined;

export function loadHcl(): Promise<Parser> {
  loaded ??= (async () => {
    await Parser.init({ locateFile: () => locateWasm(RUNTIME_WASM) });
    const language = await Language.load(fs.readFileSync(locateWasm(GRAMMAR_WASM)));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loaded;
}

/**
 * The bundles in dist/ carry both .wasm files beside them (the build copies them); when the
 * sources run directly (tests, bench), they come from node_modules at the repository root.
 */
function locateWasm(name: string): string {
  const beside = path.join(__dirname, name);
  if (fs.existsSync(beside)) return beside;
  const modules = path.resolve(__dirname, '..', '..', '..', 'node_modules');
  return name === RUNTIME_WASM
    ? path.join(modules, 'web-tree-sitter', name)
    : path.join(modules, '@tree-sitter-grammars', 'tree-sitter-hcl', name);
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
