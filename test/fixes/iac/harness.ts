import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../../server/src/engine/analyze';
import type { Fix } from '../../../server/src/engine/finding';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/engine/workspace';
import type { RepositoryRef } from '../../../server/src/facts/repository';
import { applyEdits } from '../../../server/src/fixes/text';
import { UPDATE_GOLDEN } from '../golden';

/**
 * Golden cases for the IaC fixes: each folder under `fixtures/` holds `case.json` (which rule,
 * which file, which fix, the repository of the workspace), `input/` (the workspace's files) and
 * `expected/` (every file the fix changes or creates, as it must read afterwards). The fixture
 * inputs also join the fix-safety property, which applies every fix offered without a workspace.
 *
 * KEYLESS_UPDATE_GOLDEN=1 writes `expected/` from what the fix produces (review the diff).
 */
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface CaseConfig {
  description: string;
  rule: string;
  /** The file of `input/` the finding is in. */
  file: string;
  /** A substring of the fix's title; absent with `noFix`. */
  fix?: string;
  /** The case asserts that no fix of the rule is offered (beyond "Suppress"). */
  noFix?: boolean;
  repository?: RepositoryRef;
  immutableSubjects?: boolean;
}

export function listCases(): string[] {
  return fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

export function workspaceOf(engine: Engine, files: ReadonlyMap<string, string>, config: Pick<CaseConfig, 'repository' | 'immutableSubjects'>): WorkspaceContext {
  const indexed = new Map<string, WorkspaceFile>();
  for (const [file, text] of files) {
    const facts = engine.facts({ path: file, text });
    if (facts) indexed.set(file, { ...facts, text });
  }
  return { ...(config.repository ? { repository: config.repository } : {}), files: indexed, immutableSubjects: config.immutableSubjects ?? false };
}

/** The files after a fix: edits applied per path, created files added. */
export function applyFix(files: ReadonlyMap<string, string>, fix: Fix): Map<string, string> {
  const after = new Map(files);
  const byPath = new Map<string, Fix['edits']>();
  for (const edit of fix.edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  for (const [file, edits] of byPath) {
    const created = (fix.creates ?? []).includes(file);
    const before = created ? '' : files.get(file);
    assert.ok(before !== undefined, `the fix edits ${file}, which is not in the workspace`);
    const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.span.end <= sorted[i]!.span.start, `overlapping edits in ${file}`);
    after.set(file, applyEdits(before, edits));
  }
  return after;
}

export function runCase(engine: Engine, name: string): void {
  const dir = path.join(FIXTURES, name);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseConfig;
  const input = readTree(path.join(dir, 'input'));
  const text = input.get(config.file);
  assert.ok(text !== undefined, `${name}: input/${config.file} exists`);
  const workspace = workspaceOf(engine, input, config);
  const report = engine.analyze({ path: config.file, text }, { workspace });
  const findings = report.findings.filter((f) => f.rule === config.rule);
  assert.ok(findings.length > 0, `${name}: ${config.rule} is reported in ${config.file}`);
  const offered = findings.flatMap((f) => f.fixes).filter((f) => !f.title.startsWith('Suppress '));
  if (config.noFix) {
    assert.deepEqual(offered.map((f) => f.title), [], `${name}: no fix is offered`);
    return;
  }
  const matching = offered.filter((f) => f.title.includes(config.fix!));
  assert.equal(matching.length, 1, `${name}: exactly one fix titled like "${config.fix}" among:\n${offered.map((f) => `  ${f.title}`).join('\n')}`);
  const fix = matching[0]!;
  assert.equal(fix.safe, false, `${name}: federation fixes are never applied unattended`);
  const after = applyFix(input, fix);
  const changed = [...after].filter(([file, content]) => input.get(file) !== content);

  const expectedDir = path.join(dir, 'expected');
  if (UPDATE_GOLDEN) {
    fs.rmSync(expectedDir, { recursive: true, force: true });
    for (const [file, content] of changed) {
      fs.mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
      fs.writeFileSync(path.join(expectedDir, file), content);
    }
  }
  const expected = readTree(expectedDir);
  assert.deepEqual(changed.map(([file]) => file).sort(), [...expected.keys()].sort(), `${name}: the files the fix changes`);
  for (const [file, content] of changed) assert.equal(content, expected.get(file), `${name}: ${file} after the fix`);

  // Every changed or created file still parses, in its dialect.
  for (const [file, content] of changed) {
    const before = input.has(file) ? engine.analyze({ path: file, text: input.get(file)! }) : undefined;
    const again = engine.analyze({ path: file, text: content });
    assert.ok(again.errors.length <= (before?.errors.length ?? 0), `${name}: ${file} has syntax errors after the fix: ${again.errors.map((e) => e.message).join('; ')}`);
    if (before) assert.equal(again.dialect, before.dialect, `${name}: ${file} keeps its dialect`);
    else assert.notEqual(again.dialect, null, `${name}: the created ${file} is recognised`);
  }
  // The finding is gone, and the fix is not offered again in the fixed workspace.
  const fixedWorkspace = workspaceOf(engine, after, config);
  const again = engine.analyze({ path: config.file, text: after.get(config.file)! }, { workspace: fixedWorkspace });
  assert.ok(again.findings.filter((f) => f.rule === config.rule).length < findings.length, `${name}: the finding is still reported`);
  assert.ok(!again.findings.flatMap((f) => f.fixes).some((f) => f.title === fix.title), `${name}: the fix is offered again`);
}
