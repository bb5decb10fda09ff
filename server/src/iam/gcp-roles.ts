/**
 * What Google Cloud roles and permissions mean, for the over-privilege rules and hovers: a small
 * reviewed table, not a catalog. Two sources, named row by row where it matters:
 *
 * - Google Cloud, "IAM basic and predefined roles reference"
 *   (https://cloud.google.com/iam/docs/roles-permissions) and "Basic roles"
 *   (https://cloud.google.com/iam/docs/roles-overview#basic): what each role grants, in one line.
 * - Rhino Security Labs, GCP-IAM-Privilege-Escalation (BSD-3-Clause),
 *   `PrivEscScanner/check_for_privesc.py` at 75f38d7: the permissions, alone or together, that
 *   let a principal raise its own privileges.
 */

/** The basic roles that grant (almost) everything in their scope: `admin-access`. `{in}` is where: "in the project". */
export const GCP_ADMIN_ROLES: ReadonlyMap<string, string> = new Map([
  ['roles/owner', 'every permission {in}, including granting any role to anyone (setIamPolicy) and managing billing'],
  ['roles/editor', 'permission to create, change and delete almost every resource {in}'],
]);

/**
 * Escalation as Rhino's scanner counts it. `serviceAccount`: the permission acts on service
 * accounts (mint a token, a key or a signature for one, let itself act as one), so it escalates
 * only when held over many of them — granted on a project, folder or organization, where it covers
 * every service account under it, including ones created later; granted on one service account it
 * is the ordinary way to impersonate that one. `hierarchy`: it acts on the project, folder or
 * organization (its IAM policy, its custom roles, deployments that run as a privileged service
 * agent), so holding it at all is the escalation.
 */
export type GcpEscalationReach = 'serviceAccount' | 'hierarchy';

export interface GcpEscalation {
  /** What it lets the holder do, in words for a message. */
  does: string;
  reach: GcpEscalationReach;
}

/** Single permissions that escalate (Rhino's one-permission methods, less API keys and org policy: see below). */
export const GCP_ESCALATION_PERMISSIONS: ReadonlyMap<string, GcpEscalation> = new Map<string, GcpEscalation>([
  ['iam.serviceAccounts.getAccessToken', { does: 'mint access tokens for service accounts', reach: 'serviceAccount' }],
  ['iam.serviceAccounts.implicitDelegation', { does: 'mint tokens through a chain of service accounts', reach: 'serviceAccount' }],
  ['iam.serviceAccounts.signBlob', { does: 'sign as service accounts (and so mint their tokens)', reach: 'serviceAccount' }],
  ['iam.serviceAccounts.signJwt', { does: 'sign JWTs as service accounts (and so mint their tokens)', reach: 'serviceAccount' }],
  ['iam.serviceAccounts.actAs', { does: 'act as service accounts (run VMs, functions and jobs as them)', reach: 'serviceAccount' }],
  ['iam.serviceAccountKeys.create', { does: 'create long-lived keys for service accounts', reach: 'serviceAccount' }],
  ['iam.serviceAccounts.setIamPolicy', { does: 'grant itself any role on service accounts', reach: 'serviceAccount' }],
  ['storage.hmacKeys.create', { does: 'create HMAC keys for service accounts', reach: 'serviceAccount' }],
  ['resourcemanager.organizations.setIamPolicy', { does: 'grant any role on the organization, itself included', reach: 'hierarchy' }],
  ['resourcemanager.folders.setIamPolicy', { does: 'grant any role on folders, itself included', reach: 'hierarchy' }],
  ['resourcemanager.projects.setIamPolicy', { does: 'grant any role on projects, itself included', reach: 'hierarchy' }],
  ['iam.roles.update', { does: 'add permissions to the custom roles it holds', reach: 'hierarchy' }],
  ['deploymentmanager.deployments.create', { does: 'create deployments, which run as the Google APIs service agent (an Editor of the project)', reach: 'hierarchy' }],
  ['cloudbuild.builds.create', { does: 'run builds as the Cloud Build service account and read its token', reach: 'hierarchy' }],
]);
// Left out of Rhino's list: `serviceusage.apiKeys.create` / `.list` (an API key carries no IAM
// identity) and `orgpolicy.policy.set` (it lifts organization constraints, not the holder's own
// permissions). `iam.serviceAccounts.actAs` is in no single-permission method of Rhino's: it is
// here as what `roles/iam.serviceAccountUser` grants (checkov CKV_GCP_41), with the reach of a
// service-account permission.

/**
 * Rhino's combinations: creating a compute resource that runs as a service account, with
 * `iam.serviceAccounts.actAs`, hands the holder that account's privileges. Every permission of a
 * set must be held; the first is the one a message names.
 */
