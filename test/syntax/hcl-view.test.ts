import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine, readHclWasm } from '../../server/src/workspace/grammar';
import { loadHcl, parseHcl, type SyntaxNode } from '../../server/src/syntax/hcl';
import { hclParseView, MAX_COLLECTION_CHARS, MAX_LITERAL_CHARS, MAX_LITERAL_TOTAL_CHARS, MIN_WHITE_SPACE_RUN, opaqueSpanAt } from '../../server/src/syntax/hcl-view';

/**
 * The parse view (syntax/hcl-view.ts): the text tree-sitter reads, with quadratic white space and
 * huge collections and literals rewritten as comments. The view must give the same tree as the
 * text wherever it rewrites white space, and the engine must still find credentials in what it
 * hides from the tree.
 */

type Parser = Awaited<ReturnType<typeof loadHcl>>;
let parser: Parser;
let engine: Engine;
before(async () => {
  parser = await loadHcl(readHclWasm());
  engine = await createEngine();
});

const ROOT = path.resolve(__dirname, '..', '..');
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function terraformFixtures(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf')) found.push(full);
    }
  };
  for (const dir of ['test', 'examples']) walk(path.join(ROOT, dir));
  return found.sort();
}

/** Leaf tokens but comments, with their spans, and the named nodes' types in order: the tree's shape. */
function shape(root: SyntaxNode): { leaves: string[]; named: string[] } {
  const leaves: string[] = [];
  const named: string[] = [];
  const cursor = root.walk();
  for (;;) {
    const node = cursor.currentNode;
    if (node.type !== 'comment') {
      if (node.childCount === 0) leaves.push(`${node.type}@${node.startIndex}-${node.endIndex}`);
      if (node.isNamed) named.push(node.type);
      if (cursor.gotoFirstChild()) continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return { leaves, named };
      }
    }
  }
}

/** Parses `text` as it is and through its view, and compares the two trees' shapes. */
function assertSameTree(text: string, label: string): void {
  const view = hclParseView(text);
  assert.equal(view.text.length, text.length, `${label}: the view keeps every offset`);
  const direct = parser.parse(text)!;
  const viewed = parseHcl(parser, text);
  try {
    assert.deepEqual(shape(viewed.tree!.rootNode), shape(direct.rootNode), label);
  } finally {
    direct.delete();
    viewed.tree?.delete();
  }
}

