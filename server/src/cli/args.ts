/**
 * The command line's grammar, shared by `keyless scan` and `keyless fix`: options (long, short,
 * `--name=value`), positionals, `--`, and the two errors that end a run with exit 2.
 */

/** A mistake in the command line: exit 2 with a pointer to --help. */
export class UsageError extends Error {}
/** A path or file the user named cannot be used: exit 2. */
export class InputError extends Error {}

export interface OptionSpec {
  long: string;
  short?: string;
  takesValue: boolean;
}

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
export const THRESHOLDS = ['error', 'warning', 'info', 'never'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** The options every command takes: how the report looks and where it goes, settings, help. */
export const REPORT_OPTIONS: readonly OptionSpec[] = [
  { long: '--format', short: '-f', takesValue: true },
  { long: '--output', short: '-o', takesValue: true },
  { long: '--fail-on', takesValue: true },
  { long: '--config', short: '-c', takesValue: true },
  { long: '--quiet', short: '-q', takesValue: false },
  { long: '--help', short: '-h', takesValue: false },
  { long: '--version', takesValue: false },
];

export interface ParsedArguments {
  /** Every value an option was given, in order (the last one wins for single-valued options). */
  values: Map<string, string[]>;
  flags: Set<string>;
  /** The command first, then its paths. */
  positionals: string[];
}

export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArguments {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const spec = specs.find((o) => o.long === name || o.short === name);
    if (!spec) throw new UsageError(`unknown option "${name}"`);
    if (!spec.takesValue) {
      if (equals !== -1) throw new UsageError(`option ${spec.long} takes no value`);
      flags.add(spec.long);
      continue;
    }
    const value = equals !== -1 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option ${spec.long} needs a value`);
    values.set(spec.long, [...(values.get(spec.long) ?? []), value]);
  }
  return { values, flags, positionals };
}

/**
 * The first argument that is neither an option nor an option's value: the command. It is read
 * before the command's own grammar is known, so `specs` must be every command's options.
 */
export function commandOf(argv: readonly string[], specs: readonly OptionSpec[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1];
    if (!arg.startsWith('-') || arg === '-') return arg;
    const spec = specs.find((o) => o.long === arg || o.short === arg);
    if (spec?.takesValue) i++;
  }
  return undefined;
}

export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** The report options every command reads the same way. */
export interface ReportOptions {
  format: Format;
  output: string | undefined;
  failOn: Threshold;
  config: string | undefined;
  /** Only the report: no summary line and no notes on stderr (warnings and errors still go there). */
  quiet: boolean;
}

export function reportOptions(parsed: ParsedArguments): ReportOptions {
  const last = (option: string): string | undefined => parsed.values.get(option)?.at(-1);
  return {
    format: oneOf('--format', last('--format') ?? 'text', FORMATS),
    output: last('--output'),
    failOn: oneOf('--fail-on', last('--fail-on') ?? 'error', THRESHOLDS),
    config: last('--config'),
    quiet: parsed.flags.has('--quiet'),
  };
}
