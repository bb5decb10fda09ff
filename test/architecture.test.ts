import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { sharedPath, unlessShared } from './shared';

/**
 * The layering ARCHITECTURE.md describes, held by the code's imports. The layer order is written
 * once, in the `layers` block of ARCHITECTURE.md, and read from there: the map and the check
 * cannot drift apart. Every source file under server/src, client/src and protocol/ is read with the
 * TypeScript scanner (imports, `import type`, `export … from`, `require`, `import()`), and the
 * test fails when:
 *   (a) an analysis layer (above the block's `---`) imports the editor, the LSP, the file system,
 *       processes, threads, the network or a cloud SDK;
 *   (b) an import points up the layer order, or across layers on one line;
 *   (c) files import each other in a cycle (type-only imports count: a cycle of types is still a
 *       tangle to read);
 *   (d) a folder under rules/ names a rule the catalog does not have (rules own their fixers, so
 *       no registry of fixers by rule id is left to check).
 */

const ROOT = path.resolve(__dirname, '..');
const SOURCE_ROOTS = ['server/src', 'client/src', 'protocol'];

/**
 * Known violations that another slice of issue 8 removes, as `importer -> imported` (repository
 * paths). Each must still exist — the test fails once one is fixed, so the list only shrinks.
 * Empty: the core slice's moves (core/, facts/workspace.ts) removed the last ones — rules and
 * fixes importing the engine's types.
 */
const KNOWN_VIOLATIONS: readonly { edge: string; removedBy: string }[] = [];

// ---------------------------------------------------------------------------------------------
// The checker: pure over a set of files, so that the self-tests below can run it on fakes.

export interface LayerMap {
  /** Each line of the block: the layers on it, which may import only the lines above. */
  tiers: string[][];
  /** The layers above `---`: the analysis, which does no I/O and knows no editor. */
  analysis: Set<string>;
}

/** The `layers` block of ARCHITECTURE.md: one line per tier, layers on a line separated by commas. */
export function parseLayerMap(markdown: string): LayerMap {
  const block = /^```layers\n([\s\S]*?)^```/m.exec(markdown);
  if (!block) throw new Error('ARCHITECTURE.md has no ```layers block');
  const tiers: string[][] = [];
  const analysis = new Set<string>();
  let inAnalysis = true;
  for (const raw of block[1]!.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line === '---') {
      inAnalysis = false;
      continue;
    }
    const layers = line.split(',').map((name) => name.trim()).filter(Boolean);
    tiers.push(layers);
    if (inAnalysis) for (const layer of layers) analysis.add(layer);
  }
  return { tiers, analysis };
}

/**
 * The layer a file belongs to: `server/src/<folder>/…` is `<folder>`, a file at the top of
 * server/src is its own name (`server.ts`, `cli.ts`), anything under client/src is `client`, and
 * under protocol/ (the names client and server share) `protocol`.
 */
export function layerOf(file: string): string | undefined {
  if (file.startsWith('client/src/')) return 'client';
  if (file.startsWith('protocol/')) return 'protocol';
  if (!file.startsWith('server/src/')) return undefined;
  const rest = file.slice('server/src/'.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash);
}

/**
 * What analysis layers never import: the editor and the LSP (`vscode`, `vscode-languageserver*`,
 * `vscode-jsonrpc`), the disk, processes and threads, the network and cloud SDKs. Adapters hand
 * the analysis text and bytes instead.
 */
const FORBIDDEN_IN_ANALYSIS = /^(vscode|vscode-languageserver.*|vscode-jsonrpc.*|fs|fs\/promises|child_process|worker_threads|http|https|net|@aws-sdk\/.*)$/;

interface Import {
  /** As written. */
  specifier: string;
  /** The repository path it resolves to, for relative imports of known files. */
  target?: string;
  line: number;
}

/** Every import of a file, by the TypeScript scanner (comments and strings are not imports). */
function importsOf(file: string, text: string, files: ReadonlyMap<string, string>): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName, pos }) => {
    const line = text.slice(0, pos).split('\n').length;
    if (!fileName.startsWith('.')) return { specifier: fileName, line };
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const target = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base].find((candidate) => files.has(candidate));
    return target === undefined ? { specifier: fileName, line } : { specifier: fileName, target, line };
  });
}

export interface Violation {
  kind: 'unmapped' | 'forbidden' | 'upward' | 'cycle';
  /** `importer -> imported` for imports; the cycle's files for cycles. */
  edge: string;
  message: string;
}

