import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { alignHclEdits, formatLines, isHclPath } from '../../server/src/fixes/hcl-format';
import { applyEdits } from '../../server/src/fixes/text';
import { fixtureSeeds } from '../property/seeds';

/**
 * `terraform fmt`'s alignment kept by HCL fixes (hclwrite `formatCells`: consecutive single-line
 * attributes align their `=` one space after the widest key; consecutive trailing comments align
 * after the widest code; anything else ends the run). The expected texts are written as fmt
 * writes them.
 */

/** Whether every run of `=` and of trailing comments stands as fmt puts it. */
function fmtAligned(text: string): boolean {
  const lines = formatLines(text);
  const col = (from: number, to: number): number => [...text.slice(from, to)].length;
  const check = (has: (i: number) => boolean, width: (i: number) => number, at: (i: number) => number): boolean => {
    let run: number[] = [];
    const flush = (): boolean => {
      const max = Math.max(...run.map(width));
      const ok = run.every((i) => at(i) === max + 1);
      run = [];
      return ok;
    };
    for (let i = 0; i < lines.length; i++) {
      if (has(i)) run.push(i);
      else if (run.length > 0 && !flush()) return false;
    }
    return run.length === 0 || flush();
  };
  const assignOk = check(
    (i) => lines[i]!.assign !== undefined,
    (i) => col(lines[i]!.start, lines[i]!.assign!.leadEnd),
    (i) => col(lines[i]!.start, lines[i]!.assign!.equals),
  );
  const commentOk = check(
    (i) => lines[i]!.comment !== undefined,
    (i) => col(lines[i]!.start, lines[i]!.comment!.codeEnd),
    (i) => col(lines[i]!.start, lines[i]!.comment!.start),
  );
  return assignOk && commentOk;
}

/** Deletes the line holding `needle` (with its line break) and aligns. */
function deleteLine(text: string, needle: string): string {
  const at = text.indexOf(needle);
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at) + 1;
  return applyEdits(text, alignHclEdits(text, [{ span: { start, end }, newText: '' }]));
}

/** Inserts `line` before the line holding the last `needle` and aligns. */
function insertBefore(text: string, needle: string, line: string): string {
  const at = text.lastIndexOf('\n', text.lastIndexOf(needle)) + 1;
  return applyEdits(text, alignHclEdits(text, [{ span: { start: at, end: at }, newText: line }]));
}

