import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock';
import { JwtSigner } from './jwt';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

describe('JwtSigner', () => {
  it('signs standard HS256 tokens that jose verifies, with the purpose, issuer and expiry', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { token, expiresAt } = await new JwtSigner(SECRET, clock).sign('access', { sub: 'u1', role: 'agent', sid: 's1' }, 900);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'opsdesk', algorithms: ['HS256'], currentDate: new Date(clock.now()) });
    expect(payload).toEqual({ sub: 'u1', role: 'agent', sid: 's1', pur: 'access', iat: 1_700_000_000, exp: 1_700_000_900, iss: 'opsdesk' });
    expect(expiresAt).toBe(1_700_000_900_000);
  });

  it('verifies its own tokens and refuses another purpose, another key, a changed payload and an expired token', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const signer = new JwtSigner(SECRET, clock);
    const { token } = await signer.sign('mfa', { sub: 'u1' }, 300);
    expect(await signer.verify<{ sub: string }>('mfa', token)).toMatchObject({ sub: 'u1' });
    await expect(signer.verify('access', token)).rejects.toThrow('not valid for this use');
    const other = await new JwtSigner('another-secret-of-enough-length-here', clock).sign('mfa', { sub: 'u1' }, 300);
    await expect(signer.verify('mfa', other.token)).rejects.toThrow('Token is not valid');
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', pur: 'mfa', iss: 'opsdesk', exp: 1_800_000_000 })).toString('base64url')}.${sig}`;
    await expect(signer.verify('mfa', forged)).rejects.toThrow('Token is not valid');
    const fresh = await signer.sign('mfa', { sub: 'u2' }, 300);
    clock.advance(301_000);
    await expect(signer.verify('mfa', fresh.token)).rejects.toThrow('expired');
  });
});
