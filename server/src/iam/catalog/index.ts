/**
 * The AWS IAM action catalog, and the small reviewed tables it lacks: what rules, hovers and
 * scope-down fixes import. See ARCHITECTURE.md (`server/src/iam/`) for the overview.
 */
export { AwsCatalog, createAwsCatalog, type ActionPatternExpansion, type ActionPatternProblem, type CatalogAction, type ResourceType } from './catalog';
export { ACCESS_LEVELS, type AccessLevel, type CatalogSource, type CompactService } from './data';
export { actionPattern, actionsCovered, isEveryAction, specAllows, statementsAllow, type ActionPattern, type ActionSpec } from './action-pattern';
export { arnPatternCovers, arnPatternMatches, arnPatternsIntersect, resourceTypeScope, type ResourceScope } from './arn-pattern';
export { ESCALATION_METHODS, escalationMethodsGranted, type EscalationMethod } from './escalation';
export { CREDENTIAL_ACTIONS, returnsCredentials } from './credential-actions';
export { EXFILTRATION_READS, isExfiltrationRead } from './exfiltration';
export { summarizeGrant, type GrantSummary, type SummaryOptions } from './summary';
