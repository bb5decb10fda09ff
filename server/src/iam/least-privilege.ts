import { flagValue, hasFlag } from '../syntax/shell';
import { THIS_ACCOUNT, type Arn, type ThisAccount } from './arn';
import { awsCall, NAMING_OPTIONS, OPTIONS_WITHOUT_VALUE, iamPrefix, pascal, positionals } from './aws-cli';
import {
  ARTIFACT_OBJECTS,
  awsCliOperation,
  CDK_BOOTSTRAP_ROLES,
  CDK_DEFAULT_QUALIFIER,
  CHANGE_SET_DEPLOY,
  CHANGE_SET_DEPLOY_ACTION,
  CLOUDFORMATION_SERVICE_ROLE,
  ECR_LOGIN,
  ECR_PULL,
  ECR_PUSH,
  ECS_DEPLOY_SERVICE,
  ECS_DESCRIBE_TASK_DEFINITION,
  ECS_PASS_TASK_ROLES,
  ECS_REGISTER_TASK_DEFINITION,
  ECS_TASKS_SERVICE,
  LAMBDA_CODE_OBJECT,
  S3_KMS_ACTION,
  S3_LIST_BUCKET,
  SAM_ARTIFACT_OBJECTS,
  SAM_MANAGED_BUCKET_PATTERN,
  SAM_MANAGED_STACK,
  SAM_MANAGED_STACK_NAME,
  type AwsCliOperation,
  type Permission,
} from './command-actions';
import { mergeGrants, type Grant } from './grant';

/**
 * Least privilege from what a job runs: the AWS actions its commands and actions call, on the
 * resources they name. What cannot be read from the job (a bucket in a variable, what
 * `terraform apply` manages) is never guessed: it becomes a note for a person instead of a grant.
 * The actions come from the tables of `command-actions.ts`; this reads the resources.
 */

/** What the job does: the commands its scripts run and the actions it uses. */
export interface JobUsage {
  /** Shell commands, words split (`['aws', 's3', 'sync', './site', 's3://bucket']`). */
  commands: readonly (readonly string[])[];
  /** Actions (`uses:`), lower-cased `owner/repo`, with their literal inputs. */
  actions: readonly { action: string; inputs: Readonly<Record<string, string>> }[];
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

const STACK_RESOURCES_NOTE = 'creates and updates the stack\'s resources with this role\'s own permissions unless it passes a CloudFormation service role (--role-arn): grant what the template manages, or pass a service role';

export function inferAwsPermissions(usage: JobUsage, context: InferenceContext): InferredPermissions {
  const inference = new Inference(context);
  const commands = usage.commands.map(joinExpressions).map(withoutLauncher);
  const ecrLogin = usage.actions.some((a) => a.action === 'aws-actions/amazon-ecr-login') || commands.some((w) => w[0] === 'aws' && awsCall(w)?.service === 'ecr' && awsCall(w)?.operation === 'get-login-password');
  for (const { action, inputs } of usage.actions) inference.action(action, inputs, ecrLogin);
  for (const words of commands) inference.command(words, ecrLogin);
  return { grants: mergeGrants(inference.grants), notes: [...new Set(inference.notes)] };
}

class Inference {
  readonly grants: Grant[] = [];
  readonly notes: string[] = [];

  constructor(private readonly context: InferenceContext) {}