describe('HCL edits keep terraform fmt alignment', () => {
  test('removing the widest attribute of a run realigns the rest', () => {
    const before = 'provider "aws" {\n  region     = "eu-west-1"\n  access_key = var.access_key\n  secret_key = var.secret_key\n}\n';
    assert.ok(fmtAligned(before));
    const once = deleteLine(before, 'access_key');
    const twice = deleteLine(once, 'secret_key');
    assert.equal(once, 'provider "aws" {\n  region     = "eu-west-1"\n  secret_key = var.secret_key\n}\n');
    assert.equal(twice, 'provider "aws" {\n  region = "eu-west-1"\n}\n');
  });

  test('both keys removed in one fix, from a run that continues', () => {
    const before = 'provider "aws" {\n  access_key = var.a\n  secret_key = var.s\n  region     = "eu-west-1"\n  profile    = "x"\n}\n';
    const spans = ['access_key', 'secret_key'].map((k) => {
      const at = before.indexOf(k);
      return { span: { start: at - 2, end: before.indexOf('\n', at) + 1 }, newText: '' };
    });
    const after = applyEdits(before, alignHclEdits(before, spans));
    assert.equal(after, 'provider "aws" {\n  region  = "eu-west-1"\n  profile = "x"\n}\n');
    assert.ok(fmtAligned(after));
  });

  test('adding a wider attribute pads its neighbours; a narrower one is padded', () => {
    const before = 'provider "azurerm" {\n  features {}\n  tenant_id = var.tenant\n}\n';
    const wider = insertBefore(before, '}\n', '  use_oidc = true\n'.replace('use_oidc', 'subscription_id'));
    assert.equal(wider, 'provider "azurerm" {\n  features {}\n  tenant_id       = var.tenant\n  subscription_id = true\n}\n');
    const narrower = insertBefore(before, '}\n', '  use_oidc = true\n');
    assert.equal(narrower, 'provider "azurerm" {\n  features {}\n  tenant_id = var.tenant\n  use_oidc  = true\n}\n');
  });

  test('a blank line, a comment line, a nested block or a multi-line value ends a run', () => {
    const before = [
      'resource "x" "y" {',
      '  a_long_name = 1',
      '  b           = 2',
      '',
      '  c  = 3',
      '  dd = 4',
      '  # a comment line',
      '  eee = 5',
      '  nested {',
      '    f = 6',
      '  }',
      '  tags = {',
      '    g = 7',
      '  }',
      '  hh = 8',
      '}',
      '',
    ].join('\n');
    assert.ok(fmtAligned(before));
    // Removing `dd` narrows only its own run; the runs across the breaks keep their columns.
    const after = deleteLine(before, 'dd = 4');
    assert.equal(after, before.replace('  c  = 3\n  dd = 4\n', '  c = 3\n'));
    assert.ok(fmtAligned(after));
    // Removing `a_long_name` realigns `b` only.
    assert.equal(deleteLine(before, 'a_long_name'), before.replace('  a_long_name = 1\n  b           = 2\n', '  b = 2\n'));
  });

  test('trailing comments follow the code they stand after', () => {
    const before = 'provider "aws" {\n  region     = "eu-west-1" # home\n  access_key = var.a       # to go\n  profile    = "p"         # kept\n}\n';
    assert.ok(fmtAligned(before));
    const after = deleteLine(before, 'access_key');
    assert.equal(after, 'provider "aws" {\n  region  = "eu-west-1" # home\n  profile = "p"         # kept\n}\n');
    assert.ok(fmtAligned(after));
  });

  test('strings, interpolations and heredocs are read, not padded', () => {
    const before = [
      'locals {',
      '  url     = "https://a.example/${var.x}?q=1" # = inside a string',
      '  long_id = "x"',
      '  doc     = <<EOF',
      'key = value',
      'EOF',
      '  z = 1',
      '}',
      '',
    ].join('\n');
    const after = deleteLine(before, 'long_id');
    assert.equal(after, before.replace('  url     = "https://a.example/${var.x}?q=1" # = inside a string\n  long_id = "x"\n', '  url = "https://a.example/${var.x}?q=1" # = inside a string\n'));
    // The heredoc's body is left alone.
    assert.ok(after.includes('\nkey = value\n'));
  });

  test('CRLF files keep their line breaks', () => {
    const before = 'provider "aws" {\r\n  region     = "eu-west-1"\r\n  secret_key = var.s\r\n}\r\n';
    assert.equal(deleteLine(before, 'secret_key'), 'provider "aws" {\r\n  region = "eu-west-1"\r\n}\r\n');
  });

  test('edits already aligned, or far from any run, are returned as they are', () => {
    const before = 'a = 1\n\nb = 2\n';
    const edits = [{ span: { start: 0, end: 1 }, newText: 'a' }];
    assert.deepEqual(alignHclEdits(before, edits), edits);
  });
});

describe('every HCL fix of the fixtures keeps a fmt-clean file clean', () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine();
  });
  test('before clean → after clean', (t) => {
    let checked = 0;
    for (const seed of fixtureSeeds()) {
      if (!isHclPath(seed.path) || !fmtAligned(seed.text)) continue;
      const report = engine.analyze({ path: seed.path, text: seed.text });
      for (const finding of report.findings) {
        for (const fix of finding.fixes) {
          // The engine's own "Suppress" comment line is not a fixer's edit (engine/analyze.ts).
          if (fix.title.startsWith('Suppress ')) continue;
          const own = fix.edits.filter((e) => e.path === seed.path);
          if (own.length === 0) continue;
          const after = applyEdits(seed.text, own);
          assert.ok(fmtAligned(after), `${seed.source}: "${fix.title}" leaves misaligned lines:\n${after}`);
          checked++;
        }
      }
    }
    t.diagnostic(`${checked} fixes of fmt-clean HCL fixtures checked`);
    assert.ok(checked > 10);
  });
});
