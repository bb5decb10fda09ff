import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { DETECTORS } from '../../server/src/secrets/detectors';

/**
 * Secrets are toxic: no message or related-location message may carry a credential value. Every
 * rule fixture is scanned, and every value the detectors recognise in it must be absent from all
 * the text the engine produces for that file.
 */
function fixtureFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return fixtureFiles(full);
    return e.name.endsWith('.expect.json') || e.name.endsWith('.ts') ? [] : [full];
  });
}

function secretValues(text: string): string[] {
  const values: string[] = [];
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(new RegExp(detector.pattern.source, detector.pattern.flags))) {
      const value = match[detector.group ?? 0];
      if (value && value.length >= 12 && detector.kind !== 'private-key') values.push(value);
    }
  }
  return values;
}

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

test('no finding message quotes a credential value', () => {
  const root = path.join(__dirname);
  let checked = 0;
  for (const file of fixtureFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const values = secretValues(text);
    if (values.length === 0) continue;
    const report = engine.analyze({ path: path.relative(root, file), text });
    const produced = JSON.stringify(report.findings.map((f) => [f.message, f.related.map((r) => r.message)]));
    for (const value of values) {
      assert.ok(!produced.includes(value), `${path.relative(root, file)}: a message quotes ${value.slice(0, 4)}…`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `checked ${checked} values`);
});

test('a redacted preview keeps at most the first 4 and the last 2 characters', () => {
  const report = engine.analyze({ path: 'main.tf', text: 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n' });
  const finding = report.findings.find((f) => f.rule === 'hardcoded-secret');
  assert.ok(finding);
  assert.match(finding.message, /"AKIA…LE"/);
});

test('an access key id and its secret in one block are one finding, the secret related', () => {
  const text = 'env:\n  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
  const report = engine.analyze({ path: '.github/workflows/x.yml', text: `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n${text}` });
  const secrets = report.findings.filter((f) => f.rule === 'hardcoded-secret');
  assert.equal(secrets.length, 1);
  assert.equal(secrets[0]!.range.start.line, 7);
  assert.equal(secrets[0]!.range.start.character, 21);
  assert.equal(secrets[0]!.related.length, 1);
  assert.equal(secrets[0]!.related[0]!.range.start.line, 8);
});
