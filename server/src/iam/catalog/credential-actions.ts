import { inActionTable } from './action-pattern';

/**
 * Actions whose response carries a credential: keys, session tokens, passwords, API keys or
 * authorization tokens that act with someone's permissions. A grant of one hands the identity
 * more than the action's name suggests.
 *
 * Source: Cloudsplaining (Salesforce, BSD-3-Clause), `ACTIONS_THAT_RETURN_CREDENTIALS` in
 * cloudsplaining/shared/constants.py (https://github.com/salesforce/cloudsplaining), itself from
 * Kinnaird McQuade's list (https://gist.github.com/kmcquade/33860a617e651104d243c324ddf7992a);
 * facts restated, spelt as the Service Authorization Reference spells them. Changes, each checked
 * against the reference: `gamelist:` corrected to `gamelift:`; left out `iam:UpdateAccessKey`
 * (it changes a key's status and returns none), `connect:GetFederationTokens` (no such action),
 * and `sso:GetRoleCredentials` (authorized by the IAM Identity Center access token, never by an
 * IAM policy); added `sts:AssumeRoot` (returns root-user session credentials: AWS STS API
 * Reference, AssumeRoot).
 */
export const CREDENTIAL_ACTIONS: readonly string[] = [
  'airflow:CreateCliToken',
  'airflow:CreateWebLoginToken',
  'appsync:CreateApiKey',
  'chime:CreateApiKey',
  'cloud9:CreateEnvironmentToken',
  'codeartifact:GetAuthorizationToken',
  'codepipeline:PollForJobs',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-idp:GetSigningCertificate',
  'connect:GetFederationToken',
  'ec2:GetPasswordData',
  'ecr:GetAuthorizationToken',
  'ecr-public:GetAuthorizationToken',
  'emr-containers:GetManagedEndpointSessionCredentials',
  'finspace-api:GetProgrammaticAccessCredentials',
  'gamelift:GetComputeAccess',
  'gamelift:GetComputeAuthToken',
  'gamelift:GetInstanceAccess',
  'gamelift:RequestUploadCredentials',
  'grafana:CreateWorkspaceApiKey',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'license-manager:GetAccessToken',
  'lightsail:CreateBucketAccessKey',
  'lightsail:DownloadDefaultKeyPair',
  'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword',
  'mediapackage:RotateChannelCredentials',
  'mediapackage:RotateIngestEndpointCredentials',
  'rds-db:connect',
  'redshift:GetClusterCredentials',
  'redshift:GetClusterCredentialsWithIAM',
  'redshift-serverless:GetCredentials',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:AssumeRoot',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
];

/** Whether the action (`service:Action`, any case; not a pattern) returns a credential. */
export const returnsCredentials: (action: string) => boolean = inActionTable(CREDENTIAL_ACTIONS);
