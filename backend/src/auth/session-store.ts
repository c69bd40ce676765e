import type { Kysely } from 'kysely';
import type { SessionInfo } from '../../../shared/api/auth';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { randomSecret, uuid } from '../platform/ids';
import { hashesEqual, sha256, splitToken } from './token-hash';

export interface RotationResult {
  sessionId: string;
  userId: string;
  refreshToken: string;
}

export type ReuseListener = (sessionId: string, userId: string) => void;

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
  ) {}

  async create(userId: string, meta: { userAgent: string | null; ip: string | null }): Promise<RotationResult> {
    const now = this.clock.now();
    const sessionId = uuid();
    return this.db.transaction().execute(async (trx) => {
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
    });
  }

  private async issue(trx: Kysely<Database>, sessionId: string, now: number): Promise<string> {
    const id = uuid().replace(/-/g, '');
    const secret = randomSecret(32);
    await trx
      .insertInto('refresh_tokens')
      .values({ id, session_id: sessionId, token_hash: sha256(secret), created_at: now, used_at: null })
      .execute();
    return `${id}.${secret}`;
  }

  async rotate(refreshToken: string, onReuse: ReuseListener): Promise<RotationResult> {
    const invalid = () => new AppError('unauthorized', 'Refresh token is not valid');
    const parts = splitToken(refreshToken);
    if (!parts) throw invalid();
    const now = this.clock.now();
    const row = await this.db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select([
        'refresh_tokens.token_hash',
        'refresh_tokens.used_at',
        'sessions.id as session_id',
        'sessions.user_id',
        'sessions.revoked_at',
        'sessions.expires_at',
      ])
      .where('refresh_tokens.id', '=', parts.id)
      .executeTakeFirst();
    if (!row || !hashesEqual(row.token_hash, sha256(parts.secret))) throw invalid();
    if (row.revoked_at !== null) throw new AppError('token_revoked', 'Session has been revoked; sign in again');
    if (row.expires_at <= now) throw new AppError('token_expired', 'Session has expired; sign in again');
    if (row.used_at !== null) {
      await this.revoke(row.session_id, 'refresh token reuse detected');
      onReuse(row.session_id, row.user_id);
      throw new AppError('token_revoked', 'Refresh token was already used; the session has been revoked');
    }
    return this.db.transaction().execute(async (trx) => {
      // The conditional update makes two racing refreshes with one token count as reuse.
      const claimed = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('id', '=', parts.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        await this.revokeWith(trx, row.session_id, 'refresh token reuse detected');
        onReuse(row.session_id, row.user_id);
        throw new AppError('token_revoked', 'Refresh token was already used; the session has been revoked');
      }
      await trx.updateTable('sessions').set({ last_used_at: now }).where('id', '=', row.session_id).execute();
      const next = await this.issue(trx, row.session_id, now);
      return { sessionId: row.session_id, userId: row.user_id, refreshToken: next };
    });
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

  revoke(sessionId: string, reason: string): Promise<void> {
    return this.revokeWith(this.db, sessionId, reason);
  }

  private async revokeWith(trx: Kysely<Database>, sessionId: string, reason: string): Promise<void> {
    await trx
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now(), revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAllForUser(userId: string, reason: string, trx: Kysely<Database> = this.db): Promise<void> {
    await trx
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now(), revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
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
