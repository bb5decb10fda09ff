import type { Span } from '../core/text';

/**
 * Identity facts: what the rules reason about, with no trace of the syntax they came from. A
 * dialect reader turns a workflow, a manifest or a Terraform file into these; a rule over
 * `Authentication` then works the same for GitHub Actions, GitLab CI, Kubernetes and Terraform.
 *
 * Every fact carries the spans it came from, taken from the syntax tree.
 * `PolicyStatement`, `Trust` and `Identity` join this model as the rules that need them arrive.
 */

export type Cloud = 'aws' | 'gcp' | 'azure' | 'vault';
export type PackageRegistry = 'npm' | 'pypi' | 'rubygems' | 'crates' | 'nuget';

/** What kind of secret a value is. */
export type SecretKind =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'aws-session-token'
  | 'gcp-service-account-key'
  | 'azure-client-secret'
  | 'azure-publish-profile'
  /** An Azure Static Web Apps deployment token (`azure_static_web_apps_api_token`, `SWA_CLI_DEPLOYMENT_TOKEN`). */
  | 'azure-deployment-token'
  | 'vault-token'
  | 'private-key'
  | 'github-token'
  | 'gitlab-token'
  | 'npm-token'
  | 'pypi-token'
  | 'slack-token'
  | 'registry-token'
  | 'kubernetes-service-account-token';

/**
 * A credential the file shows: written into it (`literal`), handed to something by name
 * (`reference`: `${{ secrets.X }}`, `var.x`, `$X`, a `secretKeyRef`), or minted by a resource the
 * file declares (`minted`: `aws_iam_access_key`, `AWS::IAM::AccessKey`).
 */
export type Credential = LiteralCredential | ReferencedCredential | MintedCredential;

export interface LiteralCredential {
  origin: 'literal';
  kind: SecretKind;
  /** The value as written in the source. */
  valueSpan: Span;
  /** Human label: "AWS access key id". */
  label: string;
  /** At most the first 4 and last 2 characters; never the value. */
  preview: string;
  /**
   * Values under the same container (env map, provider block, heredoc) share a key, so that an
   * access key id and its secret become one finding.
   */
  container: string;
  /** How the value was found when it is not written as plain text, e.g. "base64-encoded". */
  encoding?: string;
}

export interface ReferencedCredential {
  origin: 'reference';
  kind: SecretKind;
  /** The name it travels under: an env var, a step input, a provider argument. */
  name: string;
  /** The span of that name's entry: the env key, the `- name:` line, the argument. */
  nameSpan: Span;
  valueSpan?: Span;
}

export interface MintedCredential {
  origin: 'minted';
  /** The resource as read (a Terraform block, a template resource), for fixers; opaque to rules. */
  syntax?: unknown;
  kind: SecretKind;
  /** The resource type as written: `aws_iam_access_key`, `AWS::IAM::AccessKey`, `Secret`. */
  resourceType: string;
  resourceName: string;
  /** The resource's first line. */
  anchor: Span;
  cloud: Cloud | 'kubernetes';
  /**
   * For a registry module that creates the key inside it (`resourceType` is then `module`): its
   * registry address, the input that decides, and whether the key comes from that input's default.
   */
  module?: { source: string; input: string; byDefault: boolean };
}

/** Who authenticates. */
export type Principal =
  | { kind: 'ci-job'; platform: 'github-actions' | 'gitlab-ci'; job: string; step?: string }
  | { kind: 'workload'; workload: string; container: string }
  | { kind: 'terraform-provider'; provider: string; alias?: string };

/**
 * How a principal obtains credentials for a cloud or a package registry: with long-lived keys
 * (`static`) or by federation (`oidc`, `workload-identity`, `trusted-publishing`).
 */
export interface Authentication {
  principal: Principal;
  target: Cloud | PackageRegistry;
  method: 'static' | 'oidc' | 'workload-identity' | 'trusted-publishing';
  /** What establishes it, in words: `aws-actions/configure-aws-credentials`, `env`, `npm publish`. */
  mechanism: string;
  /** Where a finding about it starts: the step's `uses:`, the env key, the provider block's first line. */
  anchor: Span;
  /** The credentials it uses, first one first. */
  credentials: Credential[];
  /** What a federated login asks for, where the platform lets the job say it. */
  session?: SessionRequest;
  /** Where it was read (a workflow step, a pipeline job, a provider block), for its dialect's fixers; opaque to rules. */
  syntax?: unknown;
}

