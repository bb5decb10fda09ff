import { deref, get, isMap, str, type DataNode } from '../../syntax/tree';

/** A job's deployment environment: `environment: production` or `environment: { name: production, url: … }`, on both CI platforms. */
export function environmentName(node: DataNode | null): string | undefined {
  const value = deref(node);
  return isMap(value) ? str(get(value, 'name')) : str(value);
}
