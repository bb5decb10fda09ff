/**
 * The command lines of the AWS tools, as far as least privilege reads them: which options take no
 * value, which global options of `aws` take one, which options name what a command acts on, and
 * the IAM prefix of a CLI service name where the two differ.
 *
 * Sources: the AWS CLI v2 command reference
 * (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/index.html) and its global
 * options (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html); the SAM
 * CLI's `sam deploy` reference
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html);
 * service prefixes from the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */

/**
 * Options that take no value — of `aws s3`, `aws ecs`, `aws lambda`, `aws cloudformation deploy`,
 * the CLI's global switches and `sam deploy` — so that the word after one is read as an argument,
 * not as its value.
 */
export const OPTIONS_WITHOUT_VALUE: ReadonlySet<string> = new Set([
  '--delete', '--recursive', '--dryrun', '--quiet', '--follow-symlinks', '--no-follow-symlinks', '--exact-timestamps', '--size-only',
  '--no-progress', '--only-show-errors', '--no-guess-mime-type', '--force-glacier-transfer', '--ignore-glacier-warnings', '--no-paginate',
  '--debug', '--no-verify-ssl', '--no-sign-request', '--no-cli-pager', '--human-readable', '--summarize', '--force-new-deployment',
  '--no-force-new-deployment', '--publish', '--no-publish', '--no-fail-on-empty-changeset', '--fail-on-empty-changeset', '--no-execute-changeset',
  '--resolve-s3', '--no-confirm-changeset', '--confirm-changeset', '--guided', '--force-upload', '--use-json', '--disable-rollback', '--no-disable-rollback',
]);

/** Global options of `aws` that take a value: skipped, with their value, on the way to the service name. */
export const AWS_GLOBAL_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '--region', '--profile', '--output', '--endpoint-url', '--query', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--color', '--cli-binary-format',
]);

/**
 * Options whose values name what a command acts on (`aws`, `sam`, `docker`): kept when a command
 * is quoted in a comment or note, where every other option is left out (a command line may carry
 * a secret).
 */
export const NAMING_OPTIONS: ReadonlySet<string> = new Set([
  '--stack-name', '--function-name', '--service', '--services', '--cluster', '--distribution-id', '--s3-bucket', '--s3-prefix',
  '--task-role-arn', '--execution-role-arn', '--role-arn', '--image-repository', '--region', '--delete', '--recursive', '--push', '-t', '--tag',
]);

/** The IAM prefix of an AWS CLI service name, where the two differ (elsewhere they are the same). */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  s3api: 's3',
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  stepfunctions: 'states',
};

export function iamPrefix(service: string): string {
  return Object.hasOwn(IAM_PREFIXES, service) ? IAM_PREFIXES[service]! : service;
}

export interface AwsCall {
  service: string;
  /** The operation (`sync`, `update-service`); undefined when only options follow the service. */
  operation: string | undefined;
  /** The words after the operation. */
  args: string[];
}

/** `aws [global options] SERVICE OPERATION args…` */
export function awsCall(words: readonly string[]): AwsCall | undefined {
  if (words[0] !== 'aws') return undefined;
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-')) i += AWS_GLOBAL_OPTIONS_WITH_VALUE.has(words[i]!) ? 2 : 1;
  const service = words[i];
  if (!service) return undefined;
  const rest = words.slice(i + 1);
  const opIndex = rest.findIndex((w) => !w.startsWith('-'));
  return { service, operation: opIndex === -1 ? undefined : rest[opIndex], args: opIndex === -1 ? [] : rest.slice(opIndex + 1) };
}

/** The arguments of an AWS CLI command that are not options or option values. */
export function positionals(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word.startsWith('-')) {
      if (!word.includes('=') && !OPTIONS_WITHOUT_VALUE.has(word)) i++;
      continue;
    }
    found.push(word);
  }
  return found;
}

/** `create-change-set` → `CreateChangeSet`: the API operation, and the IAM action's name, of a CLI operation. */
export function pascal(operation: string): string {
  return operation.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : '')).join('');
}
