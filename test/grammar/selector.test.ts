import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { readsFile } from '../../server/src/dialects/detect';

// The client's document selector against the server's `readsFile`: a file the server would analyse
// must reach it whatever language id the editor gives it, and the extension must activate for it.

const ROOT = path.resolve(__dirname, '..', '..');
const client = readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };

/** The `pattern:` globs of the client's document selector. */
const patterns = [...client.matchAll(/pattern: '([^']+)'/g)].map((m) => m[1]!);
const bySelectorPattern = (file: string): boolean => patterns.some((glob) => picomatch(glob, { dot: true })(file));

describe('document selector', () => {
  test('every name the server reads by name alone, whatever its language id, reaches it through a pattern', () => {
    // Names whose language id varies between editors and extensions (or is `plaintext`).
    for (const file of ['/w/.env', '/w/app/.env.production', '/w/app/.env.local', '/w/deploy/ci.env', '/w/live/terragrunt.hcl', '/w/img/base.pkr.hcl', '/w/cfn/stack.template', '/w/x.tf.json']) {
      assert.equal(readsFile(file), true, `the server reads ${file}`);
      assert.ok(bySelectorPattern(file), `no selector pattern takes ${file}`);
    }
  });

  test('patterns take nothing the server does not read', () => {
    for (const file of ['/w/notes.txt', '/w/.envrc', '/w/app.properties', '/w/Dockerfile', '/w/env/settings.py']) {
      assert.equal(readsFile(file), false, file);
      assert.ok(!bySelectorPattern(file), `a selector pattern takes ${file}`);
    }
  });

  test('a workspace with a .env or a *.template activates the extension', () => {
    for (const event of ['workspaceContains:**/.env', 'workspaceContains:**/*.template']) assert.ok(manifest.activationEvents.includes(event), event);
  });
});
