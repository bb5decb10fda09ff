import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../server/src/workspace/grammar';

/**
 * The walkthrough promises that the example it opens is reported. The command opens it as an
 * untitled YAML document, which reaches the engine named by its URI path and with the syntax of
 * its language id, as here; the workflow is recognised by its content alone.
 */
test('the walkthrough example, as an untitled document, gets static-cloud-credentials with the OIDC rewrite and a suppress fix', async () => {
  const text = readFileSync(path.join(__dirname, '..', '..', 'walkthrough', 'example-workflow.yml'), 'utf8');
  const engine = await createEngine();
  const report = engine.analyze({ path: 'Untitled-1', text, syntax: 'yaml' });
  assert.equal(report.dialect, 'github-actions');
  assert.deepEqual(report.findings.map((f) => f.rule), ['static-cloud-credentials']);
  const [finding] = report.findings;
  assert.match(text.split('\n')[finding!.range.start.line]!, /uses: aws-actions\/configure-aws-credentials@v4/);
  // The OIDC rewrite first (an untitled document has no repository: it falls back to a variable), the suppression last.
  const titles = finding!.fixes.map((f) => f.title);
  assert.match(titles[0]!, /role-to-assume|OIDC/);
  assert.equal(titles.at(-1), 'Suppress static-cloud-credentials on this line');
});
