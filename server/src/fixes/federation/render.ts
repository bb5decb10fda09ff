/**
 * Small rendering helpers for the IaC that federation fixes write: HCL strings and aligned
 * attributes (as `terraform fmt` would lay them out), comments, and names that satisfy each
 * cloud's rules.
 */

/** A string as an HCL quoted string: quotes and backslashes escaped, `${` and `%{` kept literal. */
export function hclString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{').replace(/\n/g, '\\n')}"`;
}

/**
 * A string as an HCL quoted template whose `${…}` parts are interpolations Keyless wrote on
 * purpose (`${data.aws_caller_identity.current.account_id}`); everything else is escaped.
 */
export function hclTemplate(parts: readonly (string | { interpolate: string })[]): string {
  return `"${parts.map((part) => (typeof part === 'string' ? hclString(part).slice(1, -1) : `\${${part.interpolate}}`)).join('')}"`;
}

/** `key = value` lines with their `=` aligned, as `terraform fmt` does for consecutive one-line attributes. */
export function alignedAttributes(pairs: readonly (readonly [key: string, value: string])[], indent: string): string[] {
  const width = Math.max(0, ...pairs.filter(([, value]) => !value.includes('\n')).map(([key]) => key.length));
  return pairs.map(([key, value]) => (value.includes('\n') ? `${indent}${key} = ${value}` : `${indent}${key.padEnd(width)} = ${value}`));
}

/** Text wrapped into comment lines of at most `width` characters. */
export function commentLines(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && prefix.length + 1 + line.length + 1 + word.length > width) {
        lines.push(`${prefix} ${line}`);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line === '' ? prefix : `${prefix} ${line}`);
  }
  return lines;
}

/** Lower-case words of a name joined by `-`: `Acme_App.Web` → `acme-app-web`. */
export function kebab(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** An IAM role name: `[\w+=,.@-]`, at most 64 characters. */
export function iamName(parts: readonly string[]): string {
  return parts.map(kebab).filter(Boolean).join('-').slice(0, 64).replace(/-+$/, '');
}

/** A Terraform identifier (`[A-Za-z_][A-Za-z0-9_-]*`), from a name. */
export function terraformLabel(name: string): string {
  const label = kebab(name).replace(/-/g, '_');
  return /^[a-z_]/.test(label) ? label : `_${label}`;
}

/** A CloudFormation logical id (alphanumeric), from name parts: `GhaAppProduction`. */
export function logicalId(parts: readonly string[]): string {
  const id = parts
    .flatMap((part) => kebab(part).split('-'))
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return /^[A-Za-z]/.test(id) ? id : `R${id}`;
}

/** An id for GCP (`[a-z][a-z0-9-]*[a-z0-9]`, between `min` and `max` characters). */
export function gcpId(parts: readonly string[], min: number, max: number): string {
  let id = parts.map(kebab).filter(Boolean).join('-');
  if (!/^[a-z]/.test(id)) id = `k-${id}`;
  id = id.slice(0, max).replace(/-+$/, '');
  while (id.length < min) id = `${id}-id`.slice(0, max);
  return id;
}