export const GCP_ESCALATION_COMBINATIONS: readonly { permissions: readonly string[]; does: string }[] = [
  { permissions: ['cloudfunctions.functions.create', 'cloudfunctions.functions.sourceCodeSet', 'iam.serviceAccounts.actAs', 'cloudfunctions.functions.call'], does: 'deploy and call a Cloud Function that runs as a service account of the project' },
  { permissions: ['cloudfunctions.functions.create', 'cloudfunctions.functions.sourceCodeSet', 'iam.serviceAccounts.actAs', 'cloudfunctions.functions.setIamPolicy'], does: 'deploy a Cloud Function that runs as a service account of the project and open it to callers' },
  { permissions: ['cloudfunctions.functions.update', 'cloudfunctions.functions.sourceCodeSet', 'iam.serviceAccounts.actAs'], does: 'redeploy a Cloud Function to run as a service account of the project' },
  {
    permissions: ['compute.instances.create', 'compute.disks.create', 'compute.instances.setMetadata', 'compute.instances.setServiceAccount', 'compute.subnetworks.use', 'compute.subnetworks.useExternalIp', 'iam.serviceAccounts.actAs'],
    does: 'start a VM that runs as a service account of the project',
  },
  { permissions: ['run.services.create', 'iam.serviceAccounts.actAs', 'run.services.setIamPolicy'], does: 'deploy a Cloud Run service that runs as a service account of the project and open it to callers' },
  { permissions: ['run.services.create', 'iam.serviceAccounts.actAs', 'run.routes.invoke'], does: 'deploy and call a Cloud Run service that runs as a service account of the project' },
  { permissions: ['cloudscheduler.jobs.create', 'cloudscheduler.locations.list', 'iam.serviceAccounts.actAs'], does: 'schedule jobs that call APIs as a service account of the project' },
];

/**
 * Predefined roles that hold an escalation permission above (Google's predefined roles reference
 * lists each role's permissions; the one that escalates is named). `serviceAccount` roles escalate
 * only when granted on a project, folder or organization (checkov CKV_GCP_41 and CKV_GCP_49 flag
 * `roles/iam.serviceAccountUser` and `roles/iam.serviceAccountTokenCreator` there).
 */
export const GCP_ESCALATION_ROLES: ReadonlyMap<string, GcpEscalation & { permission: string; instead?: string }> = new Map([
  ['roles/iam.serviceAccountUser', { permission: 'iam.serviceAccounts.actAs', does: 'act as every service account under it (attach it to VMs, functions, jobs and deployments)', reach: 'serviceAccount' as const }],
  ['roles/iam.serviceAccountTokenCreator', { permission: 'iam.serviceAccounts.getAccessToken', does: 'mint access tokens and signatures for every service account under it', reach: 'serviceAccount' as const }],
  ['roles/iam.serviceAccountKeyAdmin', { permission: 'iam.serviceAccountKeys.create', does: 'create long-lived keys for every service account under it', reach: 'serviceAccount' as const }],
  ['roles/iam.serviceAccountAdmin', { permission: 'iam.serviceAccounts.setIamPolicy', does: 'grant itself any role on every service account under it', reach: 'serviceAccount' as const }],
  ['roles/resourcemanager.projectIamAdmin', { permission: 'resourcemanager.projects.setIamPolicy', does: 'grant any role on the project, roles/owner to itself included', reach: 'hierarchy' as const }],
  ['roles/resourcemanager.folderIamAdmin', { permission: 'resourcemanager.folders.setIamPolicy', does: 'grant any role on the folder, roles/owner to itself included', reach: 'hierarchy' as const }],
  ['roles/resourcemanager.organizationAdmin', { permission: 'resourcemanager.organizations.setIamPolicy', does: 'grant any role on the organization, its folders and projects, itself included', reach: 'hierarchy' as const }],
  ['roles/iam.securityAdmin', { permission: 'resourcemanager.projects.setIamPolicy', does: 'set the IAM policy of almost any resource, its own grants included', reach: 'hierarchy' as const }],
  ['roles/iam.roleAdmin', { permission: 'iam.roles.update', does: 'add any permission to the custom roles it holds', reach: 'hierarchy' as const }],
  ['roles/iam.organizationRoleAdmin', { permission: 'iam.roles.update', does: 'add any permission to the organization custom roles it holds', reach: 'hierarchy' as const }],
  [
    'roles/deploymentmanager.editor',
    {
      permission: 'deploymentmanager.deployments.create',
      does: 'create deployments that run as the Google APIs service agent, an Editor of the project',
      reach: 'hierarchy' as const,
      instead: 'Deploy with Terraform under an identity holding the roles the deployment needs, or grant it only to the administrators of the project.',
    },
  ],
  [
    'roles/cloudbuild.builds.editor',
    {
      permission: 'cloudbuild.builds.create',
      does: 'run builds as the Cloud Build service account and read its token',
      reach: 'hierarchy' as const,
      instead: 'Run builds as a user-specified service account that holds only what the build needs, and grant this role where builds are started, not to every member.',
    },
  ],
]);

