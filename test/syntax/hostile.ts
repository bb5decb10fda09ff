import assert from 'node:assert/strict';
import type { FileReport } from '../../server/src/engine/analyze';
import type { Span } from '../../server/src/core/text';
import type { DataNode } from '../../server/src/syntax/tree';

/**
 * Hostile inputs shared by the parser tests, and the checks every parse result must pass
 * whatever the input: spans inside the text, ranges ordered, nothing thrown.
 */

/** The depth the robustness tests nest to: ten times the analysis's MAX_DEPTH. */
export const DEEP = 5_000;

/**
 * Billion laughs: `levels` anchors, each a sequence of `width` aliases to the one before. Expanded
 * it would hold width^levels leaves (9^9 ≈ 387 million).
 */
export function aliasBomb(levels = 9, width = 9): string {
  const names = 'abcdefghijklmnopqrstuvwxyz';
  const lines = [`${names[0]}: &${names[0]} [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) {
    lines.push(`${names[i]}: &${names[i]} [${Array(width).fill(`*${names[i - 1]}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same bomb inside a Kubernetes object, so that the whole pipeline reads it. */
export function aliasBombPod(levels = 9, width = 9): string {
  const bomb = aliasBomb(levels, width)
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${bomb}\n  last: *${'abcdefghijklmnopqrstuvwxyz'[levels - 1]}\n`;
}

/** `[[[…]]]` */
export const nestedFlowSeq = (depth = DEEP): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** `{a: {a: …1…}}` in YAML flow style. */
export const nestedFlowMap = (depth = DEEP): string => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
/** `- - - - x`: block sequences nested on one line, deep at two characters a level. */
export const nestedCompactSeq = (depth = DEEP): string => `${'- '.repeat(depth)}x\n`;
/** Block mappings, one more space of indentation per level: the text grows with depth². */
export function nestedBlockMap(depth = DEEP): string {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(i)}k${i}:`);
  return `${lines.join('\n')} leaf\n`;
}
export const nestedJsonArray = (depth = DEEP): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
export const nestedJsonObject = (depth = DEEP): string => `${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}`;
export const nestedHclObject = (depth = DEEP): string => `x = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}\n`;
export const nestedHclTuple = (depth = DEEP): string => `x = ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
export const nestedHclBlocks = (depth = DEEP): string => `${'b {\n'.repeat(depth)}${'}\n'.repeat(depth)}`;
export const nestedHclCalls = (depth = DEEP): string => `x = ${'f('.repeat(depth)}1${')'.repeat(depth)}\n`;

/** Deterministic pseudo-random text: bytes decoded as Latin-1, or as UTF-8 (with U+FFFD). */
export function randomText(seed: number, length: number, encoding: 'latin1' | 'utf8'): string {
  let state = seed >>> 0;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes.toString(encoding);
}

/** Milliseconds `body` takes, and what it returned. */
export function timed<T>(body: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = body();
  return { value, ms: performance.now() - start };
}

/** Heap growth (MB) while `body` runs and its result is still reachable. */
export function heapGrowth<T>(body: () => T): { value: T; mb: number } {
  const before = process.memoryUsage().heapUsed;
  const value = body();
  return { value, mb: (process.memoryUsage().heapUsed - before) / 1024 / 1024 };
}

export function assertSpanWithin(span: Span, text: string, what: string): void {
  assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: integer offsets ${JSON.stringify(span)}`);
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${what}: span ${JSON.stringify(span)} within 0..${text.length}`);
}

/** Every node of a data tree, iteratively (the trees under test are deep) and aliases as leaves. */
export function dataNodes(root: DataNode | null): DataNode[] {
  const nodes: DataNode[] = [];
  const stack: DataNode[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    if (node.kind === 'map') {
      for (const pair of node.pairs) if (pair.value) stack.push(pair.value);
    } else if (node.kind === 'seq') {
      stack.push(...node.items);
    }
  }
  return nodes;
}

export function assertTreeWithin(root: DataNode | null, text: string, what: string): void {
  for (const node of dataNodes(root)) {
    assertSpanWithin(node.span, text, `${what}: ${node.kind}`);
    if (node.kind === 'map') for (const pair of node.pairs) assertSpanWithin(pair.keySpan, text, `${what}: key ${pair.key}`);
  }
}

/** Line starts as LSP counts them (\n, \r\n and a lone \r end a line), computed independently. */
export function lineLengths(text: string): number[] {
  const lengths: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lengths.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lengths.push(text.length - start);
  return lengths;
}

/**
 * What every report must satisfy whatever the input: findings, related locations, fix edits and
 * errors all point inside the text, ranges run forward, severities are known ones.
 */
export function assertReportWellFormed(report: FileReport, text: string): void {
  const lengths = lineLengths(text);
  const checkRange = (range: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string): void => {
    for (const [name, p] of [['start', range.start], ['end', range.end]] as const) {
      assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: ${name} line ${p.line} of ${lengths.length}`);
      assert.ok(p.character >= 0 && p.character <= lengths[p.line]!, `${what}: ${name} character ${p.character} past line ${p.line}'s ${lengths[p.line]}`);
    }
    const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
    assert.ok(ordered, `${what}: range runs backwards ${JSON.stringify(range)}`);
  };
  for (const f of report.findings) {
    const what = `${f.rule} finding`;
    assert.ok(f.severity === 'error' || f.severity === 'warning' || f.severity === 'info', `${what}: severity ${String(f.severity)}`);
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0, `${what}: empty message`);
    assertSpanWithin(f.span, text, what);
    checkRange(f.range, what);
    for (const r of f.related) {
      assertSpanWithin(r.span, text, `${what} related`);
      checkRange(r.range, `${what} related`);
    }
    for (const fix of f.fixes) {
      for (const edit of fix.edits) {
        if (edit.path !== f.path) continue;
        assertSpanWithin(edit.span, text, `${what} fix edit`);
        checkRange(edit.range, `${what} fix edit`);
      }
    }
  }
  for (const e of report.errors) checkRange(e.range, `error "${e.message}"`);
}

/** `rule@line:character` (0-based), for comparing findings in one assertion. */
export function findingKeys(report: FileReport): string[] {
  return report.findings.map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.character}`);
}
