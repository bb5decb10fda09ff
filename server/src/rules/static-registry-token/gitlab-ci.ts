import type { PipelineJob } from '../../dialects/gitlab-ci/model';
import { NPMRC_TOKEN, publishCommand } from '../../dialects/ci-common/credentials';
import { flagValue, shellCommands, type ShellCommand } from '../../syntax/shell';
import { deref, get, isMap, isSeq, str, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';
import type { Fixer, FixProposal } from '../../fixes/fixer';
import { deletePair } from '../../fixes/yaml-edit';
import { deleteItem, replaceItem } from '../../fixes/gitlab-ci/edits';
import { gitlabFix, jobList, loginLine, proposal, variableBlocks, variableCarrier, withNotes, type GitlabFix } from '../../fixes/gitlab-ci/common';
import { concreteJobs, effectiveLines, entrySource, jobsRunning, listSource } from '../../dialects/gitlab-ci/assembly';
import { giveJobs } from '../../fixes/gitlab-ci/placement';
import { literalVariable } from '../../fixes/gitlab-ci/usage';
import type { Authentication } from '../../facts/model';

/**
 * The GitLab CI side of trusted publishing for `static-registry-token`. Only npm and PyPI accept
 * GitLab's ID tokens, and both only from GitLab.com (npm: on its shared runners), so that is where
 * the rewrite is offered. Each follows its registry's own GitLab guide:
 * - npm: an `NPM_ID_TOKEN` ID token with the audience `npm:registry.npmjs.org`, which npm ≥ 11.5.1
 *   exchanges by itself during `npm publish`; the `.npmrc` token line goes.
 * - PyPI: a `PYPI_ID_TOKEN` ID token with the audience `pypi` (`testpypi` for TestPyPI), which
 *   twine ≥ 6.1 exchanges by itself when `twine upload` is given no password; the password goes.
 * The package must then name this project as its trusted publisher on the registry: a follow-up says so.
 */
export const gitlabRegistryFixer: Fixer<Authentication> = (fix) => {
  const gl = gitlabFix(fix);
  if (!gl || gl.auth.method !== 'static') return [];
  const host = fix.workspace.repository?.host;
  if (host !== undefined && host !== 'gitlab.com') return [];
  if (gl.auth.target === 'npm') return npmRewrite(gl);
  if (gl.auth.target === 'pypi') return pypiRewrite(gl);
  return [];
};

// --------------------------------------------------------------------------------------------
// npm

const NPM_AUDIENCE = 'npm:registry.npmjs.org';

/** The one command `npm publish` (npm itself: trusted publishing is npm's, not yarn's or pnpm's). */
function npmPublishes(command: ShellCommand): boolean {
  const publish = publishCommand(command);
  return publish?.registry === 'npm' && publish.tool === 'npm publish';
}

function otherNpmPublish(command: ShellCommand): boolean {
  const publish = publishCommand(command);
  return publish?.registry === 'npm' && publish.tool !== 'npm publish';
}

/**
 * `echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc` (or `npm config set` of it), and
 * `NPM_TOKEN` in `variables:` when such a line is what reads it. A token variable no line of the
 * file writes to an `.npmrc` is read by an `.npmrc` committed to the repository, which Keyless
 * cannot see: npm fails on a variable that `.npmrc` names and the job lacks, so that is left alone.
 */
function npmRewrite(gl: GitlabFix): FixProposal[] {
  const { ctx } = gl;
  let tokenLines: ScalarNode[];
  let variable: string | undefined;
  if (gl.site.line && NPMRC_TOKEN.test(gl.site.line.script)) {
    tokenLines = [gl.site.line.node];
    variable = tokenVariable(gl.site.line.script);
  } else {
    const credential = gl.auth.credentials[0];
    if (!credential || credential.origin !== 'reference' || gl.site.line === undefined) return [];
    const vc = variableCarrier(gl);
    if (!vc) return [];
    variable = credential.name;
    const pattern = new RegExp(`\\$\\{?${variable}\\b`);
    tokenLines = [...new Set(vc.jobs.flatMap((job) => effectiveLines(ctx.pipeline, job)).filter((line) => NPMRC_TOKEN.test(line.value as string) && pattern.test(line.value as string)))];
    if (tokenLines.length === 0) return [];
  }
  const jobs: PipelineJob[] = [];
  for (const line of tokenLines) {
    if (shellCommands(line.value as string).length !== 1) return [];
    const running = jobsRunning(ctx.pipeline, line);
    if (!running || running.length === 0) return [];
    for (const job of running) if (!jobs.includes(job)) jobs.push(job);
  }
  // Every job that loses the token line must be one that publishes with npm, on runners npm trusts.
  for (const job of jobs) {
    const commands = effectiveLines(ctx.pipeline, job).flatMap((line) => shellCommands(line.value as string));
    if (!commands.some(npmPublishes) || commands.some(otherNpmPublish)) return [];
    if (!onSharedRunners(gl, job) || nodeTooOld(gl, job)) return [];
  }
  for (const line of tokenLines) if (!ctx.edits.add(deleteItem(ctx.text, line))) return [];
  if (variable && !removeUnread(gl, variable, tokenLines)) return [];
  if (!giveJobs(ctx, { kind: 'global' }, jobs, { idTokens: [{ name: 'NPM_ID_TOKEN', aud: NPM_AUDIENCE }] })) return [];
  return proposal(
    withNotes(`Publish to npm with trusted publishing in ${jobList(jobs)}`, [
      "add this project as the package's trusted publisher on npmjs.com: until then the publish fails",
      'keep npm 11.5.1 or later and GitLab.com shared runners in the publishing jobs: trusted publishing needs both',
    ]),
    ctx,
  );
}

/** The variable an `.npmrc` token line reads: `${NPM_TOKEN}`, `$NPM_TOKEN`. */
function tokenVariable(script: string): string | undefined {
  const match = /_authToken=\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(script);
  return match?.[1];
}

/** npm trusts GitLab.com's shared runners only: a job pinned by `tags:` to other runners is not one. */
function onSharedRunners(gl: GitlabFix, job: PipelineJob): boolean {
  const tags = listSource(gl.ctx.pipeline, job, 'tags');
  if (tags.kind === 'none') return true;
  if (tags.kind !== 'layer') return false;
  const value = deref(tags.pair.value);
  return isSeq(value) && value.items.every((item) => /^saas-/.test(str(item) ?? ''));
}

/** Trusted publishing needs Node 22.14 or later: a `node:18`-style image is too old. */
function nodeTooOld(gl: GitlabFix, job: PipelineJob): boolean {
  const image = listSource(gl.ctx.pipeline, job, 'image');
  let name: string | undefined;
  if (image.kind === 'layer') {
    const value = deref(image.pair.value);
    name = isMap(value) ? str(get(value, 'name')) : str(value);
  }
  const major = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(name ?? '')?.[1];
  return major !== undefined && Number(major) < 22;
}

/**
 * Removes the YAML variable that held the token when nothing but the removed lines reads it in any
 * job that takes it; one that something else reads stays (and stays reported).
 */
function removeUnread(gl: GitlabFix, name: string, removedLines: readonly ScalarNode[]): boolean {
  const { ctx } = gl;
  const pattern = new RegExp(`\\$\\{?${name}\\b`);
  const entries = new Map<Pair, PipelineJob[]>();
  for (const job of concreteJobs(ctx.pipeline)) {
    const source = entrySource(ctx.pipeline, job, 'variables', name);
    if (source.kind === 'unknown') return true;
    if (source.kind === 'layer' || source.kind === 'global') entries.set(source.entry, [...(entries.get(source.entry) ?? []), job]);
  }
  const blocks = variableBlocks(gl.site.pipeline);
  for (const [entry, takers] of entries) {
    const reads = takers.some((job) => effectiveLines(ctx.pipeline, job).some((line) => !removedLines.includes(line) && pattern.test(line.value as string)));
    const block = blocks.find((b) => (b.value as MapNode).pairs.includes(entry));
    if (reads || !block) continue;
    const only = (block.value as MapNode).pairs.length === 1;
    if (!ctx.edits.add(deletePair(ctx.text, only ? block : entry))) return false;
  }
  return true;
}

// --------------------------------------------------------------------------------------------
// PyPI

/** The twine upload a command runs, with the index it goes to, or undefined. */
function twineUpload(command: ShellCommand): { index: 'pypi' | 'testpypi' } | undefined {
  const publish = publishCommand(command);
  if (publish?.registry !== 'pypi' || publish.tool !== 'twine upload') return undefined;
  const words = command.words;
  const url = flagValue(words, '--repository-url');
  const repository = flagValue(words, '-r', '--repository');
  return { index: repository === 'testpypi' || (url !== undefined && /test\.pypi\.org/.test(url)) ? 'testpypi' : 'pypi' };
}

/**
 * `TWINE_PASSWORD` in `variables:`, or `-p`/`--password` on the `twine upload` line: the password
 * goes, and the jobs that upload get the ID token twine exchanges when it has none. Twine uses
 * trusted publishing only with the username `__token__` (its default for PyPI).
 */
function pypiRewrite(gl: GitlabFix): FixProposal[] {
  const { ctx } = gl;
  const credential = gl.auth.credentials[0];
  if (!credential || credential.origin !== 'reference' || gl.auth.mechanism !== 'twine upload') return [];
  const line = gl.site.line;
  if (!line) return [];
  const uploadLine = loginLine(gl);
  if (!uploadLine) return [];
  const argument = flagValue(uploadLine.command.words, '-p', '--password');
  let jobs: PipelineJob[];
  let removedLines: ScalarNode[] = [];
  if (argument !== undefined && argument === credential.name) {
    // The token is on the command line: the line loses its password.
    const username = flagValue(uploadLine.command.words, '-u', '--username');
    if (username !== undefined && username !== '__token__') return [];
    const script = line.script.replace(/\s+(?:-p|--password)(?:\s+|=)(?:"[^"]*"|'[^']*'|\S+)/, '');
    if (script === line.script || !ctx.edits.add(replaceItem(ctx.text, line.node, [script]))) return [];
    jobs = uploadLine.jobs;
    removedLines = [line.node];
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(argument)?.[1];
    if (variable && !removeUnread(gl, variable, removedLines)) return [];
  } else {
    if (credential.name !== 'TWINE_PASSWORD') return [];
    const vc = variableCarrier(gl);
    if (!vc) return [];
    // Jobs that take the password and upload elsewhere (a private index) still need it.
    const uploadsElsewhere = vc.jobs.some((job) =>
      effectiveLines(ctx.pipeline, job).some((l) => shellCommands(l.value as string).some((c) => /^(?:twine|python[0-9.]*)$/.test(c.words[0] ?? '') && c.words.includes('upload') && !twineUpload(c))),
    );
    if (uploadsElsewhere || vc.jobs.some((job) => effectiveLines(ctx.pipeline, job).some((l) => /\$\{?TWINE_PASSWORD\b/.test(l.value as string)))) return [];
    jobs = vc.jobs.filter((job) => effectiveLines(ctx.pipeline, job).some((l) => shellCommands(l.value as string).some((c) => twineUpload(c) !== undefined)));
    if (jobs.length === 0) return [];
    const block = vc.block.value as MapNode;
    const removeBlock = block.pairs.length === 1;
    if (!ctx.edits.add(deletePair(ctx.text, removeBlock ? vc.block : vc.pairs[0]!))) return [];
  }
  const indexes = new Set<string>();
  for (const job of jobs) {
    const username = literalVariable(ctx.pipeline, job, 'TWINE_USERNAME');
    const usernameSource = entrySource(ctx.pipeline, job, 'variables', 'TWINE_USERNAME');
    if (usernameSource.kind !== 'none' && username !== '__token__') return [];
    for (const l of effectiveLines(ctx.pipeline, job)) for (const c of shellCommands(l.value as string)) {
      const upload = twineUpload(c);
      if (upload) indexes.add(upload.index);
    }
  }
  if (indexes.size !== 1) return [];
  const aud = [...indexes][0]!;
  if (!giveJobs(ctx, { kind: 'global' }, jobs, { idTokens: [{ name: 'PYPI_ID_TOKEN', aud }] })) return [];
  const registry = aud === 'testpypi' ? 'TestPyPI' : 'PyPI';
  return proposal(
    withNotes(`Publish to ${registry} with trusted publishing in ${jobList(jobs)}`, [
      `add this project as a trusted publisher on ${aud === 'testpypi' ? 'test.pypi.org' : 'pypi.org'}: until then the upload fails`,
      'keep twine 6.1 or later and GitLab.com in the publishing jobs: trusted publishing needs both',
    ]),
    ctx,
  );
}
