/** Whose live sockets must close: one session's, or every session of a user (but one, on a password change). */
export type RevokedSessions = { sessionId: string } | { userId: string; exceptSessionId?: string | null };

export type RevocationSink = (revoked: RevokedSessions) => void;

/**
 * Told after every session revocation commits (logout, session revoke, refresh-token reuse, role
 * change, disable, password change, MFA enrolment); the socket.io server attaches and closes the
 * sockets those sessions opened, so a demoted or signed-out user stops receiving events at once.
 */
export class SessionRevocations {
  private sinks: RevocationSink[] = [];

  attach(sink: RevocationSink): () => void {
    this.sinks.push(sink);
    return () => {
      this.sinks = this.sinks.filter((s) => s !== sink);
    };
  }

  announce(revoked: RevokedSessions): void {
    for (const sink of this.sinks) sink(revoked);
  }
}
