import type { SecretKind } from '../facts/model';

/**
 * What a credential value looks like. Each detector finds candidates in text; the scanner then
 * keeps only those the syntax tree places inside a value (never a comment or a key).
 *
 * Patterns follow the issuers' documented formats (AWS key ids, GitHub's `ghp_`/`github_pat_`,
 * GitLab's `glpat-`, npm's `npm_`, PyPI's macaroon prefix, Slack's `xox?-`, Azure's `Q~` client
 * secrets, PEM private keys). Values that are only recognisable by the name they are assigned to
 * (an AWS secret access key, an Azure client secret) are matched together with that name.
 *
 * AWS documentation example keys (AKIAIOSFODNN7EXAMPLE…) are reported on purpose: they show the
 * pattern, and a repository that carries them teaches the pattern to the next person.
 */
export interface SecretDetector {
  kind: SecretKind;
  label: string;
  /** Global regex; the value is capture group `group` (default 0). */
  pattern: RegExp;
  group?: number;
  /** Cheap test on the whole text before running `pattern`. */
  hint: (text: string) => boolean;
  /** Rejects candidates that match the shape but are not credentials. */
  accept?: (value: string, text: string, index: number) => boolean;
}

export const DETECTORS: readonly SecretDetector[] = [
  {
    kind: 'aws-access-key-id',
    label: 'AWS access key id',
    pattern: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/g,
    group: 1,
    hint: (t) => t.includes('AKIA') || t.includes('ASIA') || t.includes('ABIA') || t.includes('ACCA'),
  },
  {
    kind: 'aws-secret-access-key',
    label: 'AWS secret access key',
    // The name (env var, YAML/HCL/JSON key, ini entry, `aws configure set` argument) then a 40-character value.
    pattern:
      /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|secret_?key|SecretAccessKey)["']?(?:\s*(?::|=|=>)\s*|\s+)["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    hint: (t) => /secret/i.test(t),
    // A SHA-1 is 40 characters too; an AWS secret mixes cases or carries '/' or '+'.
    accept: (v) => /[a-z]/.test(v) && (/[A-Z]/.test(v) || /[/+]/.test(v)) && /[0-9/+]/.test(v),
  },
  {
    kind: 'private-key',
    label: 'private key',
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g,
    hint: (t) => t.includes('PRIVATE KEY'),
    // A real key has a body; documentation placeholders ("-----BEGIN PRIVATE KEY-----\n...") do not.
    accept: (_value, text, index) => {
      const body = text
        .slice(index, index + 600)
        .replace(/^-----BEGIN [^-]+-----/, '')
        .replace(/(?:Proc-Type|DEK-Info):[^\n\\]*/g, '')
        .replace(/\\[nr]|\s|["',]/g, '');
      return /^[A-Za-z0-9+/=]{64}/.test(body);
    },
  },
  {
    kind: 'azure-client-secret',
    label: 'Azure client secret',
    // Entra ID client secrets since 2021: three characters, a digit, "Q~", then 31-34 characters.
    pattern: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/g,
    group: 1,
    hint: (t) => t.includes('Q~'),
  },
  {
    kind: 'azure-client-secret',
    label: 'Azure client secret',
    // Older secrets have no fixed shape: only a secret-bearing name and a random-looking value tell.
    pattern: /(?:client_?secret|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET)["']?\s*(?::|=)\s*["']?([A-Za-z0-9_~.+/=@:*\[\]-]{16,128})(?![A-Za-z0-9_~.+/=@:*\[\]-])/gi,
    group: 1,
    hint: (t) => /client_?secret/i.test(t),
    accept: (v) => looksRandom(v),
  },
  {
    kind: 'github-token',
    label: 'GitHub token',
    pattern: /(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g,
    group: 1,
    hint: (t) => /gh[pousr]_|github_pat_/.test(t),
  },
  {
    kind: 'gitlab-token',
    label: 'GitLab token',
    pattern: /(?<![A-Za-z0-9_-])((?:glpat|gldt|glrt|glcbt|glptt|glft|glsoat)-[A-Za-z0-9_.-]{20,})(?![A-Za-z0-9_.-])/g,
    group: 1,
    hint: (t) => t.includes('gl'),
    accept: (v) => /\d/.test(v) && /[A-Za-z]/.test(v.slice(v.indexOf('-') + 1)),
  },
  {
    kind: 'npm-token',
    label: 'npm token',
    pattern: /(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    group: 1,
    hint: (t) => t.includes('npm_'),
  },
  {
    kind: 'pypi-token',
    label: 'PyPI token',
    pattern: /(?<![A-Za-z0-9_-])(pypi-AgE[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])/g,
    group: 1,
    hint: (t) => t.includes('pypi-AgE'),
  },
  {
    kind: 'slack-token',
    label: 'Slack token',
    pattern: /(?<![A-Za-z0-9_-])(xox[baprse]-[0-9]{6,}-[A-Za-z0-9-]{8,})(?![A-Za-z0-9_-])/g,
    group: 1,
    hint: (t) => t.includes('xox'),
  },
];

/**
 * A placeholder or reference is not a secret: `${{ secrets.X }}`, `${VAR}`, `$(cmd)`, `{{ .Values }}`,
 * `<your-secret>`, `changeme`, a run of one character.
 */
export function looksRandom(value: string): boolean {
  if (/\$\{|\$\(|\{\{|\(\(|^\$[A-Za-z_]|<[^>]*>/.test(value)) return false;
  if (/^(?:x+|\*+|changeme|change-me|placeholder|replace-?me|secret|password|example|todo|your[-_].*)$/i.test(value)) return false;
  if (/^(.)\1+$/.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return shannonEntropy(value) >= 3.5;
}

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

// `d` gives capture-group indices, so a value matched together with its name has its own span.
const COMPILED = DETECTORS.map((detector) => ({
  detector,
  pattern: new RegExp(detector.pattern.source, detector.pattern.flags.includes('d') ? detector.pattern.flags : `${detector.pattern.flags}d`),
}));

export interface DetectorMatch {
  detector: SecretDetector;
  /** The value (the detector's group, when it has one). */
  value: string;
  start: number;
  end: number;
}

/**
 * Every accepted match of every detector whose cheap hint `text` passes. One loop for the secret
 * scan and the redactor, so what is found and what is masked cannot drift apart. Collected before
 * returning: the patterns are global and shared, and a caller may redact (so match again) between
 * two of its matches.
 */
export function detectorMatches(text: string): DetectorMatch[] {
  const matches: DetectorMatch[] = [];
  for (const { detector, pattern } of COMPILED) {
    if (!detector.hint(text)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const group = detector.group ?? 0;
      const indices = match.indices?.[group];
      const value = match[group];
      if (!indices || value === undefined) continue;
      if (detector.accept && !detector.accept(value, text, indices[0])) continue;
      matches.push({ detector, value, start: indices[0], end: indices[1] });
    }
  }
  return matches;
}
