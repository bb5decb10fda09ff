import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SYNTAX_ERRORS } from '../../server/src/syntax/parse-error';
import { parseJson, type JsonParseResult } from '../../server/src/syntax/json';
import { getPath, isMap, str } from '../../server/src/syntax/tree';
import { assertTreeWithin, DEEP, nestedJsonArray, nestedJsonObject, randomText, timed } from './hostile';

/** parseJson must never throw: whatever the text, a result whose every span lies inside it. */
function parseChecked(text: string): JsonParseResult {
  const result = parseJson(text);
  assertTreeWithin(result.root, text, 'json');
  for (const e of result.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `error span ${JSON.stringify(e.span)}`);
  return result;
}

const SLOW = { timeout: 60_000 };

describe('parseJson on hostile input', () => {
  for (const [name, deep] of [
    ['arrays', nestedJsonArray()],
    ['objects', nestedJsonObject()],
    ['mixed arrays and objects', `${'[{"a": '.repeat(DEEP / 2)}1${'}]'.repeat(DEEP / 2)}`],
  ] as const) {
    test(`${DEEP}-deep ${name}: no throw, bounded time, the keys beside them still read`, SLOW, () => {
      // jsonc-parser recurses; past a few thousand objects it overflows the stack, which once
      // lost the whole file (and a credential next to a deep blob with it).
      const text = `{"before": "kept", "deep": ${deep}, "after": "kept too"}`;
      const { value, ms } = timed(() => parseChecked(text));
      assert.ok(ms < 2_000, `parsed in ${ms.toFixed(0)} ms`);
      assert.ok(isMap(value.root), 'a tree');
      assert.equal(str(getPath(value.root, ['before'])), 'kept');
      assert.equal(str(getPath(value.root, ['after'])), 'kept too');
      assert.ok(value.errors.some((e) => /nesting deeper/.test(e.message)), value.errors.map((e) => e.message).join('; '));
    });
  }

  test('deep nesting that never closes, and brackets inside strings and comments', SLOW, () => {
    const unclosed = `{"a": "x", "b": ${'['.repeat(DEEP)}`;
    const tricky = `{"s": "${'['.repeat(DEEP)}", /* ${'{'.repeat(DEEP)} */ "deep": ${nestedJsonObject()}, "t": "]]]"}`;
    for (const text of [unclosed, tricky]) {
      const { value, ms } = timed(() => parseChecked(text));
      assert.ok(ms < 2_000, `parsed in ${ms.toFixed(0)} ms`);
      assert.equal(str(getPath(value.root, ['a'])) ?? str(getPath(value.root, ['s'])), text === unclosed ? 'x' : '['.repeat(DEEP));
    }
    assert.equal(str(getPath(parseChecked(tricky).root, ['t'])), ']]]');
  });

  test('offsets survive the deep-nesting fallback exactly', SLOW, () => {
    const text = `{\n  "deep": ${nestedJsonObject()},\n  "key": "AKIAIOSFODNN7EXAMPLE"\n}\n`;
    const result = parseChecked(text);
    const key = getPath(result.root, ['key'])!;
    assert.equal(text.slice(key.span.start, key.span.end), '"AKIAIOSFODNN7EXAMPLE"');
  });

  test('random bytes never throw', SLOW, () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const encoding of ['latin1', 'utf8'] as const) parseChecked(randomText(seed, 4096, encoding));
    }
  });

  test('empty, blank and comment-only files give no tree', () => {
    for (const text of ['', '   \n\t\r\n', '// comment\n/* block */\n', '\ufeff']) {
      const result = parseChecked(text);
      assert.equal(result.root, null, JSON.stringify(text));
      assert.deepEqual(result.errors, [], JSON.stringify(text));
    }
  });

  test('a UTF-8 BOM is whitespace: no error, offsets exact', () => {
    const text = '\ufeff{"Version": "2012-10-17"}';
    const result = parseChecked(text);
    assert.deepEqual(result.errors, []);
    const version = getPath(result.root, ['Version'])!;
    assert.equal(text.slice(version.span.start, version.span.end), '"2012-10-17"');
  });

  test('CRLF line endings keep spans exact', () => {
    const text = '{\r\n  "a": "one",\r\n  "b": [1, 2]\r\n}\r\n';
    const result = parseChecked(text);
    assert.deepEqual(result.errors, []);
    const a = getPath(result.root, ['a'])!;
    assert.equal(text.slice(a.span.start, a.span.end), '"one"');
  });

  test('an unterminated string: an error, and what precedes it survives', () => {
    const text = '{"kept": "AKIAIOSFODNN7EXAMPLE", "broken": "never closed\n, "more": 1}\n';
    const result = parseChecked(text);
    assert.ok(result.errors.length > 0);
    assert.equal(str(getPath(result.root, ['kept'])), 'AKIAIOSFODNN7EXAMPLE');
  });

  test('an unterminated block comment: the error ends at the end of the text', () => {
    for (const text of ['{"a": 1} /* never closed', '/*', '{"a": /* x\r\n']) {
      const result = parseChecked(text);
      assert.ok(result.errors.length > 0, JSON.stringify(text));
    }
  });

  test('stray tokens, duplicate keys and odd literals do not throw', () => {
    for (const text of ['}{', ']]]', '{"a" 1}', '{"a": 1,,}', '{"a": 1}{"b": 2}', '{"a": 1, "a": 2}', '[NaN, Infinity, -0, 1e999, 0x10]', '"\\uD800"', '{"\\u0000": null}', ',', ':']) {
      parseChecked(text);
    }
  });
});

describe('parseJson error list', () => {
  test('past MAX_SYNTAX_ERRORS, one more error counts the rest (a broken 1 MB list made 130,000)', () => {
    const text = `{"a": [${Array.from({ length: 1_000 }, () => '"x" "y"').join(', ')}]}`;
    const { errors, root } = parseJson(text);
    assert.equal(errors.length, MAX_SYNTAX_ERRORS + 1);
    assert.match(errors.at(-1)!.message, /^\d+ more syntax errors not listed$/);
    assert.ok(Number(errors.at(-1)!.message.split(' ')[0]) >= 900);
    assert.ok(root, 'the tree is still built');
  });
});
