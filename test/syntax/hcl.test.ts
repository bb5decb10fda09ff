import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadHcl, parseHcl, type HclParseResult, type SyntaxNode } from '../../server/src/syntax/hcl';
import { readHclWasm } from '../../server/src/workspace/grammar';
import { DEEP, nestedHclBlocks, nestedHclCalls, nestedHclObject, nestedHclTuple, randomText, timed } from './hostile';

type Parser = Awaited<ReturnType<typeof loadHcl>>;
let parser: Parser;
before(async () => {
  parser = await loadHcl(readHclWasm());
});

/**
 * Parses, checks that nothing throws and that every error span lies in the text, and frees the
 * tree (it lives in WebAssembly memory) after `inspect` has looked at it.
 */
function parseChecked(text: string, inspect: (result: HclParseResult) => void = () => undefined, deadline = Infinity): void {
  const result = parseHcl(parser, text, deadline);
  try {
    for (const e of result.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `error span ${JSON.stringify(e.span)}`);
    if (result.tree) assert.ok(result.tree.rootNode.endIndex <= text.length, 'the tree ends inside the text');
    inspect(result);
  } finally {
    result.tree?.delete();
  }
}

/** Top-level blocks as `type label…`, read iteratively from the config_file's body. */
function topLevelBlocks(root: SyntaxNode): string[] {
  const body = root.namedChildren.find((n) => n?.type === 'body');
  return (body?.namedChildren ?? [])
    .filter((n): n is SyntaxNode => n !== null && n.type === 'block')
    .map((n) => n.namedChildren.filter((c): c is SyntaxNode => c !== null && (c.type === 'identifier' || c.type === 'string_lit')).map((c) => c.text).join(' '));
}

const SLOW = { timeout: 60_000 };

describe('parseHcl on hostile input', () => {
  for (const [name, text] of [
    ['objects', nestedHclObject()],
    ['tuples', nestedHclTuple()],
    ['blocks', nestedHclBlocks()],
    ['function calls', nestedHclCalls()],
  ] as const) {
    test(`${DEEP}-deep ${name}: no throw, bounded time`, SLOW, () => {
      const { ms } = timed(() => parseChecked(`${text}provider "aws" {}\n`));
      assert.ok(ms < 5_000, `parsed in ${ms.toFixed(0)} ms`);
    });
  }

  test('the deadline stops a parse and says so', SLOW, () => {
    parseChecked(nestedHclObject(), (result) => {
      assert.equal(result.tree, null);
      assert.match(result.errors[0]?.message ?? '', /too long/);
    }, performance.now() - 1);
    // The parser is reset after a cancelled parse: the next one starts clean.
    parseChecked('a = 1\n', (result) => {
      assert.ok(result.tree);
      assert.deepEqual(result.errors, []);
    });
  });

  test('random bytes never throw', SLOW, () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const encoding of ['latin1', 'utf8'] as const) parseChecked(randomText(seed, 4096, encoding));
    }
  });

  test('empty, blank and comment-only files parse without errors', () => {
    for (const text of ['', '  \n\t\r\n', '# c\n// c\n/* c */\n', '\ufeff']) {
      parseChecked(text, (result) => {
        assert.ok(result.tree, JSON.stringify(text));
        assert.deepEqual(result.errors, [], JSON.stringify(text));
      });
    }
  });

  test('a UTF-8 BOM: the block starts after it', () => {
    parseChecked('\ufeffprovider "aws" {\n  region = "x"\n}\n', (result) => {
      assert.deepEqual(result.errors, []);
      const block = result.tree!.rootNode.descendantsOfType('block')[0]!;
      assert.equal(block.startIndex, 1);
    });
  });

  test('CRLF line endings parse cleanly', () => {
    parseChecked('provider "aws" {\r\n  region = "us-east-1"\r\n  policy = <<EOF\r\n{"a": 1}\r\nEOF\r\n}\r\n', (result) => {
      assert.deepEqual(result.errors, []);
      assert.deepEqual(topLevelBlocks(result.tree!.rootNode), ['provider "aws"']);
    });
  });

  test('a broken block in the middle: blocks after it are recovered at top level', () => {
    const text = 'resource "a" "one" {\n  x = 1\n}\nresource "b" "two" {\n  y = "x" +\n}\nprovider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n';
    parseChecked(text, (result) => {
      assert.ok(result.errors.length > 0);
      assert.deepEqual(topLevelBlocks(result.tree!.rootNode), ['resource "a" "one"', 'resource "b" "two"', 'provider "aws"']);
    });
  });

  test('unterminated string and heredoc: errors, earlier blocks intact', () => {
    for (const broken of ['x = "never closed\n', 'policy = <<EOF\n{"a": 1}\n', 'policy = <<-EOT\n  text\n  EO\n']) {
      parseChecked(`provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\nresource "r" "n" {\n  ${broken}`, (result) => {
        assert.ok(result.errors.length > 0, broken);
        assert.equal(topLevelBlocks(result.tree!.rootNode)[0], 'provider "aws"');
      });
    }
  });

  test('odd but legal and plainly illegal constructs do not throw', () => {
    for (const text of ['${', '<<EOF', '}}}}', '"', 'a = "${"${"${"}"}"}"', 'a = <<EOF\n${\nEOF\n', '= = =', 'a = [for x in y : x if]', '\u0000\u0001', 'a = "\uD800"']) {
      parseChecked(text);
    }
  });
});
