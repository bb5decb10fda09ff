import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { mergeConfigs, parseConfig, pathMatcher } from '../../server/src/engine/config';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const PROVIDER = 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n';

describe('.keyless.yaml', () => {
  test('rules: off disables, a severity overrides', () => {
    const { config, problems } = parseConfig('rules:\n  hardcoded-secret: off\n  provider-static-credentials: warning\n');
    assert.deepEqual(problems, []);
    const findings = engine.analyze({ path: 'main.tf', text: PROVIDER }, { config }).findings;
    assert.deepEqual(findings.map((f) => `${f.rule}:${f.severity}`), ['provider-static-credentials:warning']);
  });

  test('`false` reads as off', () => {
    const { config } = parseConfig('rules:\n  hardcoded-secret: false\n');
    assert.equal(config.rules['hardcoded-secret'], 'off');
  });

  test('problems name the line and column, and valid entries still apply', () => {
    const { config, problems } = parseConfig('rules:\n  no-such-rule: off\n  long-lived-key: loud\n  hardcoded-secret: info\nignored: []\nignore: 42\n');
    assert.deepEqual(
      problems.map((p) => `${p.position.line + 1}:${p.position.character + 1} ${p.message}`),
      [
        '2:3 unknown rule "no-such-rule"',
        '3:19 rule "long-lived-key": expected off, error, warning or info',
        '5:1 unknown key "ignored" (expected "rules", "ignore" or "oidc")',
        '6:9 "ignore" must be a list of glob patterns',
      ],
    );
    assert.deepEqual(config.rules, { 'hardcoded-secret': 'info' });
  });

  test('broken YAML is a problem, not an exception', () => {
    const { config, problems } = parseConfig('rules: [\n');
    assert.ok(problems.length > 0);
    assert.match(problems[0]!.message, /not valid YAML/);
    assert.deepEqual(config.rules, {});
  });

  test('a config that is not a mapping is a problem', () => {
    const { problems } = parseConfig('- rules\n');
    assert.equal(problems.length, 1);
  });

  test('layers merge rule by rule; ignore lists add up', () => {
    const merged = mergeConfigs({ rules: { a: 'off', b: 'info' }, ignore: ['x'] }, { rules: { b: 'error' }, ignore: ['y'] });
    assert.deepEqual(merged, { rules: { a: 'off', b: 'error' }, ignore: ['x', 'y'] });
  });
});

describe('ignore globs', () => {
  const matches = pathMatcher(['vendor', 'test/fixtures/**', '*.generated.tf', 'docs/']);
  for (const [path, expected] of [
    ['vendor/mod/main.tf', true],
    ['vendor', true],
    ['test/fixtures/a/b.yml', true],
    ['test/other.yml', false],
    ['infra/x.generated.tf', true],
    ['infra/x.tf', false],
    ['docs/example.yaml', true],
    ['.github/workflows/ci.yml', false],
  ] as const) {
    test(`${path} → ${expected ? 'ignored' : 'scanned'}`, () => assert.equal(matches(path), expected));
  }
  test('no globs ignore nothing', () => assert.equal(pathMatcher([])('a/b'), false));
});

describe('.keyless.yaml oidc:', () => {
  test('immutable subjects and GitHub ids (bare or quoted digits)', () => {
    const { config, problems } = parseConfig('oidc:\n  immutable-subjects: true\n  github-owner-id: 1234567\n  github-repository-id: "89012345"\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.oidc, { immutableSubjects: true, githubOwnerId: '1234567', githubRepositoryId: '89012345' });
  });

  test('problems name the line; the valid fields still apply', () => {
    const { config, problems } = parseConfig('oidc:\n  immutable-subjects: yes please\n  github-owner-id: -3\n  github-repository-id: 42\n  github-org: acme\n');
    assert.deepEqual(
      problems.map((p) => `${p.position.line + 1}:${p.position.character + 1} ${p.message}`),
      [
        '2:23 oidc "immutable-subjects": expected true or false',
        '3:20 oidc "github-owner-id": expected the numeric id GitHub gives it (digits only)',
        '5:3 unknown key "github-org" under "oidc" (expected "immutable-subjects", "github-owner-id", "github-repository-id")',
      ],
    );
    assert.deepEqual(config.oidc, { githubRepositoryId: '42' });
    assert.equal(parseConfig('oidc: [1]\n').problems.length, 1);
  });

  test('a config without oidc: has none; layers merge it field by field', () => {
    assert.equal('oidc' in parseConfig('rules: {}\n').config, false);
    const merged = mergeConfigs({ rules: {}, ignore: [], oidc: { immutableSubjects: true, githubOwnerId: '1' } }, { rules: {}, ignore: [] }, { rules: {}, ignore: [], oidc: { githubOwnerId: '2' } });
    assert.deepEqual(merged.oidc, { immutableSubjects: true, githubOwnerId: '2' });
    assert.equal('oidc' in mergeConfigs({ rules: {}, ignore: [] }, { rules: {}, ignore: [] }), false);
  });
});