/** The session a federated CI login requests: its name, its length, and whether the job may mint the token. */
export interface SessionRequest {
  /** `role-session-name`, `--role-session-name`; absent when the login does not name the session. */
  name?: ValueAt;
  /** `role-duration-seconds`, `--duration-seconds`. */
  durationSeconds?: ValueAt;
  /** GitHub Actions only: whether the job's effective permissions grant `id-token: write`. */
  idTokenGranted?: boolean;
  /** Where the assumed role is named (`role-to-assume`, `--role-arn`), when it is. */
  role?: ValueAt;
  /**
   * `shell` when the name is a word of a script (`--role-session-name "ci-$CI_JOB_ID"`: the shell
   * expands `$VAR` and `$(…)`), absent for an action input (only `${{ }}` is substituted there).
   */
  nameIn?: 'shell';
}

/** A string written in the source, with where. */
export interface ValueAt {
  value: string;
  span: Span;
  /**
   * The value is computed, not written: a variable, a local, a function call or an interpolation
   * (`var.x`, `"${var.x}"`). What it will be is decided elsewhere (a module's caller, a tfvars
   * file), so a rule cannot judge it where it is written. Set by the Terraform trust readers.
   */
  computed?: boolean;
}

/** One condition of an IAM statement: `"StringLike": { "<key>": [<values>] }`. */
export interface PolicyCondition {
  /** `StringEquals`, `StringLike`, … without qualifier and `IfExists`. */
  operator: string;
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  key: string;
  keySpan: Span;
  values: ValueAt[];
}

/**
 * An IAM policy statement, from any syntax: `jsonencode`, a heredoc, an `aws_iam_policy_document`
 * data source, a CloudFormation `PolicyDocument`, a bare policy file. A statement without `Effect`
 * is an Allow (the data source's default; raw JSON without it is invalid, but reads the same).
 */
export interface PolicyStatement {
  /** Where it was read (a `statement {}` block, a JSON object), for fixers; opaque to rules. */
  syntax?: unknown;
  effect: 'Allow' | 'Deny';
  actions: ValueAt[];
  notActions: ValueAt[];
  resources: ValueAt[];
  notResources: ValueAt[];
  /** `Sid` / `sid`, when written literally. */
  sid?: string;
  /** `Principal` / `principals {}`: by type (`AWS`, `Service`, `Federated`, `*`). Only trust and resource policies name principals. */
  principals: { type: string; values: ValueAt[] }[];
  /** `NotPrincipal` / `not_principals {}`: every principal but these. */
  notPrincipals: { type: string; values: ValueAt[] }[];
  conditions: PolicyCondition[];
  /** The line that opens the statement: `{`, `statement {`, `- Effect:`. */
  anchor: Span;
}

/**
 * Who a policy document (or a managed-policy attachment) belongs to, and where that owner is
 * declared. The kinds:
 * - `role-trust`: a role's trust policy (who may assume it): never a grant to the role.
 * - `identity-policy`: what an identity may do: a role's, user's or group's inline policy, a
 *   managed policy (`aws_iam_policy`, `AWS::IAM::ManagedPolicy`, attached or not), an IAM Identity
 *   Center permission set's policy, a SAM function's `Policies`.
 * - `resource-policy`: who may use a resource (S3 bucket, KMS key, SQS queue, SNS topic, ECR
 *   repository, Lambda permission, …): its statements name principals.
 * - `policy-document`: a document that is not yet anyone's (`data "aws_iam_policy_document"`, a
 *   bare policy file): what it is depends on where it is used. A statement with a `Principal` is
 *   a trust or resource policy statement, one without is an identity grant.
 */
