import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../core/finding';
import { FINGERPRINT_VERSION } from '../engine/fingerprint';
import { RULES } from '../rules';
import { ruleDocsWebUrl } from '../rules/docs';
import type { Range } from '../core/text';
import { redactText } from '../secrets/redact';
import { compareFindings, describeProblem, oneBased, type ScanResult, type ScannedFile, type Tool } from './report';

/**
 * `--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps). Paths
 * are relative to `%SRCROOT%`, the folder the scan ran in, so results from two checkouts of the
 * same repository match; the quoted source lives only in the fingerprint's hash, never as text.
 */

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub's security-severity scale: 9+ critical, 7+ high, 4+ medium, above 0 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region?: Region;
}

interface Message {
  text: string;
}

interface Notification {
  level: SarifLevel;
  message: Message;
  locations?: { physicalLocation: PhysicalLocation }[];
  associatedRule?: { id: string; index: number };
}

export function sarifLog(result: ScanResult, tool: Tool): object {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  const fingerprints = new FingerprintCounter();
  const results = result.files.flatMap((scanned) => {
    // Findings `--baseline` held out are there too, marked suppressed, so code scanning keeps
    // tracking them as dismissed; in file order, so every result's line hash is as without it.
    const baselined = new Set(scanned.baselined ?? []);
    const findings = baselined.size === 0 ? scanned.findings : [...scanned.findings, ...baselined].sort(compareFindings);
    return findings.map((f) => {
      const sarif = sarifResult(f, scanned, result.cwd, ruleIndex, fingerprints);
      return baselined.has(f) ? { ...sarif, suppressions: [baselineSuppression(result)] } : sarif;
    });
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: ruleDescriptors(tool),
          },
        },
        invocations: [invocation(result, ruleIndex)],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(result.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
        // `--baseline`: which file, and how many results it holds (those marked suppressed).
        ...(result.baseline ? { properties: { keylessBaseline: { file: result.baseline.file, matched: result.baseline.matched } } } : {}),
      },
    ],
  };
}

const descriptorsOf = new WeakMap<Tool, object[]>();

/**
 * The rule catalog with each page as help. The same for every log a process writes for one tool,
 * and the costliest part of one (every page read and redacted): built once.
 */
function ruleDescriptors(tool: Tool): object[] {
  let descriptors = descriptorsOf.get(tool);
  if (descriptors) return descriptors;
  descriptors = RULES.map((rule) => {
    const page = tool.rulePage(rule.id);
    // The pages show example keys; credential-shaped text leaves the process masked, whatever its source.
    const markdown = page === undefined ? undefined : redactText(page);
    return {
      id: rule.id,
      name: pascalCase(rule.id),
      shortDescription: { text: rule.title },
      fullDescription: { text: (markdown && firstParagraph(markdown)) || rule.title },
      helpUri: ruleDocsWebUrl(rule.id),
      help: markdown ? { text: markdown, markdown } : { text: `${rule.title}. See ${ruleDocsWebUrl(rule.id)}` },
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: { tags: ['security'], 'security-severity': SECURITY_SEVERITY[rule.severity] },
    };
  });
  descriptorsOf.set(tool, descriptors);
  return descriptors;
}

export function formatSarif(result: ScanResult, tool: Tool): string {
  return `${JSON.stringify(sarifLog(result, tool), null, 2)}\n`;
}

function sarifResult(f: Finding, scanned: ScannedFile, cwd: string, ruleIndex: ReadonlyMap<string, number>, fingerprints: FingerprintCounter): object {
  const artifact = artifactLocation(cwd, f.path);
  const sourceLine = (scanned.lines.get(f.range.start.line) ?? '').trim();
  return {
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule) ?? -1,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifact, region: region(f.range) } }],
    ...(f.related.length > 0
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            physicalLocation: { artifactLocation: artifactLocation(cwd, r.path), region: region(r.range) },
            message: { text: r.message },
          })),
        }
      : {}),
    partialFingerprints: {
      primaryLocationLineHash: fingerprints.next(f.rule, artifact.uri, sourceLine),
      // The engine's, by blocks rather than lines (engine/fingerprint.ts): the one a baseline matches.
      ...(f.fingerprint ? { [`keyless/${FINGERPRINT_VERSION}`]: f.fingerprint.hash } : {}),
    },
  };
}

function baselineSuppression(result: ScanResult): object {
  return { kind: 'external', status: 'accepted', justification: `in the baseline ${result.baseline?.file ?? ''}` };
}

/**
 * A hash of what the finding is about (rule, file, the trimmed line, masked) that survives lines
 * moving up and down; identical lines in one file are told apart by occurrence, as GitHub's own
 * `primaryLocationLineHash` does (`hash:n`).
 */
class FingerprintCounter {
  private readonly seen = new Map<string, number>();

  next(rule: string, uri: string, trimmedLine: string): string {
    const hash = createHash('sha256').update(`${rule}\0${uri}\0${trimmedLine}`).digest('hex').slice(0, 16);
    const occurrence = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  }
}

function invocation(result: ScanResult, ruleIndex: ReadonlyMap<string, number>): object {
  const execution: Notification[] = [];
  for (const scanned of result.files) {
    const at = { artifactLocation: artifactLocation(result.cwd, scanned.file) };
    if (scanned.problem) {
      const problem = scanned.problem;
      const position = problem.kind === 'syntax' ? oneBased(problem.position) : undefined;
      execution.push({
        level: problem.kind === 'syntax' ? 'warning' : 'error',
        message: { text: `${scanned.file}: ${describeProblem(problem)}` },
        locations: [{ physicalLocation: position ? { ...at, region: { startLine: position.line, startColumn: position.column, endLine: position.line, endColumn: position.column } } : at }],
      });
    }
    for (const note of scanned.notes) execution.push({ level: 'note', message: { text: `${scanned.file}: ${note}` }, locations: [{ physicalLocation: at }] });
  }
  for (const failure of result.ruleFailures) {
    execution.push({
      level: 'error',
      message: { text: `rule "${failure.rule}" failed on ${failure.file} (${failure.errorName}) and was skipped for that file` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.cwd, failure.file) } }],
      associatedRule: { id: failure.rule, index: ruleIndex.get(failure.rule) ?? -1 },
    });
  }
  const configuration: Notification[] = result.configMessages.map((m) => {
    const { line, column } = oneBased(m.position);
    return {
      level: 'warning',
      message: { text: m.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.cwd, m.file), region: { startLine: line, startColumn: column, endLine: line, endColumn: column } } }],
    };
  });
  return {
    executionSuccessful: true,
    ...(execution.length > 0 ? { toolExecutionNotifications: execution } : {}),
    ...(configuration.length > 0 ? { toolConfigurationNotifications: configuration } : {}),
  };
}

function region(range: Range): Region {
  const start = oneBased(range.start);
  const end = oneBased(range.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/** Relative to `%SRCROOT%` inside the scanned folder; an absolute file URI outside it. */
function artifactLocation(cwd: string, file: string): ArtifactLocation {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `hardcoded-secret` → `HardcodedSecret`. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The first paragraph of prose in a rule page: not its title, its `**Severity:** …` line, a list or a table. */
function firstParagraph(markdown: string): string | undefined {
  const paragraphs = markdown.split(/\r?\n\s*\r?\n/).map((p) => p.trim());
  const prose = paragraphs.find((p) => p !== '' && !/^(?:#|```|\||<|\*\*|-{3,}|[-*+] |\d+\. )/.test(p));
  return prose?.replace(/\s*\r?\n\s*/g, ' ');
}
