import type { Dialect } from '../core/dialect';
import { isSubjectKey, judgeSubject } from '../iam/trust';
import type { Authentication, AwsOidcProvider, AwsWebIdentityTrust, CiJob, Declaration, Facts, GcpProviderTrust, Identity, SecretKind, TokenSubject, Trust } from '../facts/model';
import type { RepositoryRef } from '../facts/repository';
import { folderOf } from './paths';
import { issuerOf, type CiIssuer } from './tokens';

/**
 * The workspace graph: what the files of a workspace say about each other, from their facts alone
 * (`Engine.facts`, never their text) — the roles they declare (by name, by ARN, by the trust they
 * have), the OIDC providers and trusts, the CI jobs with the token subject each carries and the
 * roles their logins assume, the Terraform modules (folders) and what they declare. Fixers ask it
 * what lies beyond the file they fix.
 *
 * Built once per set of files (see `workspaceGraph`) and read only: a changed file makes a new one.
 */

/** What the graph is built from: every file's dialect and facts, and the repository the adapters know. A `WorkspaceContext` is one. */
export interface GraphSources {
  repository?: RepositoryRef;
  /** Trusts are to name the repository in GitHub's immutable form (`repo:ORG@ID/REPO@ID:…`) when its ids are known. */
  immutableSubjects: boolean;
  files: ReadonlyMap<string, { dialect: Dialect; facts: Facts }>;
}

/** A fact with the path of the file that states it. */
export interface GraphRole {
  path: string;
  identity: Identity;
}

export interface GraphTrust {
  path: string;
  trust: Trust;
}

/** A CI job of the workspace, with its file and the authentications its principal names. */
export interface GraphJob extends CiJob {
  file: string;
  issuer: CiIssuer;
  authentications: Authentication[];
}

/** One authentication of a CI job, with the token subject of its job (`unknown` for a workflow-wide or template one). */
export interface JobAuthentication {
  file: string;
  issuer: CiIssuer;
  job: string;
  subject: TokenSubject;
  auth: Authentication;
}

export class WorkspaceGraph {
  readonly repository: RepositoryRef | undefined;
  /** Whether tokens carry the immutable subject form for this repository: asked for, and its ids known. */
  readonly immutableSubjects: boolean;
  readonly files: readonly { path: string; dialect: Dialect; facts: Facts }[];
  readonly roles: readonly GraphRole[];
  readonly trusts: readonly GraphTrust[];
  readonly jobs: readonly GraphJob[];

