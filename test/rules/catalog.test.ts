import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/rules';
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

test('ids and severities agree with the catalog in ../shared/RULES.md', { skip: unlessShared('RULES.md', 'ids and severities against the catalog') }, () => {
  const catalog = new Map<string, string>();
  for (const match of fs.readFileSync(rulesMd, 'utf8').matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)) catalog.set(match[1]!, match[2]!);
  for (const rule of RULES) assert.equal(rule.severity, catalog.get(rule.id), `${rule.id}: severity per RULES.md`);
});
