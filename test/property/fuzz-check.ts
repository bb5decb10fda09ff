import type { Engine } from '../../server/src/engine/analyze';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { toHover } from '../../server/src/lsp/hover';
import type { DocumentTarget } from '../../server/src/lsp/paths';
import { formatGithub } from '../../server/src/output/github';
import { gitlabReport } from '../../server/src/output/gitlab';
import { formatJson } from '../../server/src/output/json';
import { formatStepSummary } from '../../server/src/output/step-summary';
import { runMessageLines } from '../../server/src/output/messages';
import { scannedFile, type RuleFailure, type ScanResult } from '../../server/src/output/report';
import { sarifLog } from '../../server/src/output/sarif';
import { ruleDocsMarkdown } from '../../server/src/workspace/rule-docs';
import { formatText } from '../../server/src/output/text';
import type { Mutant, Plant } from './hostile-mutants';

/**
 * One mutant through everything that shows a person what Keyless found, in process: the engine as
 * `keyless scan` and the editor run it (no fixes), then every output format (text, JSON, SARIF,
 * GitHub annotations, the GitLab report, the Action's step summary, the CLI's stderr lines, LSP diagnostics and what the server logs), and, when asked, the fixes'
 * titles and follow-ups and a hover. What it checks: nothing throws (a rule that throws is caught
 * by the engine, and counted here as a crash of that rule), the whole file takes under the time
 * bound, and no planted value appears in any of it.
 */

export const TIME_BOUND_MS = 1_000;

export interface Outcome {
  /** Analysis plus every output format, in milliseconds. */
  ms: number;
  /** An exception out of the pipeline, or a rule's: its class and first line (never the input). */
  crash?: string;
  /** Planted values found in output: which part, and in which output. */
  leaks: string[];
}

const TOOL = { name: 'keyless', version: '0.0.0-fuzz', informationUri: 'https://example.invalid/keyless', rulePage: ruleDocsMarkdown };

function target(path: string): DocumentTarget {
  return { uri: `file:///fuzz/${path}`, enginePath: path, syntaxOverride: undefined, folder: undefined, relativePath: undefined };
}

/**
 * The parts of a planted pair whose presence in output is a leak: each whole value, and the middle
 * of each (a quote that lost the ends of the value still carries it). A preview keeps at most the
 * first 4 and last 2 characters, so no middle can appear in masked output.
 */
function needles(plant: Plant): { what: string; text: string }[] {
  return [
    { what: 'access key id', text: plant.keyId },
    { what: 'secret access key', text: plant.secret },
    { what: 'middle of the access key id', text: plant.keyId.slice(4, 18) },
    { what: 'middle of the secret access key', text: plant.secret.slice(4, 38) },
  ];
}

export function leaksIn(planted: readonly Plant[], outputs: Record<string, string>): string[] {
  const leaks: string[] = [];
  for (const plant of planted) {
    for (const needle of needles(plant)) {
      for (const [name, output] of Object.entries(outputs)) {
        if (output.includes(needle.text)) leaks.push(`${needle.what} (planted ${plant.where}) in ${name}`);
      }
    }
  }
  return leaks;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  // The class and where it was thrown: its message may quote the input, which holds planted keys.
  const frame = (error.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at ')) ?? '';
  return `${error.name} ${frame.trim()}`;
}

export function checkMutant(engine: Engine, mutant: Mutant, options: { extras?: boolean } = {}): Outcome {
  const start = performance.now();
  const ruleFailures: RuleFailure[] = [];
  const ruleCrashes: string[] = [];
  const outputs: Record<string, string> = {};
  try {
    const report = engine.analyze(
      { path: mutant.path, text: mutant.text },
      {
        fixes: false,
        onRuleError: (rule, error) => {
          ruleFailures.push({ rule: rule.id, file: mutant.path, errorName: error instanceof Error ? error.name : typeof error });
          ruleCrashes.push(`rule ${rule.id}: ${describe(error)}`);
        },
      },
    );
    const scanned = scannedFile(mutant.path, report, mutant.text);
    const result: ScanResult = { cwd: '/fuzz', files: [scanned], fileCount: 1, ruleFailures, configMessages: [] };
    outputs.text = formatText(result, { color: false });
    outputs.json = formatJson(result);
    // The log without its rule catalog: the catalog is the same for every input (the rule pages,
    // redacted once per process), and stringifying it would cost more than the rest of the check.
    const log = sarifLog(result, TOOL) as { runs: { tool: { driver: { rules?: unknown } } }[] };
    delete log.runs[0]!.tool.driver.rules;
    outputs.sarif = JSON.stringify(log, null, 2);
    outputs.github = formatGithub(result);
    const gitlab = gitlabReport(result, TOOL) as { scan: { primary_identifiers?: unknown } };
    delete gitlab.scan.primary_identifiers;
    outputs.gitlab = JSON.stringify(gitlab);
    outputs.summary = formatStepSummary(result);
    outputs.stderr = runMessageLines(result).join('\n');
    const diagnostics = report.findings.map((f) => toDiagnostic(f, { target: target(mutant.path), version: 1, relatedInformation: true }));
    outputs.lsp = JSON.stringify(diagnostics);
    // What the server logs of an analysis: its syntax errors and notes.
    outputs.log = [...report.errors.map((e) => e.message), ...report.notes].join('\n');
  } catch (error) {
    return { ms: performance.now() - start, crash: describe(error), leaks: [] };
  }
  const ms = performance.now() - start;
  if (options.extras) {
    // Not timed: what an editor asks for after the diagnostics (a hover, the fixes of a finding).
    try {
      const withFixes = engine.analyze({ path: mutant.path, text: mutant.text }, { fixes: true });
      outputs.fixes = JSON.stringify(withFixes.findings.map((f) => f.fixes.map((x) => [x.title, x.followUps ?? []])));
      const first = withFixes.findings[0];
      if (first) {
        const info = engine.hover({ path: mutant.path, text: mutant.text }, first.range.start);
        if (info) outputs.hover = JSON.stringify(toHover(info, { diagnosticsShown: false }));
      }
    } catch (error) {
      return { ms, crash: `with fixes or hover: ${describe(error)}`, leaks: [] };
    }
  }
  const leaks = leaksIn(mutant.planted, outputs);
  return { ms, ...(ruleCrashes.length > 0 ? { crash: ruleCrashes.join('; ') } : {}), leaks };
}
