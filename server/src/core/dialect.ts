/**
 * The kinds of file Keyless reads a model from: a name every layer shares (rules say where they
 * fire, fixers which syntax they edit, the workspace what each file is). Which kind a file is,
 * `dialects/detect.ts` decides.
 */
export type Dialect = 'github-actions' | 'gitlab-ci' | 'cloudformation' | 'kubernetes' | 'terraform' | 'iam-policy';