export interface PolicyOwner {
  kind: 'role-trust' | 'identity-policy' | 'resource-policy' | 'policy-document';
  /** `aws_iam_role`, `AWS::IAM::Role`, `aws_iam_policy_document`, `aws_s3_bucket_policy`, `policy file`. */
  resourceType: string;
  name: string;
  /** The owner's first line: `resource "aws_iam_role" "x" {`, the logical id, `data "…" "x" {`. */
  anchor: Span;
  /**
   * For trust policies: the IAM names of the roles it is the trust of, where the file says them
   * (a role's literal `name` / `RoleName`; the named roles of the same file that use a policy
   * document data source's `json`).
   */
  roleNames?: string[];
  /**
   * For identity policies and attachments: the identities it grants to, as the file names them
   * (`role = aws_iam_role.ci.name`, `Roles: [!Ref CiRole]`, the role whose `inline_policy` it is).
   * Empty for a managed policy no attribute of its own attaches (`aws_iam_policy`: attachments,
   * `PolicyAttachment`, name it by its ARN).
   */
  identities?: IdentityRef[];
  /** For resource policies: the resource it governs, as written (`bucket = aws_s3_bucket.logs.id`, `Bucket: !Ref Logs`). */
  target?: ValueAt;
  /**
   * Set when the same file uses the document only to cap what identities may do, and attaches it
   * to no one: as a permissions boundary (`permissions_boundary = aws_iam_policy.x.arn`,
   * `PermissionsBoundary: !Ref X`) or as an Organizations service control policy
   * (`aws_organizations_policy`'s `content = data.aws_iam_policy_document.x.json`). A cap grants
   * nothing: its Allow of `*` is the usual way to write one.
   */
  caps?: 'permissions-boundary' | 'service-control-policy';
}

/** What kind of IAM identity a policy is granted to. */
export type IdentityKind =
  | 'role'
  | 'user'
  | 'group'
  /** An IAM Identity Center permission set (`aws_ssoadmin_permission_set`, `AWS::SSO::PermissionSet`). */
  | 'permission-set'
  /** The execution role SAM creates for a function or state machine (`<LogicalId>Role`). */
  | 'sam-function';

/**
 * An identity as a policy or an attachment names it. At least one of `resource` and `value` is set.
 */
export interface IdentityRef {
  kind: IdentityKind;
  /**
   * The identity's resource as the workspace addresses it: a Terraform address (`aws_iam_role.ci`)
   * or a CloudFormation logical id (`CiRole`); absent when the file names it only by a literal IAM
   * name (`"deploy"`) or an expression that is no resource (`var.role_name`).
   */
  resource?: string;
  /** What the file writes (`aws_iam_role.ci.name`, `"deploy"`, `!Ref CiRole`); absent when the policy is written inside the identity itself. */
  value?: ValueAt;
}

/**
 * Where a document's statements are when they are not written where it is used: Terraform's
 * `policy = data.aws_iam_policy_document.x.json`, `local.policy`, `file("policy.json")`. A file's
 * analysis cannot read another file: the workspace graph follows these (a JSON file a `file()` names is
 * analysed on its own as a bare policy, owner `policy-document`).
 */
export type PolicyReference =
  /** An expression: `data.aws_iam_policy_document.x.json`, `aws_iam_policy.x.policy`, `var.policy`, `module.x.json`. */
  | { kind: 'expression'; text: string; span: Span }
  /**
   * `file(PATH)` or `templatefile(PATH, vars)`. `path` is as written; `relativePath` is the path
   * from the file's own folder when it can be told (`"${path.module}/policies/ci.json"` and
   * `"./policies/ci.json"` both give `policies/ci.json`), absent when it is computed otherwise.
   */
  | { kind: 'file'; function: 'file' | 'templatefile'; path: string; relativePath?: string; span: Span };

export interface PolicyDocument {
  owner: PolicyOwner;
  statements: PolicyStatement[];
  /** Where its statements are when they are not written in place (then `statements` holds none of them). */
  source?: PolicyReference;
  /**
   * `data "aws_iam_policy_document"`'s `source_policy_documents` (statements merged in, this
   * document's own win on a shared `sid`) and `override_policy_documents` (theirs win), and the
   * older `source_json` / `override_json`: documents merged into this one, in order. Literal ones
   * (`jsonencode({...})`) have their statements read into `statements` too.
   */
  merges?: { how: 'source' | 'override'; from: PolicyReference }[];
}

