import { detectJson, detectYaml, isTerraformPath, type Syntax } from '../dialects/detect';
import type { Dialect } from '../core/dialect';
import { entryAt, parseDotenv } from '../syntax/dotenv';
import { innermostEnclosing, parseHcl, type SyntaxNode, type Tree } from '../syntax/hcl';
import { opaqueSpanAt } from '../syntax/hcl-view';
import type { Parser } from 'web-tree-sitter';
import { parseJson } from '../syntax/json';
import type { ParseError } from '../syntax/parse-error';
import { lineBreakWithin } from '../syntax/text';
import type { Span } from '../core/text';
import { nodePathAt, type DataNode } from '../syntax/tree';
import { parseYaml, type YamlDocument } from '../syntax/yaml';
import { parseYamlIncremental, type YamlParseCache } from '../syntax/yaml-incremental';
import { dataBlockPath, hclBlockPath, type BlockPath } from './block-path';
import { dataLocator, dotenvLocator, hclLocator, textLocator, yamlTextLocator } from '../secrets/locators';
import type { ValueLocator } from '../secrets/scan';

/**
 * A file parsed with the parser its syntax calls for, and its dialect detected. The syntax-specific
 * questions the engine asks of every file (where values are, what is a comment, which statement
 * a line of a multi-line string belongs to) are answered here, so nothing above this layer
 * branches on syntax.
 */
export interface ParsedFile {
  syntax: Syntax;
  dialect: Dialect | null;
  note: string | undefined;
  errors: ParseError[];
  /** YAML documents, or the single JSON document. Empty for HCL. */
  documents: YamlDocument[];
  /** The HCL tree; null for YAML and JSON. Freed by `dispose`. */
  hcl: Tree | null;
  /**
   * HCL: parts of the text were too large for the parser and are not in the tree (opaque spans,
   * syntax/hcl-view.ts). Without any, the tree is the text's own, and readers may read the text.
   */
  hclOpaque?: boolean;
  locator: ValueLocator;
  /** Whether a `#` or `//` at `offset` starts a real comment (not text inside a string). */
  isCommentAt(offset: number): boolean;
  /**
   * When `offset` lies inside a string that spans several lines (a `run: |` block, a heredoc),
   * the offset where the statement holding that string starts; suppression comments and the
   * "suppress" action go above it, since a line inside the string would change the string.
   */
  statementStartAt(offset: number): number | undefined;
  /** The keys and blocks that enclose `offset`, outermost first (block-path.ts): what a fingerprint names. */
  blockPathAt(offset: number): BlockPath;
  dispose(): void;
}

export function parseFile(path: string, text: string, syntax: Syntax, hclParser: Parser, deadline: number, yamlCache?: YamlParseCache): ParsedFile {
  if (syntax === 'hcl') return parseHclFile(text, hclParser, deadline, isTerraformPath(path));
  if (syntax === 'dotenv') return dotenvFile(text);
  if (syntax === 'json') {
    const { root, errors } = parseJson(text);
    const detection = detectJson(path, root);
    const documents = [{ root, span: { start: 0, end: text.length } }];
    return dataFile('json', text, documents, errors, detection.dialect, detection.dialect === null ? detection.note : undefined);
  }
  const { documents, errors } = yamlCache ? parseYamlIncremental(text, yamlCache) : parseYaml(text);
  const detection = detectYaml(path, text, documents.map((d) => d.root));
  return dataFile('yaml', text, documents, errors, detection.dialect, detection.dialect === null ? detection.note : undefined);
}

function dataFile(syntax: 'yaml' | 'json', text: string, documents: YamlDocument[], errors: ParseError[], dialect: Dialect | null, note: string | undefined): ParsedFile {
  const valuePath = (offset: number): DataNode[] => {
    const doc = documents.find((d) => d.root && offset >= d.span.start && offset < d.span.end);
    return doc?.root ? nodePathAt(doc.root, offset) : [];
  };
  return {
    syntax,
    dialect,
    note,
    errors,
    documents,
    hcl: null,
    // A file the parser could not read at all has no tree to confirm candidates: the text decides.
    // A file of no dialect that does not parse (a Helm chart template) is still searched too, with
    // YAML's comments told apart by the text, since the tree cannot.
    locator: errors.some((e) => e.failure) ? textLocator(text) : dialect === null && errors.length > 0 ? yamlTextLocator(text) : dataLocator(documents),
    isCommentAt(offset) {
      if (syntax === 'json' || text[offset] !== '#') return false;
      const leaf = valuePath(offset).at(-1);
      // Inside a scalar's span the `#` is text; YAML also needs whitespace (or line start) before it.
      return !(leaf && leaf.kind === 'scalar' && offset < leaf.span.end) && (offset === 0 || /\s/.test(text[offset - 1]!));
    },
    statementStartAt(offset) {
      const path = valuePath(offset);
      const leaf = path.at(-1);
      if (!leaf || leaf.kind !== 'scalar' || !spansLines(text, leaf.span)) return undefined;
      const parent = path.at(-2);
      if (parent?.kind === 'map') return parent.pairs.find((p) => p.value === leaf)?.keySpan.start ?? leaf.span.start;
      return leaf.span.start;
    },
    blockPathAt: (offset) => dataBlockPath(documents, offset),
    dispose() {},
  };
}

