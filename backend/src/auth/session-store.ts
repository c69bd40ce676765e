import type { Kysely } from 'kysely';
import type { SessionInfo } from '../../../shared/api/auth';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { randomSecret, uuid } from '../platform/ids';
import { SessionRevocations } from './session-revocations';
import { hashesEqual, sha256, splitToken } from './token-hash';

export interface RotationResult {
  sessionId: string;
  userId: string;
  refreshToken: string;
}

/** Told of a reuse once the session is revoked; awaited, so its audit entry is written before the refusal answers. */
export type ReuseListener = (sessionId: string, userId: string) => Promise<void>;

/**
 * Sessions are refresh-token families. A refresh token works once: using it issues the next one in
 * the same family. Presenting a token that was already used means it was copied, so the whole
 * family is revoked (stolen-token detection).
 */
export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    /** How long a used refresh token may be presented again after a lost response (REFRESH_REUSE_GRACE_SECONDS). */
    private readonly reuseGraceMs: number = 0,
    /** Told after each revocation commits; callers revoking inside their own transaction announce after it. */
    readonly revocations: SessionRevocations = new SessionRevocations(),
  ) {}

  /** Opens a session and its first refresh token, in `trx` when given (the sign-in's one transaction). */
  async create(userId: string, meta: { userAgent: string | null; ip: string | null }, trx?: Kysely<Database>): Promise<RotationResult> {
    if (!trx) return this.db.transaction().execute((t) => this.create(userId, meta, t));
    const now = this.clock.now();
    const sessionId = uuid();
    await trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: userId,
        created_at: now,
        last_used_at: now,
        expires_at: now + this.ttlMs,
        revoked_at: null,
        revoked_reason: null,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip,
      })
      .execute();
    const refreshToken = await this.issue(trx, sessionId, now);
    return { sessionId, userId, refreshToken };
  }

  private async issue(trx: Kysely<Database>, sessionId: string, now: number): Promise<string> {
    const id = uuid().replace(/-/g, '');
    const secret = randomSecret(32);
    await trx
      .insertInto('refresh_tokens')
      .values({ id, session_id: sessionId, token_hash: sha256(secret), created_at: now, used_at: null, replaced_by: null })
      .execute();
    return `${id}.${secret}`;
  }

  /**
   * Trades a refresh token for the next one. A token used before is reuse (the family is revoked),
   * unless it is a lost response's retry: presented within the grace and its replacement never used,
   * in which case the replacement is retired and a new token issued.
   */
  async rotate(refreshToken: string, onReuse: ReuseListener): Promise<RotationResult> {
    const invalid = () => new AppError('unauthorized', 'Refresh token is not valid');
    const parts = splitToken(refreshToken);
    if (!parts) throw invalid();
    const now = this.clock.now();
    const row = await this.db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select(['refresh_tokens.token_hash', 'sessions.id as session_id', 'sessions.user_id', 'sessions.revoked_at', 'sessions.expires_at'])
      .where('refresh_tokens.id', '=', parts.id)
      .executeTakeFirst();
    if (!row || !hashesEqual(row.token_hash, sha256(parts.secret))) throw invalid();
    if (row.revoked_at !== null) throw new AppError('token_revoked', 'Session has been revoked; sign in again');
    if (row.expires_at <= now) throw new AppError('token_expired', 'Session has expired; sign in again');
    const rotated = await this.db.transaction().execute(async (trx) => {
      // Conditional updates: of two racing refreshes with one token, one wins and the other is a retry or reuse.
      const claimed = await trx.updateTable('refresh_tokens').set({ used_at: now }).where('id', '=', parts.id).where('used_at', 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1 && !(await this.retireUnusedReplacement(trx, parts.id, now))) return null;
      await trx.updateTable('sessions').set({ last_used_at: now }).where('id', '=', row.session_id).execute();
      const next = await this.issue(trx, row.session_id, now);
      await trx.updateTable('refresh_tokens').set({ replaced_by: next.split('.')[0]! }).where('id', '=', parts.id).execute();
      return { sessionId: row.session_id, userId: row.user_id, refreshToken: next };
    });
    if (rotated) return rotated;
    await this.revoke(row.session_id, 'refresh token reuse detected');
    await onReuse(row.session_id, row.user_id);
    throw new AppError('token_revoked', 'Refresh token was already used; the session has been revoked');
  }

  /** A used token within the grace whose replacement was never used: retires the replacement (true), else false. */
  private async retireUnusedReplacement(trx: Kysely<Database>, tokenId: string, now: number): Promise<boolean> {
    const used = await trx.selectFrom('refresh_tokens').select(['used_at', 'replaced_by']).where('id', '=', tokenId).executeTakeFirst();
    if (!used?.used_at || !used.replaced_by || now - used.used_at > this.reuseGraceMs) return false;
    const retired = await trx
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('id', '=', used.replaced_by)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(retired.numUpdatedRows) === 1;
  }

  /** The session a refresh token belongs to, if the token is genuine. */
  async sessionOf(refreshToken: string): Promise<{ sessionId: string; userId: string } | undefined> {
    const parts = splitToken(refreshToken);
    if (!parts) return undefined;
    const row = await this.db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select(['refresh_tokens.token_hash', 'sessions.id as session_id', 'sessions.user_id'])
      .where('refresh_tokens.id', '=', parts.id)
      .executeTakeFirst();
    if (!row || !hashesEqual(row.token_hash, sha256(parts.secret))) return undefined;
    return { sessionId: row.session_id, userId: row.user_id };
  }

  async isActive(sessionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['revoked_at', 'expires_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return !!row && row.revoked_at === null && row.expires_at > this.clock.now();
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.revokeWith(this.db, sessionId, reason);
    this.revocations.announce({ sessionId });
  }

  private async revokeWith(trx: Kysely<Database>, sessionId: string, reason: string): Promise<void> {
    await trx
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now(), revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revokes every session of a user but `exceptSessionId`; inside a caller's transaction, the caller announces after commit. */
  async revokeAllForUser(userId: string, reason: string, trx?: Kysely<Database>, exceptSessionId?: string | null): Promise<void> {
    let update = (trx ?? this.db)
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now(), revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId) update = update.where('id', '!=', exceptSessionId);
    await update.execute();
    if (!trx) this.revocations.announce({ userId, exceptSessionId });
  }

  async listForUser(userId: string, currentSessionId: string | null): Promise<SessionInfo[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', this.clock.now())
      .orderBy('last_used_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
      ip: r.ip,
      current: r.id === currentSessionId,
    }));
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('sessions').select('user_id').where('id', '=', sessionId).executeTakeFirst();
    return r?.user_id;
  }
}