/**
 * A managed policy attached to an identity by ARN: Terraform's `aws_iam_role_policy_attachment`
 * (and `_user_`, `_group_`), `aws_iam_policy_attachment`, `aws_iam_*_policy_attachments_exclusive`,
 * a role's `managed_policy_arns`, `aws_ssoadmin_managed_policy_attachment`; CloudFormation's
 * `ManagedPolicyArns` of a role, user or group and a permission set's `ManagedPolicies`; SAM's
 * `Policies` (a managed policy name, or a SAM policy template).
 */
export interface PolicyAttachment {
  /** The attaching resource (the attachment, or the identity whose attribute lists the ARN) and whom it grants to. */
  owner: PolicyOwner;
  /**
   * The policy as written: a literal ARN, `arn:${AWS::Partition}:iam::aws:policy/X`,
   * `aws_iam_policy.x.arn`, `data.aws_iam_policy.x.arn`, `!Ref CiPolicy`, a SAM managed policy
   * name (`AmazonS3FullAccess`) or policy template name (`S3ReadPolicy`). `computed` when it is
   * not a literal. Its span is where a finding about the attachment starts.
   */
  policyArn: ValueAt;
  /**
   * The AWS managed policy it attaches, when the file says which: the ARN's path and name
   * (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` → `{ path: 'job-function/', name:
   * 'ViewOnlyAccess' }`), a SAM managed policy name, or a `data "aws_iam_policy"` lookup of the
   * same file by name or ARN. What it grants is `iam/managed-policies.ts`'s.
   */
  managedPolicy?: { name: string; path: string };
  /**
   * The policy resource of the workspace `policyArn` names, to join with the `PolicyDocument` it
   * owns: a Terraform address (`aws_iam_policy.ci`, whose document's owner is `aws_iam_policy`
   * `ci`) or a CloudFormation logical id (`CiPolicy`). Absent for literal ARNs and other values.
   */
  policyResource?: string;
  /** When `managedPolicy` was found through a `data "aws_iam_policy"` lookup: the lookup's `name` or `arn` value. */
  via?: ValueAt;
  /** A SAM policy template (`S3ReadPolicy: { BucketName: … }`), by name: `policyArn` is its key. */
  samPolicyTemplate?: string;
  /** The attachment resource, or the list item. */
  span: Span;
}

/**
 * `data "aws_iam_policy" "x"`: a lookup of an existing policy by `name` or `arn`. It grants nothing
 * by itself; an attachment that names `data.aws_iam_policy.x.arn` in another file is resolved with
 * it by the workspace graph (in the same file, by the reader: `PolicyAttachment.managedPolicy`).
 */
export interface PolicyLookup {
  /** The data source's address: `data.aws_iam_policy.x`. */
  address: string;
  /** Its `name` or `arn` (or `path_prefix` aside), as written. */
  policy: ValueAt;
  managedPolicy?: { name: string; path: string };
  anchor: Span;
}

/** OIDC issuers Keyless knows the subject format of. */
export type OidcIssuer = 'github' | 'gitlab' | 'terraform-cloud' | 'eks' | 'other';

/**
 * Who may assume an identity through an external OIDC issuer: an AWS role's web-identity
 * statement, a GCP workload identity pool provider, an Azure federated identity credential.
 */
export type Trust = AwsWebIdentityTrust | GcpProviderTrust | AzureFederatedCredentialTrust;

export interface AwsWebIdentityTrust {
  kind: 'aws-web-identity';
  issuer: OidcIssuer;
  /** The issuer host as written in the principal (`token.actions.githubusercontent.com`). */
  issuerHost: string;
  owner: PolicyOwner;
  statement: PolicyStatement;
}

