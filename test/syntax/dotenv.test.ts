import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dotenvLocator, yamlTextLocator } from '../../server/src/secrets/locators';
import { parseDotenv } from '../../server/src/syntax/dotenv';

// The `.env` reader (what a dotenv loader would set: keys, values, quotes, `export`, comments)
// and the text-only locator for YAML no tree covers.

const values = (text: string): [string, string][] => parseDotenv(text).map((e) => [e.key, text.slice(e.valueSpan.start, e.valueSpan.end)]);

describe('.env entries', () => {
  test('KEY=value, export, spaces around =, the `:` form, quotes of three kinds', () => {
    const text = 'A=1\nexport B=two\n  C = three  \nD: four\nE="five"\nF=\'six\'\nG=`seven`\n';
    assert.deepEqual(values(text), [['A', '1'], ['B', 'two'], ['C', 'three'], ['D', 'four'], ['E', 'five'], ['F', 'six'], ['G', 'seven']]);
  });

  test('comments: whole lines, and after whitespace in an unquoted value; a # inside a value or quotes stays', () => {
    const text = '# A=commented\n  # B=indented\nC=x # note\nD=a#b\nE="x # y" # note\nF= #only a comment\n';
    assert.deepEqual(values(text), [['C', 'x'], ['D', 'a#b'], ['E', 'x # y'], ['F', '']]);
  });

  test('quoted values may span lines; escaped quotes do not close them; an unterminated quote ends at its line', () => {
    const text = 'KEY="line one\nline \\" two"\nNEXT=1\nOPEN="no end\nAFTER=2\n';
    assert.deepEqual(values(text), [['KEY', 'line one\nline \\" two'], ['NEXT', '1'], ['OPEN', 'no end'], ['AFTER', '2']]);
    // Single quotes have no escapes.
    assert.deepEqual(values("S='a\\'\n"), [['S', 'a\\']]);
  });

  test('a byte-order mark is not part of the first key', () => {
    const entries = parseDotenv('\ufeffA=1\n');
    assert.deepEqual(entries.map((e) => [e.key, e.keySpan.start]), [['A', 1]]);
  });

  test('CRLF line ends are not part of values; lines that are not entries are skipped', () => {
    assert.deepEqual(values('A=1\r\nnot an entry\r\n=nokey\r\nexport\r\nB="2"\r\n'), [['A', '1'], ['B', '2']]);
  });

  test('the locator places offsets inside values only, all in one container', () => {
    const text = 'ID=AKIAIOSFODNN7EXAMPLE # AKIAIOSFODNN7EXAMPLE\n# X=AKIAIOSFODNN7EXAMPLE\n';
    const locator = dotenvLocator(parseDotenv(text));
    assert.equal(locator.containerAt(text.indexOf('AKIA')), 'dotenv');
    assert.equal(locator.containerAt(text.indexOf('AKIA', 10)), undefined);
    assert.equal(locator.containerAt(text.lastIndexOf('AKIA')), undefined);
    assert.equal(locator.containerAt(0), undefined, 'a key is not a value');
  });

  test('linear on hostile input: a 1 MB line of quotes, 100,000 lines that each open a quote', () => {
    const started = performance.now();
    parseDotenv(`K=${'"'.repeat(500_000)}${'=\\'.repeat(250_000)}`);
    // Each opener closes the value the line before opened: half as many entries, read once.
    assert.equal(parseDotenv('A="\\"\n'.repeat(100_000)).length, 50_000);
    assert.ok(performance.now() - started < 1_000, `took ${Math.round(performance.now() - started)} ms`);
  });
});

describe('text-only locator', () => {
  test('a candidate counts unless a # comment holds it; quotes hide a #', () => {
    const text = 'a: KEY1\n# KEY2\nb: x # KEY3\nc: "x # KEY4"\nd: it\'s # KEY5\ne: {{ .Values.k }} KEY6\n';
    const locator = yamlTextLocator(text);
    const at = (word: string): string | undefined => locator.containerAt(text.indexOf(word));
    assert.deepEqual(['KEY1', 'KEY2', 'KEY3', 'KEY4', 'KEY5', 'KEY6'].map(at), ['text', undefined, undefined, 'text', undefined, 'text']);
    // Asked again out of order (the next detector starts over), the answers are the same.
    assert.equal(at('KEY1'), 'text');
    assert.equal(at('KEY3'), undefined);
  });

  test('linear: 20,000 candidates on one 1 MB line', () => {
    const text = `x: ${'"a" AKIA '.repeat(100_000)}`;
    const locator = yamlTextLocator(text);
    const started = performance.now();
    for (let offset = text.indexOf('AKIA'); offset !== -1 && offset < 200_000 * 5; offset = text.indexOf('AKIA', offset + 1)) locator.containerAt(offset);
    assert.ok(performance.now() - started < 1_000, `took ${Math.round(performance.now() - started)} ms`);
  });
});

describe('.env entries on random text', () => {
  test('spans are ordered, inside the text, and each value lies inside its entry (20,000 seeded inputs)', () => {
    const alphabet = ['A', 'b', '_', '=', ':', ' ', '\t', '#', '"', "'", '`', '\\', '\n', '\r\n', 'export ', '\ufeff', '.', '-', '9'];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed % n;
    };
    for (let run = 0; run < 20_000; run++) {
      let text = '';
      for (let i = next(40); i > 0; i--) text += alphabet[next(alphabet.length)];
      let previousEnd = 0;
      for (const entry of parseDotenv(text)) {
        const { span, keySpan, valueSpan } = entry;
        assert.ok(previousEnd <= span.start && span.start <= keySpan.start && keySpan.end <= valueSpan.start, JSON.stringify(text));
        assert.ok(valueSpan.start <= valueSpan.end && valueSpan.end <= span.end && span.end <= text.length, JSON.stringify(text));
        assert.equal(text.slice(keySpan.start, keySpan.end), entry.key);
        previousEnd = span.end;
      }
    }
  });
});
