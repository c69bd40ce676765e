import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashConcurrency, hashesInFlight, hashPassword, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('runs no more hashes at once than the cores, always leaving a libuv thread free', () => {
    expect(hashConcurrency(2, 4)).toBe(2);
    expect(hashConcurrency(16, 4)).toBe(3);
    expect(hashConcurrency(16, 9)).toBe(8);
    expect(hashConcurrency(1, 4)).toBe(1);
    expect(hashConcurrency(4, 1)).toBe(1);
  });

  it('verifies many sign-ins at once within the bound, each with its own answer, while a file read still gets a thread', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const bound = hashConcurrency();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, hashesInFlight().active)), 1);
    const checks = Array.from({ length: 12 }, (_, i) => verifyPassword(stored, i % 3 === 0 ? 'correct horse battery staple' : `wrong ${i}`));
    expect(hashesInFlight()).toEqual({ active: bound, pending: 12 - bound });
    // The thread pool has a free thread: a read finishes before the queue of hashes does.
    let readDone = false;
    const read = readFile(import.meta.filename).then(() => (readDone = true));
    const first = await Promise.race([read, Promise.all(checks).then(() => 'hashes')]);
    expect(first).toBe(true);
    const answers = await Promise.all(checks);
    clearInterval(sampler);
    expect(readDone).toBe(true);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => i % 3 === 0));
    expect(peak).toBeLessThanOrEqual(bound);
    expect(hashesInFlight()).toEqual({ active: 0, pending: 0 });
  });

  it('answers false for a stored value that is not an argon2 hash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});
