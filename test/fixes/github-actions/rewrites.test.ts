import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { readWorkflow } from '../../../server/src/dialects/github-actions/model';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/facts/workspace';
import type { FederationPlan, FederationRequest, PlanFederation } from '../../../server/src/fixes/federation/federation';
import type { FixProposal } from '../../../server/src/fixes/fixer';
import { tokenSubject } from '../../../server/src/dialects/github-actions/subject';
import { CloudSide } from '../../../server/src/fixes/github-actions/context';
import { grantIdToken } from '../../../server/src/fixes/github-permissions';
import { applyEdits } from '../../../server/src/fixes/text';
import { parseYaml } from '../../../server/src/syntax/yaml';
import { caseInput, fakePlanner, fixerProposals } from '../../rules/fix-harness';

/** What the rewrites ask the cloud side, where they decline, and how they read the workspace. */
const CLOUD = 'static-cloud-credentials';
const REGISTRY = 'static-registry-token';
/** The workflow of a GitHub fix case (test/rules/<rule>/fixes/github-<case>/). */
const read = (name: string, rule = CLOUD): string => caseInput(rule, `github-${name}`);

/** Every rewrite of `rule` built with `plan`, finding by finding. */
function proposals(plan: PlanFederation, rule: string, file: string, text: string, workspace?: WorkspaceContext): { line: number; proposal: FixProposal }[] {
  return fixerProposals(rule, file, text, plan, workspace).flatMap((f) => f.proposals.map((proposal) => ({ line: f.line, proposal })));
}

/** The workflow once the proposal is applied (its own edits only). */
function applied(text: string, proposal: FixProposal): string {
  return applyEdits(text, proposal.edits.filter((e) => e.path === undefined));
}

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function workflowOf(text: string) {
  return readWorkflow(parseYaml(text).documents[0]!.root)!;
}

