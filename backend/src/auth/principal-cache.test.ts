import { describe, expect, it } from 'vitest';
import type { Principal } from './auth-service';
import { PrincipalCache } from './principal-cache';
import { SessionRevocations } from './session-revocations';

const ana: Principal = { kind: 'user', userId: 'u1', email: 'ana@example.com', role: 'agent', sessionId: 's1', tokenId: null, scopes: null };

describe('PrincipalCache', () => {
  it('remembers a checked session for its window, then reads again', () => {
    const cache = new PrincipalCache(new SessionRevocations(), 1000);
    cache.set('s1', ana, 10_000, 0, cache.epoch());
    expect(cache.get('s1', 999)?.principal).toEqual(ana);
    expect(cache.get('s1', 1000)).toBeUndefined();
  });

  it('drops a session at a revocation announced here, by session or by user', () => {
    const revocations = new SessionRevocations();
    const cache = new PrincipalCache(revocations, 1000);
    cache.set('s1', ana, 10_000, 0, cache.epoch());
    revocations.announce({ sessionId: 's1' });
    expect(cache.get('s1', 1)).toBeUndefined();
    cache.set('s1', ana, 10_000, 2, cache.epoch());
    revocations.announce({ userId: 'u1' });
    expect(cache.get('s1', 3)).toBeUndefined();
  });

  it('does not remember a check read before a revocation that was announced while it ran', () => {
    const revocations = new SessionRevocations();
    const cache = new PrincipalCache(revocations, 1000);
    // A request reads the live session row, then waits (await) while a logout commits and is announced.
    const readAt = cache.epoch();
    revocations.announce({ sessionId: 's1' });
    cache.set('s1', ana, 10_000, 0, readAt);
    expect(cache.get('s1', 1)).toBeUndefined();
  });
});