  private grant(permission: Permission, resources: Arn[], because: string, condition?: Record<string, string>, more: readonly string[] = []): void {
    this.grants.push({ sid: permission.sid, actions: [...new Set([...permission.actions, ...more])].sort(), resources, because: [because], ...(condition ? { condition } : {}) });
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
        this.grant(ECR_LOGIN, [['*']], action);
        return;
      case 'aws-actions/amazon-ecs-render-task-definition':
        // Renders a file locally; it calls ECS only when asked to start from a registered revision.
        if (input('task-definition-arn') || input('task-definition-family')) this.grant(ECS_DESCRIBE_TASK_DEFINITION, [['*']], action);
        return;
      case 'aws-actions/amazon-ecs-deploy-task-definition': {
        this.grant(ECS_REGISTER_TASK_DEFINITION, [['*']], action);
        this.passTaskRoles([], action);
        const service = input('service');
        if (service) this.ecsService(service, input('cluster') ?? 'default', ECS_DEPLOY_SERVICE, action, undefined);
        if (input('codedeploy-appspec') || input('codedeploy-application')) this.notes.push(`${action} deploys through CodeDeploy here: grant the role the CodeDeploy actions on its application and deployment group (not inferred)`);
        return;
      }
      case 'aws-actions/aws-cloudformation-github-deploy': {
        const stack = input('name');
        this.stack(stack, CHANGE_SET_DEPLOY_ACTION, action, undefined);
        const role = input('role-arn');
        if (role && isLiteral(role)) this.grant(CLOUDFORMATION_SERVICE_ROLE, [[role]], action);
        else this.notes.push(`${action} ${STACK_RESOURCES_NOTE}`);
        return;
      }
      case 'docker/build-push-action': {
        if (!/^true$/i.test(input('push') ?? '')) return;
        for (const tag of (input('tags') ?? '').split(/[\n,]/).map((t) => t.trim()).filter(Boolean)) this.ecrImage(tag, ECR_PUSH, `${action} (tags)`, ecrLogin);
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
    const row = awsCliOperation(service, operation);
    if (!row) {
      if (service === 'configure' || operation === '' || operation.startsWith('-')) return;
      this.notes.push(`\`aws ${service} ${operation}\` is not inferred: grant ${iamPrefix(service)}:${pascal(operation)} on what it touches`);
      return;
    }
    this.awsOperation(row, words, call.args, shown, this.region(words));
  }

  private awsOperation(row: AwsCliOperation, words: readonly string[], args: readonly string[], shown: string, region: string): void {
    switch (row.on) {
      case 'nothing':
        return;
      case 'any':
        return this.grant(row.grant, [['*']], shown);
      case 's3-transfer':
        return this.s3Transfer(row, words, args, shown);
      case 's3-objects': {
        const target = s3Target(positionals(args)[0]);
        if (!target) return this.unnamed(shown, 'bucket');
        this.grant(row.grant, [this.s3Objects(target, hasFlag(words, '--recursive'))], shown);
        if (hasFlag(words, '--recursive')) this.grant(S3_LIST_BUCKET, [this.s3Bucket(target.bucket)], shown);
        return;
      }
      case 's3-listing': {
        const url = positionals(args)[0];
        if (!url) return this.grant(row.withoutUrl, [['*']], shown);
        const target = s3Target(url);
        if (!target) return this.unnamed(shown, 'bucket');
        return this.grant(row.grant, [this.s3Bucket(target.bucket)], shown);
      }
      case 'ecs-service': {
        const service = row.several ? undefined : flagValue(words, '--service');
        const services = row.several ? valuesOf(words, '--services') : service ? [service] : [];
        if (services.length === 0) return this.unnamed(shown, 'service');
        for (const name of services) this.ecsService(name, flagValue(words, '--cluster') ?? 'default', row.grant, shown, region);
        return;
      }
      case 'task-definition': {
        this.grant(row.grant, [['*']], shown);
        const roles = ['--task-role-arn', '--execution-role-arn'].map((flag) => flagValue(words, flag)).filter((r): r is string => r !== undefined);
        return this.passTaskRoles(roles, shown);
      }
      case 'lambda-function':
        return this.lambda(row, words, shown, region);
      case 'stack': {
        this.stack(flagValue(words, '--stack-name'), row.grant, shown, region);
        const bucket = row.artifacts ? flagValue(words, '--s3-bucket') : undefined;
        if (bucket) this.artifactBucket(bucket, flagValue(words, '--s3-prefix'), shown);
        if (row.passesServiceRole) this.serviceRoleOrNote(words, shown);
        return;
      }
      case 'distribution': {
        const id = flagValue(words, '--distribution-id');
        if (!id || !isLiteral(id)) return this.unnamed(shown, 'distribution');
        return this.grant(row.grant, [['arn:aws:cloudfront::', this.account(), `:distribution/${id}`]], shown);
      }
    }
  }

  private s3Transfer(row: Extract<AwsCliOperation, { on: 's3-transfer' }>, words: readonly string[], args: readonly string[], shown: string): void {
    const [from, to] = positionals(args);
    if (!from || !to) return;
    const source = from.startsWith('s3://') ? s3Target(from) : undefined;
    const destination = to.startsWith('s3://') ? s3Target(to) : undefined;
    if ((from.startsWith('s3://') && !source) || (to.startsWith('s3://') && !destination)) return this.unnamed(shown, 'bucket');
    const recursive = row.recursive || hasFlag(words, '--recursive');
    if (source) {
      if (recursive) this.grant(S3_LIST_BUCKET, [this.s3Bucket(source.bucket)], shown);
      this.grant(row.read, [this.s3Objects(source, recursive)], shown);
    }
    if (destination) {
      if (row.listsDestination) this.grant(S3_LIST_BUCKET, [this.s3Bucket(destination.bucket)], shown);
      const more = Object.entries(row.writeWithOption).flatMap(([option, actions]) => (hasFlag(words, option) ? actions : []));
      this.grant(row.write, [this.s3Objects(destination, recursive)], shown, undefined, more);
      const sse = flagValue(words, '--sse');
      if (sse === 'aws:kms' || hasFlag(words, '--sse-kms-key-id')) this.notes.push(`\`${shown}\` encrypts with KMS: grant ${S3_KMS_ACTION} on its key`);
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
    this.grant(ARTIFACT_OBJECTS, [[`arn:aws:s3:::${bucket}/${keyPrefix}*`]], shown);
  }

  private ecsService(service: string, cluster: string, permission: Permission, because: string, region: string | undefined): void {
    if (!isLiteral(service) || !isLiteral(cluster)) return this.unnamed(because, 'ECS service');
    if (service.startsWith('arn:')) return this.grant(permission, [[service]], because);
    const clusterArn = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/.exec(cluster);
    const arn: Arn = clusterArn
      ? [`arn:aws:ecs:${clusterArn[1]}:${clusterArn[2]}:service/${clusterArn[3]}/${service}`]
      : [`arn:aws:ecs:${region ?? this.region()}:`, this.account(), `:service/${cluster}/${service}`];
    this.grant(permission, [arn], because);
  }

  /**
   * Registering a task definition passes its task and execution roles. Named literally, they are
   * the resources; otherwise PassRole is limited to handing roles to ECS tasks.
   */
  private passTaskRoles(roles: readonly string[], because: string): void {
    const named = roles.filter((r) => isLiteral(r) && r.startsWith('arn:'));
    if (named.length > 0 && named.length === roles.length) {
      this.grant(ECS_PASS_TASK_ROLES, named.map((r) => [r]), because);
      return;
    }
    this.grant(ECS_PASS_TASK_ROLES, [['arn:aws:iam::', this.account(), ':role/*']], because, { 'iam:PassedToService': ECS_TASKS_SERVICE });
    this.notes.push(`${because}: the task definition's task and execution roles are not named in the job, so iam:PassRole is limited to passing roles to ECS tasks; pin it to those roles`);
  }

  private lambda(row: Extract<AwsCliOperation, { on: 'lambda-function' }>, words: readonly string[], shown: string, region: string): void {
    const name = flagValue(words, '--function-name');
    if (!name || !isLiteral(name)) return this.unnamed(shown, 'function');
    const arn: Arn = name.startsWith('arn:') ? [name] : [`arn:aws:lambda:${region}:`, this.account(), `:function:${name}`];
    const more = Object.entries(row.withOption ?? {}).flatMap(([option, actions]) => (hasFlag(words, option) ? actions : []));
    this.grant(row.grant, [arn], shown, undefined, more);
    const bucket = flagValue(words, '--s3-bucket');
    const key = flagValue(words, '--s3-key');
    if (bucket && key && isLiteral(bucket) && isLiteral(key)) this.grant(LAMBDA_CODE_OBJECT, [[`arn:aws:s3:::${bucket}/${key}`]], shown);
    else if (bucket) this.unnamed(shown, 'code object');
  }

  private stack(name: string | undefined, permission: Permission, because: string, region: string | undefined): void {
    if (!name || !isLiteral(name)) return this.unnamed(because, 'stack');
    this.grant(permission, [[`arn:aws:cloudformation:${region ?? this.region()}:`, this.account(), `:stack/${name}/*`]], because);
  }

  private serviceRoleOrNote(words: readonly string[], shown: string): void {
    const role = flagValue(words, '--role-arn');
    if (role && isLiteral(role) && role.startsWith('arn:')) this.grant(CLOUDFORMATION_SERVICE_ROLE, [[role]], shown);
    else this.notes.push(`\`${shown}\` ${STACK_RESOURCES_NOTE}`);
  }

  // -------------------------------------------------------------------------------------------
  // Containers, SAM, CDK

  private docker(words: readonly string[], shown: string, ecrLogin: boolean): void {
    if (words[1] === 'push' && words[2]) return this.ecrImage(words[words.length - 1]!, ECR_PUSH, shown, ecrLogin);
    if (words[1] === 'pull' && words[2]) return this.ecrImage(words[words.length - 1]!, ECR_PULL, shown, ecrLogin);
    const buildx = words[1] === 'buildx' ? words.slice(2) : words.slice(1);
    if (buildx[0] === 'build' && hasFlag(words, '--push')) {
      for (const tag of valuesOf(words, '-t', '--tag')) this.ecrImage(tag, ECR_PUSH, shown, ecrLogin);
    }
  }

  private ecrImage(reference: string, permission: Permission, because: string, ecrLogin: boolean): void {
    const image = ecrRepository(reference, ecrLogin);
    if (!image) return;
    if (!image.repository) return this.unnamed(because, 'ECR repository');
    const region = image.region ?? this.region();
    this.grant(permission, [[`arn:aws:ecr:${region}:`, image.account ?? this.account(), `:repository/${image.repository}`]], because);
  }

  private samDeploy(words: readonly string[], shown: string): void {
    const region = this.region(words);
    this.stack(flagValue(words, '--stack-name'), CHANGE_SET_DEPLOY, shown, region);
    const bucket = flagValue(words, '--s3-bucket');
    if (bucket) this.artifactBucket(bucket, flagValue(words, '--s3-prefix'), shown);
    else if (hasFlag(words, '--resolve-s3')) {
      // SAM keeps its artifacts in the bucket of a stack it manages itself.
      this.grant(SAM_MANAGED_STACK, [[`arn:aws:cloudformation:${region}:`, this.account(), `:stack/${SAM_MANAGED_STACK_NAME}/*`]], shown);
      this.grant(SAM_ARTIFACT_OBJECTS, [[`arn:aws:s3:::${SAM_MANAGED_BUCKET_PATTERN}/*`]], shown);
    } else this.notes.push(`\`${shown}\`: its artifact bucket is not named (samconfig.toml?): grant s3:PutObject and s3:GetObject on it`);
    const repository = flagValue(words, '--image-repository');
    if (repository) this.ecrImage(repository, ECR_PUSH, shown, true);
    this.serviceRoleOrNote(words, shown);
  }

  private cdkDeploy(shown: string): void {
    this.grant(CDK_BOOTSTRAP_ROLES, [['arn:aws:iam::', this.account(), `:role/cdk-${CDK_DEFAULT_QUALIFIER}-*`]], shown);
    this.notes.push(`\`${shown}\` works through the CDK bootstrap roles (qualifier ${CDK_DEFAULT_QUALIFIER}): CloudFormation and asset publishing run with their permissions, so the role only assumes them; a custom bootstrap qualifier needs its own role names here`);
  }

  private unnamed(because: string, what: string): void {
    this.notes.push(`\`${because}\`: the ${what} is not written literally, so no permission is granted for it; grant it on the ${what} the job uses`);
  }
}

// ---------------------------------------------------------------------------------------------
// Words

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
    if (word.includes('=') || OPTIONS_WITHOUT_VALUE.has(word)) continue;
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
