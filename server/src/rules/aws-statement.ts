import type { PolicyDocument, PolicyStatement, ValueAt } from '../facts/model';

/**
 * What an AWS statement finding of `wildcard-action`, `wildcard-resource` and
 * `privilege-escalation` is about: the document and statement it judges, and the action or
 * resource value it anchors on (the service wildcard, `NotAction`'s first value, the `*`
 * resource, the action that grants an escalation). The scope-down fixers of those rules take it:
 * they rewrite the statement, and `value` says which of its values the finding is about.
 */
export interface AwsStatementSubject {
  document: PolicyDocument;
  statement: PolicyStatement;
  value?: ValueAt;
}
