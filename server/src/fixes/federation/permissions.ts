import { flagValue, hasFlag } from '../../dialects/ci/shell';
import type { JobUsage } from './federation';

/**
 * Least privilege from what a job runs: the AWS actions its commands and actions call, on the
 * resources they name. What cannot be read from the job (a bucket in a variable, what
 * `terraform apply` manages) is never guessed: it becomes a note for a person instead of a grant.
 */

/** The account the role lives in, when the workspace does not say which it is. */
export interface ThisAccount {
  thisAccount: true;
}

/** An ARN in parts: literal text, and the role's own account where its id is not known. */
export type Arn = readonly (string | ThisAccount)[];

export const THIS_ACCOUNT: ThisAccount = { thisAccount: true };

export interface Grant {
  /** A statement id saying what it is for: `S3Objects`, `EcrPush`. */
  sid: string;
  actions: string[];
  resources: Arn[];
  /** `StringEquals` conditions, by key. */
  condition?: Record<string, string>;
  /** The commands or actions it comes from, for a comment. */
  because: string[];
}

export interface InferredPermissions {
  grants: Grant[];
  notes: string[];
}

export interface InferenceContext {
  /** The account id the workspace shows, when it shows exactly one. */
  account?: string;
  /** The region the job uses, when written literally. */
  region?: string;
}

const ECR_PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const CHANGE_SET_DEPLOY = ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet', 'cloudformation:GetTemplateSummary'];
const STACK_RESOURCES_NOTE = 'creates and updates the stack\'s resources with this role\'s own permissions unless it passes a CloudFormation service role (--role-arn): grant what the template manages, or pass a service role';

/** Options of the AWS CLI that take a value, so that the value is not read as an argument. */
const VALUELESS = new Set([
  '--delete', '--recursive', '--dryrun', '--quiet', '--follow-symlinks', '--no-follow-symlinks', '--exact-timestamps', '--size-only',
  '--no-progress', '--only-show-errors', '--no-guess-mime-type', '--force-glacier-transfer', '--ignore-glacier-warnings', '--no-paginate',
  '--debug', '--no-verify-ssl', '--no-sign-request', '--no-cli-pager', '--human-readable', '--summarize', '--force-new-deployment',
  '--no-force-new-deployment', '--publish', '--no-publish', '--no-fail-on-empty-changeset', '--fail-on-empty-changeset', '--no-execute-changeset',
  '--resolve-s3', '--no-confirm-changeset', '--confirm-changeset', '--guided', '--force-upload', '--use-json', '--disable-rollback', '--no-disable-rollback',
]);

export function inferAwsPermissions(usage: JobUsage, context: InferenceContext): InferredPermissions {
  const inference = new Inference(context);
  const commands = usage.commands.map(joinExpressions).map(withoutLauncher);
  const ecrLogin = usage.actions.some((a) => a.action === 'aws-actions/amazon-ecr-login') || commands.some((w) => w[0] === 'aws' && awsCall(w)?.service === 'ecr' && awsCall(w)?.operation === 'get-login-password');
  for (const { action, inputs } of usage.actions) inference.action(action, inputs, ecrLogin);
  for (const words of commands) inference.command(words, ecrLogin);
  return { grants: merge(inference.grants), notes: [...new Set(inference.notes)] };
}

class Inference {
  readonly grants: Grant[] = [];
  readonly notes: string[] = [];

  constructor(private readonly context: InferenceContext) {}

  private grant(sid: string, actions: string[], resources: Arn[], because: string, condition?: Record<string, string>): void {
    this.grants.push({ sid, actions: [...new Set(actions)].sort(), resources, because: [because], ...(condition ? { condition } : {}) });
  }

  private account(): string | ThisAccount {
    return this.context.account ?? THIS_ACCOUNT;
  }

  private region(words?: readonly string[]): string {
    const flag = words ? flagValue(words, '--region') : undefined;
    if (flag && isRegion(flag)) return flag;
    return this.context.region && isRegion(this.context.region) ? this.context.region : '*';
  }

