import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import { scopeDownCases } from './cases';
import { offered } from './drive';

/**
 * The scope-down cases straight from the policy facts, every Allow statement offered to the fixers
 * (the rules' harness runs the same cases through the engine and compares the files byte for
 * byte): the fix a case names is offered on some statement, titled under 80 characters; a `noFix`
 * case, and every case under `declines/`, gets no proposal of its rule's fixer on any statement.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

describe('scope-down fix cases', () => {
  for (const fixCase of scopeDownCases()) {
    test(`${fixCase.rule}/${fixCase.name}: ${fixCase.config.description}`, () => {
      const { file, fix, noFix } = fixCase.config;
      const proposals = offered(engine, file, fixCase.files).filter((o) => o.fixer === fixCase.rule);
      if (noFix) {
        assert.deepEqual(proposals.map((o) => o.proposal.title), []);
        return;
      }
      const chosen = proposals.find((o) => o.proposal.title.includes(fix!));
      assert.ok(chosen, `no fix titled "${fix}" among ${JSON.stringify(proposals.map((o) => o.proposal.title))}`);
      assert.ok(chosen.proposal.title.length <= 80);
    });
  }
});
