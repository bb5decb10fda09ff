import type { MintedCredential } from '../../facts/model';
import { literalString, type TfBlock, type TfExpr } from './model';

/**
 * Registry modules that mint a long-lived key when applied, and the inputs that decide it. Each row
 * was read from the module's own `variables.tf` and `main.tf` at its tags:
 *
 * - terraform-aws-modules/iam/aws//modules/iam-user (github.com/terraform-aws-modules/terraform-aws-iam):
 *   `create_iam_access_key`, default `true`, from v0.0.3 through v5.x; renamed `create_access_key`,
 *   default `true`, from v6.0.0 (checked through v6.5.0). Nothing is created when `create_user`
 *   (through v5.x) or `create` (v6) is false.
 * - cloudposse/iam-system-user/aws (github.com/cloudposse/terraform-aws-iam-system-user): always
 *   creates a key before 0.20.0; `create_iam_access_key`, default `true`, from 0.20.0 (checked
 *   through 1.2.1). Nothing is created when `enabled` (the null-label context) is false.
 * - cloudposse/iam-s3-user/aws (github.com/cloudposse/terraform-aws-iam-s3-user): wraps
 *   iam-system-user; `create_iam_access_key`, default `true`, from 1.0.0 (always a key before).
 */
interface KeyModule {
  /** The registry address, lowercase, as `namespace/name/provider[//subdir]`. */
  source: string;
  /** Inputs that switch the key on or off (the names of every version, oldest first). */
  keyInputs: readonly string[];
  /** The first major version that names it `keyInputs[1]`, for messages about a default. */
  renamedIn?: number;
  /** Inputs that switch the whole module off. */
  gates: readonly string[];
}

const KEY_MODULES: readonly KeyModule[] = [
  { source: 'terraform-aws-modules/iam/aws//modules/iam-user', keyInputs: ['create_iam_access_key', 'create_access_key'], renamedIn: 6, gates: ['create_user', 'create'] },
  { source: 'cloudposse/iam-system-user/aws', keyInputs: ['create_iam_access_key'], gates: ['enabled'] },
  { source: 'cloudposse/iam-s3-user/aws', keyInputs: ['create_iam_access_key'], gates: ['enabled'] },
];

/**
 * The key a `module` block mints, if its source is one of the table's and its inputs leave the key
 * on: written `true`, or absent (the default). An input whose value comes from a variable or an
 * expression cannot be judged where it is written and is not reported, as trusts built from
 * variables are not; a module switched off by a literal `false` mints nothing.
 */
export function moduleMintedKey(block: TfBlock): MintedCredential | undefined {
  const source = literalString(block.attribute('source')?.value);
  if (source === undefined) return undefined;
  const address = registryAddress(source);
  const known = KEY_MODULES.find((m) => m.source === address);
  if (!known) return undefined;
  for (const gate of known.gates) if (literalBool(block.attribute(gate)?.value) === false) return undefined;
  const written = known.keyInputs.map((name) => block.attribute(name)).find((a) => a !== undefined);
  if (written) {
    const value = literalBool(written.value);
    if (value !== true) return undefined;
  }
  return {
    origin: 'minted',
    kind: 'aws-access-key-id',
    resourceType: 'module',
    resourceName: block.labels[0] ?? '',
    anchor: block.headerSpan,
    cloud: 'aws',
    syntax: block,
    module: { source: known.source, input: written?.name ?? defaultInput(known, block, source), byDefault: written === undefined },
  };
}

/** The input's name in the version the block asks for (`version = "~> 6.0"`, `?ref=v6.1.0`), else the older name. */
function defaultInput(known: KeyModule, block: TfBlock, source: string): string {
  const version = literalString(block.attribute('version')?.value) ?? /[?&]ref=(?:tags\/)?v?(\d[^&]*)/.exec(source)?.[1];
  const major = Number(/(\d+)/.exec(version ?? '')?.[1]);
  return known.renamedIn !== undefined && major >= known.renamedIn ? known.keyInputs[1]! : known.keyInputs[0]!;
}

/** `true`/`false`, also written as strings (Terraform converts them); undefined for anything else. */
function literalBool(expr: TfExpr | undefined): boolean | undefined {
  if (expr === undefined) return undefined;
  const text = expr.kind === 'bool' ? expr.text : expr.kind === 'string' && !expr.template ? expr.value : undefined;
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/**
 * A module source as its registry address: `terraform-aws-modules/iam/aws//modules/iam-user` from
 * the registry form (with or without `registry.terraform.io/`), and from the GitHub forms
 * Terraform accepts (`github.com/ORG/terraform-PROVIDER-NAME//sub`, `git::https://….git//sub?ref=…`,
 * `git@github.com:….git`), which by the registry's naming rule hold the same module.
 */
export function registryAddress(source: string): string {
  let s = source.trim().toLowerCase();
  s = s.replace(/^git::/, '').replace(/^(?:https?|ssh|git):\/\//, '').replace(/^git@github\.com[:/]/, 'github.com/');
  s = s.replace(/\?.*$/, '').replace(/^registry\.terraform\.io\//, '');
  const [root = '', ...rest] = s.split('//');
  const sub = rest.length > 0 ? `//${rest.join('//').replace(/\/+$/, '')}` : '';
  const github = /^github\.com\/([^/]+)\/terraform-([a-z0-9]+)-(.+?)(?:\.git)?\/?$/.exec(root);
  if (github) return `${github[1]}/${github[3]}/${github[2]}${sub}`;
  return `${root.replace(/\/+$/, '')}${sub}`;
}
