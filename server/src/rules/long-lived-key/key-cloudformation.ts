import type { TemplateResource } from '../../dialects/cloudformation/model';
import type { TemplateSite } from '../../dialects/cloudformation/facts';
import { fromDataNode } from '../../dialects/iam-policy/policy-value';
import type { MintedCredential } from '../../facts/model';
import { deref, get, getPair, isMap, isScalar, isSeq, itemsOf, pairsOf, str, type DataNode, type MapNode, type Pair } from '../../syntax/tree';
import { cloudFormationAwsResources, issuerLabel, type AwsRoleSpec, type ProviderChoice } from '../../fixes/federation/aws';
import { cfn, jsonEntries, yamlLines, type CfnEntry, type CfnNode } from '../../fixes/federation/cfn-render';
import { iamName, logicalId, terraformLabel } from '../../fixes/federation/render';
import { workspaceGraph } from '../../graph/graph';
import { defaultAudience } from '../../fixes/federation/claims';
import type { FixContext, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { eolOf, lineStartAt, startsLine, wholeLines } from '../../fixes/text';
import { deletePair, insertAfterPair, insertItemBefore } from '../../fixes/yaml-edit';
import { keyUser, onlyOneOfKind, roleFollowUp } from './key-subject';
import { deleteEntry, insertMember } from '../../fixes/iac/statement-edit';

/**
 * long-lived-key in CloudFormation: the `AWS::IAM::AccessKey` is replaced, where it stood, by a
 * role that only this repository's environment or branch can assume through OIDC (and the OIDC
 * provider when the account has none in the workspace). The key's user hands over its managed and
 * inline policies, and the standalone policies attached to it name the role too. Outputs of the
 * key go. Offered only when nothing else refers to the key, and when the workspace shows whom it
 * served. YAML and JSON templates, each in its own syntax.
 */
export function fixTemplateKey(fix: FixContext<MintedCredential>, site: TemplateSite): FixProposal[] {
  const { text, workspace, path } = fix;
  const { template, resource } = site;
  const json = text.trimStart().startsWith('{');
  const resources = getPair(template.root, 'Resources');
  const keyPair = pairsOf(resources?.value).find((p) => p.key === resource.logicalId);
  if (!resources || !keyPair) return [];

  // Every reference to the key must be in an output, which goes with it.
  const outputs = getPair(template.root, 'Outputs');
  const outputPairs = pairsOf(outputs?.value);
  const dependentOutputs = outputPairs.filter((p) => refersTo(p.value, resource.logicalId));
  if (template.resources.some((r) => r !== resource && refersTo(r.node, resource.logicalId))) return [];

  const inThisFile = template.resources.filter((r) => r.type === 'AWS::IAM::AccessKey').length;
  const user = keyUser(workspace, 'aws', [], onlyOneOfKind(workspace, path, 'aws-access-key-id', inThisFile));
  if (!user) return [];

  const iamUser = userOf(resource, template.resources);
  const roleName = iamName([user.issuer === 'github' ? 'gha' : 'gitlab', user.repository.name, user.scope.name]);
  const label = terraformLabel(roleName);
  const roleId = `${logicalId([label])}Role`;
  if (template.resources.some((r) => r.logicalId === roleId)) return [];

  const graph = workspaceGraph(workspace);
  const account = graph.soleAccount();
  let audience = defaultAudience('aws', user.issuer, user.issuerHost)!;
  const hostOf = (url: string | undefined): string | undefined => url?.replace(/^https?:\/\//, '').replace(/\/$/, '').toLowerCase();
  const local = template.resources.find((r) => r.type === 'AWS::IAM::OIDCProvider' && hostOf(str(get(r.properties, 'Url'))) === user.issuerHost.toLowerCase());
  const elsewhere = graph.awsOidcProviders(user.issuerHost).filter((p) => p.path !== path);
  const clientIds = local ? itemsOf(get(local.properties, 'ClientIdList')).map(str).filter((c): c is string => c !== undefined) : elsewhere[0]?.provider.clientIds ?? [];
  const notes: string[] = [];
  if (clientIds.length > 0 && !clientIds.includes(audience)) {
    if (clientIds.length !== 1) return [];
    audience = clientIds[0]!;
    notes.push(`the account's OIDC provider accepts the audience "${audience}" only: the job must request it`);
  }
  let provider: ProviderChoice;
  if (local) provider = { kind: 'resource', name: local.logicalId };
  else if (elsewhere.length > 0) provider = account ? { kind: 'arn', arn: `arn:aws:iam::${account}:oidc-provider/${user.issuerHost}` } : { kind: 'lookup' };
  else {
    let name = `${user.issuer === 'github' ? 'GitHub' : 'GitLab'}OidcProvider`;
    for (let n = 2; template.resources.some((r) => r.logicalId === name); n++) name = `${user.issuer === 'github' ? 'GitHub' : 'GitLab'}OidcProvider${n}`;
    provider = { kind: 'declare', name };
  }

  // The user's own policies move to the role; standalone policies attached to the user add the role.
  const carried: CfnEntry[] = [];
  const standalone: TemplateResource[] = [];
  if (iamUser) {
    for (const property of ['ManagedPolicyArns', 'Policies']) {
      const node = get(iamUser.properties, property);
      if (!node) continue;
      const converted = toCfn(node);
      if (!converted) return [];
      carried.push({ key: property, value: converted });
    }
    if (get(iamUser.properties, 'Groups')) notes.push(`${iamUser.logicalId}'s groups grant it more: attach the groups' policies to the role too`);
    for (const r of template.resources) {
      if ((r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') && itemsOf(get(r.properties, 'Users')).some((item) => refersTo(item, iamUser.logicalId))) standalone.push(r);
    }
    if (carried.length === 0 && standalone.length === 0) notes.push(`no policy of ${iamUser.logicalId} was found in this template: grant the role what the user could do`);
  } else notes.push('the key\'s user is not in this template: grant the role what the user could do');

  const spec: AwsRoleSpec = {
    issuer: user.issuer,
    issuerHost: user.issuerHost,
    audience,
    subject: user.subject,
    roleName,
    label,
    description: `${issuerLabel(user.issuer)} OIDC for ${user.described.replace(/"/g, '')}, written by Keyless`,
    provider,
    grants: [],
    usedBy: user.described,
  };
  const written = cloudFormationAwsResources(spec);
  const role = written.resources.find((r) => r.key === written.roleId);
  if (!role || role.value.kind !== 'map') return [];
  const properties = role.value.entries.find((e) => e.key === 'Properties');
  if (properties?.value.kind !== 'map') return [];
  properties.value.entries.push(...carried);
  written.resources[0]!.comment = [
    `Replaces ${resource.logicalId} (written by Keyless): ${user.described} assumes role ${roleName} through ${issuerLabel(user.issuer)} OIDC, with credentials that expire within the hour${iamUser ? `; ${iamUser.logicalId}'s policies are the role's now` : ''}.`,
    ...notes.map((n) => `Needs a person: ${n}.`),
    written.resources[0]!.comment ?? '',
  ].filter(Boolean).join('\n');

  const edits: ProposedEdit[] = [];
  const replaced = replaceResource(text, json, keyPair, written.resources);
  if (!replaced) return [];
  edits.push(replaced);
  for (const policy of standalone) {
    const added = addRole(text, json, policy, roleId);
    if (!added) return [];
    edits.push(added);
  }
  if (dependentOutputs.length > 0) {
    const removals = removeOutputs(text, json, template.root, outputs!, outputPairs, dependentOutputs);
    if (!removals) return [];
    edits.push(...removals);
  }
  return [{ title: `Replace the access key with OIDC role ${roleName}`, safe: false, edits, followUps: [roleFollowUp(roleName, user.described)] }];
}

/** Whether a node mentions a logical id: `!Ref`, `!GetAtt`, `!Sub "${Id…}"`, their long forms, `DependsOn`. */
function refersTo(node: DataNode | null, id: string, depth = 0): boolean {
  const value = deref(node);
  if (!value || depth > 64) return false;
  const mentions = (text: string | undefined): boolean => text !== undefined && new RegExp(`\\$\\{${id}(?:[.}])`).test(text);
  if (isScalar(value)) {
    if (typeof value.value !== 'string') return false;
    if (value.tag === '!Ref') return value.value === id;
    if (value.tag === '!GetAtt') return value.value.split('.')[0] === id;
    if (value.tag === '!Sub') return mentions(value.value);
    return false;
  }
  if (isSeq(value)) {
    if (value.tag === '!GetAtt') return str(value.items[0]) === id;
    return value.items.some((item) => refersTo(item, id, depth + 1));
  }
  if (isMap(value)) {
    for (const pair of value.pairs) {
      const first = isSeq(deref(pair.value)) ? str(itemsOf(pair.value)[0]) : str(pair.value);
      if (pair.key === 'Ref' && first === id) return true;
      if (pair.key === 'Fn::GetAtt' && first?.split('.')[0] === id) return true;
      if (pair.key === 'Fn::Sub' && mentions(first)) return true;
      if (pair.key === 'DependsOn' && (first === id || itemsOf(pair.value).some((i) => str(i) === id))) return true;
      if (refersTo(pair.value, id, depth + 1)) return true;
    }
  }
  return false;
}

/** The `AWS::IAM::User` a key names in `UserName` (by reference, or by its literal name). */
function userOf(key: TemplateResource, resources: readonly TemplateResource[]): TemplateResource | undefined {
  const name = get(key.properties, 'UserName');
  const users = resources.filter((r) => r.type === 'AWS::IAM::User');
  const referenced = users.find((u) => refersTo(name, u.logicalId));
  if (referenced) return referenced;
  const literal = isScalar(name) && !name.tag ? str(name) : undefined;
  return literal === undefined ? undefined : users.find((u) => str(get(u.properties, 'UserName')) === literal);
}

/** A template value as written-tree, for values that move to the role; undefined for forms it cannot carry (other intrinsics, aliases). */
function toCfn(node: DataNode | null, depth = 0): CfnNode | undefined {
  const value = deref(node);
  if (!value || depth > 64 || node?.kind === 'alias') return undefined;
  if (isScalar(value)) {
    if (value.value === null) return undefined;
    if (!value.tag) return typeof value.value === 'string' ? cfn.str(value.value, value.style === 'quoted') : { kind: 'scalar', value: value.value };
    if (typeof value.value !== 'string') return undefined;
    if (value.tag === '!Ref') return cfn.ref(value.value);
    if (value.tag === '!Sub') return cfn.sub(value.value);
    if (value.tag === '!GetAtt' && value.value.includes('.')) return cfn.getatt(value.value.slice(0, value.value.indexOf('.')), value.value.slice(value.value.indexOf('.') + 1));
    return undefined;
  }
  if (value.tag) return undefined;
  if (isSeq(value)) {
    const items = value.items.map((item) => toCfn(item, depth + 1));
    return items.every((i): i is CfnNode => i !== undefined) ? cfn.list(items) : undefined;
  }
  if (isMap(value)) {
    const entries: CfnEntry[] = [];
    for (const pair of value.pairs) {
      const converted = pair.value === null ? undefined : toCfn(pair.value, depth + 1);
      if (!converted || pair.key === '<<') return undefined;
      entries.push({ key: pair.key, value: converted });
    }
    return { kind: 'map', entries };
  }
  return undefined;
}

/** The key's entry in `Resources`, replaced by the new resources at its indentation. */
function replaceResource(text: string, json: boolean, pair: Pair, resources: readonly CfnEntry[]): ProposedEdit | undefined {
  if (!startsLine(text, pair.keySpan.start)) return undefined;
  const eol = eolOf(text);
  const indent = text.slice(lineStartAt(text, pair.keySpan.start), pair.keySpan.start);
  if (json) {
    const step = jsonStep(text, pair, indent);
    const keyStart = pair.keySpan.start - (text[pair.keySpan.start - 1] === '"' ? 1 : 0);
    const members = jsonEntries(resources, indent, step, eol).slice(indent.length);
    return { span: { start: keyStart, end: pair.span.end }, newText: members };
  }
  const end = trimmedEnd(text, pair.span);
  return { span: wholeLines(text, { start: pair.keySpan.start, end }), newText: `${yamlLines(resources, indent).join(eol)}${eol}` };
}

/** The indentation step of a JSON template: how much deeper the key's members sit than the key. */
function jsonStep(text: string, pair: Pair, indent: string): string {
  const value = deref(pair.value);
  const first = isMap(value) ? value.pairs[0] : undefined;
  if (first && startsLine(text, first.keySpan.start)) {
    const inner = text.slice(lineStartAt(text, first.keySpan.start), first.keySpan.start).replace(/"$/, '');
    if (inner.length > indent.length) return inner.slice(indent.length);
  }
  return '  ';
}

function trimmedEnd(text: string, span: { start: number; end: number }): number {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** A standalone policy attached to the user names the role as well (`Roles`), the user's attachment kept. */
function addRole(text: string, json: boolean, policy: TemplateResource, roleId: string): ProposedEdit | undefined {
  const properties = deref(policy.properties);
  if (!isMap(properties)) return undefined;
  const roles = getPair(properties, 'Roles');
  if (json) {
    if (roles) {
      const list = deref(roles.value);
      if (!isSeq(list) || text[list.span.start] !== '[') return undefined;
      const at = list.span.start + 1;
      return { span: { start: at, end: at }, newText: list.items.length === 0 ? `{ "Ref": ${JSON.stringify(roleId)} }` : `{ "Ref": ${JSON.stringify(roleId)} }, ` };
    }
    const object = fromDataNode(properties);
    return object.kind === 'object' ? insertMember(text, 'json', object, '"Roles"', `[{ "Ref": ${JSON.stringify(roleId)} }]`) : undefined;
  }
  if (roles) {
    const list = deref(roles.value);
    if (!isSeq(list) || !list.items[0]) return undefined;
    return insertItemBefore(text, list.items[0], [`- !Ref ${roleId}`]);
  }
  const users = getPair(properties, 'Users');
  return users ? insertAfterPair(text, users, ['Roles:', `  - !Ref ${roleId}`]) : undefined;
}

/** The outputs of the key go; `Outputs` itself when nothing else is left in it. */
function removeOutputs(text: string, json: boolean, root: MapNode, outputs: Pair, all: readonly Pair[], dependent: readonly Pair[]): ProposedEdit[] | undefined {
  if (dependent.length === all.length) {
    if (json) {
      const object = fromDataNode(root);
      if (object.kind !== 'object') return undefined;
      const entry = object.entries.find((e) => e.key === 'Outputs');
      const removal = entry && deleteEntry(text, 'json', object, entry);
      return removal ? [removal] : undefined;
    }
    const removal = deletePair(text, outputs);
    return removal ? [removal] : undefined;
  }
  const edits: ProposedEdit[] = [];
  for (const pair of [...dependent].sort((a, b) => a.keySpan.start - b.keySpan.start)) {
    if (json) {
      const object = fromDataNode(outputs.value);
      if (object.kind !== 'object') return undefined;
      const entry = object.entries.find((e) => e.keySpan.start === pair.keySpan.start);
      const removal = entry && deleteEntry(text, 'json', object, entry);
      if (!removal) return undefined;
      edits.push(removal);
    } else {
      const removal = deletePair(text, pair);
      if (!removal) return undefined;
      edits.push(removal);
    }
  }
  // Two neighbours each taking the comma between them would overlap: then nothing is offered.
  for (let i = 1; i < edits.length; i++) if (edits[i - 1]!.span.end > edits[i]!.span.start) return undefined;
  return edits;
}
