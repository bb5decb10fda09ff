import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { main, type CliIo } from '../../server/src/cli';
import { RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/rule';
import { fixture, THROWING_RULE, workspace } from './helpers';

// The CLI's entry point in process, for what a child process cannot stage: a rule that throws,
// and a terminal on stdout.

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd: string, options: { isTTY?: boolean; env?: Record<string, string>; rules?: readonly Rule[] } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env: options.env ?? {},
    stdout: { isTTY: options.isTTY ?? false, write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await main(argv, io, options.rules ? { rules: options.rules } : {});
  return { code, stdout, stderr };
}

const THROWS = THROWING_RULE;

describe('keyless scan in process', () => {
  test('a rule that throws is a warning naming the rule, never the input, and the other rules still report', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf') });
    const text = await run(['scan'], cwd, { rules: [THROWS, ...RULES] });
    assert.equal(text.code, 1);
    assert.ok(text.stdout.includes('provider-static-credentials'));
    assert.ok(text.stdout.includes('hardcoded-secret'));
    assert.equal(
      text.stderr,
      'warning: rule "throwing-rule" failed on main.tf (TypeError) and was skipped for that file; the other rules still ran\n2 findings (2 errors) in 1 file\n',
    );

    const sarif = await run(['scan', '--format', 'sarif'], cwd, { rules: [THROWS, ...RULES] });
    assert.ok(!sarif.stdout.includes('AKIAIOSFODNN7EXAMPLE'));
    const log = JSON.parse(sarif.stdout) as { runs: { invocations: { toolExecutionNotifications: { level: string; associatedRule: { id: string } }[] }[] }[] };
    assert.deepEqual(
      log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => [n.level, n.associatedRule.id]),
      [['error', 'throwing-rule']],
    );
  });

  test('colour only when stdout is a terminal and NO_COLOR is unset', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf') });
    const tty = await run(['scan'], cwd, { isTTY: true });
    assert.ok(tty.stdout.includes('\u001b[31merror\u001b[39m'), tty.stdout);
    const noColor = await run(['scan'], cwd, { isTTY: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.stdout, /\u001b\[/);
    const pipe = await run(['scan'], cwd, { isTTY: false });
    assert.doesNotMatch(pipe.stdout, /\u001b\[/);
    // Without colour the report reads the same.
    assert.equal(noColor.stdout, pipe.stdout);
    assert.equal(tty.stdout.replace(/\u001b\[\d+m/g, ''), pipe.stdout);
  });

  test('untrusted text cannot drive the terminal: control characters in a quoted line are shown as U+FFFD', async () => {
    const cwd = workspace({ 'main.tf': `provider "aws" { access_key = var.k } # \u001b[2J\u202e\n` });
    const result = await run(['scan'], cwd, { isTTY: false });
    assert.ok(result.stdout.includes('# \uFFFD[2J\uFFFD'), result.stdout);
  });
});
