import { generateSecret, generateURI, verifySync } from 'otplib';
import type { Clock } from '../platform/clock';

const STEP_SECONDS = 30;

/** RFC 6238 TOTP with ±1 step of drift; returns the matched time step so a code is used once. */
export class Totp {
  constructor(private readonly clock: Clock) {}

  generateSecret(): string {
    return generateSecret({ length: 20 });
  }

  uri(email: string, secret: string): string {
    return generateURI({ issuer: 'OpsDesk', label: email, secret });
  }

  /** The time step the code belongs to, or null when it matches none in the window. */
  verify(secret: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const epoch = Math.floor(this.clock.now() / 1000);
    const result = verifySync({
      secret,
      token: code,
      period: STEP_SECONDS,
      epoch,
      epochTolerance: STEP_SECONDS,
    });
    // delta: how many steps from the current one the code matched (-1, 0 or 1).
    return result.valid ? Math.floor(epoch / STEP_SECONDS) + result.delta : null;
  }
}