  action(action: string, inputs: Readonly<Record<string, string>>, ecrLogin: boolean): void {
    const input = (name: string): string | undefined => {
      const value = inputs[name]?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    switch (action) {
      case 'aws-actions/amazon-ecr-login':
        this.grant('EcrLogin', ['ecr:GetAuthorizationToken'], [['*']], action);
        return;
      case 'aws-actions/amazon-ecs-render-task-definition':
        // Renders a file locally; it calls ECS only when asked to start from a registered revision.
        if (input('task-definition-arn') || input('task-definition-family')) this.grant('EcsDescribeTaskDefinition', ['ecs:DescribeTaskDefinition'], [['*']], action);
        return;
      case 'aws-actions/amazon-ecs-deploy-task-definition': {
        this.grant('EcsRegisterTaskDefinition', ['ecs:RegisterTaskDefinition'], [['*']], action);
        this.passTaskRoles([], action);
        const service = input('service');
        if (service) this.ecsService(service, input('cluster') ?? 'default', ['ecs:DescribeServices', 'ecs:UpdateService'], action, undefined);
        if (input('codedeploy-appspec') || input('codedeploy-application')) this.notes.push(`${action} deploys through CodeDeploy here: grant the role the CodeDeploy actions on its application and deployment group (not inferred)`);
        return;
      }
      case 'aws-actions/aws-cloudformation-github-deploy': {
        const stack = input('name');
        this.stack(stack, [...CHANGE_SET_DEPLOY, 'cloudformation:DeleteChangeSet'], action, undefined);
        const role = input('role-arn');
        if (role && isLiteral(role)) this.grant('CloudFormationServiceRole', ['iam:PassRole'], [[role]], action);
        else this.notes.push(`${action} ${STACK_RESOURCES_NOTE}`);
        return;
      }
      case 'docker/build-push-action': {
        if (!/^true$/i.test(input('push') ?? '')) return;
        for (const tag of (input('tags') ?? '').split(/[\n,]/).map((t) => t.trim()).filter(Boolean)) this.ecrImage(tag, ECR_PUSH, 'EcrPush', `${action} (tags)`, ecrLogin);
        return;
      }
      default:
        if (action.startsWith('aws-actions/') && action !== 'aws-actions/configure-aws-credentials') this.notes.push(`${action}: its permissions are not inferred; grant what it calls`);
    }
  }

  command(words: readonly string[], ecrLogin: boolean): void {
    const shown = summary(words);
    const tool = words[0];
    if (tool === 'aws') return this.aws(words, shown);
    if (tool === 'docker' || tool === 'podman') return this.docker(words, shown, ecrLogin);
    if (tool === 'sam' && words[1] === 'deploy') return this.samDeploy(words, shown);
    if ((tool === 'cdk' || tool === 'aws-cdk') && words.includes('deploy')) return this.cdkDeploy(shown);
    if ((tool === 'terraform' || tool === 'tofu' || tool === 'terragrunt') && words.some((w) => /^(?:plan|apply|destroy|import|refresh|run-all)$/.test(w))) {
      this.notes.push(`\`${tool} ${words.find((w) => /^(?:plan|apply|destroy|import|refresh|run-all)$/.test(w))}\` needs the permissions of everything the Terraform code manages (and its state backend): Keyless does not guess them; grant them to the role`);
      return;
    }
    if (tool === 'pulumi' && /^(?:up|preview|destroy|refresh)$/.test(words[1] ?? '')) {
      this.notes.push(`\`pulumi ${words[1]}\` needs the permissions of everything the program manages: Keyless does not guess them; grant them to the role`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // The AWS CLI

  private aws(words: readonly string[], shown: string): void {
    const call = awsCall(words);
    if (!call) return;
    const { service } = call;
    const operation = call.operation ?? '';
    const key = `${service} ${operation}`;
    const region = this.region(words);
    switch (key) {
      case 's3 sync':
      case 's3 cp':
      case 's3 mv':
        return this.s3Transfer(operation, words, call.args, shown);
      case 's3 rm': {
        const target = s3Target(positionals(call.args)[0]);
        if (!target) return this.unnamed(shown, 'bucket');
        this.grant('S3DeleteObjects', ['s3:DeleteObject'], [this.s3Objects(target, hasFlag(words, '--recursive'))], shown);
        if (hasFlag(words, '--recursive')) this.grant('S3ListBucket', ['s3:ListBucket'], [this.s3Bucket(target.bucket)], shown);
        return;
      }
      case 's3 ls': {
        const url = positionals(call.args)[0];
        if (!url) return this.grant('S3ListBuckets', ['s3:ListAllMyBuckets'], [['*']], shown);
        const target = s3Target(url);
        if (!target) return this.unnamed(shown, 'bucket');
        return this.grant('S3ListBucket', ['s3:ListBucket'], [this.s3Bucket(target.bucket)], shown);
      }
      case 'ecr get-login-password':
        return this.grant('EcrLogin', ['ecr:GetAuthorizationToken'], [['*']], shown);
      case 'ecs update-service': {
        const service = flagValue(words, '--service');
        if (!service) return this.unnamed(shown, 'service');
        return this.ecsService(service, flagValue(words, '--cluster') ?? 'default', ['ecs:DescribeServices', 'ecs:UpdateService'], shown, region);
      }
      case 'ecs describe-services':
      case 'ecs wait': {
        const services = valuesOf(words, '--services');
        if (services.length === 0) return this.unnamed(shown, 'service');
        for (const service of services) this.ecsService(service, flagValue(words, '--cluster') ?? 'default', ['ecs:DescribeServices'], shown, region);
        return;
      }
      case 'ecs register-task-definition': {
        this.grant('EcsRegisterTaskDefinition', ['ecs:RegisterTaskDefinition'], [['*']], shown);
        const roles = ['--task-role-arn', '--execution-role-arn'].map((flag) => flagValue(words, flag)).filter((r): r is string => r !== undefined);
        return this.passTaskRoles(roles, shown);
      }
      case 'lambda update-function-code':
      case 'lambda update-function-configuration':
      case 'lambda publish-version':
      case 'lambda get-function':
      case 'lambda get-function-configuration':
      case 'lambda invoke':
      case 'lambda update-alias':
      case 'lambda wait':
        return this.lambda(operation, words, shown, region);
      case 'cloudformation deploy': {
        this.stack(flagValue(words, '--stack-name'), CHANGE_SET_DEPLOY, shown, region);
        const bucket = flagValue(words, '--s3-bucket');
        if (bucket) this.artifactBucket(bucket, flagValue(words, '--s3-prefix'), shown);
        return this.serviceRoleOrNote(words, shown);
      }
      case 'cloudformation create-stack':
      case 'cloudformation update-stack':
      case 'cloudformation delete-stack':
      case 'cloudformation describe-stacks':
      case 'cloudformation create-change-set':
      case 'cloudformation execute-change-set':
      case 'cloudformation describe-change-set': {
        const action = `cloudformation:${pascal(operation)}`;
        this.stack(flagValue(words, '--stack-name'), action === 'cloudformation:DescribeStacks' ? [action] : [action, 'cloudformation:DescribeStacks'], shown, region);
        if (/^(?:create|update)-/.test(operation)) this.serviceRoleOrNote(words, shown);
        return;
      }
      case 'cloudfront create-invalidation':
      case 'cloudfront get-invalidation':
      case 'cloudfront wait': {
        const id = flagValue(words, '--distribution-id');
        if (!id || !isLiteral(id)) return this.unnamed(shown, 'distribution');
        const actions = operation === 'create-invalidation' ? ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'] : ['cloudfront:GetInvalidation'];
        return this.grant('CloudFrontInvalidation', actions, [['arn:aws:cloudfront::', this.account(), `:distribution/${id}`]], shown);
      }
      case 'sts get-caller-identity':
      case 'sts assume-role-with-web-identity':
        return;
      default:
        if (service === 'configure' || operation === '' || operation.startsWith('-')) return;
        this.notes.push(`\`aws ${key}\` is not inferred: grant ${iamPrefix(service)}:${pascal(operation)} on what it touches`);
    }
  }

  private s3Transfer(operation: string, words: readonly string[], args: readonly string[], shown: string): void {
    const [from, to] = positionals(args);
    if (!from || !to) return;
    const source = from.startsWith('s3://') ? s3Target(from) : undefined;
    const destination = to.startsWith('s3://') ? s3Target(to) : undefined;
    if ((from.startsWith('s3://') && !source) || (to.startsWith('s3://') && !destination)) return this.unnamed(shown, 'bucket');
    const recursive = operation === 'sync' || hasFlag(words, '--recursive');
    if (source) {
      if (recursive) this.grant('S3ListBucket', ['s3:ListBucket'], [this.s3Bucket(source.bucket)], shown);
      this.grant('S3ReadObjects', operation === 'mv' ? ['s3:GetObject', 's3:DeleteObject'] : ['s3:GetObject'], [this.s3Objects(source, recursive)], shown);
    }
    if (destination) {
      if (operation === 'sync') this.grant('S3ListBucket', ['s3:ListBucket'], [this.s3Bucket(destination.bucket)], shown);
      const writes = ['s3:PutObject'];
      if (operation === 'sync' && hasFlag(words, '--delete')) writes.push('s3:DeleteObject');
      if (hasFlag(words, '--acl') || hasFlag(words, '--grants')) writes.push('s3:PutObjectAcl');
      this.grant('S3WriteObjects', writes, [this.s3Objects(destination, recursive)], shown);
      const sse = flagValue(words, '--sse');
      if (sse === 'aws:kms' || hasFlag(words, '--sse-kms-key-id')) this.notes.push(`\`${shown}\` encrypts with KMS: grant kms:GenerateDataKey on its key`);
    }
  }

  private s3Bucket(bucket: string): Arn {
    return [`arn:aws:s3:::${bucket}`];
  }

  private s3Objects(target: S3Target, recursive: boolean): Arn {
    if (!recursive && target.key !== undefined) return [`arn:aws:s3:::${target.bucket}/${target.key}`];
    return [`arn:aws:s3:::${target.bucket}/${target.prefix}*`];
  }

  private artifactBucket(bucket: string, prefix: string | undefined, shown: string): void {
    if (!isLiteral(bucket)) return this.unnamed(shown, 'artifact bucket');
    const keyPrefix = prefix && isLiteral(prefix) ? `${prefix.replace(/^\/|\/$/g, '')}/` : '';
    this.grant('ArtifactObjects', ['s3:GetObject', 's3:PutObject'], [[`arn:aws:s3:::${bucket}/${keyPrefix}*`]], shown);
  }

  private ecsService(service: string, cluster: string, actions: string[], because: string, region: string | undefined): void {
    if (!isLiteral(service) || !isLiteral(cluster)) return this.unnamed(because, 'ECS service');
    if (service.startsWith('arn:')) return this.grant('EcsService', actions, [[service]], because);
    const clusterArn = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/.exec(cluster);
    const arn: Arn = clusterArn
      ? [`arn:aws:ecs:${clusterArn[1]}:${clusterArn[2]}:service/${clusterArn[3]}/${service}`]
      : [`arn:aws:ecs:${region ?? this.region()}:`, this.account(), `:service/${cluster}/${service}`];
    this.grant('EcsService', actions, [arn], because);
  }

  /**
   * Registering a task definition passes its task and execution roles. Named literally, they are
   * the resources; otherwise PassRole is limited to handing roles to ECS tasks.
   */
  private passTaskRoles(roles: readonly string[], because: string): void {
    const named = roles.filter((r) => isLiteral(r) && r.startsWith('arn:'));
    if (named.length > 0 && named.length === roles.length) {
      this.grant('EcsPassTaskRoles', ['iam:PassRole'], named.map((r) => [r]), because);
      return;
    }
    this.grant('EcsPassTaskRoles', ['iam:PassRole'], [['arn:aws:iam::', this.account(), ':role/*']], because, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' });
    this.notes.push(`${because}: the task definition's task and execution roles are not named in the job, so iam:PassRole is limited to passing roles to ECS tasks; pin it to those roles`);
  }

  private lambda(operation: string, words: readonly string[], shown: string, region: string): void {
    const name = flagValue(words, '--function-name');
    if (!name || !isLiteral(name)) return this.unnamed(shown, 'function');
    const arn: Arn = name.startsWith('arn:') ? [name] : [`arn:aws:lambda:${region}:`, this.account(), `:function:${name}`];
    const actions: Record<string, string[]> = {
      'update-function-code': ['lambda:UpdateFunctionCode', ...(hasFlag(words, '--publish') ? ['lambda:PublishVersion'] : [])],
      'update-function-configuration': ['lambda:UpdateFunctionConfiguration'],
      'publish-version': ['lambda:PublishVersion'],
      'get-function': ['lambda:GetFunction'],
      'get-function-configuration': ['lambda:GetFunctionConfiguration'],
      invoke: ['lambda:InvokeFunction'],
      'update-alias': ['lambda:UpdateAlias'],
      wait: ['lambda:GetFunction', 'lambda:GetFunctionConfiguration'],
    };
    this.grant('LambdaFunction', actions[operation] ?? [], [arn], shown);
    const bucket = flagValue(words, '--s3-bucket');
    const key = flagValue(words, '--s3-key');
    if (bucket && key && isLiteral(bucket) && isLiteral(key)) this.grant('LambdaCodeObject', ['s3:GetObject'], [[`arn:aws:s3:::${bucket}/${key}`]], shown);
    else if (bucket) this.unnamed(shown, 'code object');
  }

  private stack(name: string | undefined, actions: string[], because: string, region: string | undefined): void {
    if (!name || !isLiteral(name)) return this.unnamed(because, 'stack');
    this.grant('CloudFormationStack', actions, [[`arn:aws:cloudformation:${region ?? this.region()}:`, this.account(), `:stack/${name}/*`]], because);
  }

  private serviceRoleOrNote(words: readonly string[], shown: string): void {
    const role = flagValue(words, '--role-arn');
    if (role && isLiteral(role) && role.startsWith('arn:')) this.grant('CloudFormationServiceRole', ['iam:PassRole'], [[role]], shown);
    else this.notes.push(`\`${shown}\` ${STACK_RESOURCES_NOTE}`);
  }

  // -------------------------------------------------------------------------------------------
  // Containers, SAM, CDK

  private docker(words: readonly string[], shown: string, ecrLogin: boolean): void {
    if (words[1] === 'push' && words[2]) return this.ecrImage(words[words.length - 1]!, ECR_PUSH, 'EcrPush', shown, ecrLogin);
    if (words[1] === 'pull' && words[2]) return this.ecrImage(words[words.length - 1]!, ECR_PULL, 'EcrPull', shown, ecrLogin);
    const buildx = words[1] === 'buildx' ? words.slice(2) : words.slice(1);
    if (buildx[0] === 'build' && hasFlag(words, '--push')) {
      for (const tag of valuesOf(words, '-t', '--tag')) this.ecrImage(tag, ECR_PUSH, 'EcrPush', shown, ecrLogin);
    }
  }

  private ecrImage(reference: string, actions: string[], sid: string, because: string, ecrLogin: boolean): void {
    const image = ecrRepository(reference, ecrLogin);
    if (!image) return;
    if (!image.repository) return this.unnamed(because, 'ECR repository');
    const region = image.region ?? this.region();
    this.grant(sid, actions, [[`arn:aws:ecr:${region}:`, image.account ?? this.account(), `:repository/${image.repository}`]], because);
  }

  private samDeploy(words: readonly string[], shown: string): void {
    const region = this.region(words);
    this.stack(flagValue(words, '--stack-name'), CHANGE_SET_DEPLOY, shown, region);
    const bucket = flagValue(words, '--s3-bucket');
    if (bucket) this.artifactBucket(bucket, flagValue(words, '--s3-prefix'), shown);
    else if (hasFlag(words, '--resolve-s3')) {
      // SAM keeps its artifacts in the bucket of a stack it manages itself.
      this.grant('SamManagedStack', ['cloudformation:DescribeStacks'], [[`arn:aws:cloudformation:${region}:`, this.account(), ':stack/aws-sam-cli-managed-default/*']], shown);
      this.grant('SamArtifactObjects', ['s3:GetObject', 's3:PutObject'], [['arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*']], shown);
    } else this.notes.push(`\`${shown}\`: its artifact bucket is not named (samconfig.toml?): grant s3:PutObject and s3:GetObject on it`);
    const repository = flagValue(words, '--image-repository');
    if (repository) this.ecrImage(repository, ECR_PUSH, 'EcrPush', shown, true);
    this.serviceRoleOrNote(words, shown);
  }

  private cdkDeploy(shown: string): void {
    this.grant('CdkBootstrapRoles', ['sts:AssumeRole'], [['arn:aws:iam::', this.account(), ':role/cdk-hnb659fds-*']], shown);
    this.notes.push(`\`${shown}\` works through the CDK bootstrap roles (qualifier hnb659fds): CloudFormation and asset publishing run with their permissions, so the role only assumes them; a custom bootstrap qualifier needs its own role names here`);
  }

  private unnamed(because: string, what: string): void {
    this.notes.push(`\`${because}\`: the ${what} is not written literally, so no permission is granted for it; grant it on the ${what} the job uses`);
  }
}

// ---------------------------------------------------------------------------------------------
// Words

/** Options whose values name what a command acts on: kept when a command is quoted in a comment. */
const NAMING_OPTIONS = new Set([
  '--stack-name', '--function-name', '--service', '--services', '--cluster', '--distribution-id', '--s3-bucket', '--s3-prefix',
  '--task-role-arn', '--execution-role-arn', '--role-arn', '--image-repository', '--region', '--delete', '--recursive', '--push', '-t', '--tag',
]);

/**
 * A command as comments and notes quote it: the words before its first option, and the options
 * that name resources. Anything else is left out (a command line may carry a secret).
 */
function summary(words: readonly string[]): string {
  const kept: string[] = [];
  let options = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) options = true;
    if (!options) {
      kept.push(word);
      continue;
    }
    const [flag] = word.split('=', 1);
    if (!NAMING_OPTIONS.has(flag!)) continue;
    kept.push(word);
    if (word.includes('=') || VALUELESS.has(word)) continue;
    // `--services a b` takes a list; the others one value.
    while (words[i + 1] !== undefined && !words[i + 1]!.startsWith('-')) {
      kept.push(words[++i]!);
      if (word !== '--services') break;
    }
  }
  return kept.join(' ');
}

/** `${{ steps.login.outputs.registry }}/app` was split at its spaces: joined back into one word. */
function joinExpressions(words: readonly string[]): string[] {
  const joined: string[] = [];
  let open: string | undefined;
  for (const word of words) {
    if (open !== undefined) {
      open = `${open} ${word}`;
      if (word.includes('}}')) {
        joined.push(open);
        open = undefined;
      }
    } else if (word.includes('${{') && !word.slice(word.indexOf('${{')).includes('}}')) open = word;
    else joined.push(word);
  }
  if (open !== undefined) joined.push(open);
  return joined;
}

/** `npx cdk deploy`, `yarn cdk deploy`, `pnpm exec sam deploy` → the tool's own words. */
function withoutLauncher(words: readonly string[]): string[] {
  let rest = [...words];
  for (let i = 0; i < 3; i++) {
    const first = rest[0];
    if (first === 'npx' || first === 'bunx' || first === 'pipx') rest = rest.slice(1).filter((w, j) => j > 0 || !w.startsWith('-'));
    else if ((first === 'pnpm' || first === 'yarn' || first === 'npm' || first === 'poetry' || first === 'pipenv' || first === 'uv') && ['exec', 'dlx', 'run'].includes(rest[1] ?? '')) rest = rest.slice(2);
    else if ((first === 'yarn' || first === 'pnpm') && ['cdk', 'sam', 'terraform', 'aws-cdk'].includes(rest[1] ?? '')) rest = rest.slice(1);
    else break;
    if (rest[0] === '--') rest = rest.slice(1);
  }
  if (rest[0] === 'aws-cdk') rest[0] = 'cdk';
  return rest;
}

const AWS_GLOBAL_VALUED = new Set(['--region', '--profile', '--output', '--endpoint-url', '--query', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--color', '--cli-binary-format']);

/** `aws [global options] SERVICE OPERATION args…` */
function awsCall(words: readonly string[]): { service: string; operation: string | undefined; args: string[] } | undefined {
  if (words[0] !== 'aws') return undefined;
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-')) i += AWS_GLOBAL_VALUED.has(words[i]!) ? 2 : 1;
  const service = words[i];
  if (!service) return undefined;
  const rest = words.slice(i + 1);
  const opIndex = rest.findIndex((w) => !w.startsWith('-'));
  return { service, operation: opIndex === -1 ? undefined : rest[opIndex], args: opIndex === -1 ? [] : rest.slice(opIndex + 1) };
}

/** The arguments of an AWS CLI command that are not options or option values. */
function positionals(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word.startsWith('-')) {
      if (!word.includes('=') && !VALUELESS.has(word)) i++;
      continue;
    }
    found.push(word);
  }
  return found;
}

/** Every value of a repeatable option, and the values after one that takes a list (`--services a b`). */
function valuesOf(words: readonly string[], ...flags: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const inline = flags.find((f) => word.startsWith(`${f}=`));
    if (inline) values.push(word.slice(inline.length + 1));
    else if (flags.includes(word)) {
      for (let j = i + 1; j < words.length && !words[j]!.startsWith('-'); j++) {
        values.push(words[j]!);
        if (word !== '--services') break;
      }
    }
  }
  return values;
}

interface S3Target {
  bucket: string;
  /** The literal part of the key up to its last `/` (`site/`), `''` for the whole bucket. */
  prefix: string;
  /** The whole key, when it is literal and names one object. */
  key?: string;
}

function s3Target(url: string | undefined): S3Target | undefined {
  const match = url ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(url) : null;
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1]!)) return undefined;
  const bucket = match[1]!;
  const key = match[2]!;
  const dynamic = key.search(/[$`{}*?]/);
  if (dynamic !== -1) {
    // `releases/$VERSION/app.zip`: what is known is the folder before the variable.
    const literal = key.slice(0, dynamic);
    return { bucket, prefix: literal.slice(0, literal.lastIndexOf('/') + 1) };
  }
  if (key === '' || key.endsWith('/')) return { bucket, prefix: key };
  // `s3://bucket/site` is the object `site` when copied to, the folder `site/` when synced.
  return { bucket, prefix: `${key}/`, key };
}

/** An ECR image reference: the repository, and the account and region its registry names. */
function ecrRepository(reference: string, ecrLogin: boolean): { account?: string; region?: string; repository?: string } | undefined {
  const literal = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/.exec(reference);
  let path: string;
  let registry: { account?: string; region?: string } = {};
  if (literal) {
    registry = { account: literal[1]!, region: literal[2]! };
    path = literal[3]!;
  } else {
    // A registry held in a variable or a step output (`$ECR_REGISTRY/app`) is ECR when the job logs in to ECR.
    const slash = reference.indexOf('/');
    if (!ecrLogin || slash === -1 || !reference.slice(0, slash).includes('$')) return undefined;
    path = reference.slice(slash + 1);
  }
  const withoutDigest = path.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  return { ...registry, ...(isLiteral(repository) && /^[a-z0-9][a-z0-9._/-]*$/.test(repository) ? { repository } : {}) };
}

/** A name written out, not taken from a variable, an expression or a glob. */
function isLiteral(value: string): boolean {
  return value !== '' && !/[$`{}*?<>()\s"']/.test(value);
}

function isRegion(value: string): boolean {
  return /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(value);
}

function pascal(operation: string): string {
  return operation.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : '')).join('');
}

/** The IAM prefix of an AWS CLI service name where they differ. */
function iamPrefix(service: string): string {
  const prefixes: Record<string, string> = { s3api: 's3', 'ecr-public': 'ecr-public', logs: 'logs', 'elbv2': 'elasticloadbalancing', elb: 'elasticloadbalancing', 'secretsmanager': 'secretsmanager', 'stepfunctions': 'states', 'es': 'es' };
  return prefixes[service] ?? service;
}

// ---------------------------------------------------------------------------------------------
// Statements

/**
 * Grants with the same purpose, resources and condition become one statement; otherwise each
 * keeps its own (a union of resources across actions would grant writes where only reads were
 * seen). Statement ids are made unique, as IAM requires.
 */
function merge(grants: readonly Grant[]): Grant[] {
  const merged = new Map<string, Grant>();
  for (const grant of grants) {
    const key = `${grant.sid}|${JSON.stringify(grant.resources)}|${JSON.stringify(grant.condition ?? {})}`;
    const existing = merged.get(key);
    if (existing) {
      existing.actions = [...new Set([...existing.actions, ...grant.actions])].sort();
      existing.because = [...new Set([...existing.because, ...grant.because])];
    } else merged.set(key, { ...grant, actions: [...grant.actions], because: [...grant.because] });
  }
  // The same actions for the same purpose on several resources (two services of one wait) read as one statement.
  const byActions = new Map<string, Grant>();
  for (const grant of merged.values()) {
    const key = `${grant.sid}|${grant.actions.join(',')}|${JSON.stringify(grant.condition ?? {})}`;
    const existing = byActions.get(key);
    if (existing) {
      for (const resource of grant.resources) if (!existing.resources.some((r) => JSON.stringify(r) === JSON.stringify(resource))) existing.resources.push(resource);
      existing.because = [...new Set([...existing.because, ...grant.because])];
    } else byActions.set(key, { ...grant, resources: [...grant.resources] });
  }
  const result = [...byActions.values()].filter((g) => g.actions.length > 0);
  const seen = new Map<string, number>();
  for (const grant of result) {
    const n = (seen.get(grant.sid) ?? 0) + 1;
    seen.set(grant.sid, n);
    if (n > 1) grant.sid = `${grant.sid}${n}`;
  }
  return result;
}
