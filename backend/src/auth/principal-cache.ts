import type { Principal } from './auth-service';
import type { RevokedSessions, SessionRevocations } from './session-revocations';

const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  /** The session's own end (expires_at). */
  expiresAt: number;
  /** When the row was read: trusted until `checkedAt + ttlMs`. */
  checkedAt: number;
}

/**
 * The live-session check of an access token, remembered per session for a moment: a desktop sends
 * dozens of requests a second with one token, and the session + user read was a third of a short
 * request's main-thread time. Every revocation this process commits (logout, revoke, reuse, role
 * change, disable, password change, MFA) drops the entries at once, as it is announced; one
 * committed elsewhere (another instance, the CLI) takes effect within `ttlMs`. Bounded: the oldest
 * entry goes first.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts revocations announced here: a check read before one is not remembered (it may be stale). */
  private revocationsSeen = 0;

  constructor(
    revocations: SessionRevocations,
    private readonly ttlMs: number,
  ) {
    revocations.attach((revoked) => this.drop(revoked));
  }

  get(sessionId: string, now: number): { principal: Principal; expiresAt: number } | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (now - entry.checkedAt >= this.ttlMs) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  /** Taken before the session row is read, and handed to `set`. */
  epoch(): number {
    return this.revocationsSeen;
  }

  set(sessionId: string, principal: Principal, expiresAt: number, now: number, readAtEpoch: number): void {
    if (this.ttlMs <= 0 || readAtEpoch !== this.revocationsSeen) return;
    this.entries.delete(sessionId);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(sessionId, { principal, expiresAt, checkedAt: now });
  }

  private drop(revoked: RevokedSessions): void {
    this.revocationsSeen++;
    if ('sessionId' in revoked) {
      this.entries.delete(revoked.sessionId);
      return;
    }
    for (const [id, entry] of this.entries) {
      if (entry.principal.userId === revoked.userId && id !== revoked.exceptSessionId) this.entries.delete(id);
    }
  }
}
