import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
// algorithm 2 is Argon2id (a const enum in the package's types, unusable under isolatedModules).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * How many hashes run at once: no more than the cores, and one libuv thread always left free.
 * Hashes run on the libuv thread pool (4 threads by default), which file reads, DNS lookups and
 * zlib share; in a sign-in storm unbounded hashes took every thread, and more hashes than cores
 * only time-slice each other's 19 MiB through the caches (at 50 concurrent sign-ins on 2 cores,
 * 12 % more CPU per sign-in than with 2 at a time). The rest wait in order.
 */
export function hashConcurrency(cores = os.availableParallelism(), threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4): number {
  return Math.max(1, Math.min(cores, threadPool - 1));
}

const limit = pLimit(hashConcurrency());

export function hashPassword(password: string): Promise<string> {
  return limit(() => hash(password, OPTIONS));
}

/** False for a wrong password and for a stored hash that is not a valid argon2 string. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await limit(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** Hashes running or waiting (tests check the bound with it). */
export function hashesInFlight(): { active: number; pending: number } {
  return { active: limit.activeCount, pending: limit.pendingCount };
}

/** A real hash of nothing, verified when the email is unknown so timing does not reveal it. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy-password-for-unknown-accounts');
  return decoy;
}
