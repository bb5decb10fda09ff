import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import { scopeDownCases } from './cases';
import { offered } from './drive';

/**
 * The scope-down goldens: for each case, the fix its title names, applied to the first statement
 * that offers it, gives `expected/` byte for byte (`KEYLESS_UPDATE_GOLDEN=1` writes it); a `noFix`
 * case gets no proposal of its rule's fixer on any statement. The property test
 * (test/property/scope-down.test.ts) holds every proposal of these workspaces to the proof.
 */

const UPDATE_GOLDEN = process.env.KEYLESS_UPDATE_GOLDEN === '1';

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
      const expected = path.join(fixCase.dir, 'expected', file);
      if (UPDATE_GOLDEN) {
        fs.mkdirSync(path.dirname(expected), { recursive: true });
        fs.writeFileSync(expected, chosen.fixed);
        return;
      }
      assert.equal(chosen.fixed, fs.readFileSync(expected, 'utf8'));
    });
  }
});
