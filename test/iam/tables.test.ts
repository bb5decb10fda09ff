import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AWS_CLI_OPERATIONS, type AwsCliOperation, type Permission } from '../../server/src/iam/command-actions';
import * as tables from '../../server/src/iam/command-actions';
import { AWS_PROGRAMS } from '../../server/src/iam/aws-programs';
import { ACTION_TOKEN_NEEDS, COMMAND_TOKEN_NEEDS, scopeLevels, TOKEN_SCOPES, UNTRUSTED_TRIGGERS } from '../../server/src/iam/github-token';

/**
 * The IAM tables are data: these checks hold their shape, so that a typo in a row (an action
 * without its service prefix, a statement id IAM rejects) fails here and not in a generated policy.
 */

const ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$/;
/** IAM statement ids: alphanumeric only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html). */
const SID = /^[A-Z][A-Za-z0-9]*$/;

function permissionsOf(row: AwsCliOperation): Permission[] {
  switch (row.on) {
    case 'nothing':
      return [];
    case 's3-transfer':
      return [row.read, row.write, { sid: row.write.sid, actions: Object.values(row.writeWithOption).flat() }];
    case 's3-listing':
      return [row.grant, row.withoutUrl];
    case 'lambda-function':
      return [row.grant, { sid: row.grant.sid, actions: Object.values(row.withOption ?? {}).flat() }];
    default:
      return [row.grant];
  }
}

const isPermission = (value: unknown): value is Permission => typeof value === 'object' && value !== null && 'sid' in value && 'actions' in value;

describe('command → action tables', () => {
  const permissions: [string, Permission][] = [
    ...Object.entries(tables).filter((entry): entry is [string, Permission] => isPermission(entry[1])),
    ...Object.entries(AWS_CLI_OPERATIONS).flatMap(([key, row]) => permissionsOf(row).map((p): [string, Permission] => [key, p])),
  ];

  test('every action is service:Action, every statement id is one IAM accepts', () => {
    assert.ok(permissions.length > 30);
    for (const [where, permission] of permissions) {
      assert.match(permission.sid, SID, where);
      for (const action of permission.actions) assert.match(action, ACTION, `${where}: ${action}`);
    }
  });

  test('AWS CLI rows are keyed `service operation`, in the CLI\'s lower-case spelling', () => {
    for (const key of Object.keys(AWS_CLI_OPERATIONS)) assert.match(key, /^[a-z0-9-]+ [a-z0-9-]+$/);
  });

  test('AWS programs are command names', () => {
    for (const program of AWS_PROGRAMS) assert.match(program, /^[a-z][a-z0-9-]*$/);
    for (const program of ['aws', 'sam', 'cdk', 'terraform', 'tofu', 'pulumi']) assert.ok(AWS_PROGRAMS.has(program), program);
  });
});

describe('GITHUB_TOKEN tables (iam/github-token.ts)', () => {
  const levelsOf = (scopes: Readonly<Record<string, string>>): [string, string][] => Object.entries(scopes);

  test('every scope a row needs is one GitHub knows, at a level it accepts', () => {
    const rows = [...ACTION_TOKEN_NEEDS.map((r) => [r.action, r.scopes] as const), ...COMMAND_TOKEN_NEEDS.map((r) => [r.words.join(' '), r.scopes] as const)];
    for (const [where, scopes] of rows) {
      for (const [scope, level] of levelsOf(scopes)) {
        const known = TOKEN_SCOPES[scope];
        assert.ok(known, `${where}: ${scope} is no scope of permissions:`);
        assert.ok((scopeLevels(known) as string[]).includes(level), `${where}: ${scope}: ${level}`);
      }
    }
  });

  test('actions are owner/repo[/path] in lower case, and every row names its source', () => {
    for (const row of ACTION_TOKEN_NEEDS) {
      assert.match(row.action, /^[a-z0-9-]+\/[a-z0-9._-]+(?:\/[a-z0-9._/-]+)?$/, row.action);
      assert.ok(row.source.length > 10, `${row.action}: a source`);
    }
    for (const row of COMMAND_TOKEN_NEEDS) assert.ok(row.source.length > 10 && row.verbs.length > 0, row.words.join(' '));
  });

  test('the untrusted triggers are zizmor\'s dangerous-triggers set', () => {
    assert.deepEqual(Object.keys(UNTRUSTED_TRIGGERS).sort(), ['issue_comment', 'pull_request_target', 'workflow_run']);
  });
});
