import { authenticator } from 'otplib';
import type { Clock } from '../platform/clock';

const STEP_SECONDS = 30;

/** RFC 6238 TOTP with ±1 step of drift; returns the matched time step so a code is used once. */
export class Totp {
  constructor(private readonly clock: Clock) {}

  generateSecret(): string {
    return authenticator.generateSecret(20);
  }

  uri(email: string, secret: string): string {
    return authenticator.keyuri(email, 'OpsDesk', secret);
  }

  codeAt(secret: string, epochMs: number): string {
    const a = authenticator.clone({ epoch: epochMs });
    return a.generate(secret);
  }

  /** The time step the code belongs to, or null when it matches none in the window. */
  verify(secret: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const now = this.clock.now();
    const step = Math.floor(now / 1000 / STEP_SECONDS);
    for (const delta of [0, -1, 1]) {
      if (this.codeAt(secret, (step + delta) * STEP_SECONDS * 1000) === code) return step + delta;
    }
    return null;
  }
}
