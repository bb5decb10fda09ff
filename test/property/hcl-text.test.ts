import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Parser } from 'web-tree-sitter';
import { generateTerraform } from '../../bench/generate';
import { terraformFromHcl } from '../../server/src/dialects/terraform/hcl-reader';
import { expressionFromText, readBodyFromText } from '../../server/src/dialects/terraform/hcl-text';
import type { TerraformFile, TfBlock } from '../../server/src/dialects/terraform/model';
import { loadHcl, parseHcl } from '../../server/src/syntax/hcl';
import { readHclWasm } from '../../server/src/workspace/grammar';
import { applyMutations, mutations } from './mutations';
import { seedSets, type Seed } from './seeds';

/**
 * Differential property: a Terraform file read from its text (dialects/terraform/hcl-text.ts)
 * gives exactly what reading it from the syntax tree gives — the same blocks, labels, attributes,
 * spans and expressions, nested blocks included — on every HCL fixture and corpus file, on the
 * forms below, on generated modules and on mutants of all of them. The text is read only when the
 * tree holds no error and was parsed from the text itself; whatever the text reader does not know
 * it leaves to the tree, so equality must hold whatever it reads.
 */

const MAX_BLOCK_DEPTH = 8;

function signature(file: TerraformFile): string {
  const block = (b: TfBlock, depth: number): unknown => ({
    type: b.type,
    labels: b.labels,
    span: b.span,
    header: b.headerSpan,
    attributes: b.attributes().map((a) => ({ name: a.name, nameSpan: a.nameSpan, span: a.span, value: a.value })),
    blocks: depth < MAX_BLOCK_DEPTH ? b.blocks().map((nested) => block(nested, depth + 1)) : [],
  });
  return JSON.stringify(file.blocks.map((b) => block(b, 0)));
}

/** The forms of native syntax the text reader reads, and some it leaves to the tree. */
const FORMS = [
  `# a comment\n// another\n/* a block\n   comment */\nlocals {\n  a = "plain"\n  b = "with \${var.x} interpolation"\n  c = "nested \${lookup(var.m, "k", "d")} quotes"\n  d = "esc \\"quoted\\" \\\\ back"\n  e = "trailing backslash \\\\"\n  f = 42\n  g = 1.5e-3\n  h = true\n  i = false\n  j = null\n}\n`,
  `locals {\n  k = var.a.b[0].c\n  l = var.list[*].id\n  m = module.x.*.y\n  n = a.0\n  o = -1\n  p = !var.enabled\n  q = var.a == "x" ? "y" : "z"\n  r = [for s in var.list : upper(s)]\n  s = { for k, v in var.map : k => v }\n  ak = var.a[var.b]\n  al = "a" == "b"\n  am = f(1)[0]\n  an = [1][0]\n  ao = { a = 1 }.a\n  ar = var.a != null ? var.a : "default"\n}\n`,
  `locals {\n  t = [1, 2, 3,]\n  u = [\n    "a", # comment\n    "b",\n  ]\n  v = { a = 1, b = "2" }\n  w = {\n    "k:1" = 1\n    k2    : 2\n    k3 = [\n      { x = 1 },\n    ]\n  }\n  x = merge(var.a, { b = 1 })\n  y = concat(var.a, var.b...)\n  ah = []\n  ai = {}\n  aj = [[1], [2, [3]]]\n  af = f(\n    1,\n    2\n  )\n}\n`,
  `resource "aws_iam_role" "ci" {\n  name = "ci"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRoleWithWebIdentity"\n      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }\n      Condition = {\n        StringLike = { "token.actions.githubusercontent.com:sub" = "repo:o/r:*" }\n      }\n    }]\n  })\n  lifecycle { create_before_destroy = true }\n}\n`,
  `resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{\n  "Version": "2012-10-17"\n}\nEOF\n}\nlocals {\n  ab = <<-EOT\n    indented \${var.x}\n    EOT\n  ad = <<EOF\n  not the end EOF\n  EOF\n}\n`,
  `locals {\n  ag = "%{ if var.x }yes%{ endif }"\n  ap = "\${"quoted"}"\n  aq = tomap({ "a" = 1 })\n  as = try(var.a, null)\n  at = "ünïcode ✓"\n  au = var.a.b . c\n  ax = var.a /* inline */ + 1\n  ay = (var.a)\n  az = f(1,)\n}\n`,
  `block  "a"   b {\n}\n\nblock_2 {\n  nested "n" {\n    v = [\n      1,\n      2\n    ]\n  }\n}\ndata "x" "y" { statement { actions = ["s3:*"] } }\nprovider "aws" {}\nb "l" {\n  a = 1 }\n`,
  `x = "a" # c1\ny = "b" // c2\nz = "c" /* c3 */\nw = /* c4 */ "d"\nv = {\n  a = 1,\n  b = 2,\n}\n`,
  'provider "aws" {\r\n  region = "us-east-1"\r\n  access_key = "AKIAIOSFODNN7EXAMPLE"\r\n  x = <<EOF\r\nline\r\nEOF\r\n}\r\n',
  'a = 1\nb = "x"',
  // Left to the tree whole: an escaped interpolation, an empty heredoc, a call with a space before
  // its parenthesis (two operands side by side are two attributes to the grammar, or one call).
  'aw = "$${literal}"\n',
  'ac = <<EOF\nEOF\n',
  'av = f (1)\n',
];