/** `terraform`: false for HCL that is not Terraform (`*.hcl`), which gets the secret scan alone. */
function parseHclFile(text: string, parser: Parser, deadline: number, terraform: boolean): ParsedFile {
  const { tree, errors, opaque } = parseHcl(parser, text, deadline);
  const root = tree?.rootNode;
  // A huge collection or literal the tree holds as a comment (hcl-view.ts) is text: a literal is one
  // value (an id and its secret in one heredoc are one finding, as when the tree holds it); in a
  // collection, its candidates count line by line, as in a file with no tree.
  const byLine = textLocator(text);
  const treeLocator = root ? hclLocator(root) : byLine;
  const opaqueContainer = (offset: number) => {
    const span = opaqueSpanAt(opaque, offset);
    return span?.literal ? `literal:${span.start}` : span ? byLine.containerAt(offset) : treeLocator.containerAt(offset);
  };
  return {
    syntax: 'hcl',
    // Without a tree (the parse failed or ran out of time) a .tf file is still Terraform: its blocks
    // are unknown, and the secret scan reads the text alone. Other HCL is of no dialect.
    dialect: terraform ? 'terraform' : null,
    note: undefined,
    errors,
    documents: [],
    hcl: tree,
    hclOpaque: opaque.length > 0,
    locator: opaque.length === 0 ? treeLocator : { containerAt: opaqueContainer },
    isCommentAt(offset) {
      return !opaqueSpanAt(opaque, offset) && root?.descendantForIndex(offset)?.type === 'comment';
    },
    statementStartAt(offset) {
      const inOpaque = opaqueSpanAt(opaque, offset);
      // In an opaque literal: the statement that holds the `""` the tree has in its place.
      const leaf: SyntaxNode | null = root?.descendantForIndex(inOpaque ? inOpaque.start : offset) ?? null;
      if (!root || !leaf || (!inOpaque && leaf.type !== 'template_literal' && leaf.type !== 'heredoc_template')) return undefined;
      const node = innermostEnclosing(root, leaf, (type) => type === 'attribute' || type === 'object_elem');
      if (!node || !spansLines(text, { start: node.startIndex, end: node.endIndex })) return undefined;
      return node.startIndex;
    },
    blockPathAt: (offset) => (root ? hclBlockPath(root, text, offset) : []),
    dispose() {
      tree?.delete();
    },
  };
}

/** A `.env` file: no dialect, its entries' values searched for credentials. */
function dotenvFile(text: string): ParsedFile {
  const entries = parseDotenv(text);
  const statement = (offset: number) => entryAt(entries, offset, (e) => e.span);
  return {
    syntax: 'dotenv',
    dialect: null,
    note: undefined,
    errors: [],
    documents: [],
    hcl: null,
    locator: dotenvLocator(entries),
    isCommentAt(offset) {
      // Outside every entry, a `#` starts a comment when it starts its line's text or follows whitespace.
      return text[offset] === '#' && statement(offset) === undefined && (offset === 0 || /\s/.test(text[offset - 1]!));
    },
    statementStartAt(offset) {
      const entry = entryAt(entries, offset);
      return entry && spansLines(text, entry.valueSpan) ? entry.span.start : undefined;
    },
    blockPathAt(offset) {
      const entry = statement(offset);
      return entry ? [entry.key] : [];
    },
    dispose() {},
  };
}

/**
 * A file whose parse threw (a bug or a resource limit no parser caught): no tree, the dialect its
 * path alone gives, one error that says so without quoting the text, and the text-only locator.
 */
export function unparsedFile(path: string, text: string, syntax: Syntax, error: unknown): ParsedFile {
  const dialect = syntax === 'hcl' ? (isTerraformPath(path) ? 'terraform' : null) : syntax === 'dotenv' ? null : syntax === 'json' ? detectJson(path, null).dialect : detectYaml(path, text, []).dialect;
  const message = `the file could not be parsed (${error instanceof Error ? error.name : typeof error}): only the secret scan ran`;
  return {
    syntax,
    dialect,
    note: undefined,
    errors: [{ message, span: { start: 0, end: 0 }, failure: true }],
    documents: [],
    hcl: null,
    locator: textLocator(text),
    isCommentAt: () => false,
    statementStartAt: () => undefined,
    blockPathAt: () => [],
    dispose() {},
  };
}

function spansLines(text: string, span: Span): boolean {
  return lineBreakWithin(text, span.start, span.end) < span.end;
}