export interface GcpProviderTrust {
  kind: 'gcp-workload-identity-provider';
  issuer: OidcIssuer;
  name: string;
  anchor: Span;
  attributeCondition?: ValueAt;
  /** Repository or subject the pool's service-account bindings name (`attribute.repository/ORG/REPO`), in the same file. */
  boundPrincipals: ValueAt[];
  /** `workload_identity_pool_id` as written: a literal id, or a reference (`google_iam_workload_identity_pool.github.workload_identity_pool_id`). */
  poolRef?: string;
  /** `workload_identity_pool_provider_id`, when literal. */
  providerId?: string;
  /** `attribute_mapping`: the entries written as literal strings. */
  attributeMapping?: Record<string, string>;
  /** The whole block. */
  span?: Span;
}

export interface AzureFederatedCredentialTrust {
  kind: 'azure-federated-credential';
  issuer: OidcIssuer;
  name: string;
  anchor: Span;
  subject?: ValueAt;
  audiences: ValueAt[];
  /** The resource type: `azuread_application_federated_identity_credential`, `azurerm_federated_identity_credential`. */
  resourceType?: string;
  /** The issuer URL as written. */
  issuerUrl?: string;
}

/** A cloud identity the file declares: an IAM role, with what bounds its sessions. */
export interface Identity {
  kind: 'aws-role';
  /** The role as read, for fixers; opaque to rules. */
  syntax?: unknown;
  resourceType: string;
  name: string;
  anchor: Span;
  maxSessionDuration?: ValueAt;
  /** The role's IAM name when written literally (`name`, `RoleName`): what its ARN ends with. */
  roleName?: string;
  /** The role's IAM path when written literally and not `/`. */
  rolePath?: string;
  /** The trust policy when it is a reference (`data.aws_iam_policy_document.trust.json`), as written. */
  trustPolicyRef?: string;
  /** The whole resource (block or template entry). */
  span?: Span;
}

/**
 * Where a GCP or Azure role is granted or assignable. GCP: the resource hierarchy (organization,
 * folder, project) or one resource (a service account, a bucket…); Azure: the management-group,
 * subscription, resource-group or resource scope of an ARM id (`/` is the tenant root management
 * group). `unknown` when the file does not say: a variable or module input (`var.scope`), or an
 * IAM policy document the file does not apply.
 */
export interface GrantScope {
  kind: 'organization' | 'folder' | 'project' | 'service-account' | 'resource' | 'management-group' | 'subscription' | 'resource-group' | 'unknown';
  /**
   * The scope as written (`project = "acme-prod"`, `scope = data.azurerm_subscription.primary.id`),
   * absent when the argument is (the provider's default project).
   */
  value?: ValueAt;
  /**
   * For a single resource, its type: the Terraform type whose IAM it is (`google_storage_bucket`
   * for `google_storage_bucket_iam_member`), or the provider type of an ARM id
   * (`Microsoft.KeyVault/vaults`) or of a reference (`azurerm_key_vault`).
   */
  resourceType?: string;
}

/**
 * A role granted to members at a scope: a GCP IAM member, binding or policy binding
 * (`google_project_iam_member`, a `binding {}` of `data "google_iam_policy"`), an Azure role
 * assignment. Read by the over-privilege rules of both clouds.
 */
export interface RoleGrant {
  cloud: 'gcp' | 'azure';
  /** The block that grants: `google_project_iam_binding`, `azurerm_role_assignment`, `google_iam_policy` (a data source). */
  resourceType: string;
  name: string;
  /** The block's first line. */
  anchor: Span;
  scope: GrantScope;
  /**
   * The role as written: `roles/owner`; Azure's `role_definition_name`, else its
   * `role_definition_id`. Where a finding about the role starts.
   */
  role: ValueAt;
  /**
   * The role's name when the file says it another way: an Azure built-in role named by its
   * definition id (`…/roleDefinitions/8e3af657-…` is Owner) or through a
   * `data "azurerm_role_definition"` with a literal `name`.
   */
  roleName?: string;
  /** The custom role of this file the grant refers to: its Terraform name (`google_project_iam_custom_role.deployer.id` → `deployer`). */
  customRole?: string;
  /** GCP `member` / `members`, Azure `principal_id`. */
  members: ValueAt[];
  /** An IAM condition (GCP `condition {}`) or an Azure role-assignment `condition`. */
  condition?: { expression?: ValueAt; title?: string };
}

