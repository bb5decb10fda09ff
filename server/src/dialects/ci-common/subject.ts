/** A branch or environment name a token's subject claim can carry as is: not empty, no wildcard, no white space. */
export function isClaimName(name: string): boolean {
  return name !== '' && !/[\s*?]/.test(name);
}