describe('the HCL parse view', () => {
  const fixtures = terraformFixtures();

  test('finds Terraform fixtures to compare', () => {
    assert.ok(fixtures.length >= 50, `${fixtures.length} fixtures`);
  });

  test('every fixture gives the same tree through the view', () => {
    for (const file of fixtures) assertSameTree(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file));
  });

  test('every fixture with its white space blown up to long runs gives the same tree', () => {
    const pad = ' '.repeat(MIN_WHITE_SPACE_RUN + 3);
    let rewritten = 0;
    for (const file of fixtures) {
      // Longer runs everywhere: after every line break, and in place of every space outside or
      // inside strings and heredocs alike (the view must rewrite only the former).
      const text = fs.readFileSync(file, 'utf8').replace(/\n/g, `\n${pad}`).replace(/ = /g, `${pad}=${pad}`);
      if (hclParseView(text).text !== text) rewritten++;
      assertSameTree(text, `${path.relative(ROOT, file)} (padded)`);
    }
    assert.ok(rewritten >= fixtures.length / 2, `only ${rewritten} of ${fixtures.length} padded files had runs rewritten`);
  });

  test('white space in strings, heredocs, interpolations and comments', () => {
    const run = ' '.repeat(40);
    const text = [
      `locals {`,
      `  a = "x${run}y"`,
      `  b = "\${${run}var.x${run}}${run}"`,
      `  c = <<EOT`,
      `${run}indented${run}`,
      `  EOT`,
      `  d = <<-EOT`,
      `${run}\${ var.y }${run}`,
      `    EOT`,
      `  e = [${run}"f"${run}, ${run}] # ${run}`,
      `  /* ${run} */ f = 1`,
      `  g = "escaped \\"${run}" // ${run}`,
      `  h = "$\${${run}}"`,
      `}`,
      `block "l" { x = 1${run}}`,
      '',
    ].join('\n');
    const view = hclParseView(text);
    assert.notEqual(view.text, text, 'some run was rewritten');
    // Every string's and heredoc's text is untouched.
    for (const literal of ['x' + run + 'y', `${run}indented${run}\n`, `\${ var.y }${run}`, `escaped \\"${run}`, `$\${${run}}`]) {
      const at = text.indexOf(literal);
      assert.equal(view.text.slice(at, at + literal.length), literal, JSON.stringify(literal.slice(0, 20)));
    }
    assertSameTree(text, 'mixed');
  });

  test('50,000 spaces inside an expression parse at once (without the view: half a minute, a quadratic scan)', () => {
    for (const text of [`locals {\n  x = [${' '.repeat(50_000)}"a"]\n  y = 2\n}\n`, `locals {\n  x = f(${'\n'.repeat(50_000)}1)\n}\n`, `locals {\n  x = "\${${'\t'.repeat(50_000)}a}"\n}\n`]) {
      // A generous deadline: without the view this parse is stopped by it and has no tree.
      const result = parseHcl(parser, text, performance.now() + 20_000);
      try {
        assert.ok(result.tree, 'parsed before the deadline');
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.opaque, []);
      } finally {
        result.tree?.delete();
      }
    }
  });

  test('a huge list, object, string and heredoc are opaque, with one note each; what follows still parses', () => {
    const big = MAX_COLLECTION_CHARS + 100;
    const items = Array.from({ length: Math.ceil(big / 6) }, (_, i) => `"${i % 1000}"`).join(', ');
    const text = [
      `locals {`,
      `  list = [${items}]`,
      `  object = {${items.replace(/"(\d+)"/g, 'k$1 = 1').replace(/, /g, '\n')}}`,
      `  string = "${'s'.repeat(MAX_LITERAL_CHARS + 1)}"`,
      `  heredoc = <<EOT\n${'h'.repeat(MAX_LITERAL_CHARS + 1)}\nEOT`,
      `  after = "kept"`,
      `}`,
      '',
    ].join('\n');
    const result = parseHcl(parser, text);
    try {
      assert.equal(result.opaque.length, 4);
      assert.deepEqual(
        result.errors.map((e) => e.message.split(' of ')[0]),
        ['a list', 'an object', 'a string', 'a heredoc'],
      );
      assert.ok(result.errors.every((e) => !e.failure && /the secret scan still reads it/.test(e.message)));
      const attributes = result.tree!.rootNode.descendantsOfType('attribute').map((a) => a?.child(0)?.text);
      assert.deepEqual(attributes, ['list', 'object', 'string', 'heredoc', 'after']);
      assert.ok(opaqueSpanAt(result.opaque, text.indexOf('"999"')));
      assert.equal(opaqueSpanAt(result.opaque, text.indexOf('"kept"')), undefined);
    } finally {
      result.tree?.delete();
    }
  });

  test("many mid-sized strings: the largest are opaque until the rest fit the total; small ones never", () => {
    const text = `locals {\n${Array.from({ length: 40 }, (_, i) => `  s${i} = "${'x'.repeat(6_000 + i)}"\n  t${i} = "small"\n`).join('')}}\n`;
    const result = parseHcl(parser, text);
    try {
      const kept = 40 - result.opaque.length;
      assert.ok(kept * 6_040 <= MAX_LITERAL_TOTAL_CHARS && (kept + 1) * 6_000 > MAX_LITERAL_TOTAL_CHARS, `${kept} kept`);
      // The largest (the last ones) went first.
      assert.ok(opaqueSpanAt(result.opaque, text.indexOf(`s39 = "`) + 8));
      assert.equal(opaqueSpanAt(result.opaque, text.indexOf(`s0 = "`) + 7), undefined);
      assert.equal(result.errors.filter((e) => e.message.startsWith('a string of')).length, 1, 'one note for all of them');
    } finally {
      result.tree?.delete();
    }
  });

  test('a huge literal whose text looks like HCL (a `#`, braces, quotes) stays one opaque span', () => {
    const inner = `# not a comment { [ ( "x" ) ] } /* */ \${ "y" } `.repeat(Math.ceil((MAX_LITERAL_CHARS + 1) / 40));
    const text = `locals {\n  a = <<EOT\n${inner}\nEOT\n  b = 1\n}\n`;
    const result = parseHcl(parser, text);
    try {
      assert.equal(result.opaque.length, 1);
      assert.deepEqual(result.tree!.rootNode.descendantsOfType('attribute').map((a) => a?.child(0)?.text), ['a', 'b']);
    } finally {
      result.tree?.delete();
    }
  });

  test('a huge list never closed is opaque up to the line that closes its block; the next block still parses', () => {
    const items = Array.from({ length: Math.ceil(MAX_COLLECTION_CHARS / 6) }, () => '"item"').join(', ');
    const text = `resource "x" "y" {\n  a = [${items}\n}\n\nprovider "aws" {\n  region = "us-east-1"\n}\n`;
    const result = parseHcl(parser, text);
    try {
      assert.equal(result.opaque.length, 1);
      assert.ok(result.opaque[0]!.end <= text.indexOf('provider "aws"'));
      assert.ok(result.errors.some((e) => e.message.startsWith('a list that is never closed')));
      assert.ok(result.tree!.rootNode.descendantsOfType('attribute').some((a) => a?.child(0)?.text === 'region'));
    } finally {
      result.tree?.delete();
    }
  });

  test('a huge string never closed is opaque up to its line break, with a note', () => {
    const text = `locals {\n  a = "${'s'.repeat(MAX_LITERAL_CHARS + 10)}\n  b = 1\n}\n`;
    const result = parseHcl(parser, text);
    try {
      assert.equal(result.opaque.length, 1);
      assert.equal(result.opaque[0]!.end, text.indexOf('\n  b = 1'));
      assert.ok(result.errors.some((e) => e.message.startsWith('a string that is never closed')));
    } finally {
      result.tree?.delete();
    }
  });

  test('broken text stops the rewriting there, and the tree still reports the break', () => {
    const run = ' '.repeat(40);
    for (const text of [`locals {\n  a = "unterminated\n  b = [${run}1]\n}\n`, `locals {\n  a = <<EOT\nno end\n  b = [${run}1]\n}\n`, `locals {\n  a = [1, /* ${run}\n}\n`]) {
      const result = parseHcl(parser, text);
      try {
        assert.ok(result.errors.length > 0, JSON.stringify(text.slice(0, 30)));
        assert.deepEqual(result.opaque, []);
      } finally {
        result.tree?.delete();
      }
    }
  });
});