let parser: Parser;

before(async () => {
  parser = await loadHcl(readHclWasm());
});

/** Whether the file is read from its text, and if so whether both readings agree; undefined when it is not. */
function agree(text: string): boolean | undefined {
  const parsed = parseHcl(parser, text);
  try {
    if (!parsed.tree || parsed.tree.rootNode.hasError || parsed.opaque.length > 0) return undefined;
    const root = parsed.tree.rootNode;
    return signature(terraformFromHcl(root, text, { treeOfText: true })) === signature(terraformFromHcl(root, text));
  } finally {
    parsed.tree?.delete();
  }
}

const hclOnly = (seeds: Seed[]): Seed[] => seeds.filter((s) => /\.(tf|tfvars|hcl)$/i.test(s.path));

describe('Terraform read from the text', () => {
  test('equals the syntax tree on the forms of native syntax, generated modules, and mutants of them', () => {
    const texts = [...FORMS, ...[1, 2, 3].map((seed) => generateTerraform({ lines: 300, seed }).text)];
    for (const text of texts) assert.notEqual(agree(text), false, text.slice(0, 200));
    let checked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...texts), mutations, (text, list) => {
        const result = agree(applyMutations(text, list));
        if (result !== undefined) checked++;
        return result !== false;
      }),
      { seed: 0x68636c74, numRuns: 2000 },
    );
    assert.ok(checked > 300, `${checked} mutants without a syntax error`);
  });

  for (const set of seedSets('Terraform read from the text against the tree')) {
    test(`equals the syntax tree on every HCL file and on mutants (${set.label})`, { skip: set.skip }, (t) => {
      const seeds = hclOnly(set.seeds());
      assert.ok(seeds.length > 5, `${seeds.length} HCL seeds`);
      for (const seed of seeds) assert.notEqual(agree(seed.text), false, seed.source);
      let checked = 0;
      fc.assert(
        fc.property(fc.constantFrom(...seeds), mutations, (seed, list) => {
          const result = agree(applyMutations(seed.text, list));
          if (result !== undefined) checked++;
          return result !== false;
        }),
        { seed: 0x74657874, numRuns: 1000 },
      );
      t.diagnostic(`${checked} mutants without a syntax error`);
    });
  }

  test('reads the common forms from the text, not from the tree', () => {
    // What the text reader leaves to the tree in the forms above, and nothing else.
    const leftToTree = new Set(['var.a /* inline */ + 1', '(var.a)', 'var.a.b . c', 'f(1,)']);
    const unread: string[] = [];
    let read = 0;
    for (const text of [...FORMS, generateTerraform({ lines: 2000, seed: 4 }).text]) {
      const visit = (body: { start: number; end: number }, depth: number): void => {
        const items = readBodyFromText(text, body);
        if (!items) {
          unread.push(text.slice(body.start, body.start + 40));
          return;
        }
        for (const item of items) {
          if (item.kind === 'block') {
            if (depth < MAX_BLOCK_DEPTH) visit(item.body, depth + 1);
          } else if (expressionFromText(text, item.value)) read++;
          else unread.push(text.slice(item.value.start, item.value.end));
        }
      };
      visit({ start: 0, end: text.length }, 0);
    }
    assert.deepEqual(
      unread.filter((u) => !leftToTree.has(u)),
      FORMS.slice(-3),
    );
    assert.ok(read > 500, `${read} expressions read from the text`);
  });
});
