import type { Authentication, Cloud, Credential, Facts, ReferencedCredential, SecretKind } from '../../facts/model';
import { terraformCloudRoleFacts } from './cloud-roles';
import { terraformDeclarations } from './declarations';
import { terraformIamFacts } from './iam';
import { moduleMintedKey } from './key-modules';
import { isCredentialShaped } from '../ci-common/credentials';
import { literalString, type TerraformFile, type TfBlock, type TfExpr } from './model';

/**
 * Provider arguments that configure a long-lived credential, per provider. `token` (an AWS
 * session token) and the like are companions: they count only next to a key.
 */
const PROVIDER_STATIC_ARGUMENTS: Readonly<Record<string, { cloud: Cloud; arguments: Record<string, { kind: SecretKind; companion?: boolean }> }>> = {
  aws: {
    cloud: 'aws',
    arguments: {
      access_key: { kind: 'aws-access-key-id' },
      secret_key: { kind: 'aws-secret-access-key' },
      token: { kind: 'aws-session-token', companion: true },
    },
  },
  google: { cloud: 'gcp', arguments: { credentials: { kind: 'gcp-service-account-key' } } },
  'google-beta': { cloud: 'gcp', arguments: { credentials: { kind: 'gcp-service-account-key' } } },
  azurerm: { cloud: 'azure', arguments: azureArguments() },
  azuread: { cloud: 'azure', arguments: azureArguments() },
  azapi: { cloud: 'azure', arguments: azureArguments() },
};

function azureArguments(): Record<string, { kind: SecretKind }> {
  return { client_secret: { kind: 'azure-client-secret' }, client_certificate_password: { kind: 'azure-client-secret' } };
}

/** Resources that mint a long-lived credential when applied. */
const MINTING_RESOURCES: Readonly<Record<string, { cloud: Cloud; kind: SecretKind }>> = {
  aws_iam_access_key: { cloud: 'aws', kind: 'aws-access-key-id' },
  google_service_account_key: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  azuread_application_password: { cloud: 'azure', kind: 'azure-client-secret' },
  azuread_service_principal_password: { cloud: 'azure', kind: 'azure-client-secret' },
};

export function terraformFacts(file: TerraformFile, text: string, withDeclarations: boolean): Partial<Facts> {
  const authentications: Authentication[] = [];
  const credentials: Credential[] = [];
  for (const block of file.blocks) {
    if (block.type === 'provider') {
      const provider = block.labels[0] ?? '';
      const known = PROVIDER_STATIC_ARGUMENTS[provider];
      if (!known) continue;
      const found: ReferencedCredential[] = [];
      let primary = false;
      for (const attribute of block.attributes()) {
        const argument = known.arguments[attribute.name];
        if (!argument || isUnset(attribute.value)) continue;
        primary ||= !argument.companion;
        found.push({ origin: 'reference', kind: argument.kind, name: attribute.name, nameSpan: attribute.span, valueSpan: attribute.value.span });
      }
      if (!primary || testDouble(block, found)) continue;
      const alias = block.attribute('alias')?.value;
      authentications.push({
        principal: { kind: 'terraform-provider', provider, ...(alias?.kind === 'string' ? { alias: alias.value } : {}) },
        target: known.cloud,
        method: 'static',
        mechanism: `provider "${provider}"`,
        anchor: block.headerSpan,
        credentials: found,
        syntax: block,
      });
    } else if (block.type === 'resource') {
      const [type = '', name = ''] = block.labels;
      const minting = MINTING_RESOURCES[type];
      if (minting) credentials.push({ origin: 'minted', kind: minting.kind, resourceType: type, resourceName: name, anchor: block.headerSpan, cloud: minting.cloud, syntax: block });
    } else if (block.type === 'module') {
      const key = moduleMintedKey(block);
      if (key) credentials.push(key);
    }
  }
  return { authentications, credentials, ...terraformIamFacts(file, text), ...terraformCloudRoleFacts(file), ...(withDeclarations ? { declarations: terraformDeclarations(file, text) } : {}) };
}

/**
 * A provider written for an emulator or a plan-only test: every credential is a literal
 * placeholder (`"test"`, `"mock_access_key"`: nothing shaped like a key) and the block says it
 * talks to no real cloud — `skip_credentials_validation = true` (the provider never checks the
 * keys) or an endpoint on a local emulator (LocalStack, moto, MinIO). No credential exists, so
 * nothing is reported; a key-shaped literal in such a block still is (and by hardcoded-secret),
 * and so is a variable, whose value may be real.
 */
function testDouble(block: TfBlock, credentials: readonly ReferencedCredential[]): boolean {
  const placeholders = credentials.every((c) => {
    const value = literalString(block.attribute(c.name)?.value);
    return value !== undefined && !isCredentialShaped(value);
  });
  if (!placeholders) return false;
  const skip = block.attribute('skip_credentials_validation')?.value;
  if ((skip?.kind === 'bool' && skip.text === 'true') || literalString(skip) === 'true') return true;
  // `endpoints { s3 = … }` (aws), and `*_endpoint` / `*_custom_endpoint` arguments (older aws, google).
  const endpoints = [...block.attributes().filter((a) => /endpoint/.test(a.name)), ...block.blocks('endpoints').flatMap((b) => b.attributes())];
  return endpoints.some((a) => isEmulatorUrl(literalString(a.value)));
}

/**
 * Hosts that are no cloud: loopback, a Docker host alias, a single-label name (a compose service:
 * `http://localstack:4566`, `http://moto:5000`, `http://minio:9000`), LocalStack's own domain and
 * `.local`/`.localhost` names.
 */
export function isEmulatorUrl(value: string | undefined): boolean {
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(value?.trim() ?? '')?.[1]?.toLowerCase();
  if (!host) return false;
  if (host === 'localhost' || host === '[::1]' || host === '0.0.0.0' || host === 'host.docker.internal' || /^127\./.test(host)) return true;
  if (!host.includes('.')) return true;
  return /(?:^|\.)localstack\.cloud$|\.localhost$|\.local$/.test(host);
}

/** `""` and `null` configure nothing. */
function isUnset(expr: TfExpr): boolean {
  return expr.kind === 'null' || (expr.kind === 'string' && !expr.template && expr.value.trim() === '');
}
