import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMap, isScalar, getPath, str, type DataNode } from '../../server/src/syntax/tree';
import { MAX_SYNTAX_ERRORS } from '../../server/src/syntax/parse-error';
import { parseYaml, type YamlParseResult } from '../../server/src/syntax/yaml';
import {
  aliasBomb,
  assertTreeWithin,
  dataNodes,
  DEEP,
  heapGrowth,
  nestedBlockMap,
  nestedCompactSeq,
  nestedFlowMap,
  nestedFlowSeq,
  randomText,
  timed,
} from './hostile';

/** parseYaml must never throw: whatever the text, a result whose every span lies inside it. */
function parseChecked(text: string): YamlParseResult {
  const result = parseYaml(text);
  for (const doc of result.documents) {
    assert.ok(doc.span.start >= 0 && doc.span.start <= doc.span.end && doc.span.end <= text.length, `document span ${JSON.stringify(doc.span)}`);
    assertTreeWithin(doc.root, text, 'yaml');
  }
  for (const e of result.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `error span ${JSON.stringify(e.span)}`);
  return result;
}

const SLOW = { timeout: 60_000 };

describe('parseYaml on hostile input', () => {
  test('an alias bomb (9 levels × 9 aliases) stays aliases: fast, small, never expanded', SLOW, () => {
    const text = aliasBomb(9, 9);
    const { value, mb } = heapGrowth(() => timed(() => parseChecked(text)));
    assert.ok(value.ms < 1_000, `parsed in ${value.ms.toFixed(0)} ms`);
    assert.ok(mb < 32, `heap grew ${mb.toFixed(1)} MB`);
    const root = value.value.documents[0]?.root ?? null;
    // 9 anchors of 9 items, 9 keys: a few hundred nodes at most, against 9^9 when expanded.
    assert.ok(dataNodes(root).length < 200, `${dataNodes(root).length} nodes`);
    const last = getPath(root, ['i']);
    assert.ok(last?.kind === 'seq' && last.items.every((item) => item.kind === 'alias'), 'the last level holds aliases, not copies');
  });

  test('a bomb whose aliases point at maps (merge keys) is not expanded either', SLOW, () => {
    const lines = ['a0: &a0 {x: 1, y: 2}'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} {${Array.from({ length: 9 }, (_, j) => `k${j}: *a${i - 1}`).join(', ')}, <<: *a${i - 1}}`);
    const text = `${lines.join('\n')}\n`;
    const { value, ms } = timed(() => parseChecked(text));
    assert.ok(ms < 1_000, `parsed in ${ms.toFixed(0)} ms`);
    assert.ok(dataNodes(value.documents[0]?.root ?? null).length < 500);
  });

  for (const [name, text] of [
    ['flow sequences', nestedFlowSeq()],
    ['flow mappings', nestedFlowMap()],
    ['compact block sequences (- - - x)', nestedCompactSeq()],
    ['block mappings', nestedBlockMap()],
  ] as const) {
    test(`${DEEP}-deep ${name}: no throw, bounded time, the depth reported`, SLOW, () => {
      const { value, ms } = timed(() => parseChecked(text));
      assert.ok(ms < 5_000, `parsed in ${ms.toFixed(0)} ms`);
      assert.ok(value.errors.length > 0, 'the depth is reported as an error');
      // The stack overflow `yaml` catches inside is reported in words, not as the engine's own message.
      assert.ok(value.errors.every((e) => !/call stack/i.test(e.message)), value.errors.map((e) => e.message).join('; '));
    });
  }

  test('what precedes a deep structure is still read', SLOW, () => {
    const text = `apiVersion: v1\nkind: Pod\nspec:\n  deep: ${nestedFlowSeq()}\n  after: yes\n`;
    const root = parseChecked(text).documents[0]?.root ?? null;
    assert.equal(str(getPath(root, ['kind'])), 'Pod');
  });

  test('random bytes never throw', SLOW, () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const encoding of ['latin1', 'utf8'] as const) parseChecked(randomText(seed, 4096, encoding));
    }
  });

  test('empty, blank and comment-only streams give no tree and no error', () => {
    for (const text of ['', '\n', '   \n\t\n', '# only a comment\n# AKIAIOSFODNN7EXAMPLE\n', '---\n', '---\n...\n', '\ufeff']) {
      const result = parseChecked(text);
      assert.ok(result.documents.every((d) => d.root === null || (isScalar(d.root) && d.root.value === null)), JSON.stringify(text));
    }
  });

  test('a UTF-8 BOM leaves every offset exact', () => {
    const text = '\ufeffapiVersion: v1\nkind: Pod\n';
    const result = parseChecked(text);
    assert.deepEqual(result.errors, []);
    const kind = result.documents[0]!.root!;
    assert.ok(isMap(kind));
    const pair = kind.pairs.find((p) => p.key === 'kind')!;
    assert.equal(text.slice(pair.keySpan.start, pair.keySpan.end), 'kind');
    assert.equal(text.slice(pair.value!.span.start, pair.value!.span.end), 'Pod');
    // The first key starts after the mark, not on it.
    assert.equal(text.slice(kind.pairs[0]!.keySpan.start, kind.pairs[0]!.keySpan.end), 'apiVersion');
  });

  test('CRLF line endings: values and spans exclude the carriage return', () => {
    const text = 'a: one\r\nb:\r\n  c: "two"\r\nd: |\r\n  line1\r\n  line2\r\n';
    const result = parseChecked(text);
    assert.deepEqual(result.errors, []);
    const root = result.documents[0]!.root;
    const value = (p: (string | number)[]): DataNode => getPath(root, p)!;
    assert.equal(str(value(['a'])), 'one');
    assert.equal(text.slice(value(['a']).span.start, value(['a']).span.end), 'one');
    assert.equal(str(value(['b', 'c'])), 'two');
    assert.equal(str(value(['d'])), 'line1\nline2\n');
  });

  test('unterminated quoted scalars: an error, and the keys before the break survive', () => {
    for (const quote of ['"', "'"]) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${quote}unterminated\nspec: {}\n`;
      const result = parseChecked(text);
      assert.ok(result.errors.length > 0, `${quote}: an error`);
      assert.equal(str(getPath(result.documents[0]!.root, ['kind'])), 'Pod');
    }
  });

  test('multi-document streams keep each document with its own span', () => {
    const text = 'a: 1\n---\nb: 2\n---\n# empty\n---\nc: [\n';
    const result = parseChecked(text);
    assert.equal(result.documents.length, 4);
    assert.ok(result.errors.length > 0);
    assert.equal(str(getPath(result.documents[1]!.root, ['b'])), '2');
  });

  test('tags, anchors on scalars, complex keys and directives do not throw', () => {
    const texts = [
      '!Ref x',
      'a: !GetAtt [a, b]\nb: !Sub {x: 1}\nc: !unknown tag\n',
      '? [complex, key]\n: value\n? {a: 1}\n',
      '%YAML 1.2\n%TAG ! tag:example.com,2000:\n---\na: !foo 1\n',
      '&a a: *a\n',
      '*undefined\n',
      'a: &x 1\nb: *x\n<<: *x\n',
      'a: !!binary aGVsbG8=\nb: !!timestamp 2001-12-14\nc: !!set {a, b}\nd: !!omap [a: 1]\n',
      'key: @reserved\n`also: x\n',
      '\t- tab indentation\n',
    ];
    for (const text of texts) parseChecked(text);
  });
});

