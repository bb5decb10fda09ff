/**
 * ARNs as Keyless writes them into generated policies: in parts, so that the account can stay
 * open until the rendering knows how to name it (a literal id, a Terraform data source, a
 * CloudFormation `${AWS::AccountId}`).
 */

/** The account the role lives in, when the workspace does not say which it is. */
export interface ThisAccount {
  thisAccount: true;
}

/** An ARN in parts: literal text, and the role's own account where its id is not known. */
export type Arn = readonly (string | ThisAccount)[];

export const THIS_ACCOUNT: ThisAccount = { thisAccount: true };
