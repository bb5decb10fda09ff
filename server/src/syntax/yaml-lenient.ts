/**
 * What YAML's real consumers accept and the strict YAML 1.2 grammar of the `yaml` library does not.
 *
 * Kubernetes (go-yaml, a port of libyaml), CloudFormation and PyYAML (libyaml) read a quoted scalar
 * or a flow collection that runs over several lines whatever the indentation of its continuation
 * lines: libyaml checks the indentation of plain scalars and block collections only. YAML 1.2 wants
 * those lines indented more than the parent node, and `yaml` reports an error there and then
 * misreads what follows (the value `"first\nsecond"` under a nested key comes out as "firs", and
 * `second"` as a new key). Measured with PyYAML 6 (CSafeLoader, libyaml) against `yaml` 2.9:
 *
 * | continuation line                                                 | libyaml | `yaml` |
 * |-------------------------------------------------------------------|---------|--------|
 * | of a "double" or 'single' quoted value, at column 0 or at the key's indentation | ok | error |
 * | of a `[flow, sequence]` or `{flow: map}`, the same                | ok      | error  |
 * | of a plain scalar, at the key's indentation or less               | error   | error  |
 * | indented with a tab                                               | error   | error  |
 *
 * So only the first two differ, and for them the indentation carries no meaning: folding drops a
 * continuation line's leading white space from the value. `reindentContinuations` gives such lines
 * the indentation the strict grammar wants (the column the construct opened at), recording every
 * insertion so that spans map back to the original text exactly.
 */

export interface Reindented {
  text: string;
  /** Maps an offset in `text` to the original text (an offset inside inserted spaces maps to the line's start). */
  toOriginal(offset: number): number;
}

/**
 * The text with under-indented continuation lines of multi-line quoted scalars and flow
 * collections indented to the column their construct opened at; undefined when there is none (or
 * when a document marker falls inside one, where no consumer would read on).
 */
export function reindentContinuations(text: string): Reindented | undefined {
  // Insertions: at original offset `at` (a line start), `count` spaces.
  const insertions: { at: number; count: number }[] = [];
  if (!scanConstructs(text, { underIndented: (at, count) => insertions.push({ at, count }) })) return undefined;
  return insertions.length === 0 ? undefined : withInsertions(text, insertions);
}

interface ConstructVisitor {
  /** A continuation line at `lineStart` that needs `count` more spaces. */
  underIndented?(lineStart: number, count: number): void;
  /** An outermost flow collection in block context, from its opening to its closing bracket (inclusive). */
  flowCollection?(start: number, end: number): void;
}

/**
 * One pass over YAML text that follows quoted scalars and flow collections across lines, as libyaml
 * does (block scalars' content skipped, comments ignored). False when a document marker falls
 * inside an open construct.
 */
function scanConstructs(text: string, visitor: ConstructVisitor): boolean {
  let flowStart = -1;
  let quote = ''; // '"' or "'" while inside a quoted scalar
  let flowDepth = 0;
  let minIndent = 0; // the column the outermost open construct started at
  let blockScalarParent = -1; // while >= 0, lines indented more than this are block scalar content
  let lineStart = 0;
  const length = text.length;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    let indent = 0;
    while (lineStart + indent < lineEnd && text.charCodeAt(lineStart + indent) === 32) indent++;
    const blank = lineStart + indent >= lineEnd || /^[ \t\r]*$/.test(text.slice(lineStart + indent, lineEnd));
    const open = quote !== '' || flowDepth > 0;
    if (open) {
      if (indent === 0 && /^(?:---|\.\.\.)(?:[ \t\r]|$)/.test(text.slice(lineStart, lineStart + 4))) return false;
      if (!blank && indent < minIndent && text.charCodeAt(lineStart + indent) !== 9) visitor.underIndented?.(lineStart, minIndent - indent);
    } else if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    // Scan the line's characters from its indentation.
    let valueStart = !open || flowDepth > 0; // where a quote or bracket may open a node
    for (let i = lineStart + indent; i < lineEnd; i++) {
      const c = text[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = '';
        if (quote === '') valueStart = false;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && text[i + 1] === "'") i++;
        else if (c === "'") {
          quote = '';
          valueStart = false;
        }
        continue;
      }
      const before = i === lineStart + indent ? ' ' : text[i - 1]!;
      if (c === '#' && (before === ' ' || before === '\t' || i === lineStart + indent)) break;
      if (valueStart && (c === '"' || c === "'")) {
        if (flowDepth === 0) minIndent = i - lineStart;
        quote = c;
        continue;
      }
      if (valueStart && (c === '[' || c === '{')) {
        if (flowDepth === 0) {
          minIndent = i - lineStart;
          flowStart = i;
        }
        flowDepth++;
        continue;
      }
      if (flowDepth > 0) {
        if (c === ']' || c === '}') {
          flowDepth--;
          if (flowDepth === 0) visitor.flowCollection?.(flowStart, i + 1);
          valueStart = false;
        } else if (c === ',' || c === '[' || c === '{') valueStart = true;
        else if (c === ':' && /[\s,\]}]/.test(text[i + 1] ?? ' ')) valueStart = true;
        else if (c !== ' ' && c !== '\t') valueStart = false;
        continue;
      }
      // Block context.
      if (valueStart && (c === '|' || c === '>')) {
        blockScalarParent = indent;
        break;
      }
      if ((c === '-' || c === '?' || c === ':') && /[\s]/.test(text[i + 1] ?? ' ') && (valueStart || c === ':')) {
        valueStart = true;
        continue;
      }
      if (valueStart && (c === '&' || c === '!')) {
        // An anchor or a tag: the node follows after the next space.
        while (i + 1 < lineEnd && text[i + 1] !== ' ') i++;
        continue;
      }
      if (c !== ' ' && c !== '\t') valueStart = false;
    }
    lineStart = lineEnd + 1;
  }
  return true;
}

