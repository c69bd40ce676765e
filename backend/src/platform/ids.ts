import { randomBytes, randomUUID } from 'node:crypto';

export type IdGenerator = () => string;
export const uuid: IdGenerator = () => randomUUID();

/** URL-safe random secret with `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
