import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../server/src/engine/analyze';
import { exceedsSizeLimit } from '../../server/src/engine/analyze';
import { isStatementSyntax } from '../../server/src/dialects/iam-policy/policy-document';
import type { PolicyStatement } from '../../server/src/facts/model';
import { actionPattern } from '../../server/src/iam/catalog';
import { proveNarrower } from '../../server/src/iam/narrowing';
import { narrowingOf } from '../../server/src/fixes/scope-down';
import { createEngine } from '../../server/src/workspace/grammar';
import { offered, withFacts, type Offered } from '../fixes/scope-down/drive';
import { scopeDownCases } from '../fixes/scope-down/cases';
import { widening } from '../iam/narrowing-oracle';
import { seedSets } from './seeds';

/**
 * Every scope-down the fixers can propose, over every fixture, every fix case, the scope-down
 * workspaces and the corpus — each Allow statement offered to both fixers, as the rules
 * wildcard-action and wildcard-resource will — holds:
 *  1. it edits only inside its statement, so every byte outside is kept;
 *  2. the file still parses, as the same dialect, with no more errors;
 *  3. the policy read back from the fixed file grants nothing new: by the proof
 *     (`iam/narrowing.ts`), and by the brute-force oracle, which shares no code with it;
 *  4. what the finding was about is gone (no wildcard action, no `Resource: "*"`) in the statement
 *     read back, and the title is under 80 characters;
 *  5. it is idempotent: the fixed statement gets no proposal from the same fixer.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function statementSpan(statement: PolicyStatement): { start: number; end: number } {
  const syntax = statement.syntax;
  assert.ok(isStatementSyntax(syntax));
  return syntax.form === 'policy-document' ? syntax.block.span : syntax.statement.span;
}

function check(path: string, files: Readonly<Record<string, string>>, source: string): number {
  const text = files[path]!;
  const proposals = offered(engine, path, files);
  if (proposals.length === 0) return 0;
  const oldReport = engine.analyze({ path, text });
  const oldDocuments = withFacts(engine, path, text, (facts) => facts.policies.map((d) => d.statements.map(narrowingOf)))!;
  for (const o of proposals) checkOne(path, files, source, o, oldReport, oldDocuments);
  return proposals.length;
}

function checkOne(path: string, files: Readonly<Record<string, string>>, source: string, o: Offered, oldReport: ReturnType<Engine['analyze']>, oldDocuments: ReturnType<typeof narrowingOf>[][]): void {
  const label = `${source}: statement ${o.documentIndex}.${o.statementIndex}, "${o.proposal.title}"`;
  const text = files[path]!;
  // 1. Only inside the statement.
  const span = statementSpan(o.statement);
  for (const edit of o.proposal.edits) {
    assert.equal(edit.path, undefined, `${label}: edits another file`);
    assert.ok(span.start <= edit.span.start && edit.span.end <= span.end, `${label}: edits outside its statement`);
  }
  const first = Math.min(...o.proposal.edits.map((e) => e.span.start));
  const last = Math.max(...o.proposal.edits.map((e) => e.span.end));
  assert.equal(o.fixed.slice(0, first), text.slice(0, first), `${label}: changed bytes before the edit`);
  assert.equal(o.fixed.slice(o.fixed.length - (text.length - last)), text.slice(last), `${label}: changed bytes after the edit`);
  assert.ok(o.proposal.title.length <= 80, `${label}: title over 80 characters`);
  assert.equal(o.proposal.safe, false, `${label}: a scope-down is never applied unattended`);

  // 2. Re-parses.
  const again = engine.analyze({ path, text: o.fixed });
  assert.ok(again.errors.length <= oldReport.errors.length, `${label}: introduced syntax errors: ${again.errors.map((e) => e.message).join('; ')}`);
  assert.equal(again.dialect, oldReport.dialect, `${label}: the file is no longer ${oldReport.dialect}`);

  // 3-5. Read back.
  withFacts(engine, path, o.fixed, (facts) => {
    assert.equal(facts.policies.length, oldDocuments.length, `${label}: documents read back differ in number`);
    const newDocument = facts.policies[o.documentIndex]!;
    const oldStatements = oldDocuments[o.documentIndex]!;
    assert.equal(newDocument.statements.length, oldStatements.length, `${label}: statements read back differ in number`);
    const newStatements = newDocument.statements.map(narrowingOf);
    const verdict = proveNarrower(oldStatements, newStatements);
    assert.ok(verdict.narrower, `${label}: not narrower by the proof: ${verdict.narrower ? '' : verdict.reason}`);
    const widened = widening(engine.catalog, oldStatements, newStatements);
    assert.equal(widened, undefined, `${label}: the oracle finds ${JSON.stringify(widened && { ...widened, satisfied: [...widened.satisfied] })} allowed only after`);
    const rewritten = newDocument.statements[o.statementIndex]!;
    if (o.fixer === 'wildcard-action') assert.ok(rewritten.actions.every((a) => !actionPattern(a.value).wildcard || actionPattern(a.value).malformed), `${label}: still a wildcard action (a malformed one grants nothing and is kept)`);
    else assert.ok(rewritten.resources.every((r) => r.value.trim() !== '*'), `${label}: still Resource "*"`);
  });
  const twice = offered(engine, path, { ...files, [path]: o.fixed }).filter((p) => p.fixer === o.fixer && p.documentIndex === o.documentIndex && p.statementIndex === o.statementIndex);
  assert.deepEqual(twice.map((p) => p.proposal.title), [], `${label}: offered again once applied`);
}

describe('scope-downs are narrower, re-parse, keep every other byte and are idempotent', () => {
  test('the scope-down fix cases (every syntax a statement is written in)', () => {
    let count = 0;
    for (const fixCase of scopeDownCases()) {
      for (const path of Object.keys(fixCase.files)) {
        const found = check(path, fixCase.files, `${fixCase.rule}/${fixCase.name}/${path}`);
        if (path === fixCase.config.file) assert.ok(fixCase.config.noFix || found > 0, `${fixCase.rule}/${fixCase.name}: no scope-down offered`);
        count += found;
      }
    }
    console.log(`scope-down fix cases: ${count} proposals checked`);
  });
  for (const set of seedSets('the scope-down property')) {
    test(set.label, { skip: set.skip }, () => {
      let count = 0;
      let files = 0;
      for (const seed of set.seeds()) {
        if (exceedsSizeLimit(seed.text)) continue;
        const found = check(seed.path, { [seed.path]: seed.text }, seed.source);
        if (found > 0) files++;
        count += found;
      }
      console.log(`${set.label}: ${count} proposals in ${files} files checked`);
    });
  }
});
