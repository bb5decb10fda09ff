import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, type KeylessConfig } from '../engine/config';
import { Engine, type FileReport } from '../engine/analyze';
import { createEngine } from '../workspace/grammar';
import type { Finding, Fix, TextEdit } from '../core/finding';
import { applyEdits } from '../fixes/text';
import { configMessageLine, runMessageLines } from '../output/messages';
import { maskedLines } from '../output/redact';
import { nextSteps } from '../output/next-steps';
import { compareStrings, failsThreshold, scannedFile, unanalyzedFile, type RuleFailure, type ScanResult, type ScannedFile } from '../output/report';
import { printable } from '../output/terminal';
import { holdsKeyId } from '../secrets/redact';
import { RULES_BY_ID } from '../rules';
import type { Rule } from '../rules/rule';
import { LineIndex } from '../syntax/text';
import type { Span } from '../core/text';
import { WorkspaceIndex } from '../workspace/context';
import { toPosix } from '../workspace/files';
import { gitRepositoryOf } from '../workspace/git';
import { InputError, parseOptions, REPORT_OPTIONS, reportOptions, UsageError, type OptionSpec, type ReportOptions } from './args';
import { unifiedDiff } from './diff';
import { configMessagesOf, displayPath, folderIgnores, ignoreGlobsMatcher, isOutside, resolveTargets, selectFiles, workspacesOf, type Workspace } from './inputs';
import { describeFsError, errorName, type Candidate } from './scan-file';
import { writeReport } from './write-report';

/**
 * `keyless fix`: the fixes the engine attaches to findings, applied in place. For each workspace
 * the PATHs belong to (the repository that holds them: inputs.ts), it builds the context fixes
 * need to write beyond their file (every file of the repository, its git remote, the `oidc:`
 * config), applies per finding the first fix it may, in rounds until none is left, writes the
 * files (or prints them as a diff), and reports what is left as `keyless scan` does, with what the
 * applied fixes leave for a person ("Next steps").
 */

export const FIX_USAGE = `Usage: keyless fix [options] [PATH...]

Applies Keyless's fixes in place, then reports the findings left as "keyless
scan" does. Per finding it applies the first fix it may: a safe one (nothing
about how anything authenticates changes), or with --unsafe the first one
offered, such as the OIDC rewrite of a CI job with the cloud side it needs
written to new Terraform or CloudFormation files. It never writes
keyless-ignore comments, and never overwrites a file a fix would create.
Fixes whose edits overlap wait for the next round; rounds repeat until no
fix applies.

Each PATH (default: the current folder) is a file or folder whose findings
are fixed. Fixes see the repository that holds it as the workspace (else the
nearest folder with ${CONFIG_FILE_NAME}, else PATH itself): its files (walked as
scan walks them), its git remote, and the "oidc:" section of its
${CONFIG_FILE_NAME}. Files a fix creates are written relative to that root.

Options:
      --rule ID[,ID...]  fix findings of these rules only (repeatable)
      --unsafe           also apply fixes that change how something
                         authenticates (review them: see --dry-run)
      --dry-run          write nothing; print a unified diff of every change
                         on standard output, for review (the report then goes
                         to standard error, or to --output); lines holding a
                         credential are masked, so such a diff does not apply
  -f, --format FORMAT    report format: text (default), json, sarif, github
                         or gitlab (see keyless scan --help)
  -o, --output FILE      write the report to FILE instead of standard output
  -q, --quiet            no notes and no closing count on standard error
      --fail-on LEVEL    exit 1 when a finding left is at or above LEVEL:
                         error (default), warning, info, or never
  -c, --config FILE      read settings from FILE instead of the root's
                         ${CONFIG_FILE_NAME}
  -h, --help             show this help and exit

Example:
  keyless fix --unsafe --dry-run .github/workflows   # review the OIDC rewrites
  keyless fix --unsafe .github/workflows             # then apply them
  git diff                                           # and see them in place

After the report, "Next steps" lists what the applied fixes leave for a
person: variables to set, created files to review and apply, keys to revoke.

Exit status: 0 when no finding left reaches the --fail-on level, 1 when one
does, 2 on a usage error or when a file cannot be read or written.
`;

/**
 * Rounds before giving up. A fix removes its finding and is not offered again once applied (the
 * fix-safety property), so rounds only serve fixes that collided with others; a handful suffice.
 */
const MAX_ROUNDS = 10;

