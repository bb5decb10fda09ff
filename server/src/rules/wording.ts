import type { Cloud, Credential, PackageRegistry } from '../facts/model';

/** Names as users know them, for messages. */
export const CLOUD_NAMES: Record<Cloud | 'kubernetes', string> = {
  aws: 'AWS',
  gcp: 'Google Cloud',
  azure: 'Azure',
  vault: 'Vault',
  kubernetes: 'Kubernetes',
};

export const REGISTRY_NAMES: Record<PackageRegistry, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  rubygems: 'RubyGems',
  crates: 'crates.io',
  nuget: 'NuGet',
};

export function isCloud(target: string): target is Cloud {
  return target in CLOUD_NAMES && target !== 'kubernetes';
}

/** "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY": the names credentials travel under. */
export function credentialList(credentials: readonly Credential[]): string {
  const names = credentials.map((c) => (c.origin === 'reference' ? c.name : c.origin === 'minted' ? c.resourceType : c.label));
  return [...new Set(names)].join(', ');
}

/** Text set as code in Markdown messages and hovers. */
export function code(text: string): string {
  return `\`${text}\``;
}
