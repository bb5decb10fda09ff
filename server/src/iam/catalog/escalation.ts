/**
 * Privilege escalation in AWS IAM: the sets of actions that, granted together, let an identity
 * raise its own privileges. Facts from three published lists, restated here (no code copied):
 *
 * - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation", parts 1 and 2
 *   (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ and
 *   …-part-2/), numbered as in https://github.com/RhinoSecurityLabs/AWS-IAM-Privilege-Escalation
 *   (README, methods 1–28);
 * - Cloudsplaining (Salesforce, BSD-3-Clause), `PRIVILEGE_ESCALATION_METHODS` in
 *   cloudsplaining/shared/constants.py (https://github.com/salesforce/cloudsplaining), whose
 *   method names the ids below keep, and whose later rows come from pathfinding.cloud (Datadog);
 * - Keyless's own rule catalog (RULES.md, `privilege-escalation`): `iam:PassRole` and
 *   `sts:AssumeRole` on `*` on their own.
 *
 * Left out: Rhino's method 23 (`codestar:CreateProjectFromTemplate`, an undocumented API the
 * Service Authorization Reference does not list, so no policy names it as such); Cloudsplaining's
 * `…WithNewDynamo` variant (its actions include the `…WithExistingDynamo` one's).
 */

export interface EscalationMethod {
  /** Cloudsplaining's name for it where it has one: `CreateNewPolicyVersion`. */
  id: string;
  /** What the identity can do with it, as a clause for a message: "create a new default version of a policy it is attached to". */
  how: string;
  /** Every action it needs, as the Service Authorization Reference spells them. */
  actions: readonly string[];
  /**
   * It escalates only when granted on every resource (`Resource: "*"`): passing any role, or
   * assuming any role. On named roles it is the delegation the policy means.
   */
  onEveryResource?: true;
  /** Where it is published: Rhino's method number, Cloudsplaining, RULES.md. */
  source: string;
}

