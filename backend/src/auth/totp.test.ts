import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock';
import { Totp } from './totp';

// Codes are made with otplib's own generator (RFC 6238, SHA-1, 6 digits, 30 s) at chosen instants.
const codeAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });

describe('Totp', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('accepts the current step and one step of drift either way, naming the step matched', () => {
    const totp = new Totp(new ManualClock(now));
    const secret = totp.generateSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.verify(secret, codeAt(secret, now))).toBe(step);
    expect(totp.verify(secret, codeAt(secret, now - 30_000))).toBe(step - 1);
    expect(totp.verify(secret, codeAt(secret, now + 30_000))).toBe(step + 1);
  });

  it('refuses codes two steps away, malformed codes and another secret', () => {
    const totp = new Totp(new ManualClock(now));
    const secret = totp.generateSecret();
    expect(totp.verify(secret, codeAt(secret, now - 60_000))).toBeNull();
    expect(totp.verify(secret, codeAt(secret, now + 60_000))).toBeNull();
    expect(totp.verify(secret, '12345')).toBeNull();
    expect(totp.verify(secret, 'abcdef')).toBeNull();
    expect(totp.verify(totp.generateSecret(), codeAt(secret, now))).toBeNull();
  });

  it('makes an otpauth URI authenticator apps read', () => {
    const uri = new URL(new Totp(new ManualClock(now)).uri('ana@example.com', 'JBSWY3DPEHPK3PXP'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/OpsDesk:ana@example.com');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('OpsDesk');
  });
});
