import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import { RULES } from '../../server/src/rules';
import { sharedPath, unlessShared } from '../shared';
import { assertBuilt, fixture, REPO_ROOT, runCli, workspace } from './helpers';

// The three report formats: the JSON contract field by field, SARIF against the official schema,
// the text layout; and --output.

/** Files whose finding positions are known line by line (see the comments in the fixtures). */
function sampleWorkspace(): string {
  return workspace({
    'infra/main.tf': fixture('provider.tf'),
    'infra/broken.tf': fixture('broken.tf'),
    '.github/workflows/deploy.yml': fixture('workflow.yml'),
    '.github/workflows/release.yml': fixture('publish.yml'),
    '.keyless.yaml': 'rules:\n  long-lived-key: info\n',
  });
}

describe('keyless scan: report formats', { concurrency: true }, () => {
  let cwd: string;
  before(() => {
    assertBuilt();
    cwd = sampleWorkspace();
  });

  test('json: exactly the contract fields, 1-based positions, paths relative to the current folder', async () => {
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    // The fingerprint's definition is test/engine/fingerprint.test.ts's: here, that it is there.
    const fingerprintOf = (i: number): string => {
      const fingerprint = (report.findings as { fingerprint: string }[])[i]!.fingerprint;
      assert.match(fingerprint, /^[0-9a-f]{20}$/);
      return fingerprint;
    };
    assert.deepEqual(report, {
      version: 1,
      findings: [
        {
          rule: 'static-cloud-credentials',
          severity: 'error',
          file: '.github/workflows/deploy.yml',
          line: 11,
          column: 9,
          endLine: 11,
          endColumn: 55,
          message: (report.findings as { message: string }[])[0]!.message,
          related: [
            { file: '.github/workflows/deploy.yml', line: 13, column: 11, message: 'aws-access-key-id: part of the same credential' },
            { file: '.github/workflows/deploy.yml', line: 14, column: 11, message: 'aws-secret-access-key: part of the same credential' },
          ],
          fingerprint: fingerprintOf(0),
        },
        {
          rule: 'static-registry-token',
          severity: 'warning',
          file: '.github/workflows/release.yml',
          line: 17,
          column: 11,
          endLine: 17,
          endColumn: 52,
          message: (report.findings as { message: string }[])[1]!.message,
          related: [],
          fingerprint: fingerprintOf(1),
        },
        {
          rule: 'long-lived-key',
          severity: 'info',
          file: 'infra/broken.tf',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 37,
          message: (report.findings as { message: string }[])[2]!.message,
          related: [],
          fingerprint: fingerprintOf(2),
        },
        {
          rule: 'provider-static-credentials',
          severity: 'error',
          file: 'infra/main.tf',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 17,
          message: (report.findings as { message: string }[])[3]!.message,
          related: [
            { file: 'infra/main.tf', line: 5, column: 3, message: 'access_key: a static credential argument' },
            { file: 'infra/main.tf', line: 6, column: 3, message: 'secret_key: a static credential argument' },
          ],
          fingerprint: fingerprintOf(3),
        },
        {
          rule: 'hardcoded-secret',
          severity: 'error',
          file: 'infra/main.tf',
          line: 5,
          column: 17,
          endLine: 5,
          endColumn: 37,
          message: (report.findings as { message: string }[])[4]!.message,
          related: [{ file: 'infra/main.tf', line: 6, column: 17, message: 'AWS secret access key "wJal…EY"' }],
          fingerprint: fingerprintOf(4),
        },
      ],
      errors: [{ file: 'infra/broken.tf', message: 'syntax error at 8:1: missing }' }],
    });
    for (const f of report.findings as { message: string }[]) assert.ok(f.message.length > 20, f.message);
  });

  test('--output writes the report to the file and nothing to stdout', async () => {
    // A workspace of its own: the reports land in it, and the other tests scan theirs meanwhile.
    const cwd = sampleWorkspace();
    fs.mkdirSync(path.join(cwd, 'out'));
    const json = await runCli(['scan', '--format', 'json', '--output', 'out/report.json'], { cwd });
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    const written = JSON.parse(fs.readFileSync(path.join(cwd, 'out', 'report.json'), 'utf8')) as { version: number; findings: unknown[] };
    assert.equal(written.version, 1);
    assert.equal(written.findings.length, 5);

    const text = await runCli(['scan', '-o', 'out/report.txt', 'infra', '.github'], { cwd });
    assert.equal(text.stdout, '');
    assert.match(fs.readFileSync(path.join(cwd, 'out', 'report.txt'), 'utf8'), /^\.github\/workflows\/deploy\.yml:11:9 error static-cloud-credentials /);
    assert.match(text.stderr, /5 findings \(3 errors, 1 warning, 1 info\) in 4 files\n$/);
  });

  test('--output to a place that cannot be written exits 2', async () => {
    const run = await runCli(['scan', '--format', 'json', '--output', 'no/such/folder/report.json'], { cwd });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^keyless: cannot write no\/such\/folder\/report\.json: no such file or directory$/m);
  });

  const SARIF_SCHEMA = 'schemas/sarif-schema-2.1.0.json';
  test('sarif: valid against the SARIF 2.1.0 schema', { skip: unlessShared(SARIF_SCHEMA, 'SARIF output against the official schema') }, async () => {
    const schemaFile = sharedPath(SARIF_SCHEMA);
    const run = await runCli(['scan', '--format', 'sarif'], { cwd });
    assert.equal(run.code, 1);
    const log = JSON.parse(run.stdout) as object;
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  test('sarif: driver, rules, results, locations and notifications', async () => {
    const run = await runCli(['scan', '--format', 'sarif'], { cwd });
    const log = JSON.parse(run.stdout) as SarifLog;
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [sarifRun] = log.runs;
    const driver = sarifRun!.tool.driver;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; homepage: string };
    assert.equal(driver.name, 'Keyless');
    assert.equal(driver.version, pkg.version);
    assert.equal(driver.informationUri, pkg.homepage);
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    const secretRule = driver.rules.find((r) => r.id === 'hardcoded-secret')!;
    assert.equal(secretRule.name, 'HardcodedSecret');
    assert.equal(secretRule.shortDescription.text, RULES.find((r) => r.id === 'hardcoded-secret')!.title);
    assert.ok(secretRule.fullDescription.text.length > 0);
    assert.equal(secretRule.helpUri, 'https://github.com/keyless-dev/keyless/blob/main/docs/rules/hardcoded-secret.md');
    assert.ok(secretRule.help.text.length > 0);
    assert.deepEqual(secretRule.defaultConfiguration, { level: 'error' });
    assert.deepEqual(secretRule.properties, { tags: ['security'], 'security-severity': '8.0' });
    const registryRule = driver.rules.find((r) => r.id === 'static-registry-token')!;
    assert.deepEqual(registryRule.defaultConfiguration, { level: 'warning' });
    assert.equal(registryRule.properties['security-severity'], '5.0');

    assert.equal(sarifRun!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(cwd).href}/`);
    assert.deepEqual(
      sarifRun!.results.map((r) => [r.ruleId, driver.rules[r.ruleIndex]!.id, r.level]),
      [
        ['static-cloud-credentials', 'static-cloud-credentials', 'error'],
        ['static-registry-token', 'static-registry-token', 'warning'],
        ['long-lived-key', 'long-lived-key', 'note'],
        ['provider-static-credentials', 'provider-static-credentials', 'error'],
        ['hardcoded-secret', 'hardcoded-secret', 'error'],
      ],
    );
    const secret = sarifRun!.results[4]!;
    assert.deepEqual(secret.locations, [
      { physicalLocation: { artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 17, endLine: 5, endColumn: 37 } } },
    ]);
    assert.deepEqual(secret.relatedLocations, [
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 6, startColumn: 17, endLine: 6, endColumn: 57 } },
        message: { text: 'AWS secret access key "wJal…EY"' },
      },
    ]);
    assert.ok(secret.message.text.startsWith('AWS access key id "AKIA…LE"'));
    assert.deepEqual(sarifRun!.invocations[0], {
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'warning',
          message: { text: 'infra/broken.tf: syntax error at 8:1: missing }' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'infra/broken.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 8, startColumn: 1, endLine: 8, endColumn: 1 } } }],
        },
      ],
    });
  });

  test('sarif: fingerprints hash rule, file and line text, so they survive lines moving', async () => {
    const before = workspace({ 'main.tf': fixture('provider.tf'), 'copy.tf': fixture('provider.tf') });
    const moved = workspace({ 'main.tf': `\n\n# moved down\n${fixture('provider.tf')}`, 'copy.tf': fixture('provider.tf') });
    const fingerprints = async (dir: string): Promise<string[]> => {
      const log = JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: dir })).stdout) as SarifLog;
      return log.runs[0]!.results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    };
    const a = await fingerprints(before);
    const b = await fingerprints(moved);
    assert.equal(a.length, 4);
    assert.deepEqual(b, a);
    assert.equal(new Set(a).size, 4, 'different files and rules hash differently');
    for (const f of a) assert.match(f, /^[0-9a-f]{16}:1$/);
  });

  test('text: file:line:col severity rule message, the line with an underline, related places; summary on stderr', async () => {
    const run = await runCli(['scan', 'infra/main.tf'], { cwd });
    assert.equal(run.code, 1);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^infra\/main\.tf:3:1 error provider-static-credentials Provider "aws" is configured with static credentials \(access_key, secret_key\)\. /);
    assert.deepEqual(lines.slice(1, 6), [
      '  3 | provider "aws" {',
      '    | ^^^^^^^^^^^^^^^^',
      '    = related infra/main.tf:5:3: access_key: a static credential argument',
      '    = related infra/main.tf:6:3: secret_key: a static credential argument',
      '',
    ]);
    assert.match(lines[6]!, /^infra\/main\.tf:5:17 error hardcoded-secret AWS access key id "AKIA…LE" with its secret access key is written in the file/);
    assert.deepEqual(lines.slice(7), [
      '  5 |   access_key = "AKIA**************LE"',
      '    |                 ^^^^^^^^^^^^^^^^^^^^',
      '    = related infra/main.tf:6:17: AWS secret access key "wJal…EY"',
      '',
    ]);
    assert.equal(run.stderr, '2 findings (2 errors) in 1 file\n');
    assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });

  test('text: file problems on stderr before the summary; no findings prints an empty report', async () => {
    const broken = await runCli(['scan', 'infra/broken.tf', '--fail-on', 'info'], { cwd });
    assert.equal(broken.code, 1);
    assert.equal(broken.stderr, 'warning: infra/broken.tf: syntax error at 8:1: missing }\n1 finding (1 info) in 1 file\n');
    const clean = workspace({ 'main.tf': fixture('clean.tf') });
    const run = await runCli(['scan'], { cwd: clean });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'no findings in 1 file\n');
  });
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          helpUri: string;
          help: { text: string; markdown?: string };
          defaultConfiguration: { level: string };
          properties: { tags: string[]; 'security-severity': string };
        }[];
      };
    };
    invocations: object[];
    originalUriBaseIds: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: object[];
      relatedLocations?: object[];
      partialFingerprints: { primaryLocationLineHash: string };
    }[];
  }[];
}
