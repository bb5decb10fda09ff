import type { FixContext, FixProposal, ProposedEdit } from './fixer';

/**
 * `terraform fmt`'s alignment, kept by every HCL fix. fmt (hclwrite's `format`, in hashicorp/hcl
 * `hclwrite/format.go`: `linesForFormat` and `formatCells`) splits each line into a lead, an
 * "assign" cell (from the first `=` to the line's end, when that rest closes every bracket it
 * opens: a single-line attribute) and a trailing `#`/`//` comment, and pads consecutive lines so
 * that their `=` — then their trailing comments — stand in one column: one space after the widest
 * lead. Any line without an assign cell ends the run: a blank line, a comment-only line, a block's
 * `{` or `}`, an attribute whose value opens on its line and closes on a later one.
 *
 * A fix that removes the widest attribute of a run, or adds a wider one, leaves the other lines
 * misaligned, and `terraform fmt -check` fails in CI. So the edits of a fix to a Terraform file go
 * through `alignHclEdits`, which re-pads the runs the edits touch and nothing else: a file that was
 * fmt-clean stays clean; elsewhere the file keeps its bytes. Lines inside heredocs, multi-line
 * strings and block comments are left as they are and end a run (fmt treats a heredoc attribute as
 * one assign line; Keyless does not pad across one, and no fix edits next to one today).
 */

interface Line {
  start: number;
  end: number;
  /** Starts or ends inside a string, heredoc or block comment: never padded, ends runs. */
  opaque: boolean;
  /** A single-line attribute: where its lead ends (after the key) and its `=` stands. */
  assign?: { leadEnd: number; equals: number };
  /** A trailing comment after code: where the code ends and the comment starts. */
  comment?: { codeEnd: number; start: number };
}

/** The lexer's state at a line start: code or string nesting, an open heredoc or block comment. */
interface LexState {
  stack: ({ kind: 'code'; depth: number } | { kind: 'string' })[];
  heredoc: string | undefined;
  blockComment: boolean;
}

const START: LexState = { stack: [{ kind: 'code', depth: 0 }], heredoc: undefined, blockComment: false };

function copyState(state: LexState): LexState {
  return { stack: state.stack.map((frame) => ({ ...frame })), heredoc: state.heredoc, blockComment: state.blockComment };
}

function clean(state: LexState): boolean {
  return state.stack.length === 1 && state.heredoc === undefined && !state.blockComment;
}

/** The lines of HCL text with fmt's cells, read by a small lexer (strings, interpolations, heredocs, comments). */
export function formatLines(text: string): Line[] {
  return lexLines(text, 0, START).lines;
}

/**
 * Lexes from `from` (a line start, in state `initial`) to the end, or until `stop` says so after a
 * line: the lines, and the state at each one's start (so that a later lex can resume there).
 */
function lexLines(text: string, from: number, initial: LexState, stop?: (line: Line, next: LexState) => boolean): { lines: Line[]; states: LexState[] } {
  const lines: Line[] = [];
  const states: LexState[] = [];
  const state = copyState(initial);
  const stack = state.stack;
  let i = from;
  while (i <= text.length) {
    states.push(copyState(state));
    const start = i;
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    const next = end + 1;
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    const line: Line = { start, end: lineEnd, opaque: state.heredoc !== undefined || state.blockComment || stack.length > 1 };
    if (state.heredoc !== undefined) {
      if (text.slice(start, lineEnd).trim() === state.heredoc) state.heredoc = undefined;
    } else {
      lexLine(text, start, lineEnd, state, line);
    }
    lines.push(line);
    if (end === text.length || stop?.(line, state)) break;
    i = next;
  }
  return { lines, states };
}

