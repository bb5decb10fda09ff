import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { detectYaml } from '../../server/src/dialects/detect';
import { gitlabAuthentications } from '../../server/src/dialects/gitlab-ci/facts';
import { readPipeline } from '../../server/src/dialects/gitlab-ci/model';
import { githubActionsAuthentications } from '../../server/src/dialects/github-actions/facts';
import { readWorkflow } from '../../server/src/dialects/github-actions/model';
import { Engine, type FileReport } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { awsCatalog } from '../../server/src/workspace/aws-catalog';
import { EMPTY_WORKSPACE, type WorkspaceContext, type WorkspaceFile } from '../../server/src/facts/workspace';
import { emptyFacts, type Authentication } from '../../server/src/facts/model';
import type { RepositoryRef } from '../../server/src/facts/repository';
import type { FederationPlan, FederationRequest, PlanFederation } from '../../server/src/fixes/federation/federation';
import type { Fixer, FixProposal } from '../../server/src/fixes/fixer';
import { propose } from '../../server/src/fixes/propose';
import { applyEdits } from '../../server/src/fixes/text';
import { RULES_BY_ID } from '../../server/src/rules';
import type { RuleFinding } from '../../server/src/rules/rule';
import { federationFixers, staticCloudCredentials } from '../../server/src/rules/static-cloud-credentials';
import { parseYaml } from '../../server/src/syntax/yaml';

/**
 * The fix goldens: one harness for every rule's fixes. A rule's cases sit beside its fixtures, one
 * folder each, `test/rules/<rule>/fixes/<case>/`:
 *
 *   case.json     what the case does:
 *                   rule, file      the rule (its folder's) and the file of the workspace its finding is in;
 *                   one of
 *                     fix           a substring of the title of the one fix to apply;
 *                     fixAll        the first fix offered, again and again until none is left, as "fix
 *                                   all" would: true for the rule's findings, "every rule" for any
 *                                   finding's; `left` lists the lines of the findings it leaves (none
 *                                   when absent);
 *                     noFix         the finding is reported and no fix but "Suppress" is offered: where
 *                                   a fix would be wrong;
 *                   and as the case needs them
 *                     repository, immutableSubjects   the workspace's git remote and subject form;
 *                     planner       "reuse", "write" or "none": a fake cloud side for the CI rewrites;
 *                     safe          whether the applied fixes are safe (false when absent);
 *                     cleared       other rules whose findings in the file the fixes take with them;
 *                     crlf          the case runs once more with CRLF line breaks in input and expected;
 *                     inputFrom     a folder of the repository (`examples`) read in place of `input/`.
 *   input/        the files of the workspace, as written.
 *   expected/     every file the fixes change or create, as it must read afterwards (no other file
 *                 may change).
 *   applied.json  the titles of the fixes applied, in order, what each leaves for a person
 *                 (followUps), and the files they create.
 *
 * A case gets its fixes as the editor and `keyless fix` do: from the engine, with the workspace of
 * the case's files. A case with `planner` cannot (the engine's fixers plan with the real cloud
 * side): it runs the rule's CI rewrites built with a fake planner (`fakePlanner`), with the
 * follow-ups the engine adds to every fix.
 *
 * Every case then holds: the result equals `expected/` and `applied.json` byte for byte; each
 * changed file parses (no more syntax errors than before, the same dialect; created files clean and
 * recognised); the fixed finding is gone (all of them after `fixAll`) and the applied fix is not
 * offered again; no rule reports more in a changed file than before; every comment line of a
 * changed file is still there; edits do not overlap and touch only the workspace's files.
 *
 * `KEYLESS_UPDATE_GOLDEN=1` writes `expected/` and `applied.json` from what the fixes produce
 * instead of comparing (review the diff before committing it).
 */

const UPDATE_GOLDEN = process.env.KEYLESS_UPDATE_GOLDEN === '1';

const RULES_DIR = __dirname;
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

export type PlannerMode = 'reuse' | 'write' | 'none';

export interface CaseConfig {
  description: string;
  rule: string;
  /** The file of the workspace whose findings are fixed. */
  file: string;
  fix?: string;
  fixAll?: true | 'every rule';
  /** With `fixAll`: the lines (1-based, in the fixed file) of the findings no fix takes. */
  left?: number[];
  /** Other rules whose findings in the file the fixes take with them (a rewrite that grants `id-token: write`). */
  cleared?: string[];
  noFix?: boolean;
  repository?: RepositoryRef;
  immutableSubjects?: boolean;
  planner?: PlannerMode;
  safe?: boolean;
  crlf?: boolean;
  inputFrom?: string;
}

