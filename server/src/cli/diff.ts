import { LineIndex } from '../syntax/text';

/**
 * Unified diffs for `keyless fix --dry-run`: what a fix would change, in the form people review
 * and `git apply` reads (`a/` and `b/` prefixes, new files from `/dev/null`). Lines are printed
 * through `display`, which masks credential values: a diff of a file that holds a key shows the
 * lines around the fix, and those must never carry the key.
 */

/** Lines of context around each change, as `diff -u` and git print. */
const CONTEXT = 3;
/**
 * Past this many differing lines the shortest edit script is not worth its cost (Myers is
 * O((N+M)·D)): the differing middle is shown as removed and added whole, still a correct diff.
 */
const MAX_EDIT_DISTANCE = 1_000;

export interface DiffSide {
  /** Path shown after `a/` or `b/`; undefined: the file does not exist on that side. */
  path: string | undefined;
  text: string;
  /** The line (0-based) as printed: masked, made printable. */
  display: (line: number) => string;
  /** Whether masking changed the line (0-based): the diff then does not hold its text. */
  isMasked?: (line: number) => boolean;
}

interface Lines {
  /** Each line with its line break, for comparing (a changed line ending is a change). */
  keys: string[];
  /** Whether the last line has no line break after it. */
  noFinalBreak: boolean;
}

/** Lines as the engine's LineIndex counts them (`\n`, `\r\n` and a lone `\r` end a line). */
function linesOf(text: string): Lines {
  if (text === '') return { keys: [], noFinalBreak: false };
  const index = new LineIndex(text);
  const keys: string[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.lineStart(line);
    const next = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
    keys.push(text.slice(start, next));
  }
  // A text that ends with a break has an empty last "line" after it, which is no line at all.
  const noFinalBreak = keys[keys.length - 1] !== '';
  if (!noFinalBreak) keys.pop();
  return { keys, noFinalBreak };
}

type Op = { kind: ' '; a: number; b: number } | { kind: '-'; a: number } | { kind: '+'; b: number };

/** The edit script from `a` to `b`: common prefix and suffix, Myers' shortest script in between. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: ' ', a: i, b: i });
  ops.push(...middle(a, b, prefix, a.length - suffix, prefix, b.length - suffix));
  for (let i = suffix; i > 0; i--) ops.push({ kind: ' ', a: a.length - i, b: b.length - i });
  return ops;
}

function middle(a: readonly string[], b: readonly string[], aStart: number, aEnd: number, bStart: number, bEnd: number): Op[] {
  const n = aEnd - aStart;
  const m = bEnd - bStart;
  const whole = (): Op[] => [...range(aStart, aEnd).map((i): Op => ({ kind: '-', a: i })), ...range(bStart, bEnd).map((j): Op => ({ kind: '+', b: j }))];
  if (n === 0 || m === 0) return whole();
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aStart + x] === b[bStart + y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, next, d, k, offset, aStart, bStart);
    }
    v = next;
  }
  return whole();
}

/** Walks the saved frontiers back from the end, emitting the script front to back. */
function backtrack(trace: readonly Int32Array[], last: Int32Array, depth: number, endK: number, offset: number, aStart: number, bStart: number): Op[] {
  const ops: Op[] = [];
  let x = last[offset + endK]!;
  let y = x - endK;
  for (let d = depth; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const fromK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const fromX = v[offset + fromK]!;
    const fromY = fromX - fromK;
    while (x > fromX && y > fromY) {
      x--;
      y--;
      ops.push({ kind: ' ', a: aStart + x, b: bStart + y });
    }
    if (fromK === k + 1) {
      y--;
      ops.push({ kind: '+', b: bStart + y });
    } else {
      x--;
      ops.push({ kind: '-', a: aStart + x });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: ' ', a: aStart + x, b: bStart + y });
  }
  return ops.reverse();
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** `-start,count` / `+start,count`: 1-based, the count left out when it is 1, the line before an empty range. */
function hunkRange(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/**
 * The unified diff from `before` to `after` ('' when they are the same). `onMasked` is called for
 * each printed line that masking changed: such a diff reads right but cannot be applied.
 */
export function unifiedDiff(before: DiffSide, after: DiffSide, onMasked: () => void = () => {}): string {
  if (before.path !== undefined && after.path !== undefined && before.text === after.text) return '';
  const a = linesOf(before.text);
  const b = linesOf(after.text);
  const ops = editScript(a.keys, b.keys);
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  const out = [`--- ${before.path === undefined ? '/dev/null' : `a/${before.path}`}`, `+++ ${after.path === undefined ? '/dev/null' : `b/${after.path}`}`];
  let index = 0;
  while (index < changed.length) {
    // A hunk: changes closer than twice the context share one.
    let last = index;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * CONTEXT + 1) last++;
    const from = Math.max(0, changed[index]! - CONTEXT);
    const to = Math.min(ops.length, changed[last]! + CONTEXT + 1);
    const hunk = ops.slice(from, to);
    const aLines = hunk.filter((op) => op.kind !== '+').length;
    const bLines = hunk.filter((op) => op.kind !== '-').length;
    const aStart = firstLine(ops, from, 'a');
    const bStart = firstLine(ops, from, 'b');
    out.push(`@@ -${hunkRange(aStart, aLines)} +${hunkRange(bStart, bLines)} @@`);
    for (const op of hunk) {
      if (op.kind === '+' ? after.isMasked?.(op.b) : before.isMasked?.(op.a)) onMasked();
      if (op.kind === '+') {
        out.push(`+${after.display(op.b)}`);
        if (op.b === b.keys.length - 1 && b.noFinalBreak) out.push('\\ No newline at end of file');
      } else {
        out.push(`${op.kind}${before.display(op.a)}`);
        const endsA = op.a === a.keys.length - 1 && a.noFinalBreak;
        // A context line that is the last of both texts is marked once; of one only, the change shows it.
        if (op.kind === '-' && endsA) out.push('\\ No newline at end of file');
        if (op.kind === ' ' && (endsA || (op.b === b.keys.length - 1 && b.noFinalBreak))) out.push('\\ No newline at end of file');
      }
    }
    index = last + 1;
  }
  return `${out.join('\n')}\n`;
}

/** The 0-based line of side `side` where the hunk starting at op `from` begins. */
function firstLine(ops: readonly Op[], from: number, side: 'a' | 'b'): number {
  let count = 0;
  for (let i = 0; i < from; i++) {
    const op = ops[i]!;
    if (side === 'a' ? op.kind !== '+' : op.kind !== '-') count++;
  }
  return count;
}
