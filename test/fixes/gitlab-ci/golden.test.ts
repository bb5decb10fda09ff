import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { planFederation } from '../../../server/src/fixes/federation/plan';
import type { PlanFederation } from '../../../server/src/fixes/federation/federation';
import { EMPTY_WORKSPACE, type WorkspaceContext } from '../../../server/src/engine/workspace';
import { crlf, findings, fixAll, GITLAB_WORKSPACE, noPlan, reusePlan, writePlan } from './harness';
import { readOrWriteGolden } from '../golden';

/**
 * Golden before/after files for every GitLab rewrite: `fixtures/<case>.gitlab-ci.yml` is the
 * pipeline as written, `golden/<case>.<plan>.gitlab-ci.yml` the pipeline once every rewrite of the
 * rule has been applied one after the other (as "fix all" would), and `golden/<case>.<plan>.json`
 * the titles of those rewrites and the files they create. The plan is a fake planner's (it
 * reuses an identity, writes one, or has none) or the real one's for gitlab.com/acme/platform/site
 * with no IaC yet. `KEYLESS_UPDATE_GOLDEN=1` rewrites the golden files (review the diff).
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const GOLDEN = path.join(__dirname, 'golden');

type Mode = 'reuse' | 'write' | 'none' | 'real';
const PLANNERS: Record<Mode, PlanFederation> = { reuse: reusePlan, write: writePlan, none: noPlan, real: planFederation };
const CLOUD = 'static-cloud-credentials';
const REGISTRY = 'static-registry-token';
const ALL: Mode[] = ['reuse', 'write', 'none', 'real'];

const CASES: { file: string; rule: string; modes: Mode[] }[] = [
  { file: 'aws-job', rule: CLOUD, modes: ALL },
  { file: 'aws-template', rule: CLOUD, modes: ['reuse', 'write', 'none', 'real'] },
  { file: 'aws-global', rule: CLOUD, modes: ['reuse', 'none'] },
  { file: 'aws-anchors', rule: CLOUD, modes: ['none'] },
  { file: 'gcp-login', rule: CLOUD, modes: ALL },
  { file: 'gcp-variables', rule: CLOUD, modes: ['reuse', 'none'] },
  { file: 'azure-login', rule: CLOUD, modes: ['reuse', 'none', 'real'] },
  { file: 'azure-variables', rule: CLOUD, modes: ['none'] },
  { file: 'vault', rule: CLOUD, modes: ['none'] },
  { file: 'publish-npm', rule: REGISTRY, modes: ['none'] },
  { file: 'publish-pypi', rule: REGISTRY, modes: ['none'] },
  { file: 'shape-indent', rule: CLOUD, modes: ['none'] },
  { file: 'shape-no-final-newline', rule: CLOUD, modes: ['none'] },
  { file: 'shape-anchored-login', rule: CLOUD, modes: ['none'] },
  { file: 'shape-default-inherit', rule: CLOUD, modes: ['none'] },
  { file: 'shape-reference', rule: CLOUD, modes: ['none'] },
];

function workspaceFor(mode: Mode): WorkspaceContext {
  return mode === 'none' ? EMPTY_WORKSPACE : GITLAB_WORKSPACE;
}

describe('GitLab CI rewrites: golden files', () => {
  for (const { file, rule, modes } of CASES) {
    for (const mode of modes) {
      test(`${file} (${mode === 'none' ? 'no plan' : mode === 'real' ? 'the real planner' : `plan ${mode}s`})`, async () => {
        const input = fs.readFileSync(path.join(FIXTURES, `${file}.gitlab-ci.yml`), 'utf8');
        const outcome = await fixAll(input, rule, PLANNERS[mode], workspaceFor(mode));
        assert.ok(outcome.titles.length > 0, 'a rewrite is offered');
        const base = `${file}.${mode}`;
        assert.equal(outcome.text, readOrWriteGolden(GOLDEN, `${base}.gitlab-ci.yml`, outcome.text));
        const meta = `${JSON.stringify({ titles: outcome.titles, followUps: outcome.followUps, creates: outcome.creates.map((c) => c.path) }, null, 2)}\n`;
        assert.equal(meta, readOrWriteGolden(GOLDEN, `${base}.json`, meta));
        // Every finding of the rule is gone, and the pipeline still parses as one.
        assert.deepEqual(await findings(outcome.text, rule), []);
        // Comments outside the rewritten lines are all still there.
        for (const comment of input.split('\n').filter((l) => /^\s*#/.test(l))) assert.ok(outcome.text.includes(comment), `kept ${comment.trim()}`);
      });
    }
  }

  test('CRLF files keep their line breaks', async () => {
    for (const [file, rule] of [['aws-job', CLOUD], ['aws-template', CLOUD], ['gcp-login', CLOUD], ['vault', CLOUD], ['publish-npm', REGISTRY], ['shape-no-final-newline', CLOUD], ['shape-indent', CLOUD]] as const) {
      const input = crlf(fs.readFileSync(path.join(FIXTURES, `${file}.gitlab-ci.yml`), 'utf8'));
      const expected = crlf(fs.readFileSync(path.join(GOLDEN, `${file}.none.gitlab-ci.yml`), 'utf8'));
      const outcome = await fixAll(input, rule, noPlan);
      assert.equal(outcome.text, expected, file);
      assert.ok(!/[^\r]\n/.test(outcome.text), `${file}: a bare LF was written`);
    }
  });
});
