import type { Authentication, CiJob, Cloud, Credential, PackageRegistry, Principal, ReferencedCredential } from '../../facts/model';
import { classifyCiValue, isReference, NPMRC_TOKEN, publishCommand, staticLogin } from '../ci-common/credentials';
import { keyVariableAuthentications } from '../ci-common/key-variables';
import { commandPattern, locateInScalar, pairAnchor } from '../locate';
import { webIdentityAssumption } from '../ci-common/assume-role';
import { shellCommands } from '../../syntax/shell';
import { mayRunTerraform, runsTerraform, terraformVariables } from '../ci-common/terraform';
import { deref, get, isMap, isScalar, isSeq, itemsOf, pairsOf, str, type Pair } from '../../syntax/tree';
import { variableValue, type Pipeline, type PipelineJob, type PipelineSite, type ScriptLine } from './model';
import { tokenSubject } from './subject';

/** Registries whose trusted publishing accepts GitLab CI's ID tokens (npm and PyPI, as of 2025). */
const GITLAB_TRUSTED_PUBLISHING: ReadonlySet<PackageRegistry> = new Set(['npm', 'pypi']);

/** How each job of a pipeline authenticates to clouds and package registries. */
export function gitlabAuthentications(pipeline: Pipeline, text: string): Authentication[] {
  const found: Authentication[] = [];
  const seen = new Set<string>();
  const add = (auth: Authentication): void => {
    const key = `${auth.target}:${auth.anchor.start}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push(auth);
    }
  };
  const principal = (job: string): Principal => ({ kind: 'ci-job', platform: 'gitlab-ci', job });

  const site = (fields: Omit<PipelineSite, 'kind' | 'pipeline'>): PipelineSite => ({ kind: 'gitlab-ci', pipeline, ...fields });
  for (const auth of keyVariableAuthentications(pipeline.variables, principal('*'), text, 'variables', variableValue, site({ variables: pipeline.variables }))) add(auth);
  for (const auth of scriptAuthentications(pipeline.defaultScripts, [pipeline.variables], principal('*'), text, (line) => site({ line }))) add(auth);
  for (const job of pipeline.jobs) {
    for (const auth of keyVariableAuthentications(job.variables, principal(job.name), text, 'variables', variableValue, site({ job, variables: job.variables }))) add(auth);
    for (const auth of scriptAuthentications(job.scripts, [job.variables, pipeline.variables], principal(job.name), text, (line) => site({ job, line }))) add(auth);
    const deploy = staticWebAppsDeploy(pipeline, job, text);
    if (deploy) add({ principal: principal(job.name), ...deploy, syntax: site({ job, variables: job.variables }) });
  }
  return found;
}

/**
 * The pipeline's jobs (templates included), for the workspace graph: the token subject each
 * carries, the audiences its own `id_tokens:` request, and what it hands Terraform (read, as
 * `default:` scripts and global variables reach it, for the jobs that run).
 */
export function gitlabJobs(pipeline: Pipeline, text: string): CiJob[] {
  const terraform = mayRunTerraform(text);
  return pipeline.jobs.map((job) => {
    const scripts = [...pipeline.defaultScripts, ...job.scripts].map((l) => l.script);
    const runs = terraform && !job.hidden && scripts.some(runsTerraform);
    return {
      platform: 'gitlab-ci',
      name: job.name,
      nameSpan: job.nameSpan,
      hidden: job.hidden,
      tokenSubject: tokenSubject(pipeline, job),
      idTokenAudiences: ownAudiences(job),
      ...(runs ? { terraform: terraformVariables([...pipeline.variables, ...job.variables], scripts, variableValue) } : {}),
    };
  });
}

/** `id_tokens: { NAME: { aud: X } }` in the job's own map: each `aud`, a string or a list. */
function ownAudiences(job: PipelineJob): string[] {
  if (!job.idTokens) return [];
  const audiences: string[] = [];
  for (const token of pairsOf(job.idTokens.value)) {
    const aud = get(token.value, 'aud');
    const values = isSeq(aud) ? itemsOf(aud).map(str) : [str(aud)];
    for (const value of values) if (value) audiences.push(value);
  }
  return audiences;
}

function scriptAuthentications(lines: ScriptLine[], variableScopes: Pair[][], principal: Principal, text: string, siteOf: (line: ScriptLine) => PipelineSite): Authentication[] {
  const result: Authentication[] = [];
  // Several commands of one job that configure one cloud's key (id, then secret) are one problem.
  const loggedIn = new Set<Cloud>();
  for (const line of lines) {
    for (const command of shellCommands(line.script)) {
      const login = staticLogin(command);
      if (login) {
        if (loggedIn.has(login.cloud)) continue;
        loggedIn.add(login.cloud);
        const anchor = locateInScalar(text, line.node, commandPattern(command.words.slice(0, 4)));
        const credentials: Credential[] = login.credential ? [{ origin: 'reference', kind: login.credential.kind, name: login.credential.name, nameSpan: anchor }] : [];
        result.push({ principal, target: login.cloud, method: 'static', mechanism: login.mechanism, anchor, credentials, syntax: siteOf(line) });
        continue;
      }
      const assumed = webIdentityAssumption(command, line.node, text);
      if (assumed) {
        result.push({ principal, target: 'aws', method: 'oidc', mechanism: 'aws sts assume-role-with-web-identity', anchor: assumed.anchor, credentials: [], session: assumed.session, syntax: siteOf(line) });
        continue;
      }
      const publish = publishCommand(command);
      if (!publish || !GITLAB_TRUSTED_PUBLISHING.has(publish.registry)) continue;
      const token = tokenFor(publish.tokenVariables, publish.tokenArgument, variableScopes, line, text);
      if (token) result.push({ principal, target: publish.registry, method: 'static', mechanism: publish.tool, anchor: token.nameSpan, credentials: [token], syntax: siteOf(line) });
    }
    if (NPMRC_TOKEN.test(line.script)) {
      const anchor = locateInScalar(text, line.node, NPMRC_TOKEN);
      result.push({ principal, target: 'npm', method: 'static', mechanism: '.npmrc _authToken', anchor, credentials: [{ origin: 'reference', kind: 'npm-token', name: '_authToken', nameSpan: anchor }], syntax: siteOf(line) });
    }
  }
  return result;
}

function tokenFor(variables: readonly string[], argument: string | undefined, scopes: Pair[][], line: ScriptLine, text: string): ReferencedCredential | undefined {
  if (argument && isReference(classifyCiValue(argument))) {
    return { origin: 'reference', kind: 'registry-token', name: argument, nameSpan: locateInScalar(text, line.node, argument) };
  }
  for (const scope of scopes) {
    const pair = scope.find((p) => variables.includes(p.key));
    if (!pair) continue;
    const kind = classifyCiValue(variableValue(pair));
    if (!isReference(kind) && kind !== 'credential-literal') return undefined;
    return { origin: 'reference', kind: 'registry-token', name: pair.key, nameSpan: pairAnchor(pair, text) };
  }
  return undefined;
}

/**
 * Azure's documented GitLab deployment of a Static Web App: a job on Microsoft's deploy image, which
 * reads the app's deployment token from `API_TOKEN` (learn.microsoft.com, "Tutorial: Deploy to
 * Azure Static Web Apps with GitLab"). `API_TOKEN` is too common a name to mean this anywhere else.
 */
const SWA_DEPLOY_IMAGE = /(?:^|\/)static-web-apps\/azure-static-web-apps-deploy(?:[:@]|$)/;

function staticWebAppsDeploy(pipeline: Pipeline, job: PipelineJob, text: string): Omit<Authentication, 'principal'> | undefined {
  const image = imageName(get(job.node, 'image')) ?? imageName(get(get(pipeline.root, 'default'), 'image')) ?? imageName(get(pipeline.root, 'image'));
  if (image === undefined || !SWA_DEPLOY_IMAGE.test(image)) return undefined;
  for (const scope of [job.variables, pipeline.variables]) {
    const pair = scope.find((p) => p.key === 'API_TOKEN');
    if (!pair) continue;
    const kind = classifyCiValue(variableValue(pair));
    if (!isReference(kind) && kind !== 'credential-literal') return undefined;
    const anchor = pairAnchor(pair, text);
    return { target: 'azure', method: 'static', mechanism: 'azure-static-web-apps-deploy image', anchor, credentials: [{ origin: 'reference', kind: 'azure-deployment-token', name: pair.key, nameSpan: anchor }] };
  }
  return undefined;
}

/** `image: name` or `image: { name: … }`. */
function imageName(node: ReturnType<typeof get>): string | undefined {
  const value = deref(node);
  if (isScalar(value)) return str(value);
  return isMap(value) ? str(get(value, 'name')) : undefined;
}