/** One `permissions {}` block of an Azure role definition, or a GCP custom role's permission list (as `actions`). */
export interface RolePermissions {
  actions: ValueAt[];
  notActions: ValueAt[];
  dataActions: ValueAt[];
  notDataActions: ValueAt[];
}

/** A custom role the file defines: `google_project_iam_custom_role`, `google_organization_iam_custom_role`, `azurerm_role_definition`. */
export interface CustomRole {
  cloud: 'gcp' | 'azure';
  resourceType: string;
  name: string;
  anchor: Span;
  /** GCP `role_id`, Azure `name`, when literal. */
  roleName?: string;
  /** Where it is defined: a GCP project or organization, an Azure `scope`. */
  scope: GrantScope;
  permissions: RolePermissions[];
  /** Azure `assignable_scopes`, or the definition's `scope` when it lists none (as azurerm does); empty for GCP. */
  assignableScopes: GrantScope[];
}

/**
 * Which of its repository's OIDC tokens a CI job's runs carry: the deployment environment the
 * token's `sub` names, or the one branch the job runs on; `unknown` when the file does not pin one
 * (several branches or events, tags, an environment chosen at run time). The repository is not in
 * the file: the subject claim is this with the repository the adapters know
 * (`dialects/github-actions/subject.ts`, `dialects/gitlab-ci/subject.ts`).
 */
export type TokenSubject =
  | { kind: 'environment'; name: string }
  | { kind: 'branch'; name: string }
  | { kind: 'unknown' };

/** A CI job a workflow or pipeline defines (a composite action's steps count as one job, `composite`). */
export interface CiJob {
  platform: 'github-actions' | 'gitlab-ci';
  /** The job id (GitHub) or name (GitLab), as `Principal.job` names it. */
  name: string;
  nameSpan: Span;
  /** GitLab's `.hidden` jobs: templates that never run (their token subject is `unknown`). */
  hidden: boolean;
  tokenSubject: TokenSubject;
  /** GitLab: the `aud` of each ID token the job's own `id_tokens:` requests, as written. */
  idTokenAudiences: string[];
  /**
   * When the job runs Terraform (`terraform plan`, a setup action): the names of the variables it
   * sets for it (`env:`/`variables:` at every level the job reads, `export NAME=` and
   * `NAME=… >> $GITHUB_ENV` in its scripts), and those set to `true` (`ARM_USE_OIDC: true`).
   * Values are not kept.
   */
  terraform?: { variables: string[]; enabled: string[] };
}

/** A Kubernetes object that mounts or lists a Secret by name: a fix must not delete that Secret. */
export interface SecretUse {
  secretName: string;
}

/** A projected service-account token a pod requests, with its lifetime. */
export interface ProjectedToken {
  workload: string;
  expirationSeconds: ValueAt;
}

/**
 * One rule of a Kubernetes Role or ClusterRole, every list with the span of each value as written
 * (`"*"` quotes included): a finding about a wildcard or a risky verb lands on that value.
 */
export interface RbacRule {
  apiGroups: ValueAt[];
  /** Resources as written, subresources included (`pods/exec`). */
  resources: ValueAt[];
  resourceNames: ValueAt[];
  verbs: ValueAt[];
  nonResourceURLs: ValueAt[];
  /** The rule's first line (`- apiGroups: [""]`), where a statement about the whole rule starts. */
  anchor: Span;
  /** The whole rule, for hovers. */
  span: Span;
}

/** A Kubernetes `Role` (namespaced) or `ClusterRole` (cluster-wide, or per namespace through a RoleBinding). */
export interface RbacRole {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** `metadata.namespace`; absent when the manifest leaves it to `kubectl apply -n`. */
  namespace?: string;
  /** The object's first line. */
  anchor: Span;
  /** `metadata.labels` written as literal strings: what aggregation selects on. */
  labels: Record<string, string>;
  rules: RbacRule[];
  /**
   * A ClusterRole's `aggregationRule.clusterRoleSelectors[].matchLabels`: the controller fills its
   * rules with those of every ClusterRole whose labels match one selector. Absent when it has none.
   */
  aggregationSelectors?: Record<string, string>[];
}

