import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedUuid } from './ids';

describe('timeOrderedUuid', () => {
  it('is a UUIDv7: version 7, RFC variant, the current millisecond in its first 48 bits, unique', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, () => timeOrderedUuid());
    const after = Date.now();
    for (const id of ids) {
      expect(z.string().uuid().safeParse(id).success).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by creation time across milliseconds (B-tree appends)', async () => {
    const first = timeOrderedUuid();
    await new Promise((r) => setTimeout(r, 3));
    expect(first < timeOrderedUuid()).toBe(true);
  });
});
