import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { EMPTY_WORKSPACE, type WorkspaceContext, type WorkspaceFile } from '../../server/src/facts/workspace';
import { fixtureSeeds, type Seed } from './seeds';

/**
 * Quick-fix titles fit a menu: VS Code cuts a code action's title at about 80 characters, so what
 * a fix leaves for a person goes into its `followUps`, never into the title. Checked over every fix
 * computed on the repository's fixtures (the fix-safety walk), in a workspace that knows nothing
 * and in one that knows the repository and every fixture's facts (so the plans that write trusts,
 * reuse roles and add notes all run).
 */
const MAX_TITLE = 80;

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function workspaces(seeds: readonly Seed[]): [string, WorkspaceContext][] {
  const files = new Map<string, WorkspaceFile>();
  for (const seed of seeds) {
    const facts = engine.facts({ path: seed.path, text: seed.text });
    if (facts && !files.has(seed.path)) files.set(seed.path, { ...facts, text: seed.text });
  }
  return [
    ['no workspace', EMPTY_WORKSPACE],
    ['github.com/acme/site', { files: new Map(), repository: { host: 'github.com', owner: 'acme', name: 'site' }, immutableSubjects: false }],
    ['gitlab.com/acme/site with every fixture', { files, repository: { host: 'gitlab.com', owner: 'acme', name: 'site' }, immutableSubjects: false }],
  ];
}

test('every fix title on the fixtures is at most 80 characters; the rest is in followUps', (t) => {
  const seeds = fixtureSeeds();
  const long: string[] = [];
  let fixes = 0;
  let withFollowUps = 0;
  for (const [name, workspace] of workspaces(seeds)) {
    for (const seed of seeds) {
      let report;
      try {
        report = engine.analyze({ path: seed.path, text: seed.text }, { workspace });
      } catch {
        continue; // the fix-safety and hostile-input suites own analysis failures
      }
      for (const fix of report.findings.flatMap((f) => f.fixes)) {
        fixes++;
        if ((fix.followUps ?? []).length > 0) withFollowUps++;
        for (const note of fix.followUps ?? []) assert.ok(note.trim() !== '' && !note.includes('\n'), `${seed.source}: a follow-up is one non-empty line: ${JSON.stringify(note)}`);
        if (fix.title.length > MAX_TITLE) long.push(`${name}: ${seed.source}: ${fix.title.length}: ${fix.title}`);
      }
    }
  }
  t.diagnostic(`${fixes} fixes, ${withFollowUps} with follow-ups`);
  assert.deepEqual([...new Set(long)], [], `titles over ${MAX_TITLE} characters`);
  assert.ok(fixes > 100 && withFollowUps > 20, `${fixes} fixes, ${withFollowUps} with follow-ups`);
});