/**
 * What libyaml (PyYAML, go-yaml: Kubernetes) and CloudFormation accept and the strict grammar does
 * not: continuation lines of quoted scalars and flow collections indented less than the parent
 * node. Expected values are PyYAML 6's (CSafeLoader); the spans must still point at the original.
 */
describe('parseYaml: under-indented continuation lines that libyaml accepts', () => {
  const accepted: [string, string, unknown][] = [
    ['double-quoted value continued at column 0', 'a:\n  key: "first\nsecond"\n', { a: { key: 'first second' } }],
    ['double-quoted value continued at the key\'s indentation', 'a:\n  key: "first\n  second"\n', { a: { key: 'first second' } }],
    ['single-quoted value continued less indented', "a:\n  key: 'first\n second'\n", { a: { key: 'first second' } }],
    ['a quoted sequence item continued at the dash', 'a:\n  - "first\n  second"\n', { a: ['first second'] }],
    ['an escaped line break in a double-quoted value', 'a:\n  key: "first \\\nsecond"\n', { a: { key: 'first second' } }],
    ['a flow sequence continued at column 0', 'a:\n  b: [one,\ntwo]\n', { a: { b: ['one', 'two'] } }],
    ['a flow map continued less indented, with a quoted value', 'a:\n  b: {x: "1",\n y: "two\nlines"}\n', { a: { b: { x: '1', y: 'two lines' } } }],
    ['a Kubernetes env value, CRLF line endings', 'spec:\r\n  env:\r\n    - name: A\r\n      value: "first\r\nsecond"\r\n    - name: B\r\n', { spec: { env: [{ name: 'A', value: 'first second' }, { name: 'B' }] } }],
  ];
  for (const [name, text, expected] of accepted) {
    test(`${name}: no error, the value libyaml reads, exact spans`, () => {
      const result = parseYaml(text);
      assert.deepEqual(result.errors, []);
      const root = result.documents[0]!.root;
      assert.deepEqual(plain(root, text), expected);
    });
  }

  const rejected: [string, string][] = [
    ['a plain scalar continued at the key\'s indentation', 'a:\n  key: first line\n  second line\n'],
    ['a plain sequence item continued at the dash', 'a:\n  - first\n  second\n'],
    ['a continuation indented with a tab', 'a:\n  key: first\n\tsecond\n'],
  ];
  for (const [name, text] of rejected) {
    test(`${name}: still an error, as libyaml says too`, () => {
      assert.ok(parseYaml(text).errors.length > 0);
    });
  }

  test('a document marker inside an unterminated quote stops the leniency (no consumer reads on)', () => {
    const result = parseYaml('a:\n  key: "first\n---\nb: 1\n');
    assert.ok(result.errors.length > 0);
  });
});

/** The data tree as plain values, checking that every key's and quoted scalar's span is its source. */
function plain(node: DataNode | null, text: string): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'scalar':
      if (node.style === 'quoted') assert.match(text.slice(node.span.start, node.span.end), /^(["'])[\s\S]*\1$/);
      return node.value;
    case 'seq':
      return node.items.map((item) => plain(item, text));
    case 'map':
      return Object.fromEntries(
        node.pairs.map((pair) => {
          assert.equal(text.slice(pair.keySpan.start, pair.keySpan.end), pair.key);
          return [pair.key, plain(pair.value, text)];
        }),
      );
    default:
      return null;
  }
}

describe('parseYaml error list', () => {
  test('past MAX_SYNTAX_ERRORS, one more error counts the rest', () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i}: "unclosed\n  - : : [`).join('\n');
    const { errors } = parseYaml(text);
    if (errors.length <= MAX_SYNTAX_ERRORS) assert.fail(`only ${errors.length} errors: the input no longer exercises the cap`);
    assert.equal(errors.filter((e) => !e.message.includes('more syntax error')).length, MAX_SYNTAX_ERRORS);
    assert.match(errors.at(-1)!.message, /^\d+ more syntax errors? not listed$/);
  });
});