describe('the request to the cloud side', () => {
  test('names the job, its environment, its region and what it runs', () => {
    const planner = fakePlanner('none');
    proposals(planner, CLOUD, '.github/workflows/deploy.yml', read('aws-action.none'));
    assert.equal(planner.requests.length, 1);
    const [request] = planner.requests as [FederationRequest];
    assert.deepEqual({ cloud: request.cloud, issuer: request.issuer, subject: request.subject, job: request.job, region: request.region }, {
      cloud: 'aws',
      issuer: 'github',
      subject: { kind: 'environment', name: 'production' },
      job: { name: 'deploy', file: '.github/workflows/deploy.yml' },
      region: 'eu-west-1',
    });
    assert.deepEqual(request.usage.commands, [['aws', 's3', 'sync', './site', 's3://example-site', '--delete']]);
    assert.deepEqual(request.usage.actions.map((a) => a.action), ['actions/checkout', 'aws-actions/configure-aws-credentials']);
    assert.deepEqual(request.usage.actions[1]!.inputs, { 'aws-region': 'eu-west-1' }, 'expressions (the keys) are not literal inputs');
  });

  test('a workflow run only on push to one branch names that branch', () => {
    const planner = fakePlanner('none');
    proposals(planner, CLOUD, 'x.yml', read('aws-action-style.none'));
    assert.deepEqual(planner.requests.map((r) => r.subject), [{ kind: 'branch', name: 'release' }]);
  });

  test('keys for the whole workflow: one request per job that gets a login, with the region in scope', () => {
    const planner = fakePlanner('reuse');
    const [first] = proposals(planner, CLOUD, 'x.yml', read('env-workflow.none'));
    assert.ok(first);
    assert.deepEqual(planner.requests.map((r) => [r.job.name, r.subject, r.region]), [['plan', { kind: 'environment', name: 'staging' }, 'eu-west-1']]);
    assert.deepEqual(planner.requests[0]!.usage.commands, [['terraform', 'plan', '-out', 'plan.tfplan']]);
  });

  test('a literal that looks like a credential never reaches the plan', () => {
    const text = read('aws-action.none').replace('${{ secrets.AWS_ACCESS_KEY_ID }}', 'AKIAIOSFODNN7EXAMPLE').replace('${{ secrets.AWS_SECRET_ACCESS_KEY }}', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const planner = fakePlanner('none');
    proposals(planner, CLOUD, 'x.yml', text);
    assert.deepEqual(planner.requests[0]!.usage.actions[1]!.inputs, { 'aws-region': 'eu-west-1' });
  });
});

describe('subject scope', () => {
  const scope = (on: string, job = ''): unknown => {
    const workflow = workflowOf(`on: ${on}\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}    steps:\n      - run: echo\n`);
    return tokenSubject(workflow, workflow.jobs[0]!);
  };
  test('environment first, then a single pushed branch, else unknown', () => {
    assert.deepEqual(scope('{ push: { branches: [main] } }'), { kind: 'branch', name: 'main' });
    assert.deepEqual(scope('{ push: { branches: main, paths: [src/**] } }'), { kind: 'branch', name: 'main' });
    assert.deepEqual(scope('{ push: { branches: [main] } }', '    environment: { name: prod, url: https://x }\n'), { kind: 'environment', name: 'prod' });
    assert.deepEqual(scope('[push, pull_request]', '    environment: prod\n'), { kind: 'environment', name: 'prod' });
    for (const on of ['push', '[push]', '{ push: { branches: [main, dev] } }', "{ push: { branches: ['release/*'] } }", '{ push: { branches: [main], tags: [v*] } }', '{ push: { branches: [main] }, workflow_dispatch: {} }', '{ push: { branches-ignore: [dev] } }', 'pull_request']) {
      assert.deepEqual(scope(on), { kind: 'unknown' }, on);
    }
    assert.deepEqual(scope('{ push: { branches: [main] } }', '    environment: ${{ inputs.env }}\n'), { kind: 'unknown' }, 'an environment chosen at run time');
  });
});

describe('where no rewrite is offered', () => {
  test('flow-style inputs, keys from a matrix, a Vault mount path, script logins', () => {
    const text = read('no-fix');
    const report = engine.analyze({ path: '.github/workflows/no-fix.yml', text });
    assert.equal(report.findings.filter((f) => f.rule === CLOUD).length, 5, 'each is still reported');
    assert.deepEqual(proposals(fakePlanner('reuse'), CLOUD, 'x.yml', text).map((p) => p.line), []);
  });

  test('a composite action: its callers decide the permissions and the identity', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'rules', 'static-cloud-credentials', 'fixtures', 'vulnerable-composite-action', 'action.yml'), 'utf8');
    assert.deepEqual(proposals(fakePlanner('reuse'), CLOUD, 'action.yml', text), []);
  });

  test('keys of a step with keys around it: the outer keys are fixed first', () => {
    const text = read('env-step.reuse').replace('    permissions:', '    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n      AWS_SECRET_ACCESS_KEY: ${{ secrets.S }}\n    permissions:');
    const offered = proposals(fakePlanner('none'), CLOUD, 'x.yml', text);
    assert.deepEqual(offered.map((p) => p.line), [7], 'only the job-level keys');
  });

  test('a token something else reads, or a publish to another registry relies on, stays', () => {
    const offered = proposals(fakePlanner('none'), REGISTRY, 'x.yml', read('publish-npm.none', REGISTRY));
    assert.deepEqual(offered.map((p) => p.line), [15, 21]);
  });

  test('twine, JS-DevTools/npm-publish and .npmrc tokens have no rewrite', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'rules', 'static-registry-token', 'fixtures', '.github', 'workflows', 'vulnerable-2-publish-actions.yml'), 'utf8');
    const offered = proposals(fakePlanner('none'), REGISTRY, 'x.yml', text);
    assert.deepEqual(offered.map((p) => p.proposal.title.split(' (')[0]), ['Publish to PyPI with trusted publishing', 'Publish to RubyGems with trusted publishing']);
  });
});

