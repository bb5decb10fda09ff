import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { EMPTY_WORKSPACE, type WorkspaceContext, type WorkspaceFile } from '../../../server/src/engine/workspace';
import { applyEdits } from '../../../server/src/fixes/text';
import { planFederation } from '../../../server/src/fixes/federation/plan';
import { githubActionsFixers } from './harness';
import { applied, fakePlanner, proposals, type PlannerMode } from './harness';
import { readOrWriteGolden } from '../golden';

/**
 * Golden before/after files for every rewrite: `fixtures/<case>.yml` is the workflow as written,
 * `golden/<case>.<plan>.yml` the workflow once every rewrite offered for the rule has been applied
 * one after the other (as "fix all" would), and `golden/<case>.<plan>.json` the titles of those
 * rewrites and the files they create. The plan is a fake planner's (it reuses a role, writes one,
 * or has none) or the real one's for a workspace of github.com/acme/site with no IaC yet.
 * `KEYLESS_UPDATE_GOLDEN=1` rewrites the golden files (review the diff).
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const GOLDEN = path.join(__dirname, 'golden');

type RuleId = 'static-cloud-credentials' | 'static-registry-token';

type Mode = PlannerMode | 'real';

interface Case {
  file: string;
  rule: RuleId;
  modes: Mode[];
}

const ALL: Mode[] = ['reuse', 'write', 'none', 'real'];
const REAL_WORKSPACE: WorkspaceContext = { files: new Map(), repository: { host: 'github.com', owner: 'acme', name: 'site' }, immutableSubjects: false };
const CASES: Case[] = [
  { file: 'aws-action.yml', rule: 'static-cloud-credentials', modes: ALL },
  { file: 'aws-action-style.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'aws-action-role.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'aws-permissions.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'aws-defaults.yml', rule: 'static-cloud-credentials', modes: ['write'] },
  { file: 'aws-write-all-workflow.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'aws-self-hosted.yml', rule: 'static-cloud-credentials', modes: ['reuse'] },
  { file: 'env-workflow.yml', rule: 'static-cloud-credentials', modes: ALL },
  { file: 'env-job.yml', rule: 'static-cloud-credentials', modes: ['write', 'none', 'real'] },
  { file: 'env-step.yml', rule: 'static-cloud-credentials', modes: ['reuse'] },
  { file: 'env-existing-login.yml', rule: 'static-cloud-credentials', modes: ['reuse'] },
  { file: 'env-crlf.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'gcp.yml', rule: 'static-cloud-credentials', modes: ALL },
  { file: 'azure.yml', rule: 'static-cloud-credentials', modes: ['write', 'none', 'real'] },
  { file: 'vault.yml', rule: 'static-cloud-credentials', modes: ['none'] },
  { file: 'publish-npm.yml', rule: 'static-registry-token', modes: ['none'] },
  { file: 'publish-others.yml', rule: 'static-registry-token', modes: ['none'] },
];

interface Outcome {
  text: string;
  titles: string[];
  /** What each rewrite leaves for a person, in order. */
  followUps: string[][];
  creates: string[];
}

/** Applies the first rewrite offered, again and again, until none is left (bounded). */
function fixAll(rule: RuleId, mode: Mode, file: string, text: string): Outcome {
  const titles: string[] = [];
  const followUps: string[][] = [];
  const creates: string[] = [];
  const planner = mode === 'real' ? planFederation : fakePlanner(mode);
  // The real planner sees what earlier rewrites wrote, as it would in the editor's workspace.
  const files = new Map<string, WorkspaceFile>();
  const workspace: WorkspaceContext = mode === 'real' ? { ...REAL_WORKSPACE, files } : EMPTY_WORKSPACE;
  let current = text;
  for (let round = 0; round < 20; round++) {
    const [first] = proposals(githubActionsFixers(planner), rule, `.github/workflows/${file}`, current, workspace);
    if (!first) break;
    titles.push(first.proposal.title);
    followUps.push(first.proposal.followUps ?? []);
    for (const created of first.proposal.creates ?? []) {
      creates.push(created.path);
      const facts = engine.facts({ path: created.path, text: created.text });
      if (facts) files.set(created.path, { ...facts, text: created.text });
    }
    for (const edit of first.proposal.edits.filter((e) => e.path !== undefined)) {
      const other = files.get(edit.path!);
      if (other) files.set(edit.path!, { ...other, ...engine.facts({ path: edit.path!, text: applyEdits(other.text, [edit]) })!, text: applyEdits(other.text, [edit]) });
    }
    current = applied(current, first.proposal);
  }
  return { text: current, titles, followUps, creates };
}

let engine: Engine;
before(async () => {
  engine = await Engine.create();
});

describe('GitHub Actions rewrites: golden files', () => {
  for (const { file, rule, modes } of CASES) {
    for (const mode of modes) {
      test(`${file} (${mode === 'none' ? 'no plan' : mode === 'real' ? 'the real planner' : `plan ${mode}s`})`, () => {
        const input = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
        const outcome = fixAll(rule, mode, file, input);
        const base = `${file.replace(/\.yml$/, '')}.${mode}`;
        assert.ok(outcome.titles.length > 0, 'a rewrite is offered');
        assert.equal(outcome.text, readOrWriteGolden(GOLDEN, `${base}.yml`, outcome.text));
        const meta = JSON.stringify({ titles: outcome.titles, followUps: outcome.followUps, creates: outcome.creates }, null, 2) + '\n';
        assert.equal(meta, readOrWriteGolden(GOLDEN, `${base}.json`, meta));
        // The result is a workflow with none of the rule's findings left that a rewrite could take.
        const report = engine.analyze({ path: `.github/workflows/${file}`, text: outcome.text });
        assert.equal(report.dialect, 'github-actions');
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.findings.filter((f) => f.rule === 'oidc-missing-id-token-permission').map((f) => f.message), []);
      });
    }
  }

  test('CRLF files keep their line breaks', () => {
    for (const [file, mode] of [['env-crlf.yml', 'none'], ['aws-action-style.yml', 'none'], ['publish-others.yml', 'none']] as const) {
      const rule: RuleId = file.startsWith('publish') ? 'static-registry-token' : 'static-cloud-credentials';
      const input = fs.readFileSync(path.join(FIXTURES, file), 'utf8').replace(/\n/g, '\r\n');
      const expected = fs.readFileSync(path.join(GOLDEN, `${file.replace(/\.yml$/, '')}.${mode}.yml`), 'utf8').replace(/\n/g, '\r\n');
      const outcome = fixAll(rule, mode, file, input);
      assert.equal(outcome.text, expected, file);
      assert.ok(!/[^\r]\n/.test(outcome.text), `${file}: a bare LF was written`);
    }
  });
});