  constructor(sources: GraphSources) {
    this.repository = sources.repository;
    this.immutableSubjects = sources.immutableSubjects && sources.repository?.ownerId !== undefined && sources.repository.repoId !== undefined;
    this.files = [...sources.files].map(([path, file]) => ({ path, dialect: file.dialect, facts: file.facts }));
    this.roles = this.files.flatMap(({ path, facts }) => facts.identities.filter((i) => i.kind === 'aws-role').map((identity) => ({ path, identity })));
    this.trusts = this.files.flatMap(({ path, facts }) => facts.trusts.map((trust) => ({ path, trust })));
    this.jobs = this.files.flatMap(({ path, facts }) =>
      facts.ciJobs.map((job) => ({
        ...job,
        file: path,
        issuer: issuerOf(job.platform),
        authentications: facts.authentications.filter((a) => a.principal.kind === 'ci-job' && a.principal.job === job.name),
      })),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Files and Terraform modules

  /** Every declaration of the workspace, with its file. */
  declarations(): { path: string; declaration: Declaration }[] {
    return this.files.flatMap(({ path, facts }) => facts.declarations.map((declaration) => ({ path, declaration })));
  }

  /** The files of a Terraform module: the Terraform files of one folder. */
  moduleFiles(folder: string): { path: string; facts: Facts }[] {
    return this.files.filter((f) => f.dialect === 'terraform' && folderOf(f.path) === folder);
  }

  /** Declarations of a module's files, with the path of each. */
  moduleDeclarations(folder: string): { path: string; declaration: Declaration }[] {
    return this.moduleFiles(folder).flatMap(({ path, facts }) => facts.declarations.map((declaration) => ({ path, declaration })));
  }

  /** The GCP workload identity pool providers a module declares, with their files. */
  moduleGcpProviders(folder: string): { path: string; trust: GcpProviderTrust }[] {
    return this.moduleFiles(folder).flatMap(({ path, facts }) => facts.trusts.filter((t): t is GcpProviderTrust => t.kind === 'gcp-workload-identity-provider').map((trust) => ({ path, trust })));
  }

  /** How many long-lived credentials of a kind the workspace mints, leaving out one file. */
  mintedCount(kind: SecretKind, except: string): number {
    return this.files.filter((f) => f.path !== except).reduce((n, f) => n + f.facts.credentials.filter((c) => c.origin === 'minted' && c.kind === kind).length, 0);
  }

  /** Whether a Kubernetes manifest of the workspace, other than `except`, mounts or lists the Secret. */
  secretInUse(name: string, except: string): boolean {
    return this.files.some((f) => f.path !== except && f.dialect === 'kubernetes' && f.facts.secretUses.some((use) => use.secretName === name));
  }

  // -------------------------------------------------------------------------------------------
  // Roles, trusts and providers

  /** AWS OIDC providers, with the path of the file declaring each: for an issuer host, or all of them. */
  awsOidcProviders(host?: string): { path: string; provider: AwsOidcProvider }[] {
    const found: { path: string; provider: AwsOidcProvider }[] = [];
    for (const { path, facts } of this.files) {
      for (const provider of facts.oidcProviders) {
        if (provider.kind === 'aws-oidc-provider' && (host === undefined || provider.issuerHost.toLowerCase() === host.toLowerCase())) found.push({ path, provider });
      }
    }
    return found;
  }

  /** The roles a web-identity trust belongs to: its own role, or the roles of the module that use its policy document. */
  rolesOfTrust(trust: AwsWebIdentityTrust, path: string): GraphRole[] {
    const owner = trust.owner;
    if (owner.kind === 'role-trust') return this.roles.filter((r) => r.path === path && r.identity.name === owner.name && r.identity.resourceType === owner.resourceType);
    if (owner.resourceType === 'aws_iam_policy_document') {
      const reference = `data.aws_iam_policy_document.${owner.name}.json`;
      return this.roles.filter((r) => folderOf(r.path) === folderOf(path) && r.identity.trustPolicyRef === reference);
    }
    return [];
  }

  /** The IAM names of the roles a trust belongs to: those its own file says, and the module's other roles that use its policy document. */
  roleNamesOfTrust(trust: AwsWebIdentityTrust, path: string): string[] {
    const names = new Set(trust.owner.roleNames ?? []);
    for (const role of this.rolesOfTrust(trust, path)) if (role.path !== path && role.identity.roleName) names.add(role.identity.roleName);
    return [...names];
  }

  /**
   * The roles whose web-identity trust for this issuer admits exactly one subject claim: every
   * `sub` condition is `StringEquals` on this one value, and `oidc-trust-unscoped` has nothing to
   * say about it. Files in the order of their paths.
   */
  rolesAdmittingOnly(issuerHost: string, subject: string): (GraphRole & { trust: AwsWebIdentityTrust })[] {
    const found: (GraphRole & { trust: AwsWebIdentityTrust })[] = [];
    for (const { path, trust } of [...this.trusts].sort((a, b) => a.path.localeCompare(b.path))) {
      if (trust.kind !== 'aws-web-identity' || trust.issuerHost.toLowerCase() !== issuerHost.toLowerCase()) continue;
      if (!admitsOnly(trust, subject)) continue;
      found.push(...this.rolesOfTrust(trust, path).map((role) => ({ ...role, trust })));
    }
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // AWS accounts and ARNs

  /** The AWS account ids the workspace's ARNs, ECR registries and providers' `allowed_account_ids` name. */
  accountIds(): Set<string> {
    const ids = new Set<string>();
    for (const { facts } of this.files) {
      for (const value of literalsOf(facts)) {
        for (const match of value.matchAll(ARN_ACCOUNT)) ids.add(match[1]!);
        for (const match of value.matchAll(ECR_REGISTRY)) ids.add(match[1]!);
      }
      for (const id of allowedAccounts(facts)) ids.add(id);
    }
    return ids;
  }

  /** The one account the workspace shows, else undefined (none, or several). */
  soleAccount(): string | undefined {
    const ids = this.accountIds();
    return ids.size === 1 ? [...ids][0] : undefined;
  }

  /** A literal ARN of the role with this name (and path), as some file of the workspace writes it. */
  roleArn(roleName: string, rolePath: string | undefined): string | undefined {
    const path = rolePath ? `${rolePath.replace(/^\/|\/$/g, '')}/` : '';
    for (const { facts } of this.files) {
      for (const value of literalsOf(facts)) if (ROLE_ARN.exec(value)?.[1] === `${path}${roleName}`) return value;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // CI jobs

  /** Every authentication of the workspace's files. */
  authentications(): Authentication[] {
    return this.files.flatMap((f) => f.facts.authentications);
  }

  /**
   * The authentications of CI jobs that `matches` accepts, each with the token subject of its job
   * (the last job of that name its file defines; `unknown` when there is none that runs: a
   * workflow-wide `env:`, a GitLab template or global `variables:`).
   */
  jobAuthentications(matches: (auth: Authentication) => boolean): JobAuthentication[] {
    const found: JobAuthentication[] = [];
    for (const { path, dialect, facts } of this.files) {
      if (dialect !== 'github-actions' && dialect !== 'gitlab-ci') continue;
      for (const auth of facts.authentications) {
        if (auth.principal.kind !== 'ci-job' || !matches(auth)) continue;
        const name = auth.principal.job;
        const job = facts.ciJobs.filter((j) => j.name === name && !j.hidden).pop();
        found.push({ file: path, issuer: dialect === 'github-actions' ? 'github' : 'gitlab', job: name, subject: job?.tokenSubject ?? { kind: 'unknown' }, auth });
      }
    }
    return found;
  }
}

/** The one subject all the jobs' tokens carry, or undefined when they disagree or one is unknown. */
export function sharedSubject(jobs: readonly JobAuthentication[]): { issuer: CiIssuer; subject: Exclude<TokenSubject, { kind: 'unknown' }> } | undefined {
  const first = jobs[0];
  if (!first || first.subject.kind === 'unknown') return undefined;
  for (const job of jobs) {
    if (job.issuer !== first.issuer || job.subject.kind !== first.subject.kind || job.subject.name !== first.subject.name) return undefined;
  }
  return { issuer: first.issuer, subject: first.subject };
}

/** The IAM name of the role a login assumes, by ARN (`arn:aws:iam::…:role/path/NAME`) or by name; undefined when it is computed. */
export function assumedRoleName(auth: Authentication): string | undefined {
  const role = auth.session?.role?.value;
  if (!role || role.includes('$')) return undefined;
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(role)?.[1] ?? role;
}

const BUILT = new WeakMap<GraphSources, { graph: WorkspaceGraph; repository: RepositoryRef | undefined; immutableSubjects: boolean; files: readonly unknown[] }>();

/**
 * The graph of a workspace, built once for as long as its files stay the same objects: every
 * fixer of an analysis asks with the same context, and an index replaces the entry of a file
 * that changes.
 */
export function workspaceGraph(sources: GraphSources): WorkspaceGraph {
  const built = BUILT.get(sources);
  if (built && built.repository === sources.repository && built.immutableSubjects === sources.immutableSubjects && sameFiles(built.files, sources.files)) return built.graph;
  const graph = new WorkspaceGraph(sources);
  BUILT.set(sources, { graph, repository: sources.repository, immutableSubjects: sources.immutableSubjects, files: [...sources.files.values()] });
  return graph;
}

function sameFiles(snapshot: readonly unknown[], files: GraphSources['files']): boolean {
  if (snapshot.length !== files.size) return false;
  let i = 0;
  for (const file of files.values()) if (snapshot[i++] !== file) return false;
  return true;
}

function admitsOnly(trust: AwsWebIdentityTrust, subject: string): boolean {
  if (judgeSubject(trust.issuer, trust.issuerHost, trust.statement.conditions).scope !== 'scoped') return false;
  const subjects = trust.statement.conditions.filter((c) => isSubjectKey(c.key, trust.issuerHost));
  return (
    subjects.length > 0 &&
    subjects.every((c) => c.operator === 'StringEquals' && !c.qualifier && !c.ifExists && c.values.length === 1 && c.values[0]!.value.toLowerCase() === subject.toLowerCase())
  );
}

const ARN_ACCOUNT = /\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/g;
const ECR_REGISTRY = /\b(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/g;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(.*)$/;

/** Literal strings of a file that may hold ARNs: policy values, assumed roles, declared attributes. */
function literalsOf(facts: Facts): string[] {
  const values: string[] = [];
  for (const policy of facts.policies) {
    for (const statement of policy.statements) {
      for (const list of [statement.resources, statement.notResources, ...statement.principals.map((p) => p.values)]) for (const value of list) values.push(value.value);
    }
  }
  for (const auth of facts.authentications) if (auth.session?.role) values.push(auth.session.role.value);
  for (const declaration of facts.declarations) {
    for (const attribute of declaration.attributes) {
      if (attribute.literal !== undefined) values.push(attribute.literal);
      else if (declaration.block === 'locals' || declaration.block === 'provider') values.push(attribute.text);
    }
  }
  return values;
}

/** `allowed_account_ids = ["123456789012"]` in an aws provider. */
function allowedAccounts(facts: Facts): string[] {
  return facts.declarations
    .filter((d) => d.block === 'provider')
    .flatMap((d) => d.attributes.filter((a) => a.name === 'allowed_account_ids').flatMap((a) => [...a.text.matchAll(/"(\d{12})"/g)].map((m) => m[1]!)));
}