describe('the engine on what the view hides', () => {
  const pad = (n: number) => Array.from({ length: Math.ceil(n / 8) }, (_, i) => `"v${i % 100_000}"`).join(', ');

  test('a key pair inside a huge list is still reported, on its own line, with the note', () => {
    const text = `locals {\n  keys = [${pad(MAX_COLLECTION_CHARS)},\n    "${KEY_ID}", "${SECRET}"]\n}\n`;
    const report = engine.analyze({ path: 'main.tf', text }, { fixes: false });
    const secrets = report.findings.filter((f) => f.rule === 'hardcoded-secret');
    assert.equal(secrets.length, 1, JSON.stringify(report.findings.map((f) => f.rule)));
    assert.equal(text.slice(secrets[0]!.span.start, secrets[0]!.span.end).includes('AKIA'), true);
    assert.ok(report.errors.some((e) => e.message.startsWith('a list of') && !e.failure));
  });

  test('a key pair in a huge heredoc is reported, and a `#` in it is not a comment', () => {
    const body = `${'# padding line\n'.repeat(Math.ceil(MAX_LITERAL_CHARS / 15))}aws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
    const text = `resource "local_file" "creds" {\n  content = <<EOT\n${body}EOT\n}\n`;
    const report = engine.analyze({ path: 'main.tf', text }, { fixes: false });
    assert.equal(report.findings.filter((f) => f.rule === 'hardcoded-secret').length, 1, JSON.stringify(report.findings.map((f) => f.rule)));
    assert.ok(report.errors.some((e) => e.message.startsWith('a heredoc of')));
  });

  test('a provider key beside a huge list is still judged by the rules', () => {
    const text = `provider "aws" {\n  region = "us-east-1"\n  access_key = "${KEY_ID}"\n  secret_key = "${SECRET}"\n  allowed_account_ids = [${pad(MAX_COLLECTION_CHARS)}]\n}\n`;
    const report = engine.analyze({ path: 'main.tf', text }, { fixes: false });
    assert.ok(report.findings.some((f) => f.rule === 'provider-static-credentials'), JSON.stringify(report.findings.map((f) => f.rule)));
  });
});