/** One line's cells, advancing the lexer's state over it. */
function lexLine(text: string, start: number, lineEnd: number, state: LexState, line: Line): void {
  const stack = state.stack;
  let lastCode = -1; // end of the last code character seen on the line, at the top level
  let equals = -1;
  let leadEnd = -1;
  let net = 0;
  for (let j = start; j < lineEnd; j++) {
    const c = text[j]!;
    if (state.blockComment) {
      if (c === '*' && text[j + 1] === '/') {
        state.blockComment = false;
        j++;
      }
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (top.kind === 'string') {
      if (c === '\\') j++;
      else if (c === '"') stack.pop();
      else if ((c === '$' || c === '%') && text[j + 1] === '{') {
        if (text[j - 1] === c) continue; // `$${` and `%%{` are escapes, not interpolations
        stack.push({ kind: 'code', depth: 0 });
        j++;
      }
      if (stack.length === 1) lastCode = j + 1;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    if (c === '#' || (c === '/' && text[j + 1] === '/')) {
      if (stack.length === 1 && lastCode !== -1) line.comment = { codeEnd: lastCode, start: j };
      break;
    }
    if (c === '/' && text[j + 1] === '*') {
      state.blockComment = true;
      line.opaque = true;
      j++;
      continue;
    }
    if (c === '"') {
      stack.push({ kind: 'string' });
      continue;
    }
    if (c === '<' && text[j + 1] === '<' && stack.length === 1) {
      const marker = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*$/.exec(text.slice(j, lineEnd));
      if (marker) {
        state.heredoc = marker[1]!;
        line.opaque = true;
        break;
      }
    }
    if (stack.length > 1) {
      // Code inside an interpolation: only its braces matter, to find where it ends.
      if (c === '{') (top as { depth: number }).depth++;
      else if (c === '}') {
        if ((top as { depth: number }).depth === 0) stack.pop();
        else (top as { depth: number }).depth--;
      }
      continue;
    }
    if (c === '=' && equals === -1 && lastCode !== -1 && text[j + 1] !== '=' && text[j + 1] !== '>' && !'=<>!'.includes(text[j - 1] ?? '')) {
      equals = j;
      leadEnd = lastCode;
    } else if (equals !== -1) {
      if ('{[('.includes(c)) net++;
      else if ('}])'.includes(c)) net--;
    }
    lastCode = j + 1;
  }
  if (stack.length > 1 || state.blockComment) line.opaque = true;
  if (!line.opaque && equals !== -1 && net === 0) line.assign = { leadEnd, equals };
  if (line.opaque) delete line.comment;
}

/** The last text lexed whole, with the state at each line start: the fixes of one file share it. */
let lastLexed: { text: string; lines: Line[]; states: LexState[] } | undefined;

function lexedWhole(text: string): { lines: Line[]; states: LexState[] } {
  if (lastLexed?.text !== text) lastLexed = { text, ...lexLines(text, 0, START) };
  return lastLexed;
}

/** Columns in characters (code points), as fmt counts them on a line of spaces and ASCII keys. */
/** Text read by offset: the file itself, or a view of the file after a fix's edits. */
interface Source {
  slice(start: number, end: number): string;
}

function column(text: Source, from: number, to: number): number {
  let n = 0;
  for (const _ of text.slice(from, to)) n++;
  return n;
}

interface Padding {
  span: { start: number; end: number };
  newText: string;
}

/**
 * The whitespace changes that align the runs of `=` and of trailing comments which contain one of
 * the `touched` lines (indexes into `lines`), as fmt would.
 */
function paddings(text: Source, lines: readonly Line[], touched: ReadonlySet<number>): Padding[] {
  const result = new Map<number, Padding>();
  const eqColumn = new Map<number, number>();
  const runs = (has: (line: Line) => boolean): number[][] => {
    const found: number[][] = [];
    let current: number[] = [];
    lines.forEach((line, index) => {
      if (has(line)) current.push(index);
      else if (current.length > 0) {
        found.push(current);
        current = [];
      }
    });
    if (current.length > 0) found.push(current);
    return found.filter((run) => run.some((index) => touched.has(index)));
  };
  for (const run of runs((line) => line.assign !== undefined)) {
    const width = Math.max(...run.map((index) => column(text, lines[index]!.start, lines[index]!.assign!.leadEnd)));
    for (const index of run) {
      const line = lines[index]!;
      const { leadEnd, equals } = line.assign!;
      const pad = ' '.repeat(width - column(text, line.start, leadEnd) + 1);
      eqColumn.set(index, width + 1);
      if (text.slice(leadEnd, equals) !== pad) result.set(leadEnd, { span: { start: leadEnd, end: equals }, newText: pad });
    }
  }
  // Comments: a run moves when its code moved too, so the lines whose `=` moved count as touched.
  const moved = new Set([...touched, ...[...lines.keys()].filter((index) => lines[index]!.assign && result.has(lines[index]!.assign!.leadEnd))]);
  const codeWidth = (index: number): number => {
    const line = lines[index]!;
    const { codeEnd } = line.comment!;
    if (!line.assign || !result.has(line.assign.leadEnd)) return column(text, line.start, codeEnd);
    return eqColumn.get(index)! + column(text, line.assign.equals, codeEnd);
  };
  for (const run of runs((line) => line.comment !== undefined).filter((r) => r.some((index) => moved.has(index)))) {
    const width = Math.max(...run.map(codeWidth));
    for (const index of run) {
      const { codeEnd, start } = lines[index]!.comment!;
      const pad = ' '.repeat(width - codeWidth(index) + 1);
      if (text.slice(codeEnd, start) !== pad) result.set(codeEnd, { span: { start: codeEnd, end: start }, newText: pad });
    }
  }
  return [...result.values()].sort((a, b) => a.span.start - b.span.start);
}

/** The index of the line holding `offset`. */
function lineAt(lines: readonly Line[], offset: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lines[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The edits of one fix to one HCL file, with the padding `terraform fmt` would then change around
 * them folded in: padding inside an inserted text changes that text; padding of untouched lines
 * becomes an edit of its own (merged into a neighbouring edit it touches). The lines an edit
 * touches are those it writes, and the lines on either side of where it writes them.
 */
export function alignHclEdits(text: string, edits: readonly ProposedEdit[]): ProposedEdit[] {
  if (edits.length === 0) return [...edits];
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let k = 1; k < sorted.length; k++) if (sorted[k - 1]!.span.end > sorted[k]!.span.start) return [...edits];
  // Where each edit's text stands in the text after the fix.
  const placed: { edit: ProposedEdit; start: number; end: number }[] = [];
  let delta = 0;
  for (const edit of sorted) {
    const start = edit.span.start + delta;
    placed.push({ edit, start, end: start + edit.newText.length });
    delta += edit.newText.length - (edit.span.end - edit.span.start);
  }
  // Only the lines around the edits are read again. Before the first edited line the text, and so
  // its lines, are those of the text before the fix (lexed once per text); from there the lexer
  // resumes in the state it had, over the text after the fix from that line on, and stops after
  // the last edit at a clean line that ends every run. That text is built in chunks, never whole:
  // a file with hundreds of findings is not copied hundreds of times.
  const whole = lexedWhole(text);
  const firstLine = lineAt(whole.lines, sorted[0]!.span.start);
  let windowStart = Math.max(0, firstLine - 1);
  while (windowStart > 0 && (whole.lines[windowStart - 1]!.assign || whole.lines[windowStart - 1]!.comment)) windowStart--;
  const base = whole.lines[firstLine]!.start;
  const lastEnd = placed[placed.length - 1]!.end;
  let middle = '';
  let from = base;
  for (const edit of sorted) {
    middle += text.slice(from, edit.span.start) + edit.newText;
    from = edit.span.end;
  }
  let chunk = '';
  let resumed: Line[] = [];
  for (let tail = 4096; ; tail *= 4) {
    const to = Math.min(text.length, from + tail);
    chunk = middle + text.slice(from, to);
    let stopped = false;
    resumed = lexLines(chunk, 0, whole.states[firstLine]!, (line, next) => (stopped = line.end + base >= lastEnd && !line.assign && !line.comment && clean(next))).lines;
    if (stopped || to === text.length) break;
  }
  const shift = (line: Line): Line => ({
    start: line.start + base,
    end: line.end + base,
    opaque: line.opaque,
    ...(line.assign ? { assign: { leadEnd: line.assign.leadEnd + base, equals: line.assign.equals + base } } : {}),
    ...(line.comment ? { comment: { codeEnd: line.comment.codeEnd + base, start: line.comment.start + base } } : {}),
  });
  const lines = [...whole.lines.slice(windowStart, firstLine), ...resumed.map(shift)];
  const after: Source = { slice: (a, b) => (a >= base ? chunk.slice(a - base, b - base) : text.slice(a, b)) };
  const touched = new Set<number>();
  for (const { start, end } of placed) {
    const first = lineAt(lines, start);
    const last = lineAt(lines, Math.max(start, end - 1));
    for (let index = Math.max(0, first - 1); index <= Math.min(lines.length - 1, last + 1); index++) touched.add(index);
  }
  const pads = paddings(after, lines, touched);
  if (pads.length === 0) return [...edits];

  const texts = placed.map((p) => p.edit.newText);
  const spans = placed.map((p) => ({ ...p.edit.span }));
  const extra: Padding[] = [];
  // Right to left, so that offsets inside an edit's text stay valid while it is patched.
  for (const pad of [...pads].reverse()) {
    const inside = placed.findIndex((p) => p.start <= pad.span.start && pad.span.end <= p.end);
    if (inside !== -1) {
      const base = placed[inside]!.start;
      const own = texts[inside]!;
      texts[inside] = own.slice(0, pad.span.start - base) + pad.newText + own.slice(pad.span.end - base);
      continue;
    }
    if (placed.some((p) => pad.span.start < p.end && p.start < pad.span.end)) continue; // straddles an edit: left alone
    // Outside every edit: back to the text before the fix.
    let shift = 0;
    for (const p of placed) if (p.end <= pad.span.start) shift += p.end - p.start - (p.edit.span.end - p.edit.span.start);
    extra.push({ span: { start: pad.span.start - shift, end: pad.span.end - shift }, newText: pad.newText });
  }
  const result: ProposedEdit[] = placed.map((p, k) => ({ ...p.edit, span: spans[k]!, newText: texts[k]! }));
  for (const pad of extra) {
    const before = result.find((e) => e.span.end === pad.span.start);
    const behind = result.find((e) => e.span.start === pad.span.end);
    if (before) {
      before.span = { start: before.span.start, end: pad.span.end };
      before.newText += pad.newText;
    } else if (behind) {
      behind.span = { start: pad.span.start, end: behind.span.end };
      behind.newText = pad.newText + behind.newText;
    } else result.push({ ...(sorted[0]!.path !== undefined ? { path: sorted[0]!.path } : {}), span: pad.span, newText: pad.newText });
  }
  return result.sort((a, b) => a.span.start - b.span.start);
}

/** Whether a path names a native-syntax Terraform file (`.tf`, `.tfvars`, `.hcl`), not `.tf.json`. */
export function isHclPath(path: string): boolean {
  return /\.(?:tf|tfvars|hcl)$/i.test(path);
}

/**
 * A proposal with every edit to an HCL file aligned as fmt aligns it: this file's when it is HCL,
 * other `.tf` files' of the workspace, and the `.tf` files it creates.
 */
export function alignProposal(proposal: FixProposal, context: Pick<FixContext, 'path' | 'text' | 'workspace'>): FixProposal {
  const byPath = new Map<string, ProposedEdit[]>();
  for (const edit of proposal.edits) {
    const key = edit.path ?? context.path;
    byPath.set(key, [...(byPath.get(key) ?? []), edit]);
  }
  const creates = new Set((proposal.creates ?? []).map((c) => c.path));
  let changed = false;
  const edits: ProposedEdit[] = [];
  for (const [path, own] of byPath) {
    const text = path === context.path ? context.text : context.workspace.files.get(path)?.text;
    if (!isHclPath(path) || creates.has(path) || text === undefined) {
      edits.push(...own);
      continue;
    }
    const aligned = alignHclEdits(text, own);
    changed ||= aligned.length !== own.length || aligned.some((e, k) => e !== own[k]);
    edits.push(...aligned);
  }
  const created = (proposal.creates ?? []).map((file) => {
    if (!isHclPath(file.path)) return file;
    const [whole] = alignHclEdits('', [{ span: { start: 0, end: 0 }, newText: file.text }]);
    if (!whole || whole.newText === file.text) return file;
    changed = true;
    return { ...file, text: whole.newText };
  });
  return changed ? { ...proposal, edits, ...(proposal.creates ? { creates: created } : {}) } : proposal;
}