const RHINO = (n: number): string => `Rhino Security Labs method ${n}; Cloudsplaining`;
const CLOUDSPLAINING = 'Cloudsplaining (pathfinding.cloud)';

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  // Permissions on policies
  { id: 'CreateNewPolicyVersion', how: 'write a new default version of a managed policy, with any permissions', actions: ['iam:CreatePolicyVersion'], source: RHINO(1) },
  { id: 'SetExistingDefaultPolicyVersion', how: 'make an older, broader version of a managed policy the default', actions: ['iam:SetDefaultPolicyVersion'], source: RHINO(2) },
  { id: 'AttachUserPolicy', how: 'attach any managed policy (AdministratorAccess) to a user', actions: ['iam:AttachUserPolicy'], source: RHINO(7) },
  { id: 'AttachGroupPolicy', how: 'attach any managed policy (AdministratorAccess) to a group', actions: ['iam:AttachGroupPolicy'], source: RHINO(8) },
  { id: 'AttachRolePolicy', how: 'attach any managed policy (AdministratorAccess) to a role', actions: ['iam:AttachRolePolicy'], source: RHINO(9) },
  { id: 'PutUserPolicy', how: 'write an inline policy granting anything to a user', actions: ['iam:PutUserPolicy'], source: RHINO(10) },
  { id: 'PutGroupPolicy', how: 'write an inline policy granting anything to a group', actions: ['iam:PutGroupPolicy'], source: RHINO(11) },
  { id: 'PutRolePolicy', how: 'write an inline policy granting anything to a role', actions: ['iam:PutRolePolicy'], source: RHINO(12) },
  // Credentials and membership of other principals
  { id: 'CreateAccessKey', how: 'create an access key for another user and act as that user', actions: ['iam:CreateAccessKey'], source: RHINO(4) },
  { id: 'CreateLoginProfile', how: 'set a console password for another user and sign in as that user', actions: ['iam:CreateLoginProfile'], source: RHINO(5) },
  { id: 'UpdateLoginProfile', how: "change another user's console password and sign in as that user", actions: ['iam:UpdateLoginProfile'], source: RHINO(6) },
  { id: 'AddUserToGroup', how: 'add a user to any group, with the group\'s permissions', actions: ['iam:AddUserToGroup'], source: RHINO(13) },
  // Rhino's method 14 also lists sts:AssumeRole; Cloudsplaining and RULES.md count the trust change
  // alone, since the rewritten trust can admit a principal of another account.
  { id: 'UpdateRolePolicyToAssumeIt', how: "rewrite a role's trust policy to let itself (or another account) assume it", actions: ['iam:UpdateAssumeRolePolicy'], source: `${RHINO(14)}; RULES.md` },
  // Passing a role to a service that runs what the identity gives it
  { id: 'CreateEC2WithExistingIP', how: 'start an EC2 instance with any instance profile and read its role\'s credentials', actions: ['iam:PassRole', 'ec2:RunInstances'], source: RHINO(3) },
  { id: 'PassExistingRoleToNewLambdaThenInvoke', how: 'create a Lambda function with any role and invoke it', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], source: RHINO(15) },
  { id: 'PassExistingRoleToNewLambdaThenAddPermission', how: 'create a Lambda function with any role and let another account invoke it', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'], source: RHINO(16) },
  { id: 'PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo', how: 'create a Lambda function with any role and trigger it from a DynamoDB stream', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], source: RHINO(17) },
  { id: 'PassExistingRoleToNewGlueDevEndpoint', how: 'create a Glue development endpoint with any role and use its credentials over SSH', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], source: RHINO(19) },
  { id: 'PassExistingRoleToCloudFormation', how: 'create a CloudFormation stack that runs as any role', actions: ['iam:PassRole', 'cloudformation:CreateStack'], source: RHINO(21) },
  { id: 'PassExistingRoleToNewDataPipeline', how: 'create a Data Pipeline that runs commands as any role', actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], source: RHINO(22) },
  { id: 'PassRoleToNewCodeStarProject', how: 'create a CodeStar project that deploys as any role', actions: ['iam:PassRole', 'codestar:CreateProject'], source: 'Rhino Security Labs method 24' },
  { id: 'CodeStarProjectTeamMember', how: 'create a CodeStar project and make itself its owner, with the policy that attaches', actions: ['codestar:CreateProject', 'codestar:AssociateTeamMember'], source: 'Rhino Security Labs method 25' },
  { id: 'PassExistingRoleToNewSageMakerNotebookInstance', how: 'create a SageMaker notebook with any role and open it', actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], source: 'Rhino Security Labs method 27; Cloudsplaining' },
  { id: 'PassExistingRoleToNewECSTaskViaRunTask', how: 'register an ECS task definition with any role and run it', actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewECSTaskViaStartTask', how: 'register an ECS task definition with any role and start it', actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewECSService', how: 'register an ECS task definition with any role and run it as a service', actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewCodeBuildProjectThenBuild', how: 'create a CodeBuild project with any role and run a build', actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewGlueJobThenRun', how: 'create a Glue job with any role and run it', actions: ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewSageMakerTrainingJob', how: 'run a SageMaker training job with any role', actions: ['iam:PassRole', 'sagemaker:CreateTrainingJob'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewSageMakerProcessingJob', how: 'run a SageMaker processing job with any role', actions: ['iam:PassRole', 'sagemaker:CreateProcessingJob'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewEC2SpotInstance', how: 'request a spot instance with any instance profile and read its role\'s credentials', actions: ['iam:PassRole', 'ec2:RequestSpotInstances'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewAppRunnerService', how: 'create an App Runner service with any role', actions: ['iam:PassRole', 'apprunner:CreateService'], source: CLOUDSPLAINING },
  { id: 'PassExistingRoleToNewCloudFormationStackSet', how: 'create a CloudFormation stack set that runs as any role', actions: ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], source: CLOUDSPLAINING },
  // Taking over what already runs with a role
  { id: 'EditExistingLambdaFunctionWithRole', how: "replace a Lambda function's code and run as its role", actions: ['lambda:UpdateFunctionCode'], source: RHINO(18) },
  { id: 'AddLambdaLayerToFunctionWithRole', how: "add a layer to a Lambda function that overrides its libraries, and run as its role", actions: ['lambda:UpdateFunctionConfiguration'], source: 'Rhino Security Labs method 26' },
  { id: 'UpdateExistingGlueDevEndpoint', how: "add its SSH key to a Glue development endpoint and use its role", actions: ['glue:UpdateDevEndpoint'], source: RHINO(20) },
  { id: 'CreatePresignedSageMakerNotebookUrl', how: 'open an existing SageMaker notebook and use its role', actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'], source: 'Rhino Security Labs method 28; Cloudsplaining' },
  { id: 'ModifyEC2InstanceUserDataThenRestart', how: "rewrite an instance's user data, restart it and run as its role", actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], source: CLOUDSPLAINING },
  { id: 'EC2InstanceConnectSendSSHPublicKey', how: 'push an SSH key to an instance and use its role', actions: ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances'], source: CLOUDSPLAINING },
  { id: 'ECSExecuteCommandOnRunningTask', how: 'open a shell in a running ECS task and use its role', actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'], source: CLOUDSPLAINING },
  // Keyless's own: on every resource these reach every role of the account.
  { id: 'PassAnyRole', how: 'pass any role of the account to a service', actions: ['iam:PassRole'], onEveryResource: true, source: 'RULES.md (privilege-escalation)' },
  { id: 'AssumeAnyRole', how: 'assume any role whose trust admits the account', actions: ['sts:AssumeRole'], onEveryResource: true, source: 'RULES.md (privilege-escalation)' },
];

/**
 * The methods whose every action `allows` says is granted, in table order. `allows` answers for
 * one action name (`iam:PassRole`); build it from statements with `statementsAllow`. Methods
 * marked `onEveryResource` are returned too: whether the grant was on `*` is the caller's to judge.
 */
export function escalationMethodsGranted(allows: (action: string) => boolean): EscalationMethod[] {
  const answers = new Map<string, boolean>();
  const granted = (action: string): boolean => {
    let answer = answers.get(action);
    if (answer === undefined) {
      answer = allows(action);
      answers.set(action, answer);
    }
    return answer;
  };
  return ESCALATION_METHODS.filter((method) => method.actions.every(granted));
}
