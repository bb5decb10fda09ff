import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { generateKubernetes, generateWorkflow } from '../../bench/generate';
import { parseYaml, type YamlParseResult } from '../../server/src/syntax/yaml';
import { parseYamlIncremental, YamlParseCache } from '../../server/src/syntax/yaml-incremental';
import { applyMutations, mutations } from './mutations';
import { seedSets, type Seed } from './seeds';

/**
 * Differential property: the incremental YAML parse (pieces parsed alone, cached, moved) gives
 * exactly what a parse of the whole text gives: the same documents, node for node and span for
 * span, and errors exactly when the whole has errors. Checked on every YAML fixture and corpus
 * file, on mutants of them, and along sequences of small edits that reuse one cache, which is how
 * the language server uses it.
 */
function signature(result: YamlParseResult): string {
  // Aliases point at their anchors: compare the anchor's span, not the (shared) node again.
  return JSON.stringify({ docs: result.documents, failed: result.errors.length > 0 }, (key, value: unknown) => (key === 'target' ? (value as { span?: unknown } | null)?.span ?? null : value));
}

const yamlOnly = (seeds: Seed[]): Seed[] => seeds.filter((s) => /\.ya?ml$/i.test(s.path));

describe('incremental YAML parsing', () => {
  for (const set of seedSets('incremental YAML against a whole parse')) {
    test(`equals a whole parse on every YAML file (${set.label})`, { skip: set.skip }, () => {
      const seeds = yamlOnly(set.seeds());
      assert.ok(seeds.length > 10, `${seeds.length} YAML seeds`);
      for (const seed of seeds) {
        assert.equal(signature(parseYamlIncremental(seed.text, new YamlParseCache())), signature(parseYaml(seed.text)), seed.source);
      }
    });

    test(`equals a whole parse on mutants (${set.label})`, { skip: set.skip }, (t) => {
      const seeds = yamlOnly(set.seeds());
      let checked = 0;
      fc.assert(
        fc.property(fc.constantFrom(...seeds), mutations, (seed, list) => {
          const text = applyMutations(seed.text, list);
          checked++;
          return signature(parseYamlIncremental(text, new YamlParseCache())) === signature(parseYaml(text));
        }),
        { seed: 0x79616d6c, numRuns: 1000 },
      );
      t.diagnostic(`${checked} mutants`);
    });
  }

  test('equals a whole parse along a sequence of edits sharing one cache', () => {
    const texts = [generateWorkflow({ lines: 300, seed: 5 }).text, generateKubernetes({ lines: 300, seed: 6 }).text];
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('a', ' ', '\n', ':', '#', '-', '"', '  x: 1\n', '*a', '&a ', '---\n', '')), { minLength: 5, maxLength: 30 }),
        (initial, edits) => {
          const cache = new YamlParseCache();
          let text = initial;
          for (const [at, removed, inserted] of edits) {
            const offset = at % (text.length + 1);
            text = text.slice(0, offset) + inserted + text.slice(Math.min(text.length, offset + removed));
            if (signature(parseYamlIncremental(text, cache)) !== signature(parseYaml(text))) return false;
          }
          return true;
        },
      ),
      { seed: 0x65646974, numRuns: 40 },
    );
  });
});
