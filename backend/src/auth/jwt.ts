import { createHmac, webcrypto } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import type { Role } from '../../../shared/domain/roles';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';

export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
}

type Purpose = 'access' | 'mfa';

/** The protected header of every token: {"alg":"HS256"}. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

// Verified tokens are remembered until they expire: a client sends the same access token for
// minutes, and WebCrypto's HMAC is the largest cost of an authenticated request otherwise.
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and checks the short-lived JWTs: access tokens and the MFA step's pending-login token. */
export class JwtSigner {
  /**
   * Imported once: given the raw bytes, jose imports a WebCrypto key on every sign and verify,
   * which was the larger part of signing an access token at sign-in.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly verified = new Map<string, { purpose: unknown; exp: number; payload: unknown }>();

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /**
   * HS256 signed here, synchronously (node:crypto's HMAC): WebCrypto's sign is a trip through the
   * libuv thread pool, where at sign-in it queued behind the argon2 verifications. Verified by jose.
   */
  async sign(purpose: Purpose, claims: Record<string, unknown>, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
    const nowSec = Math.floor(this.clock.now() / 1000);
    const exp = nowSec + ttlSeconds;
    const body = `${HEADER}.${Buffer.from(JSON.stringify({ ...claims, pur: purpose, iat: nowSec, exp, iss: 'opsdesk' })).toString('base64url')}`;
    return { token: `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`, expiresAt: exp * 1000 };
  }

  async verify<T>(purpose: Purpose, token: string): Promise<T> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp * 1000 <= this.clock.now()) {
        this.verified.delete(token);
        throw new AppError('token_expired', 'Token has expired');
      }
      if (cached.purpose !== purpose) throw new AppError('unauthorized', 'Token is not valid for this use');
      return cached.payload as T;
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: 'opsdesk',
        algorithms: ['HS256'],
        currentDate: new Date(this.clock.now()),
      });
      if (payload.pur !== purpose) throw new AppError('unauthorized', 'Token is not valid for this use');
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { purpose: payload.pur, exp: payload.exp!, payload });
      return payload as T;
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) throw new AppError('token_expired', 'Token has expired');
      throw new AppError('unauthorized', 'Token is not valid');
    }
  }
}