export interface FixIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export interface FixOptions extends ReportOptions {
  paths: string[];
  rules: Set<string> | undefined;
  unsafe: boolean;
  dryRun: boolean;
}

export const FIX_OPTIONS: readonly OptionSpec[] = [
  { long: '--rule', takesValue: true },
  { long: '--unsafe', takesValue: false },
  { long: '--dry-run', takesValue: false },
  ...REPORT_OPTIONS,
];

/** `argv` starts with the command, "fix". */
export function parseFixArguments(argv: readonly string[]): FixOptions | 'help' | 'version' {
  const parsed = parseOptions(argv, FIX_OPTIONS);
  if (parsed.flags.has('--help')) return 'help';
  if (parsed.flags.has('--version')) return 'version';
  const paths = parsed.positionals.slice(1);
  let rules: Set<string> | undefined;
  for (const list of parsed.values.get('--rule') ?? []) {
    for (const id of list.split(',').map((part) => part.trim())) {
      if (id === '') continue;
      if (!RULES_BY_ID.has(id)) throw new UsageError(`--rule: unknown rule "${id}"`);
      rules = (rules ?? new Set()).add(id);
    }
  }
  if (parsed.values.has('--rule') && rules === undefined) throw new UsageError('--rule needs at least one rule id');
  return {
    paths: paths.length > 0 ? paths : ['.'],
    rules,
    unsafe: parsed.flags.has('--unsafe'),
    dryRun: parsed.flags.has('--dry-run'),
    ...reportOptions(parsed),
  };
}

// ---------------------------------------------------------------------------------------------
// Files

/** A file whose findings are fixed. */
type FixTarget = Candidate;

/** A file the run has read, edited or created. */
interface FileState {
  absolute: string;
  /** As the report names it (relative to the current folder, or as PATH was typed). */
  display: string;
  /** Relative to the workspace root: what the engine and the diff's `a/` and `b/` headers name. */
  enginePath: string;
  /** The text on disk before the run; undefined for a file a fix creates. */
  original: string | undefined;
  text: string;
}

/**
 * The workspace fixes see: every file of the repository Keyless reads (walked as `keyless scan`
 * walks its root), the files named on the command line, the repository from the git remote. Texts
 * are kept byte for byte (a byte-order mark included): edits are positioned on them and written back.
 */
async function buildWorkspace(engine: Engine, workspace: Workspace, files: readonly FixTarget[], io: FixIo): Promise<WorkspaceIndex> {
  const { root, settings } = workspace;
  const index = new WorkspaceIndex(engine);
  index.repository = (await gitRepositoryOf(root))?.repository;
  await index.build({
    root,
    nameOf: (absolute) => toPosix(path.relative(root, absolute)),
    isIgnored: await folderIgnores(root, root, ignoreGlobsMatcher(settings.config)),
    log: (message) => io.stderr.write(`note: ${message}\n`),
  });
  for (const file of files) {
    if (index.get(file.enginePath) !== undefined) continue;
    const text = readFile(file.absolute);
    if (typeof text === 'string') index.update(file.enginePath, text);
  }
  return index;
}

