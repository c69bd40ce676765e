import { statfs } from 'node:fs/promises';
import { inWorker, type Codec } from './backup-worker';

export type { Codec } from './backup-worker';

/** sha256 (hex) of a file, hashed in a worker thread. */
export async function sha256File(file: string): Promise<string> {
  return (await inWorker('hash', { file })).sha256;
}

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/**
 * Streams `src` (compressed on the way with `codec`, level 1) into `dest` sealed with AES-256-GCM:
 * `OPSDENC1`, the IV, the ciphertext, the tag. One pass in a worker thread; the file is 0600; sha256
 * and size are of what is stored.
 */
export function sealFile(src: string, dest: string, key: Buffer, codec: Codec): Promise<{ sha256: string; size: number }> {
  return inWorker('seal', { src, dest, key, codec });
}

/**
 * Opens a sealed file into `dest` (decompressed with `codec`); a wrong key or any altered byte fails
 * authentication. With `key` null, the file is only decompressed (backups taken before encryption).
 */
export async function openSealed(src: string, dest: string, key: Buffer | null, codec: Codec): Promise<void> {
  await inWorker('open', { src, dest, key, codec });
}