export interface FixCase {
  rule: string;
  name: string;
  dir: string;
  config: CaseConfig;
}

/** The cases of one rule, or of every rule. */
export function listFixCases(ruleId?: string): FixCase[] {
  const rules = ruleId ? [ruleId] : fs.readdirSync(RULES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return rules.flatMap((rule) => {
    const fixes = path.join(RULES_DIR, rule, 'fixes');
    if (!fs.existsSync(fixes)) return [];
    return fs
      .readdirSync(fixes, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .map((name) => {
        const dir = path.join(fixes, name);
        return { rule, name, dir, config: JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseConfig };
      });
  });
}

/** The files below `dir`, by their path relative to it (with `/`). */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** A case's files before its fixes, by their path in the workspace. */
export function inputOf(fixCase: FixCase): Map<string, string> {
  return readTree(fixCase.config.inputFrom ? path.join(REPOSITORY_ROOT, fixCase.config.inputFrom) : path.join(fixCase.dir, 'input'));
}

/** The text of a case's file as written in its input: a fixture for unit tests of the same fixer. */
export function caseInput(ruleId: string, name: string): string {
  const fixCase = listFixCases(ruleId).find((c) => c.name === name);
  assert.ok(fixCase, `no fix case ${ruleId}/fixes/${name}`);
  return inputOf(fixCase).get(fixCase.config.file)!;
}

/** The workspace fixes see: every file the engine gives facts for, the repository and subject form of the case. */
export function workspaceOf(engine: Engine, files: ReadonlyMap<string, string>, config: Pick<CaseConfig, 'repository' | 'immutableSubjects'>): WorkspaceContext {
  const indexed = new Map<string, WorkspaceFile>();
  for (const [file, text] of files) {
    const facts = engine.facts({ path: file, text });
    if (facts) indexed.set(file, { ...facts, text });
  }
  return { ...(config.repository ? { repository: config.repository } : {}), files: indexed, immutableSubjects: config.immutableSubjects ?? false };
}

/** A fix as the engine hands it out, positions aside: edits per path, created files among them. */
export interface OfferedFix {
  title: string;
  safe: boolean;
  edits: readonly { path: string; span: { start: number; end: number }; newText: string }[];
  creates?: readonly string[];
  followUps?: readonly string[];
}

/** The files after a fix: edits applied per path, created files added. */
export function applyFix(files: ReadonlyMap<string, string>, fix: OfferedFix): Map<string, string> {
  const after = new Map(files);
  const byPath = new Map<string, OfferedFix['edits'][number][]>();
  for (const edit of fix.edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  for (const [file, edits] of byPath) {
    const created = (fix.creates ?? []).includes(file);
    const before = created ? '' : files.get(file);
    assert.ok(before !== undefined, `the fix edits ${file}, which is not in the workspace`);
    const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.span.end <= sorted[i]!.span.start, `overlapping edits in ${file}`);
    after.set(file, applyEdits(before, edits));
  }
  return after;
}

// --------------------------------------------------------------------------------------------
// A fake cloud side, for the CI rewrites

/**
 * A planner that answers like the cloud side would, and records what it was asked: `reuse` names
 * an identity of the workspace, `write` one it writes in a new file, `none` has no plan (the
 * rewrite falls back to repository or CI/CD variables). Names follow the job's CI platform.
 */
export function fakePlanner(mode: PlannerMode): PlanFederation & { requests: FederationRequest[] } {
  const requests: FederationRequest[] = [];
  const planner = (request: FederationRequest): FederationPlan | undefined => {
    requests.push(request);
    if (mode === 'none') return undefined;
    return request.issuer === 'gitlab' ? gitlabPlan(request, mode) : githubPlan(request, mode);
  };
  return Object.assign(planner, { requests });
}

function githubPlan(request: FederationRequest, mode: 'reuse' | 'write'): FederationPlan {
  const subject = request.subject.kind === 'unknown' ? 'any' : request.subject.name;
  const name = `gha-${request.job.name}-${subject}`;
  const identity: FederationPlan['identity'] =
    request.cloud === 'aws'
      ? { cloud: 'aws', roleArn: `arn:aws:iam::123456789012:role/${name}`, roleName: name }
      : request.cloud === 'gcp'
        ? { cloud: 'gcp', workloadIdentityProvider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github', serviceAccount: `${name}@acme-prod.iam.gserviceaccount.com` }
        : { cloud: 'azure', clientId: '00000000-0000-0000-0000-00000000c1d0', tenantId: '00000000-0000-0000-0000-0000000007e4', subscriptionId: '00000000-0000-0000-0000-00000000503b' };
  return mode === 'reuse'
    ? { identity, reused: true, creates: [], edits: [], notes: [] }
    : { identity, reused: false, creates: [{ path: `infra/${name}.tf`, text: `# trust for ${request.job.file} job ${request.job.name}\n` }], edits: [], notes: ['set var.aws_account_id'] };
}

function gitlabPlan(request: FederationRequest, mode: 'reuse' | 'write'): FederationPlan {
  const scope = request.subject.kind === 'unknown' ? 'any' : request.subject.name;
  const identity: FederationPlan['identity'] =
    request.cloud === 'aws'
      ? { cloud: 'aws', roleArn: `arn:aws:iam::123456789012:role/gitlab-${scope}`, roleName: `gitlab-${scope}` }
      : request.cloud === 'gcp'
        ? { cloud: 'gcp', workloadIdentityProvider: `projects/123456/locations/global/workloadIdentityPools/gitlab/providers/${scope}`, serviceAccount: `deploy-${scope}@acme.iam.gserviceaccount.com` }
        : { cloud: 'azure', clientId: `client-${scope}`, tenantId: 'tenant-1', subscriptionId: 'sub-1' };
  return mode === 'reuse'
    ? { identity, reused: true, creates: [], edits: [], notes: [] }
    : { identity, reused: false, creates: [{ path: `infra/gitlab-oidc-${scope}.tf`, text: `# role for ${request.job.name}\n` }], edits: [], notes: ['the account id is a variable'] };
}

export interface FindingProposals {
  finding: RuleFinding<Authentication>;
  /** 1-based. */
  line: number;
  proposals: FixProposal[];
}

/**
 * The rule's own fixers, with `plan` as the cloud side of those that plan one (the rules hold the
 * real planner): static-cloud-credentials' federation rewrites; any other rule's fixers as they are.
 */
function fixersWith(ruleId: string, plan: PlanFederation): readonly Fixer<Authentication>[] {
  if (ruleId === staticCloudCredentials.id) return federationFixers(plan);
  return RULES_BY_ID.get(ruleId)?.fixers ?? [];
}

/**
 * The CI rewrites of `ruleId` built with `plan`, on every finding of the rule in a GitHub Actions
 * workflow or GitLab pipeline, in the rule's order: what the engine would offer were its planner
 * this one, through the same `propose` (follow-ups, fmt alignment).
 */
export function fixerProposals(ruleId: string, file: string, text: string, plan: PlanFederation, workspace: WorkspaceContext = EMPTY_WORKSPACE): FindingProposals[] {
  const documents = parseYaml(text).documents;
  const { dialect } = detectYaml(file, text, documents.map((d) => d.root));
  assert.ok(dialect === 'github-actions' || dialect === 'gitlab-ci', `${file}: the CI rewrites take a workflow or a pipeline, not ${dialect}`);
  const facts = emptyFacts();
  for (const doc of documents) {
    if (dialect === 'github-actions') {
      const workflow = readWorkflow(doc.root);
      if (workflow) facts.authentications.push(...githubActionsAuthentications(workflow, text));
    } else {
      const pipeline = readPipeline(doc.root);
      if (pipeline) facts.authentications.push(...gitlabAuthentications(pipeline, text));
    }
  }
  const rule = RULES_BY_ID.get(ruleId)!;
  const fixers = fixersWith(ruleId, plan);
  const catalog = awsCatalog();
  return (rule.check({ path: file, dialect, facts, catalog }) as RuleFinding<Authentication>[]).map((finding) => {
    const context = { ruleId, finding, about: finding.about, path: file, text, dialect, workspace, catalog };
    return { finding, line: text.slice(0, finding.span.start).split('\n').length, proposals: fixers.flatMap((fixer) => propose(fixer, context)) };
  });
}

/** A proposal as the engine positions it: this file's edits under its path, created files as edits of empty files. */
function asOffered(file: string, proposal: FixProposal): OfferedFix {
  const created = proposal.creates ?? [];
  return {
    title: proposal.title,
    safe: proposal.safe,
    edits: [...created.map((c) => ({ path: c.path, span: { start: 0, end: 0 }, newText: c.text })), ...proposal.edits.map((e) => ({ path: e.path ?? file, span: e.span, newText: e.newText }))],
    ...(created.length > 0 ? { creates: created.map((c) => c.path) } : {}),
    ...(proposal.followUps && proposal.followUps.length > 0 ? { followUps: proposal.followUps } : {}),
  };
}

// --------------------------------------------------------------------------------------------
// Running a case

/**
 * Per finding of the case's rule in the case's file (of any rule, for `fixAll: "every rule"` or
 * with `everyRule`), the fixes offered beside "Suppress".
 */
function offered(engine: Engine, config: CaseConfig, files: ReadonlyMap<string, string>, everyRule = config.fixAll === 'every rule'): OfferedFix[][] {
  const text = files.get(config.file)!;
  const workspace = workspaceOf(engine, files, config);
  if (config.planner) {
    return fixerProposals(config.rule, config.file, text, fakePlanner(config.planner), workspace).map((f) => f.proposals.map((p) => asOffered(config.file, p)));
  }
  const report = engine.analyze({ path: config.file, text }, { workspace });
  return report.findings
    .filter((f) => everyRule || f.rule === config.rule)
    .map((f) => f.fixes.filter((fix) => fix.title !== `Suppress ${f.rule} on this line`));
}

function findingsIn(engine: Engine, config: CaseConfig, files: ReadonlyMap<string, string>): FileReport['findings'] {
  return engine.analyze({ path: config.file, text: files.get(config.file)! }, { workspace: workspaceOf(engine, files, config) }).findings;
}

interface Applied {
  titles: string[];
  /** What each fix leaves for a person, in order. */
  followUps: string[][];
  creates: string[];
}

/** The fixes a case applies, one after the other, and the files after them. */
function applyCase(engine: Engine, label: string, config: CaseConfig, input: ReadonlyMap<string, string>): { files: Map<string, string>; applied: Applied; last: OfferedFix } {
  const applied: Applied = { titles: [], followUps: [], creates: [] };
  let files = new Map(input);
  let last: OfferedFix | undefined;
  const rounds = config.fixAll ? 20 : 1;
  for (let round = 0; round < rounds; round++) {
    const offers = offered(engine, config, files).flat();
    let fix: OfferedFix | undefined;
    if (config.fixAll) {
      fix = offers[0];
      if (!fix) break;
      assert.ok(round < rounds - 1, `${label}: fixes are still offered after ${rounds} rounds`);
    } else {
      const matching = offers.filter((f) => f.title.includes(config.fix!));
      assert.equal(matching.length, 1, `${label}: exactly one fix titled like "${config.fix}" among:\n${offers.map((f) => `  ${f.title}`).join('\n')}`);
      fix = matching[0]!;
    }
    assert.equal(fix.safe, config.safe ?? false, `${label}: "${fix.title}" is ${fix.safe ? 'safe' : 'unsafe'}`);
    for (const edit of fix.edits) assert.ok(files.has(edit.path) || (fix.creates ?? []).includes(edit.path), `${label}: "${fix.title}" edits ${edit.path}, which the workspace does not have`);
    applied.titles.push(fix.title);
    applied.followUps.push([...(fix.followUps ?? [])]);
    applied.creates.push(...(fix.creates ?? []));
    files = applyFix(files, fix);
    last = fix;
  }
  assert.ok(last, `${label}: a fix is offered`);
  return { files, applied, last };
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

function commentLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => /^\s*(?:#|\/\/)/.test(line));
}

function countByRule(report: FileReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return counts;
}

/** Runs one case; with `lineBreaks: 'crlf'`, on its input and expected files with CRLF line breaks. */
export function runFixCase(engine: Engine, fixCase: FixCase, lineBreaks: 'as written' | 'crlf' = 'as written'): void {
  const { config, dir } = fixCase;
  const label = `${fixCase.rule}/fixes/${fixCase.name}${lineBreaks === 'crlf' ? ' (CRLF)' : ''}`;
  assert.equal(config.rule, fixCase.rule, `${label}: case.json names the rule of its folder`);
  assert.equal([config.fix !== undefined, config.fixAll !== undefined, config.noFix === true].filter(Boolean).length, 1, `${label}: case.json says one of fix, fixAll, noFix`);
  const written = inputOf(fixCase);
  const input = lineBreaks === 'crlf' ? new Map([...written].map(([file, text]) => [file, crlf(text)])) : written;
  assert.ok(input.has(config.file), `${label}: the input has ${config.file}`);

  const before = findingsIn(engine, config, input).filter((f) => f.rule === config.rule);
  assert.ok(before.length > 0, `${label}: ${config.rule} is reported in ${config.file}`);
  if (config.noFix) {
    assert.deepEqual(offered(engine, config, input).flat().map((f) => f.title), [], `${label}: no fix is offered`);
    return;
  }
  const { files: after, applied, last } = applyCase(engine, label, config, input);
  const changed = [...after].filter(([file, text]) => input.get(file) !== text);

  // The result, byte for byte.
  const expectedDir = path.join(dir, 'expected');
  const appliedJson = `${JSON.stringify(applied, null, 2)}\n`;
  if (UPDATE_GOLDEN && lineBreaks === 'as written') {
    fs.rmSync(expectedDir, { recursive: true, force: true });
    for (const [file, text] of changed) {
      fs.mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
      fs.writeFileSync(path.join(expectedDir, file), text);
    }
    fs.writeFileSync(path.join(dir, 'applied.json'), appliedJson);
  }
  const expected = readTree(expectedDir);
  assert.deepEqual(changed.map(([file]) => file).sort(), [...expected.keys()].sort(), `${label}: the files the fixes change or create`);
  for (const [file, text] of changed) assert.equal(text, lineBreaks === 'crlf' ? crlf(expected.get(file)!) : expected.get(file), `${label}: ${file} after the fixes`);
  assert.equal(appliedJson, fs.readFileSync(path.join(dir, 'applied.json'), 'utf8'), `${label}: applied.json`);
  if (lineBreaks === 'crlf') for (const [file, text] of changed) assert.ok(!/[^\r]\n/.test(text), `${label}: ${file}: a bare LF was written`);

  for (const [file, text] of changed) {
    const old = input.get(file);
    const was = old === undefined ? undefined : engine.analyze({ path: file, text: old });
    const now = engine.analyze({ path: file, text });
    // It still parses, as what it was.
    if (was) {
      assert.ok(now.errors.length <= was.errors.length, `${label}: ${file} has syntax errors after the fixes: ${now.errors.map((e) => e.message).join('; ')}`);
      assert.equal(now.dialect, was.dialect, `${label}: ${file} keeps its dialect`);
    } else {
      assert.deepEqual(now.errors.map((e) => e.message), [], `${label}: the created ${file} parses`);
      assert.notEqual(now.dialect, null, `${label}: the created ${file} is recognised`);
    }
    // No rule finds more than before.
    const counts = was ? countByRule(was) : new Map<string, number>();
    for (const [rule, n] of countByRule(now)) assert.ok(n <= (counts.get(rule) ?? 0), `${label}: ${file} has ${n} findings of ${rule} after the fixes, ${counts.get(rule) ?? 0} before`);
    // Comments stay.
    if (old !== undefined) for (const comment of commentLines(old)) assert.ok(commentLines(text).includes(comment), `${label}: ${file} lost the comment ${JSON.stringify(comment.trim())}`);
  }

  // The finding is gone, and the fix is not offered again.
  const left = findingsIn(engine, config, after);
  if (config.fixAll) {
    const remaining = left.filter((f) => config.fixAll === 'every rule' || f.rule === config.rule).map((f) => f.range.start.line + 1);
    assert.deepEqual(remaining, config.left ?? [], `${label}: the lines of the findings left`);
  }
  else assert.ok(left.filter((f) => f.rule === config.rule).length < before.length, `${label}: the finding is still reported`);
  for (const rule of config.cleared ?? []) assert.deepEqual(left.filter((f) => f.rule === rule).map((f) => f.range.start.line + 1), [], `${label}: findings of ${rule} are left`);
  assert.ok(!offered(engine, config, after, true).flat().some((f) => f.title === last.title), `${label}: "${last.title}" is offered again`);
}

/** The fix goldens of one rule, as tests (each case once more with CRLF line breaks where it says so). */
export function ruleFixSuite(ruleId: string): void {
  describe(`${ruleId} fixes`, () => {
    let engine: Engine;
    before(async () => {
      engine = await createEngine();
    });
    for (const fixCase of listFixCases(ruleId)) {
      test(fixCase.name, () => runFixCase(engine, fixCase));
      if (fixCase.config.crlf) test(`${fixCase.name} (CRLF)`, () => runFixCase(engine, fixCase, 'crlf'));
    }
  });
}