/** Who a binding grants its role to: `User`, `Group` or `ServiceAccount`, by name. */
export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A Kubernetes `RoleBinding` or `ClusterRoleBinding`. */
export interface RbacBinding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  anchor: Span;
  /** `roleRef`: the role's kind (`Role`, `ClusterRole`) and its name, with where the name is written. */
  roleRef: { kind: string; name: ValueAt };
  subjects: RbacSubject[];
}

/** A Kubernetes `ServiceAccount` object. */
export interface KubeServiceAccount {
  name: string;
  namespace?: string;
  anchor: Span;
  /** `automountServiceAccountToken` as written (`true`, `false`), when it is. */
  automountToken?: ValueAt;
  /** The annotations it carries that federate it with a cloud identity (`eks.amazonaws.com/role-arn`, …). */
  workloadIdentity: string[];
}

/**
 * The pod a Kubernetes workload runs (a Pod, or the pod template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or PodTemplate): which service
 * account it runs as, and whether it mounts that account's token.
 */
export interface WorkloadPod {
  /** `Deployment/web`. */
  workload: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The pod spec's key on its line (`spec:` of a Pod, `template.spec`'s `spec:`): where findings about the pod start. */
  anchor: Span;
  /** `serviceAccountName`, else the deprecated `serviceAccount`; absent when the pod names none (it runs as `default`). */
  serviceAccountName?: ValueAt;
  /** `automountServiceAccountToken` of the pod spec as written, when it is. */
  automountToken?: ValueAt;
  /**
   * What in the pod itself shows it uses its service-account token (a container that mounts the
   * token's path, runs `kubectl`, a workload-identity label), in words; empty when nothing does.
   */
  tokenUses: string[];
  /** The pod spec as read, for the dialect's fixers; opaque to rules. */
  syntax?: unknown;
}

/**
 * An identity provider an IaC file declares for federation: an AWS IAM OIDC provider, or a GCP
 * workload identity pool. Fixes that write a trust reuse one rather than declare a second (AWS
 * allows one provider per issuer and account).
 */
export type OidcProvider = AwsOidcProvider | GcpWorkloadIdentityPool;

export interface AwsOidcProvider {
  kind: 'aws-oidc-provider';
  /** `aws_iam_openid_connect_provider`, `AWS::IAM::OIDCProvider`. */
  resourceType: string;
  /** The Terraform resource name or the logical id. */
  name: string;
  /** The issuer as its URL names it, without scheme or trailing slash: `token.actions.githubusercontent.com`. */
  issuerHost: string;
  /** `client_id_list` / `ClientIdList`: the audiences it accepts, as written literally. */
  clientIds: string[];
  anchor: Span;
}

export interface GcpWorkloadIdentityPool {
  kind: 'gcp-workload-identity-pool';
  name: string;
  /** `workload_identity_pool_id`, when literal. */
  poolId?: string;
  /** `project`, when literal. */
  project?: string;
  anchor: Span;
}

/**
 * A top-level IaC block that fixes need to find beyond the fact they fix: outputs, IAM users and
 * their policies, CI secrets and variables, service accounts, Azure applications and identities.
 * Plain data (spans and the source text of each attribute), so that it outlives the parse and
 * serves lookups across the workspace.
 */
export interface Declaration {
  /** Terraform's block type (`resource`, `data`, `output`, `locals`), or `resource` / `output` in a template. */
  block: string;
  /** The resource type (`aws_iam_user`, `AWS::IAM::User`); empty for outputs. */
  type: string;
  /** The Terraform name or the logical id. */
  name: string;
  /** The whole block or template entry. */
  span: Span;
  anchor: Span;
  attributes: DeclaredAttribute[];
}

export interface DeclaredAttribute {
  name: string;
  /** The attribute with its value. */
  span: Span;
  /** The value's span, and its text as written. */
  valueSpan: Span;
  text: string;
  /** The value when it is a literal string. */
  literal?: string;
}