/** A file's text, or why it cannot be read. */
function readFile(absolute: string): string | { problem: string } {
  try {
    return fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    return { problem: `cannot read the file: ${describeFsError(error)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Choosing and applying fixes

interface Outcome {
  applied: number;
  /** Rounds ran out while fixes were still being chosen. */
  exhausted: boolean;
}

/**
 * The engine's "Suppress <rule> on this line" fix writes a keyless-ignore comment: accepting a
 * finding is a person's decision, which `keyless fix` never makes.
 */
function isSuppression(fix: Fix, finding: Finding): boolean {
  return fix.title === `Suppress ${finding.rule} on this line`;
}

/** Whether two edits of one file cannot both apply: they overlap, or insert at the same place (in which order?). */
function collide(a: Span, b: Span): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** A file's analysis in the last round, which is the report of what is left when it chose nothing. */
interface LastAnalysis {
  text: string;
  report: FileReport;
  failures: RuleFailure[];
}

class FixRun {
  readonly states = new Map<string, FileState>();
  readonly unreadable = new Map<string, string>();
  readonly lastAnalyses = new Map<string, LastAnalysis>();
  /** What the applied fixes leave for a person, in the order they were applied. */
  readonly followUps: string[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly index: WorkspaceIndex,
    /** The workspace root: the engine's paths are relative to it. */
    private readonly root: string,
    /** How the report names a file no PATH named (one a fix edits or creates). */
    private readonly displayOf: (absolute: string) => string,
    private readonly config: KeylessConfig,
    private readonly rules: readonly Rule[] | undefined,
    private readonly options: FixOptions,
  ) {}

  load(target: FixTarget): void {
    if (this.states.has(target.enginePath)) return;
    // The workspace index has read it already (byte for byte), unless it could not.
    const text = this.index.get(target.enginePath)?.text ?? readFile(target.absolute);
    if (typeof text === 'string') this.states.set(target.enginePath, { absolute: target.absolute, display: target.file, enginePath: target.enginePath, original: text, text });
    else this.unreadable.set(target.enginePath, text.problem);
  }

  /** A file a fix edits that no target named: as the workspace holds it (its disk text). */
  private stateOf(enginePath: string): FileState | undefined {
    let state = this.states.get(enginePath);
    if (state === undefined) {
      const indexed = this.index.get(enginePath);
      if (indexed === undefined) return undefined;
      const absolute = path.resolve(this.root, enginePath);
      state = { absolute, display: this.displayOf(absolute), enginePath, original: indexed.text, text: indexed.text };
      this.states.set(enginePath, state);
    }
    return state;
  }

  /** Whether a file a fix would create is already there: it is someone's, and never overwritten. */
  private exists(enginePath: string): boolean {
    return this.states.has(enginePath) || this.index.get(enginePath) !== undefined || fs.existsSync(path.resolve(this.root, enginePath));
  }

  run(targets: readonly FixTarget[]): Outcome {
    let applied = 0;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const chosen = this.choose(targets);
      if (chosen.length === 0) return { applied, exhausted: false };
      this.apply(chosen);
      applied += chosen.length;
    }
    return { applied, exhausted: this.choose(targets).length > 0 };
  }

  /** One round: per finding, the first fix it may apply that does not collide with one already chosen. */
  private choose(targets: readonly FixTarget[]): Fix[] {
    const chosen: Fix[] = [];
    const claimed = new Map<string, Span[]>();
    const created = new Set<string>();
    const context = this.index.context(this.config.oidc);
    for (const target of targets) {
      const state = this.states.get(target.enginePath);
      if (state === undefined) continue;
      const failures: RuleFailure[] = [];
      const report = this.engine.analyze(
        { path: target.enginePath, text: state.text },
        {
          config: this.config,
          workspace: context,
          onRuleError: (rule, error) => failures.push({ rule: rule.id, file: target.file, errorName: errorName(error) }),
          ...(this.rules ? { rules: this.rules } : {}),
        },
      );
      // Findings never depend on the workspace: this is also the report of what is left, if nothing changes.
      this.lastAnalyses.set(target.enginePath, { text: state.text, report, failures });
      for (const finding of report.findings) {
        if (this.options.rules !== undefined && !this.options.rules.has(finding.rule)) continue;
        for (const fix of finding.fixes) {
          if (isSuppression(fix, finding) || (!fix.safe && !this.options.unsafe)) continue;
          const creates = fix.creates ?? [];
          // A fix that would overwrite a file is never applied; the finding's next fix may be.
          if (creates.some((file) => this.exists(file))) continue;
          const edits = fix.edits.filter((edit) => !creates.includes(edit.path));
          const editable = edits.every((edit) => this.stateOf(edit.path) !== undefined);
          const collides =
            creates.some((file) => created.has(file) || claimed.has(file)) ||
            edits.some((edit) => created.has(edit.path) || (claimed.get(edit.path) ?? []).some((span) => collide(span, edit.span)));
          if (editable && !collides) {
            chosen.push(fix);
            for (const file of creates) created.add(file);
            for (const edit of edits) claimed.set(edit.path, [...(claimed.get(edit.path) ?? []), edit.span]);
          }
          // The first fix the finding may have is its fix: a colliding one waits for the next round.
          break;
        }
      }
    }
    return chosen;
  }

  private apply(fixes: readonly Fix[]): void {
    const byPath = new Map<string, TextEdit[]>();
    for (const fix of fixes) {
      const creates = new Set(fix.creates ?? []);
      for (const edit of fix.edits) {
        if (creates.has(edit.path)) {
          const text = fix.edits.filter((e) => e.path === edit.path).map((e) => e.newText).join('');
          const absolute = path.resolve(this.root, edit.path);
          this.states.set(edit.path, { absolute, display: this.displayOf(absolute), enginePath: edit.path, original: undefined, text });
          continue;
        }
        byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
      }
      for (const file of creates) this.index.update(file, this.states.get(file)!.text);
      this.followUps.push(...(fix.followUps ?? []));
    }
    for (const [file, edits] of byPath) {
      const state = this.stateOf(file)!;
      state.text = applyEdits(state.text, edits);
      this.index.update(file, state.text);
    }
  }

  /** Files whose text the run changed or created, in the order of their paths from the workspace root (as `git diff` lists them). */
  changed(): FileState[] {
    return [...this.states.values()].filter((s) => s.original !== s.text).sort((a, b) => compareStrings(a.enginePath, b.enginePath));
  }
}

// ---------------------------------------------------------------------------------------------
// The command

/** One workspace's part of a run. */
interface WorkspaceRun {
  run: FixRun;
  skipped: ScannedFile[];
  files: FixTarget[];
  /** Folders named on the command line, absolute: files created in them join the report. */
  folders: string[];
  config: KeylessConfig;
}

export async function runFix(options: FixOptions, io: FixIo, rules: readonly Rule[] | undefined): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const targets = await resolveTargets(options.paths, cwd);
  const workspaces = await workspacesOf(targets, cwd, options.config);
  const configMessages = configMessagesOf(workspaces);
  for (const m of configMessages) io.stderr.write(`${configMessageLine(m)}\n`);
  const engine = await createEngine();
  const runs: WorkspaceRun[] = [];
  let applied = 0;
  const seen = new Set<string>();
  for (const workspace of workspaces) {
    const selected = selectFiles(workspace, 'fixed', seen);
    const files: FixTarget[] = [];
    for await (const candidate of selected.candidates) files.push(candidate);
    const index = await buildWorkspace(engine, workspace, files, io);
    const folders = workspace.targets.filter((t) => t.kind === 'folder');
    // A file no PATH named is printed below the folder PATH that holds it, as a walked file is.
    const displayOf = (absolute: string): string => {
      for (const folder of folders) {
        const relative = toPosix(path.relative(folder.absolute, absolute));
        if (!isOutside(relative)) return path.posix.join(toPosix(folder.given), relative);
      }
      return displayPath(cwd, absolute);
    };
    const run = new FixRun(engine, index, workspace.root, displayOf, workspace.settings.config, rules, options);
    for (const file of files) run.load(file);
    const outcome = run.run(files);
    if (outcome.exhausted) io.stderr.write(`note: stopped after ${MAX_ROUNDS} rounds with fixes still to apply: run keyless fix again\n`);
    applied += outcome.applied;
    runs.push({ run, skipped: selected.skipped, files, folders: folders.map((f) => f.absolute), config: workspace.settings.config });
  }
  const changed = runs.flatMap(({ run }) => run.changed());

  const masked = { lines: 0 };
  if (options.dryRun) {
    for (const state of changed) io.stdout.write(diffOf(engine, state, masked));
  } else {
    writeFiles(changed);
  }

  // What is left, over the files fixed and the files created among them.
  const ruleFailures: RuleFailure[] = [];
  const files: ScannedFile[] = [];
  let fileCount = 0;
  for (const { run, skipped, files: fixed, folders, config } of runs) {
    files.push(...skipped);
    const reported = [...fixed];
    for (const state of run.changed()) {
      if (state.original !== undefined || reported.some((t) => t.absolute === state.absolute)) continue;
      if (folders.some((folder) => !isOutside(toPosix(path.relative(folder, state.absolute))))) reported.push({ absolute: state.absolute, file: state.display, enginePath: state.enginePath });
    }
    fileCount += reported.length;
    for (const target of reported) {
      const problem = run.unreadable.get(target.enginePath);
      if (problem !== undefined) {
        files.push(unanalyzedFile(target.file, { kind: 'unreadable', message: problem }));
        continue;
      }
      const raw = run.states.get(target.enginePath)?.text ?? '';
      // Positions as an editor counts them: a byte-order mark is not a column (as scan does).
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const last = run.lastAnalyses.get(target.enginePath);
      if (last !== undefined && last.text === text) {
        ruleFailures.push(...last.failures);
        files.push(scannedFile(target.file, last.report, text));
        continue;
      }
      const report = engine.analyze(
        { path: target.enginePath, text },
        { config, fixes: false, onRuleError: (rule, error) => ruleFailures.push({ rule: rule.id, file: target.file, errorName: errorName(error) }), ...(rules ? { rules } : {}) },
      );
      files.push(scannedFile(target.file, report, text));
    }
  }
  const result: ScanResult = {
    cwd,
    files: files.sort((a, b) => compareStrings(a.file, b.file)),
    fileCount,
    ruleFailures: ruleFailures.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.rule, b.rule)),
    configMessages,
    followUps: nextSteps(runs.flatMap(({ run }) => run.followUps)),
  };
  // A dry run's standard output is the diff: the report goes beside it, never into it.
  await writeReport(result, options, { cwd, env: io.env }, options.dryRun ? io.stderr : io.stdout);
  for (const line of runMessageLines(result)) if (!(options.quiet && line.startsWith('note: '))) io.stderr.write(`${line}\n`);
  if (masked.lines > 0 && !options.quiet) {
    // A unified diff must quote the lines it removes for `git apply` to find them: one that removes a
    // credential cannot be both applicable and safe to print, so it says it is for reading only.
    io.stderr.write(
      `note: ${count(masked.lines, 'line', 'lines')} of the diff ${masked.lines === 1 ? 'holds' : 'hold'} a credential, masked: it is for review and does not apply as a patch; run keyless fix without --dry-run to apply it\n`,
    );
  }
  const left = result.files.reduce((n, f) => n + f.findings.length, 0);
  const createdCount = changed.filter((s) => s.original === undefined).length;
  if (!options.quiet) io.stderr.write(
    `${count(applied, 'fix', 'fixes')} applied in ${count(changed.length, 'file', 'files')} (${count(createdCount, 'file', 'files')} created); ` +
      `${count(left, 'finding', 'findings')} left${options.dryRun ? ' (dry run: nothing written)' : ''}\n`,
  );
  return failsThreshold(result, options.failOn) ? 1 : 0;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Writes what the run changed: new files with their folders, never over a file that appeared
 * meanwhile (`wx`); edited files in place.
 */
function writeFiles(changed: readonly FileState[]): void {
  for (const state of changed) {
    try {
      if (state.original === undefined) {
        fs.mkdirSync(path.dirname(state.absolute), { recursive: true });
        fs.writeFileSync(state.absolute, state.text, { flag: 'wx' });
      } else {
        fs.writeFileSync(state.absolute, state.text);
      }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST' ? 'it exists (a fix never overwrites a file it creates)' : describeFsError(error);
      throw new InputError(`cannot write ${state.display}: ${reason}`);
    }
  }
}

/**
 * A file's change as a unified diff, every printed line masked as the text report masks lines.
 * The headers name the file from the workspace root (`a/.github/workflows/x.yml`), as `git diff`
 * does, wherever the command ran. `masked.lines` counts the printed lines masking changed: a diff
 * with any is for reading only (`git apply` needs the exact text of the lines it removes).
 */
function diffOf(engine: Engine, state: FileState, masked: { lines: number }): string {
  // A key id removed by the fix still makes a secret-shaped run beside it on the other side a secret.
  const context = { keyIdInFile: holdsKeyId(state.original ?? '') || holdsKeyId(state.text) };
  const side = (text: string | undefined): { text: string; display: (line: number) => string; isMasked: (line: number) => boolean } => {
    if (text === undefined) return { text: '', display: () => '', isMasked: () => false };
    const findings = safeFindings(engine, state.enginePath, text);
    const numbers = lineNumbers(text);
    const lines = maskedLines(text, findings, numbers, context);
    const index = new LineIndex(text);
    return { text, display: (line) => printable(lines.get(line) ?? ''), isMasked: (line) => (lines.get(line) ?? '') !== text.slice(index.lineStart(line), index.lineEnd(line)) };
  };
  const before = side(state.original);
  const after = side(state.text);
  return unifiedDiff(
    { path: state.original === undefined ? undefined : state.enginePath, ...before },
    { path: state.enginePath, ...after },
    () => masked.lines++,
  );
}

/** The findings that tell masking where credential values are (a file that fails to parse has none: masking by shape still applies). */
function safeFindings(engine: Engine, file: string, text: string): Finding[] {
  try {
    const report: FileReport = engine.analyze({ path: file, text }, { fixes: false });
    return report.findings;
  } catch {
    return [];
  }
}

function lineNumbers(text: string): number[] {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return Array.from({ length: lines }, (_, i) => i);
}