/** Checks (a), (b) and (c) over `files` (repository path → text). */
export function checkImports(files: ReadonlyMap<string, string>, map: LayerMap): Violation[] {
  const violations: Violation[] = [];
  const tierOf = new Map<string, number>();
  map.tiers.forEach((layers, index) => layers.forEach((layer) => tierOf.set(layer, index)));
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const layer = layerOf(file);
    if (layer === undefined || !tierOf.has(layer)) {
      violations.push({ kind: 'unmapped', edge: file, message: `${file}: layer ${layer ?? '?'} is not in the layers block of ARCHITECTURE.md` });
    }
    const edges: string[] = [];
    for (const imported of importsOf(file, text, files)) {
      const where = `${file}:${imported.line}`;
      if (imported.target === undefined) {
        const module = imported.specifier.replace(/^node:/, '');
        if (layer !== undefined && map.analysis.has(layer) && FORBIDDEN_IN_ANALYSIS.test(module)) {
          violations.push({ kind: 'forbidden', edge: `${file} -> ${imported.specifier}`, message: `${where}: ${layer}/ is analysis and imports '${imported.specifier}'` });
        }
        continue;
      }
      edges.push(imported.target);
      const targetLayer = layerOf(imported.target);
      if (layer === undefined || targetLayer === undefined || targetLayer === layer) continue;
      const from = tierOf.get(layer);
      const to = tierOf.get(targetLayer);
      if (from === undefined || to === undefined || to < from) continue;
      violations.push({
        kind: 'upward',
        edge: `${file} -> ${imported.target}`,
        message: `${where}: ${layer} imports ${targetLayer} (${imported.specifier}), which ${to === from ? 'is on the same line of' : 'comes after it in'} the layer order`,
      });
    }
    graph.set(file, edges);
  }
  for (const cycle of cyclesOf(graph)) {
    violations.push({ kind: 'cycle', edge: cycle.join(' -> '), message: `import cycle: ${cycle.join(' -> ')}` });
  }
  return violations;
}

/**
 * One cycle per strongly connected component of more than one file (or a file importing itself),
 * as a path that ends where it starts. Tarjan's algorithm, iterative.
 */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || (graph.get(frame.node) ?? []).includes(frame.node)) components.push(component);
      }
    }
  }
  return components.map((component) => cyclePath(graph, new Set(component)));
}

/** A shortest path from the component's first file (by name) back to itself, inside the component. */
function cyclePath(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const cycle = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) cycle.unshift(at);
        cycle.unshift(start);
        return cycle;
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

// ---------------------------------------------------------------------------------------------
// The repository.

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.set(relative, fs.readFileSync(path.join(ROOT, relative), 'utf8'));
    }
  };
  for (const root of SOURCE_ROOTS) if (fs.existsSync(path.join(ROOT, root))) walk(root);
  return files;
}

const LAYERS = parseLayerMap(fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));