function withInsertions(text: string, insertions: readonly { at: number; count: number }[]): Reindented {
  const parts: string[] = [];
  let copied = 0;
  // In the new text, the start of each insertion and the total inserted before its end.
  const starts: number[] = [];
  const shifts: number[] = [];
  let shift = 0;
  for (const { at, count } of insertions) {
    parts.push(text.slice(copied, at), ' '.repeat(count));
    copied = at;
    starts.push(at + shift);
    shift += count;
    shifts.push(shift);
  }
  parts.push(text.slice(copied));
  return {
    text: parts.join(''),
    toOriginal(offset) {
      // The last insertion starting at or before `offset`.
      let low = 0;
      let high = starts.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! <= offset) {
          found = mid;
          low = mid + 1;
        } else high = mid - 1;
      }
      if (found === -1) return offset;
      const before = found === 0 ? 0 : shifts[found - 1]!;
      const insertedEnd = starts[found]! + (shifts[found]! - before);
      // Inside the inserted spaces: the line's start in the original.
      return offset < insertedEnd ? starts[found]! - before : offset - shifts[found]!;
    },
  };
}

/**
 * Flow collections larger than this are not parsed: the `yaml` library reads about a megabyte of
 * flow collection a second (and 500 MB of memory for one), and no credential setting or policy
 * document is that large (an AWS managed policy is at most 6,144 characters: IAM and STS quotas,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). The secret scan
 * still reads the text.
 */
export const MAX_FLOW_COLLECTION_CHARS = 64 * 1024;

/**
 * The text with the inside of every flow collection over MAX_FLOW_COLLECTION_CHARS made one plain
 * scalar of the same length (white space kept, every other character an `x`), so that offsets and
 * lines do not move; and where each such scalar starts. Undefined when there is none.
 */
export function maskHugeFlowCollections(text: string): { text: string; opaqueStarts: Set<number> } | undefined {
  if (text.length < MAX_FLOW_COLLECTION_CHARS) return undefined;
  const huge: { start: number; end: number }[] = [];
  scanConstructs(text, { flowCollection: (start, end) => (end - start > MAX_FLOW_COLLECTION_CHARS ? huge.push({ start, end }) : undefined) });
  if (huge.length === 0) return undefined;
  const parts: string[] = [];
  let copied = 0;
  const opaqueStarts = new Set<number>();
  for (const { start, end } of huge) {
    // Between the brackets: the first character that is not white space starts the scalar.
    const inner = text.slice(start + 1, end - 1);
    const masked = inner.replace(/[^\s]/g, 'x');
    const first = masked.search(/x/);
    if (first === -1) continue;
    parts.push(text.slice(copied, start + 1), masked);
    copied = end - 1;
    opaqueStarts.add(start + 1 + first);
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), opaqueStarts };
}
