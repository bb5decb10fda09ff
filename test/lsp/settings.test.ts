import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSettings } from '../../server/src/lsp/settings';

// keyless.oidc.* arrive with their defaults whether or not the user set them: a default must leave
// .keyless.yaml's oidc: section in charge.

describe('keyless.oidc settings', () => {
  test('defaults (false, 0, 0) add no oidc layer', () => {
    const read = readSettings({ enable: true, rules: {}, ignore: [], oidc: { immutableSubjects: false, githubOwnerId: 0, githubRepositoryId: 0 } });
    assert.deepEqual(read.problems, []);
    assert.equal('oidc' in read.config, false);
  });

  test('set values become the layer over .keyless.yaml', () => {
    const read = readSettings({ oidc: { immutableSubjects: true, githubOwnerId: 1234567, githubRepositoryId: 89012345 } });
    assert.deepEqual(read.config.oidc, { immutableSubjects: true, githubOwnerId: '1234567', githubRepositoryId: '89012345' });
  });

  test('bad values are problems, the rest apply', () => {
    const read = readSettings({ oidc: { immutableSubjects: 'yes', githubOwnerId: 1.5, githubRepositoryId: 7 } });
    assert.deepEqual(read.problems, ['keyless.oidc.immutableSubjects must be true or false', 'keyless.oidc.githubOwnerId must be the numeric id GitHub gives it']);
    assert.deepEqual(read.config.oidc, { githubRepositoryId: '7' });
    assert.deepEqual(readSettings({ oidc: 3 }).problems, ['keyless.oidc must be an object']);
  });
});

describe('keyless.diagnostics.scope', () => {
  test('workspace by default; openFiles when set; anything else is a problem and the default', () => {
    assert.equal(readSettings({}).scope, 'workspace');
    assert.equal(readSettings(undefined).scope, 'workspace');
    assert.equal(readSettings({ diagnostics: { scope: 'openFiles' } }).scope, 'openFiles');
    const bad = readSettings({ diagnostics: { scope: 'everything' } });
    assert.equal(bad.scope, 'workspace');
    assert.deepEqual(bad.problems, ['keyless.diagnostics.scope must be "workspace" or "openFiles"']);
  });
});
