import { inActionTable } from './action-pattern';

/**
 * Read actions that hand over stored data or secrets: on `*` they read every object, parameter
 * or secret of the account, which access levels alone (they are plain "Read") do not show.
 *
 * Sources: Cloudsplaining (Salesforce, BSD-3-Clause), `READ_ONLY_DATA_EXFILTRATION_ACTIONS` in
 * cloudsplaining/shared/constants.py (https://github.com/salesforce/cloudsplaining): s3:GetObject,
 * ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath, secretsmanager:GetSecretValue.
 * Added, each from its service's API reference: `secretsmanager:BatchGetSecretValue` (returns the
 * values of several secrets at once: AWS Secrets Manager API Reference, BatchGetSecretValue) and
 * `kms:Decrypt` (returns the plaintext of anything encrypted under the key: AWS KMS API Reference,
 * Decrypt; the reference files it under Write).
 */
export const EXFILTRATION_READS: readonly string[] = [
  'kms:Decrypt',
  's3:GetObject',
  'secretsmanager:BatchGetSecretValue',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
];

/** Whether the action (`service:Action`, any case; not a pattern) reads stored data or secrets out. */
export const isExfiltrationRead: (action: string) => boolean = inActionTable(EXFILTRATION_READS);
