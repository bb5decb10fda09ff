import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver';
import type { HoverInfo } from '../../server/src/engine/analyze';
import type { Finding } from '../../server/src/core/finding';
import { toHover } from '../../server/src/lsp/hover';

// The hover adds what the diagnostic box under the pointer does not say, and nothing twice.

const shown = { diagnosticsShown: true };
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };

function finding(rule: string, message: string): Finding {
  return { rule, severity: 'error', message, path: 'x', span: { start: 0, end: 4 }, range, related: [], fixes: [] };
}

function info(descriptions: string[], findings: Finding[]): HoverInfo {
  return { range, descriptions, findings };
}

describe('toHover', () => {
  test('a sentence that restates a finding under the pointer, in other quoting, is left out; nothing left: null', () => {
    const hover = toHover(
      info(
        ['Job `build` authenticates to GCP with long-lived credentials (`credentials_json`) through `google-github-actions/auth`.'],
        [finding('static-cloud-credentials', 'Job "build" authenticates to GCP with long-lived credentials (credentials_json). Use workload identity federation.')],
      ),
      shown,
    );
    assert.equal(hover, null);
  });

  test('facts the findings do not state are kept, with each rule page once and no severity', () => {
    const hover = toHover(
      info(
        ['A literal GitHub token (`ghp_…ab`) is written here.', 'Pipeline job `deploy` publishes to npm with a long-lived token (`NPM_TOKEN`).'],
        [finding('hardcoded-secret', 'GitHub token "ghp_…ab" is written in the file: anyone who can read the repository can use it.'), finding('hardcoded-secret', 'GitHub token "ghp_…ab" is written in the file.')],
      ),
      shown,
    );
    const value = (hover?.contents as MarkupContent).value;
    assert.ok(!value.includes('A literal GitHub token'), value);
    assert.match(value, /publishes to npm/);
    assert.equal(value.match(/hardcoded-secret\.md/g)?.length, 1);
    assert.ok(!/Error|Warning|Info:/.test(value), value);
  });

  test('no finding under the pointer: every fact, no rule line', () => {
    const hover = toHover(info(['Job `deploy` authenticates to AWS by OIDC federation.'], []), shown);
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /OIDC federation/);
    assert.ok(!value.includes('Rule'));
  });

  test('findings and no facts: null (the diagnostics say it)', () => {
    assert.equal(toHover(info([], [finding('long-lived-key', 'Resource "aws_iam_access_key" "ci" mints a long-lived key.')]), shown), null);
  });

  test('an editor that keeps diagnostics out of its hover gets every sentence and each finding with its severity', () => {
    const message = 'Job "build" authenticates to GCP with long-lived credentials (credentials_json).';
    const hover = toHover(info(['Job `build` authenticates to GCP with long-lived credentials (`credentials_json`).'], [finding('static-cloud-credentials', message)]), { diagnosticsShown: false });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Job `build` authenticates to GCP/);
    assert.match(value, /Error: \[`static-cloud-credentials`\]/);
    // Findings alone still make a hover there: it is the only place the editor would say them.
    assert.ok(toHover(info([], [finding('long-lived-key', 'mints a key')]), { diagnosticsShown: false }) !== null);
  });
});
