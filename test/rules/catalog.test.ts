import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { NOT_APPLIED } from '../../server/src/fixes/follow-ups';
import { RULES, RULES_BY_ID } from '../../server/src/rules';
import { sharedPath, unlessShared } from '../shared';

const repoRoot = path.resolve(__dirname, '..', '..');
const rulesMd = sharedPath('RULES.md');

test('every rule has a docs/rules page, and every page a rule', () => {
  const pages = fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(pages, RULES.map((r) => r.id).sort());
  for (const rule of RULES) {
    const page = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`), 'utf8');
    assert.match(page, new RegExp(`^# ${rule.id}\\n`), `${rule.id}.md starts with its id`);
    assert.match(page, new RegExp(`\\*\\*Severity:\\*\\* ${rule.severity}`), `${rule.id}.md states the default severity`);
    assert.match(page, new RegExp(`keyless-ignore ${rule.id}`), `${rule.id}.md says how to suppress`);
  }
});

test('every folder under server/src/rules/ is a rule of the catalog, whose index.ts exports it', async () => {
  const rulesDir = path.join(repoRoot, 'server', 'src', 'rules');
  const folders = fs.readdirSync(rulesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  assert.deepEqual(folders, RULES.map((r) => r.id).sort(), 'one folder per rule, named by its id');
  for (const rule of RULES) {
    const exported = Object.values((await import(path.join(rulesDir, rule.id, 'index.ts'))) as Record<string, unknown>);
    assert.ok(exported.includes(rule), `rules/${rule.id}/index.ts exports the rule ${rule.id}`);
  }
});

test('ids the fix toolkits name are rules of the catalog', () => {
  const ids = new Set(RULES.map((r) => r.id));
  for (const id of NOT_APPLIED) assert.ok(ids.has(id), `fixes/follow-ups.ts NOT_APPLIED names ${id}, which is no rule`);
  assert.equal(RULES_BY_ID.size, RULES.length, 'rule ids are unique');
});

test('ids and severities agree with the catalog in ../shared/RULES.md', { skip: unlessShared('RULES.md', 'ids and severities against the catalog') }, () => {
  const catalog = new Map<string, string>();
  for (const match of fs.readFileSync(rulesMd, 'utf8').matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)) catalog.set(match[1]!, match[2]!);
  for (const rule of RULES) assert.equal(rule.severity, catalog.get(rule.id), `${rule.id}: severity per RULES.md`);
});
