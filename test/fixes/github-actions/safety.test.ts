import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { FixProposal } from '../../../server/src/fixes/fixer';
import { applyEdits } from '../../../server/src/fixes/text';
import { corpusSeeds, fixtureSeeds, type Seed } from '../../property/seeds';
import { fakePlanner, fixerProposals, type PlannerMode } from '../../rules/fix-harness';

/**
 * The fix-safety property (test/property/fix-safety.test.ts) for the GitHub Actions rewrites under
 * each kind of plan — reuse, write, none — on every fixture and corpus workflow: the edits do not
 * overlap, comments outside them survive, the file still parses as a workflow, the finding goes,
 * the rewrite is not offered again, the job can mint its token (no new
 * oidc-missing-id-token-permission), and every rewrite is unsafe.
 */
let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const RULES = ['static-cloud-credentials', 'static-registry-token'];

function workflows(): Seed[] {
  return [...fixtureSeeds(), ...(corpusSeeds() ?? [])].filter((seed) => /\.ya?ml$/.test(seed.path) && /\bjobs\s*:|\bruns\s*:/.test(seed.text));
}

/** Every rewrite of the rule with a fake planner, finding by finding. */
function proposals(mode: PlannerMode, ruleId: string, file: string, text: string): { line: number; proposal: FixProposal }[] {
  return fixerProposals(ruleId, file, text, fakePlanner(mode)).flatMap((f) => f.proposals.map((proposal) => ({ line: f.line, proposal })));
}

function applied(text: string, proposal: FixProposal): string {
  return applyEdits(text, proposal.edits.filter((e) => e.path === undefined));
}

function comments(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => /^\s*#/.test(line));
}

for (const mode of ['reuse', 'write', 'none'] as PlannerMode[]) {
  describe(`rewrites with a planner that ${mode === 'none' ? 'has no plan' : mode === 'reuse' ? 'reuses a role' : 'writes a trust'}`, () => {
    test('every rewrite of every workflow is safe', (t) => {
      let checked = 0;
      for (const seed of workflows()) {
        const report = engine.analyze({ path: seed.path, text: seed.text });
        if (report.dialect !== 'github-actions') continue;
        for (const ruleId of RULES) {
          for (const { line, proposal } of proposals(mode, ruleId, seed.path, seed.text)) {
            const label = `${seed.source}:${line} ${ruleId}: "${proposal.title}"`;
            assert.equal(proposal.safe, false, `${label}: rewrites are unsafe`);
            const own = proposal.edits.filter((e) => e.path === undefined).sort((a, b) => a.span.start - b.span.start);
            for (let i = 1; i < own.length; i++) assert.ok(own[i - 1]!.span.end <= own[i]!.span.start, `${label}: overlapping edits`);
            const fixed = applied(seed.text, proposal);

            const touched = (lineStart: number, lineEnd: number): boolean => own.some((e) => e.span.start < lineEnd && e.span.end > lineStart && e.span.start !== e.span.end);
            let offset = 0;
            const kept: string[] = [];
            for (const text of seed.text.split('\n')) {
              if (/^\s*#/.test(text) && !touched(offset, offset + text.length)) kept.push(text.replace(/\r$/, ''));
              offset += text.length + 1;
            }
            const after = comments(fixed).map((c) => c.replace(/\r$/, ''));
            for (const comment of kept) assert.ok(after.includes(comment), `${label}: lost ${JSON.stringify(comment.trim())}`);

            const again = engine.analyze({ path: seed.path, text: fixed });
            assert.equal(again.dialect, 'github-actions', `${label}: no longer a workflow`);
            assert.ok(again.errors.length <= report.errors.length, `${label}: syntax errors ${again.errors.map((e) => e.message).join('; ')}`);
            const count = (r: typeof report, rule: string): number => r.findings.filter((f) => f.rule === rule).length;
            assert.ok(count(again, ruleId) < count(report, ruleId), `${label}: the finding is still reported`);
            assert.ok(count(again, 'oidc-missing-id-token-permission') <= count(report, 'oidc-missing-id-token-permission'), `${label}: the job cannot mint its token`);
            const titles = (text: string): number => proposals(mode, ruleId, seed.path, text).filter((p) => p.proposal.title === proposal.title).length;
            assert.ok(titles(fixed) < titles(seed.text), `${label}: offered again`);
            for (const created of proposal.creates ?? []) assert.ok(created.text.length > 0, `${label}: empty ${created.path}`);
            checked++;
          }
        }
      }
      t.diagnostic(`${checked} rewrites applied and checked`);
      assert.ok(checked > 20);
    });
  });
}
