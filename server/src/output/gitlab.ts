import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/finding';
import { RULES } from '../rules';
import { ruleDocsWebUrl } from '../rules/docs';
import { describeProblem, hasIncompleteFiles, oneBased, pathFromCwd, type ScanResult, type Tool } from './report';

/**
 * `--format gitlab`: a GitLab SAST security report (schema 15.1.4), which a job hands to GitLab as
 * `artifacts: reports: sast:` so that findings show in the merge request and the vulnerability
 * report. Paths are relative to the folder the scan ran in: the project's checkout in a job.
 * Messages arrive redacted; no source text is quoted.
 */

export const GITLAB_SCHEMA_VERSION = '15.1.4';
const GITLAB_SCHEMA_URL = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SCHEMA_VERSION}/dist/sast-report-format.json`;

type GitlabSeverity = 'Info' | 'Unknown' | 'Low' | 'Medium' | 'High' | 'Critical';

/** The same scale as SARIF's security-severity (8.0 high, 5.0 medium, 2.0 low). */
const SEVERITY: Record<Severity, GitlabSeverity> = { error: 'High', warning: 'Medium', info: 'Low' };

/** The identifier type GitLab groups Keyless's findings by: one per rule id. */
const IDENTIFIER_TYPE = 'keyless_rule_id';

export function gitlabReport(result: ScanResult, tool: Tool, now: Date = new Date()): object {
  const titles = new Map(RULES.map((rule) => [rule.id, rule.title]));
  const ids = new Map<string, number>();
  const vulnerabilities = result.files.flatMap((scanned) => scanned.findings.map((f) => vulnerability(f, result.cwd, titles, ids)));
  const messages = result.files.flatMap((scanned) =>
    scanned.problem
      ? [{ level: scanned.problem.kind === 'failure' || scanned.problem.kind === 'internal' ? 'fatal' : 'warn', value: `${pathFromCwd(result.cwd, scanned.file)}: ${describeProblem(scanned.problem)}` }]
      : [],
  );
  for (const failure of result.ruleFailures) {
    messages.push({ level: 'warn', value: `rule "${failure.rule}" failed on ${pathFromCwd(result.cwd, failure.file)} (${failure.errorName}) and was skipped for that file` });
  }
  const analyzer = { id: 'keyless', name: tool.name, version: tool.version, vendor: { name: tool.name }, ...(/^https?:\/\//.test(tool.informationUri) ? { url: tool.informationUri } : {}) };
  return {
    version: GITLAB_SCHEMA_VERSION,
    schema: GITLAB_SCHEMA_URL,
    scan: {
      analyzer,
      scanner: analyzer,
      type: 'sast',
      start_time: gitlabTime(result.startedAt ?? now),
      end_time: gitlabTime(now),
      // An analysis that could not finish is not a clean bill (the CLI exits 2): GitLab says the scan failed.
      status: hasIncompleteFiles(result) ? 'failure' : 'success',
      ...(messages.length > 0 ? { messages } : {}),
      primary_identifiers: RULES.map((rule) => identifier(rule.id)),
    },
    vulnerabilities,
  };
}

export function formatGitlab(result: ScanResult, tool: Tool, now?: Date): string {
  return `${JSON.stringify(gitlabReport(result, tool, now), null, 2)}\n`;
}

function vulnerability(f: Finding, cwd: string, titles: ReadonlyMap<string, string>, ids: Map<string, number>): object {
  const file = pathFromCwd(cwd, f.path);
  const start = oneBased(f.range.start);
  const end = oneBased(f.range.end);
  const related = f.related.map((r) => ({ type: 'file-location', file_name: pathFromCwd(cwd, r.path), line_start: oneBased(r.range.start).line, line_end: oneBased(r.range.end).line }));
  return {
    id: stableId(`${f.rule}\0${file}\0${start.line}:${start.column}\0${f.message}`, ids),
    name: titles.get(f.rule) ?? f.rule,
    description: f.message,
    severity: SEVERITY[f.severity],
    solution: `See ${ruleDocsWebUrl(f.rule)} for the fix and how to suppress it.`,
    identifiers: [identifier(f.rule)],
    links: [{ name: `Keyless rule ${f.rule}`, url: ruleDocsWebUrl(f.rule) }],
    location: { file, start_line: start.line, end_line: end.line },
    ...(related.length > 0 ? { details: { related: { name: 'Related locations', type: 'list', items: related } } } : {}),
  };
}

function identifier(ruleId: string): object {
  return { type: IDENTIFIER_TYPE, name: `Keyless ${ruleId}`, value: ruleId, url: ruleDocsWebUrl(ruleId) };
}

/**
 * A UUID-shaped id from what the finding is, the same on every run of the same tree (GitLab
 * recommends a UUID; a stable one keeps reports diffable). Repeats are told apart by occurrence.
 */
function stableId(key: string, seen: Map<string, number>): string {
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  const hex = createHash('sha256').update(`${key}\0${occurrence}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, as the schema's pattern says (no fraction, no zone). */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}
