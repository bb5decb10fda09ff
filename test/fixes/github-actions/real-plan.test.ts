import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { Fix } from '../../../server/src/core/finding';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/facts/workspace';
import { applyEdits } from '../../../server/src/fixes/text';

/**
 * The rewrites as the editor gets them: registered with the real planner, through the engine,
 * on the example workflow in the example workspace (as the end-to-end suite applies them in
 * VS Code). The finding goes, and the trust the plan writes appears and parses.
 */
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const WORKFLOW = '.github/workflows/deploy.yml';

let engine: Engine;
let workspace: WorkspaceContext;
before(async () => {
  engine = await createEngine();
  const files = new Map<string, WorkspaceFile>();
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(EXAMPLES)) {
    const relative = path.relative(EXAMPLES, file).split(path.sep).join('/');
    if (relative === WORKFLOW) continue;
    const text = fs.readFileSync(file, 'utf8');
    const facts = engine.facts({ path: relative, text });
    if (facts) files.set(relative, { ...facts, text });
  }
  workspace = { files, repository: { host: 'github.com', owner: 'acme', name: 'site' }, immutableSubjects: false };
});

function rewrites(text: string, rule: string, ws: WorkspaceContext | undefined): { line: number; fix: Fix }[] {
  const report = engine.analyze({ path: WORKFLOW, text }, ws ? { workspace: ws } : {});
  return report.findings.filter((f) => f.rule === rule).flatMap((f) => f.fixes.filter((fix) => !fix.title.startsWith('Suppress')).map((fix) => ({ line: f.range.start.line + 1, fix })));
}

function apply(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits.filter((e) => e.path === WORKFLOW));
}

describe('examples/.github/workflows/deploy.yml with the real planner', () => {
  const text = fs.readFileSync(path.join(EXAMPLES, WORKFLOW), 'utf8');

  test('configure-aws-credentials: the role written for environment "production", its trust created, the finding gone', () => {
    const [rewrite] = rewrites(text, 'static-cloud-credentials', workspace).filter((r) => r.line === 17);
    assert.ok(rewrite, 'a rewrite is offered on the configure-aws-credentials step');
    const { fix } = rewrite;
    assert.equal(fix.safe, false);
    assert.match(fix.title, /^Assume role "[^"]+" through OIDC instead of the keys$/);
    // The title stays short; the files to review and apply are follow-ups.
    for (const file of fix.creates ?? []) assert.ok(fix.followUps?.some((note) => note.startsWith(`Review ${file} (created), then apply it with terraform apply`)), file);
    // The role's file, and the OIDC provider in a file of its own (shared by every role a fix writes).
    assert.equal(fix.creates?.length, 2);
    const created = fix.creates!.find((p) => !/keyless-oidc-provider-/.test(p))!;
    assert.ok(fix.creates!.some((p) => /keyless-oidc-provider-github\.tf$/.test(p)));
    const trust = fix.edits.filter((e) => e.path === created).map((e) => e.newText).join('');
    assert.match(trust, /repo:acme\/site:environment:production/);
    assert.deepEqual(engine.analyze({ path: created, text: trust }).errors, [], 'the trust file parses');

    const fixed = apply(text, fix);
    const role = /role-to-assume: (.+)/.exec(fixed)?.[1];
    assert.ok(role && trust.includes(role.replace(/^.*:role\//, '')), 'the workflow assumes the role the trust file declares');
    const after = engine.analyze({ path: WORKFLOW, text: fixed });
    assert.deepEqual(after.errors, []);
    assert.deepEqual(after.findings.filter((f) => f.range.start.line + 1 <= 25 && ['static-cloud-credentials', 'oidc-missing-id-token-permission', 'unattributed-session'].includes(f.rule)).map((f) => f.rule), []);
  });

  test('env keys of "smoke-test": a login before its aws step, for branch main (its only push branch)', () => {
    const [rewrite] = rewrites(text, 'static-cloud-credentials', workspace).filter((r) => r.line === 30);
    assert.ok(rewrite);
    const trust = rewrite.fix.edits.filter((e) => (rewrite.fix.creates ?? []).includes(e.path)).map((e) => e.newText).join('');
    assert.match(trust, /repo:acme\/site:ref:refs\/heads\/main/);
    const after = engine.analyze({ path: WORKFLOW, text: apply(text, rewrite.fix) });
    assert.deepEqual(after.findings.filter((f) => ['hardcoded-secret', 'oidc-missing-id-token-permission'].includes(f.rule) || (f.rule === 'static-cloud-credentials' && f.range.start.line + 1 > 25)).map((f) => f.rule), []);
  });

  test('the npm token: dropped, the job granted id-token: write', () => {
    const [rewrite] = rewrites(text, 'static-registry-token', workspace);
    assert.ok(rewrite);
    const fixed = apply(text, rewrite.fix);
    assert.ok(!fixed.includes('NODE_AUTH_TOKEN'));
    assert.deepEqual(engine.analyze({ path: WORKFLOW, text: fixed }).findings.filter((f) => f.rule === 'static-registry-token' || f.rule === 'oidc-missing-id-token-permission'), []);
  });

  test('without a repository (no git remote) the plan writes nothing: repository variables, said in a follow-up', () => {
    const offered = rewrites(text, 'static-cloud-credentials', undefined);
    assert.deepEqual(offered.map((r) => r.line), [17, 30]);
    for (const { fix } of offered) {
      assert.ok(fix.followUps?.some((note) => /^Set the repository variable AWS_ROLE_ARN\b/.test(note)), JSON.stringify(fix.followUps));
      assert.equal(fix.creates, undefined);
      assert.match(apply(text, fix), /role-to-assume: \$\{\{ vars\.AWS_ROLE_ARN \}\}/);
    }
  });
});
