import { randomBytes, randomUUID } from 'node:crypto';

export type IdGenerator = () => string;
export const uuid: IdGenerator = () => randomUUID();

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. For rows written in
 * storms (alerts): their primary key and the indexes that lead with it (the feed's entity index,
 * alert_pages, deliveries by alert) grow at their end instead of dirtying a random B-tree page per
 * row, so a batch's commit writes fewer pages.
 */
export const timeOrderedUuid: IdGenerator = () => {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** URL-safe random secret with `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