/**
 * GitHub Actions: the GITHUB_TOKEN permissions one workflow declares, at the workflow and at each
 * job, and the events that start it. Composite actions have none (their callers decide).
 */
export interface WorkflowTokenPermissions {
  /** Where it was read (the workflow), for fixers; opaque to rules. */
  syntax?: unknown;
  /** The `on:` key: where a finding about permissions declared nowhere starts. */
  onKey: Span | undefined;
  /** The events of `on:`, as written. */
  events: string[];
  /** The workflow's `permissions:`; undefined when it has none. */
  workflow: TokenPermissionsBlock | undefined;
  jobs: JobTokenPermissions[];
}

export interface JobTokenPermissions {
  job: string;
  jobSpan: Span;
  /** The job's own `permissions:`; undefined when it takes the workflow's (or the repository default). */
  permissions: TokenPermissionsBlock | undefined;
  /** A call of a reusable workflow (`jobs.<id>.uses`), as written: its jobs get this job's token at most. */
  calls?: string;
}

/** A `permissions:` entry, as GitHub reads it. */
export interface TokenPermissionsBlock {
  /** The `permissions:` key. */
  keySpan: Span;
  /** The whole entry, key to value. */
  span: Span;
  /**
   * `write-all` / `read-all`: every scope at that level; `none`: `{}`; `scopes`: a map of scopes;
   * `other`: what GitHub would reject or decides at run time (an expression, a typo, no value).
   */
  kind: 'write-all' | 'read-all' | 'none' | 'scopes' | 'other';
  /** For `scopes`: each entry as written (`level` lower-cased; GitHub accepts read, write, none). */
  scopes: { scope: string; level: string; keySpan: Span; span: Span }[];
}

/**
 * One file's facts. `declarations`, `ciJobs` and `secretUses` are what the workspace graph
 * (`graph/`) reads of other files: read only when asked for (`Engine.facts`), empty in an analysis.
 */
export interface Facts {
  authentications: Authentication[];
  /** Literal and minted credentials; referenced ones live on their Authentication. */
  credentials: Credential[];
  policies: PolicyDocument[];
  /** Managed policies attached by ARN (AWS): `policies` holds the documents written in the file. */
  policyAttachments: PolicyAttachment[];
  /** `data "aws_iam_policy"` lookups (Terraform), to resolve attachments across files. */
  policyLookups: PolicyLookup[];
  trusts: Trust[];
  identities: Identity[];
  /** GCP IAM grants and Azure role assignments. */
  roleGrants: RoleGrant[];
  /** GCP custom roles and Azure role definitions. */
  customRoles: CustomRole[];
  projectedTokens: ProjectedToken[];
  oidcProviders: OidcProvider[];
  declarations: Declaration[];
  ciJobs: CiJob[];
  secretUses: SecretUse[];
  /** GitHub Actions workflows: their GITHUB_TOKEN permissions (`workflow-permissions`, the hover). */
  githubTokenPermissions: WorkflowTokenPermissions[];
  /** Kubernetes RBAC: Roles and ClusterRoles, their bindings, ServiceAccounts, and the pods workloads run. */
  rbacRoles: RbacRole[];
  rbacBindings: RbacBinding[];
  kubeServiceAccounts: KubeServiceAccount[];
  workloadPods: WorkloadPod[];
}

export function emptyFacts(): Facts {
  return {
    authentications: [], credentials: [], policies: [], policyAttachments: [], policyLookups: [], trusts: [], identities: [], roleGrants: [], customRoles: [], projectedTokens: [],
    oidcProviders: [], declarations: [], ciJobs: [], secretUses: [], githubTokenPermissions: [], rbacRoles: [], rbacBindings: [], kubeServiceAccounts: [], workloadPods: [],
  };
}

/** Adds `more` to `facts`, list by list. */
export function mergeFacts(facts: Facts, more: Partial<Facts>): void {
  for (const key of Object.keys(more) as (keyof Facts)[]) {
    const list = more[key];
    if (list) (facts[key] as unknown[]).push(...list);
  }
}
