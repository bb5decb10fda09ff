import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { FORMATS } from '../../server/src/cli/args';
import { parseScanArguments } from '../../server/src/cli/scan';
import { sharedPath, unlessShared } from '../shared';
import { assertBuilt, fixture, REPO_ROOT, runCli, workspace } from '../cli/helpers';

// templates/keyless.gitlab-ci.yml as GitLab reads it: the job's script is run with the template's
// variables (the npm package swapped for the built CLI), and the report it writes is the file the
// job hands GitLab as its SAST report, valid against GitLab's schema.

interface Job {
  stage: string;
  image: string;
  script: string[];
  artifacts: { when?: string; reports: { sast: string }; paths?: string[] };
  rules?: { if: string }[];
}

const template = parse(fs.readFileSync(path.join(REPO_ROOT, 'templates', 'keyless.gitlab-ci.yml'), 'utf8')) as { variables: Record<string, string> } & Record<string, unknown>;
const job = template['keyless-sast'] as Job;

/**
 * A script line's words as a POSIX shell makes them from these variables: double quotes keep a
 * value one word, an unquoted empty variable is no word, an unquoted one splits on blanks.
 */
function words(line: string, variables: Record<string, string>): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (match[1] !== undefined) out.push(match[1].replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? ''));
    else out.push(...match[2]!.replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? '').split(/\s+/).filter(Boolean));
  }
  return out;
}

/** The arguments the script hands `keyless`: what follows `-- keyless`. */
function keylessArguments(variables: Record<string, string>): string[] {
  assert.equal(job.script.length, 1);
  const argv = words(job.script[0]!, variables);
  assert.deepEqual(argv.slice(0, 3), ['npx', '--yes', '--package']);
  assert.equal(argv[3], variables.KEYLESS_PACKAGE);
  const at = argv.indexOf('keyless');
  assert.equal(argv[at - 1], '--', 'npx runs the package\'s keyless bin');
  return argv.slice(at + 1);
}

describe('templates/keyless.gitlab-ci.yml', () => {
  before(() => assertBuilt());

  test('one job whose script writes the file its artifacts hand GitLab as the SAST report', () => {
    const args = keylessArguments(template.variables);
    const parsed = parseScanArguments(args);
    assert.equal(parsed.kind, 'scan');
    if (parsed.kind !== 'scan') return;
    assert.equal(parsed.options.format, 'gitlab');
    assert.ok((FORMATS as readonly string[]).includes(parsed.options.format));
    assert.equal(parsed.options.output, job.artifacts.reports.sast);
    assert.equal(job.artifacts.reports.sast, 'gl-sast-report.json');
    assert.equal(job.artifacts.when, 'always', 'the report is kept when the job fails on a finding');
    assert.deepEqual(parsed.options.paths, ['.']);
    assert.equal(parsed.options.failOn, 'never');
    assert.match(template.variables.KEYLESS_PACKAGE!, /keyless-\d+\.\d+\.\d+\.tgz$/);
  });

  test('KEYLESS_ARGS adds options, KEYLESS_FAIL_ON and KEYLESS_PATH are used', () => {
    const parsed = parseScanArguments(keylessArguments({ ...template.variables, KEYLESS_ARGS: '--config ci/keyless.yaml --quiet', KEYLESS_FAIL_ON: 'error', KEYLESS_PATH: 'infra dir' }));
    assert.equal(parsed.kind, 'scan');
    if (parsed.kind !== 'scan') return;
    assert.equal(parsed.options.config, 'ci/keyless.yaml');
    assert.equal(parsed.options.quiet, true);
    assert.equal(parsed.options.failOn, 'error');
    assert.deepEqual(parsed.options.paths, ['infra dir']);
  });

  const SCHEMA = 'schemas/gitlab-sast-report-format-15.1.4.json';
  test('the script, run in a project, writes a report valid against GitLab\'s schema', { skip: unlessShared(SCHEMA, 'the template\'s report against the SAST schema') }, async () => {
    const project = workspace({ 'infra/main.tf': fixture('provider.tf'), '.gitlab-ci.yml': 'include:\n  - local: keyless.gitlab-ci.yml\n' });
    const run = await runCli(keylessArguments(template.variables), { cwd: project });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(project, job.artifacts.reports.sast), 'utf8')) as { vulnerabilities: unknown[] };
    assert.equal(report.vulnerabilities.length, 2);
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(JSON.parse(fs.readFileSync(sharedPath(SCHEMA), 'utf8')) as object);
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  });
});