/** Members that are everyone: `allUsers` (anyone on the internet) and `allAuthenticatedUsers` (any Google account). */
export function gcpPublicMember(member: string): 'allUsers' | 'allAuthenticatedUsers' | undefined {
  return member === 'allUsers' || member === 'allAuthenticatedUsers' ? member : undefined;
}

/**
 * What common roles grant, in one line, for hovers. From Google's "IAM basic and predefined roles
 * reference"; a role not listed gets no hover line (there are over a thousand).
 */
export const GCP_ROLE_SUMMARIES: ReadonlyMap<string, string> = new Map([
  ['roles/owner', 'Basic role: everything Editor grants, plus managing roles and permissions (setIamPolicy) and billing, across every service in its scope.'],
  ['roles/editor', 'Basic role: everything Viewer grants, plus creating, changing and deleting almost every resource, across every service in its scope.'],
  ['roles/viewer', 'Basic role: read-only access to most resources and their settings; no changes.'],
  ['roles/browser', 'Read the resource hierarchy (organization, folders, projects and their IAM policies); not the resources themselves.'],
  ['roles/iam.serviceAccountUser', 'Run operations as the service account (`iam.serviceAccounts.actAs`): attach it to VMs, functions and jobs. On a project: every service account in it.'],
  ['roles/iam.serviceAccountTokenCreator', 'Impersonate the service account: mint OAuth access tokens and ID tokens, sign blobs and JWTs. On a project: every service account in it.'],
  ['roles/iam.serviceAccountKeyAdmin', 'Create, list and delete service account keys (long-lived credentials).'],
  ['roles/iam.serviceAccountAdmin', 'Create and manage service accounts, and their IAM policies (who may act as them).'],
  ['roles/iam.workloadIdentityUser', 'Impersonate the service account from a GKE workload or a federated identity (workload identity).'],
  ['roles/iam.securityAdmin', 'Get and set the IAM policy of almost any resource: grant any role.'],
  ['roles/iam.securityReviewer', 'Read the IAM policy of any resource; no changes.'],
  ['roles/iam.roleAdmin', 'Create and update the custom roles of the project.'],
  ['roles/iam.organizationRoleAdmin', 'Create and update the custom roles of the organization and its projects.'],
  ['roles/resourcemanager.projectIamAdmin', 'Set the project\'s IAM policy: grant any role on the project.'],
  ['roles/resourcemanager.folderIamAdmin', 'Set the folder\'s IAM policy: grant any role on the folder.'],
  ['roles/resourcemanager.organizationAdmin', 'Manage the IAM policies of the organization, its folders and projects.'],
  ['roles/deploymentmanager.editor', 'Create and manage Deployment Manager deployments (they run as the Google APIs service agent).'],
  ['roles/cloudbuild.builds.editor', 'Create and cancel Cloud Build builds (they run as the Cloud Build service account).'],
  ['roles/storage.admin', 'Full control of buckets and objects, their IAM policies included.'],
  ['roles/storage.objectAdmin', 'Full control of objects (read, write, delete, object ACLs); not bucket settings.'],
  ['roles/storage.objectCreator', 'Create objects; no reading, overwriting or deleting.'],
  ['roles/storage.objectViewer', 'Read objects and list them.'],
  ['roles/artifactregistry.reader', 'Read and download artifacts (pull images).'],
  ['roles/artifactregistry.writer', 'Read and write artifacts (push and pull images).'],
  ['roles/secretmanager.secretAccessor', 'Read secret payloads.'],
  ['roles/logging.logWriter', 'Write log entries.'],
  ['roles/monitoring.metricWriter', 'Write monitoring data.'],
  ['roles/container.developer', 'Full access to Kubernetes API objects inside GKE clusters.'],
  ['roles/container.admin', 'Full control of GKE clusters and the Kubernetes API objects in them.'],
  ['roles/run.admin', 'Full control of Cloud Run services and jobs, their IAM policies included.'],
  ['roles/run.invoker', 'Invoke Cloud Run services and jobs.'],
  ['roles/cloudsql.client', 'Connect to Cloud SQL instances.'],
  ['roles/pubsub.publisher', 'Publish messages to topics.'],
  ['roles/pubsub.subscriber', 'Consume messages from subscriptions.'],
  ['roles/bigquery.dataViewer', 'Read BigQuery datasets, tables and their data.'],
  ['roles/bigquery.dataEditor', 'Read and change BigQuery datasets, tables and their data.'],
  ['roles/bigquery.admin', 'Full control of BigQuery resources.'],
  ['roles/compute.admin', 'Full control of Compute Engine resources.'],
  ['roles/compute.viewer', 'Read Compute Engine resources.'],
]);