describe('architecture', () => {
  const files = sourceFiles();
  const violations = checkImports(files, LAYERS);
  const known = new Set(KNOWN_VIOLATIONS.map((v) => v.edge));
  const report = (kinds: Violation['kind'][]): string[] =>
    violations
      .filter((v) => kinds.includes(v.kind) && !known.has(v.edge))
      .map((v) => v.message)
      .sort();

  test('the layers block of ARCHITECTURE.md lists every layer once, analysis above ---', () => {
    const all = LAYERS.tiers.flat();
    assert.deepEqual(all.filter((layer, i) => all.indexOf(layer) !== i), [], 'a layer listed twice');
    for (const layer of ['core', 'syntax', 'dialects', 'facts', 'rules', 'fixes', 'engine']) assert.ok(LAYERS.analysis.has(layer), `${layer} is analysis`);
    for (const layer of ['protocol', 'workspace', 'cli', 'lsp', 'server.ts', 'cli.ts', 'client']) assert.ok(all.includes(layer) && !LAYERS.analysis.has(layer), `${layer} is an adapter`);
  });

  test('every source file belongs to a layer of the map', () => {
    assert.ok(files.size > 100, `read ${files.size} source files`);
    assert.deepEqual(report(['unmapped']), []);
  });

  test('analysis layers import no editor, LSP, file system, process, thread, network or cloud SDK', () => {
    assert.deepEqual(report(['forbidden']), []);
  });

  test('imports point down the layer order', () => {
    assert.deepEqual(report(['upward']), []);
  });

  test('no import cycles between files', () => {
    assert.deepEqual(report(['cycle']), []);
  });

  test('each known violation is still there (remove it from the list once fixed)', () => {
    const found = new Set(violations.map((v) => v.edge));
    assert.deepEqual(
      KNOWN_VIOLATIONS.filter((v) => !found.has(v.edge)).map((v) => `${v.edge} (${v.removedBy})`),
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (d) Rule folders against the catalog.

/** The folders under rules/: each is one rule's, named by its id. */
function ruleFolders(): string[] {
  return fs
    .readdirSync(path.join(ROOT, 'server', 'src', 'rules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

test('rule folders name rules with a page in docs/rules', () => {
  const pages = new Set(fs.readdirSync(path.join(ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)));
  const folders = ruleFolders();
  assert.ok(folders.length >= 10, `read ${folders.length} rule folders`);
  assert.deepEqual(folders.filter((name) => !pages.has(name)).map((name) => `server/src/rules/${name}/`), []);
});

test('rule folders name rules of the catalog in ../shared/RULES.md', { skip: unlessShared('RULES.md', 'rule folders against the catalog') }, () => {
  const catalog = new Set([...fs.readFileSync(sharedPath('RULES.md'), 'utf8').matchAll(/^\| `([a-z-]+)` \| (?:error|warning|info) \|/gm)].map((m) => m[1]!));
  assert.ok(catalog.size >= 10, `the catalog lists ${catalog.size} rules`);
  assert.deepEqual(ruleFolders().filter((name) => !catalog.has(name)).map((name) => `server/src/rules/${name}/`), []);
});

// ---------------------------------------------------------------------------------------------
// The checker fails where it should: fakes with deliberately wrong imports.

describe('the import checker', () => {
  const map = parseLayerMap(['# fake', '```layers', 'core', 'syntax', 'engine   # a comment', '---', 'workspace, lsp', '```'].join('\n'));
  const kinds = (files: Record<string, string>): string[] =>
    checkImports(new Map(Object.entries(files)), map)
      .map((v) => `${v.kind}: ${v.edge}`)
      .sort();

  test('reads tiers and the analysis boundary', () => {
    assert.deepEqual(map.tiers, [['core'], ['syntax'], ['engine'], ['workspace', 'lsp']]);
    assert.deepEqual([...map.analysis], ['core', 'syntax', 'engine']);
  });

  test('accepts imports down the order', () => {
    assert.deepEqual(
      kinds({
        'server/src/core/a.ts': `export type A = 1;`,
        'server/src/syntax/b.ts': `import type { A } from '../core/a';\nimport { c } from './c';`,
        'server/src/syntax/c.ts': `export const c = 1; // import '../engine/d' in a comment is not an import`,
        'server/src/engine/d.ts': `import { c } from '../syntax/c';\nconst s = "import '../workspace/e'";`,
        'server/src/workspace/e.ts': `import * as fs from 'node:fs';\nimport { d } from '../engine/d';`,
      }),
      [],
    );
  });

  test('fails on syntax/x.ts importing ../engine/y, in every form of import', () => {
    for (const form of [`import { y } from '../engine/y';`, `import type { Y } from '../engine/y';`, `export { y } from '../engine/y';`, `const y = require('../engine/y');`, `const y = await import('../engine/y');`]) {
      assert.deepEqual(kinds({ 'server/src/syntax/x.ts': form, 'server/src/engine/y.ts': `export const y = 1;` }), ['upward: server/src/syntax/x.ts -> server/src/engine/y.ts'], form);
    }
  });

  test('fails on an import across one line of the order', () => {
    assert.deepEqual(kinds({ 'server/src/lsp/a.ts': `import '../workspace/b';`, 'server/src/workspace/b.ts': `` }), ['upward: server/src/lsp/a.ts -> server/src/workspace/b.ts']);
  });

  test('fails on a two-file cycle and names its path', () => {
    assert.deepEqual(kinds({ 'server/src/engine/a.ts': `import { b } from './b';`, 'server/src/engine/b.ts': `import type { A } from './a';` }), ['cycle: server/src/engine/a.ts -> server/src/engine/b.ts -> server/src/engine/a.ts']);
  });

  test('fails on a longer cycle through an index', () => {
    assert.deepEqual(
      kinds({ 'server/src/engine/index.ts': `import './x/index';`, 'server/src/engine/x/index.ts': `import '../y';`, 'server/src/engine/y.ts': `import { z } from '.';` }),
      ['cycle: server/src/engine/index.ts -> server/src/engine/x/index.ts -> server/src/engine/y.ts -> server/src/engine/index.ts'],
    );
  });

  test('fails on analysis importing the disk, the editor or a cloud SDK; adapters may', () => {
    assert.deepEqual(
      kinds({
        'server/src/syntax/a.ts': `import * as fs from 'node:fs';\nimport { readFile } from 'fs/promises';\nconst cp = require('child_process');`,
        'server/src/engine/b.ts': `import type { Diagnostic } from 'vscode-languageserver/node';\nimport * as vscode from 'vscode';\nimport { IAMClient } from '@aws-sdk/client-iam';\nimport { Worker } from 'worker_threads';`,
        'server/src/workspace/c.ts': `import * as fs from 'node:fs';\nimport { IAMClient } from '@aws-sdk/client-iam';`,
      }),
      [
        'forbidden: server/src/engine/b.ts -> @aws-sdk/client-iam',
        'forbidden: server/src/engine/b.ts -> vscode',
        'forbidden: server/src/engine/b.ts -> vscode-languageserver/node',
        'forbidden: server/src/engine/b.ts -> worker_threads',
        'forbidden: server/src/syntax/a.ts -> child_process',
        'forbidden: server/src/syntax/a.ts -> fs/promises',
        'forbidden: server/src/syntax/a.ts -> node:fs',
      ],
    );
  });

  test('fails on a file outside every layer of the map', () => {
    assert.deepEqual(kinds({ 'server/src/nowhere/a.ts': `` }), ['unmapped: server/src/nowhere/a.ts']);
  });
});