describe('rewrites and the rest of the file', () => {
  test('literal keys removed with their env block take their hardcoded-secret finding with them', () => {
    const text = read('env-job.none');
    assert.ok(engine.analyze({ path: 'w.yml', text }).findings.some((f) => f.rule === 'hardcoded-secret'));
    const [first] = proposals(fakePlanner('none'), CLOUD, 'w.yml', text);
    const after = engine.analyze({ path: 'w.yml', text: applied(text, first!.proposal) });
    assert.deepEqual(after.findings.filter((f) => f.rule === 'hardcoded-secret' || f.rule === CLOUD), []);
  });

  test('a Vault role the workspace already logs in with is reused', () => {
    const other = 'on: push\njobs:\n  read:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: hashicorp/vault-action@v3\n        with:\n          url: https://vault.example.com\n          method: jwt\n          role: ci-reader\n';
    const facts = engine.facts({ path: '.github/workflows/read.yml', text: other })!;
    const workspace: WorkspaceContext = { files: new Map<string, WorkspaceFile>([['.github/workflows/read.yml', { ...facts, text: other }]]), immutableSubjects: false };
    const [first] = proposals(fakePlanner('none'), CLOUD, 'x.yml', read('vault.none'), workspace);
    assert.match(first!.proposal.followUps!.join('\n'), /role "ci-reader", as elsewhere in the workspace/);
    assert.match(applied(read('vault.none'), first!.proposal), /\n {10}role: ci-reader\n/);
  });

  test('a plan that edits a file the workspace does not have is not used', () => {
    const plan: FederationPlan = { identity: { cloud: 'aws', roleArn: 'arn:aws:iam::1:role/x', roleName: 'x' }, reused: false, creates: [], edits: [{ path: 'infra/missing.tf', span: { start: 0, end: 0 }, newText: 'x' }], notes: [] };
    const [first] = proposals(() => plan, CLOUD, 'x.yml', read('aws-action.none'));
    assert.match(first!.proposal.followUps!.join('\n'), /^Set the repository variable AWS_ROLE_ARN\b/);
    assert.deepEqual(first!.proposal.edits.filter((e) => e.path !== undefined), []);
  });

  test("several jobs' plans: any number reused, one written (a second would declare the OIDC provider again)", () => {
    const cloud = new CloudSide();
    const plan = (reused: boolean, path: string): FederationPlan => ({ identity: { cloud: 'aws', roleArn: 'a', roleName: 'a' }, reused, creates: reused ? [] : [{ path, text: 'x' }], edits: [], notes: ['n'] });
    assert.ok(cloud.add(plan(true, '')));
    assert.ok(cloud.add(plan(false, 'infra/a.tf')));
    assert.ok(cloud.add(plan(true, '')));
    assert.ok(!cloud.add(plan(false, 'infra/b.tf')));
    assert.deepEqual([cloud.creates.map((c) => c.path), cloud.notes], [['infra/a.tf'], ['n']]);
    const [first] = proposals(fakePlanner('write'), CLOUD, 'x.yml', read('env-workflow.none').replace('  backup:', '  backup:\n    env: {}\n  restore:\n    runs-on: ubuntu-latest\n    steps:\n      - run: aws s3 ls\n  unused:'));
    assert.equal(first!.proposal.title, 'Replace the AWS keys with OIDC login steps in jobs "plan", "restore"');
    // One job's role is written (review and apply it), the other's comes from a repository variable.
    assert.deepEqual(first!.proposal.followUps!.filter((note) => /^(?:Review|Set)/.test(note)), [
      "Set the repository variable AWS_ROLE_ARN (the ARN of the role to assume): the rewritten job reads it, and the identity it names must trust this repository's OIDC tokens.",
      'Set var.aws_account_id.',
      'Review infra/gha-plan-staging.tf (created), then apply it with terraform apply, before the job next runs.',
    ]);
    assert.deepEqual(first!.proposal.creates?.map((c) => c.path), ['infra/gha-plan-staging.tf']);
  });
});

describe('the permission grant shared with oidc-missing-id-token-permission', () => {
  const grant = (permissions: string, contentsRead: boolean): string => {
    const text = `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n${permissions}    steps:\n      - run: echo\n`;
    const workflow = workflowOf(text);
    const result = grantIdToken(text, workflow, workflow.jobs[0]!, { contentsRead });
    return result ? applyEdits(text, result.edits).split('\n').slice(4, -3).join('\n') : 'none';
  };
  test('without contents: read, as the hygiene fix asks', () => {
    assert.equal(grant('    permissions: {}\n', false), '    permissions: { id-token: write }');
    assert.equal(grant('    permissions: { packages: read }\n', false), '    permissions: { packages: read, id-token: write }');
    assert.equal(grant('    permissions:\n      packages: read\n', false), '    permissions:\n      id-token: write\n      packages: read');
  });
  test('with contents: read, as a cloud login asks', () => {
    assert.equal(grant('    permissions: {}\n', true), '    permissions: { id-token: write, contents: read }');
    assert.equal(grant('    permissions:\n      contents: none\n', true), '    permissions:\n      id-token: write\n      contents: read');
    assert.equal(grant('    permissions:\n      contents: write\n      id-token: read\n', true), '    permissions:\n      contents: write\n      id-token: write');
    assert.equal(grant('    permissions:\n      id-token: write\n', true), '    permissions:\n      id-token: write', 'nothing edited for contents alone');
    assert.equal(grant('', true), '    permissions:\n      id-token: write\n      contents: read', 'inferred defaults');
  });
});
