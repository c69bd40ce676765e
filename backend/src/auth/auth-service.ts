import type { Kysely } from 'kysely';
import type { LoginResponse, MfaEnrolment, SessionInfo, TokenPair } from '../../../shared/api/auth';
import type { Role } from '../../../shared/domain/roles';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import type { SecretBox } from '../platform/secret-box';
import { randomSecret, uuid } from '../platform/ids';
import { toUserPublic, type UserRepository, type UserRow } from '../users/user-repository';
import type { AccessClaims, JwtSigner } from './jwt';
import { PrincipalCache } from './principal-cache';
import { LoginThrottle } from './login-throttle';
import { decoyHash, hashPassword, verifyPassword } from './password-hasher';
import { assertStrongPassword } from './password-policy';
import type { SessionStore } from './session-store';
import { sha256 } from './token-hash';
import type { Totp } from './totp';

export interface AuthSettings {
  accessTtlSeconds: number;
  passwordMinLength: number;
  /** How long a checked session is trusted without reading it again (PrincipalCache; 0 = every request). */
  sessionCheckMs?: number;
}

/** A revocation committed by another instance or the CLI reaches this one's requests within this: the same second live sockets are closed in (SessionRevocations). */
const SESSION_CHECK_MS = 1000;

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The authenticated caller of a request. */
export interface Principal {
  kind: 'user' | 'token';
  userId: string;
  email: string;
  role: Role;
  sessionId: string | null;
  tokenId: string | null;
  scopes: string[] | null;
}

const MFA_TOKEN_TTL_SECONDS = 300;
const RECOVERY_CODE_COUNT = 10;
const invalidCredentials = () => new AppError('invalid_credentials', 'Email or password is incorrect');

export class AuthService {
  private readonly checked: PrincipalCache;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: UserRepository,
    private readonly sessions: SessionStore,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtSigner,
    private readonly totp: Totp,
    /** Seals TOTP seeds in the database (a backup or a dump alone does not give second factors away). */
    private readonly seeds: SecretBox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {
    this.checked = new PrincipalCache(sessions.revocations, settings.sessionCheckMs ?? SESSION_CHECK_MS);
  }

  async login(email: string, password: string, meta: ClientMeta): Promise<LoginResponse> {
    const attempt = await this.throttle.charge(LoginThrottle.keyFor(email, meta.ip));
    const user = await this.users.byEmail(email);
    const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
    const actor: Actor = { id: user?.id ?? null, email, ip: meta.ip };
    if (!user || !ok || user.disabled === 1) {
      const locked = await this.throttle.failed(attempt);
      await this.audit.record(actor, {
        action: locked ? 'auth.lockout' : 'auth.login_failed',
        targetType: 'user',
        targetId: user?.id,
        details: { reason: !user ? 'unknown email' : user.disabled ? 'disabled' : 'wrong password' },
      });
      throw invalidCredentials();
    }
    if (user.mfa_enabled === 1) {
      const { token } = await this.jwt.sign('mfa', { sub: user.id }, MFA_TOKEN_TTL_SECONDS);
      return { mfaRequired: true, mfaToken: token };
    }
    return this.startSession(user, meta, 'auth.login', attempt.key);
  }

  async completeMfa(mfaToken: string, code: string, meta: ClientMeta): Promise<TokenPair> {
    const claims = await this.jwt.verify<{ sub: string }>('mfa', mfaToken);
    const user = await this.users.byId(claims.sub);
    if (!user || user.disabled === 1 || user.mfa_enabled !== 1 || !user.mfa_secret) throw invalidCredentials();
    const attempt = await this.throttle.charge(LoginThrottle.keyFor(user.email, meta.ip));
    const accepted = await this.acceptSecondFactor(user, code);
    if (!accepted) {
      await this.throttle.failed(attempt);
      await this.audit.record(
        { id: user.id, email: user.email, ip: meta.ip },
        { action: 'auth.mfa_failed', targetType: 'user', targetId: user.id },
      );
      throw new AppError('mfa_invalid', 'The code is not valid');
    }
    return this.startSession(user, meta, 'auth.login', attempt.key, { mfa: accepted });
  }

  /** Accepts a fresh TOTP code (each time step once) or an unused recovery code. */
  private async acceptSecondFactor(user: UserRow, code: string): Promise<'totp' | 'recovery' | null> {
    const step = this.totp.verify(this.openSeed(user.mfa_secret!), code);
    if (step !== null) {
      const claimed = await this.db
        .updateTable('users')
        .set({ mfa_last_step: step })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(claimed.numUpdatedRows) === 1 ? 'totp' : null;
    }
    const normalized = code.replace(/[\s-]/g, '').toLowerCase();
    const used = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: this.clock.now() })
      .where('user_id', '=', user.id)
      .where('code_hash', '=', sha256(normalized))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1 ? 'recovery' : null;
  }

  /**
   * One transaction (one commit) for what a sign-in writes: the throttle key's failures forgotten,
   * the session and its refresh token, the audit entry; the access token is signed after it.
   */
  private async startSession(user: UserRow, meta: ClientMeta, action: string, throttleKey: string, details?: Record<string, unknown>): Promise<TokenPair> {
    const session = await this.db.transaction().execute(async (trx) => {
      await this.throttle.clear(throttleKey, trx);
      const opened = await this.sessions.create(user.id, meta, trx);
      await this.audit.record({ id: user.id, email: user.email, ip: meta.ip }, { action, targetType: 'session', targetId: opened.sessionId, details }, trx);
      return opened;
    });
    const access = await this.accessTokenFor(user, session.sessionId);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: session.refreshToken,
      user: toUserPublic(user),
    };
  }

  private accessTokenFor(user: UserRow, sessionId: string) {
    const claims: AccessClaims = { sub: user.id, role: user.role, sid: sessionId };
    return this.jwt.sign('access', { ...claims }, this.settings.accessTtlSeconds);
  }

  async refresh(refreshToken: string, meta: ClientMeta): Promise<TokenPair> {
    const rotated = await this.sessions.rotate(refreshToken, (sessionId, userId) =>
      this.audit.record({ id: userId, email: null, ip: meta.ip }, { action: 'auth.refresh_reuse_detected', targetType: 'session', targetId: sessionId }),
    );
    const user = await this.users.byId(rotated.userId);
    if (!user || user.disabled === 1) {
      await this.sessions.revoke(rotated.sessionId, 'user disabled');
      throw new AppError('token_revoked', 'Account is disabled');
    }
    const access = await this.accessTokenFor(user, rotated.sessionId);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: rotated.refreshToken,
      user: toUserPublic(user),
    };
  }

  /** Checks an access token and that its session and user are still live. */
  async authenticateAccessToken(token: string): Promise<Principal> {
    const claims = await this.jwt.verify<AccessClaims>('access', token);
    const now = this.clock.now();
    const known = this.checked.get(claims.sid, now);
    if (known && known.principal.userId === claims.sub) {
      if (known.expiresAt <= now) throw new AppError('token_revoked', 'Session has been revoked; sign in again');
      return known.principal;
    }
    const readAt = this.checked.epoch();
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.email', 'users.role', 'users.disabled', 'sessions.revoked_at', 'sessions.expires_at'])
      .where('sessions.id', '=', claims.sid)
      .executeTakeFirst();
    if (!row || row.id !== claims.sub) throw new AppError('unauthorized', 'Token is not valid');
    if (row.revoked_at !== null || row.expires_at <= now) {
      throw new AppError('token_revoked', 'Session has been revoked; sign in again');
    }
    if (row.disabled === 1) throw new AppError('token_revoked', 'Account is disabled');
    const principal: Principal = { kind: 'user', userId: row.id, email: row.email, role: row.role, sessionId: claims.sid, tokenId: null, scopes: null };
    this.checked.set(claims.sid, principal, Number(row.expires_at), now, readAt);
    return principal;
  }

  async logout(principal: Principal, refreshToken: string | undefined, meta: ClientMeta): Promise<void> {
    let sessionId = principal.sessionId;
    if (refreshToken) {
      const owned = await this.sessions.sessionOf(refreshToken);
      if (owned && owned.userId === principal.userId) sessionId = owned.sessionId;
    }
    if (!sessionId) return;
    await this.sessions.revoke(sessionId, 'logout');
    await this.audit.record(
      { id: principal.userId, email: principal.email, ip: meta.ip },
      { action: 'auth.logout', targetType: 'session', targetId: sessionId },
    );
  }

  listSessions(principal: Principal): Promise<SessionInfo[]> {
    return this.sessions.listForUser(principal.userId, principal.sessionId);
  }

  async revokeSession(principal: Principal, sessionId: string, meta: ClientMeta): Promise<void> {
    const owner = await this.sessions.ownerOf(sessionId);
    if (owner !== principal.userId) throw new AppError('not_found', 'Session not found');
    await this.sessions.revoke(sessionId, 'revoked by user');
    await this.audit.record(
      { id: principal.userId, email: principal.email, ip: meta.ip },
      { action: 'auth.session_revoked', targetType: 'session', targetId: sessionId },
    );
  }

  /** A seed as stored: sealed (`v1:`), or in clear from a version before sealing. */
  private openSeed(stored: string): string {
    return stored.startsWith('v1:') ? this.seeds.open(stored) : stored;
  }

  /** Seals the seeds an older version stored in clear (at start); returns how many. */
  async sealTotpSeeds(): Promise<number> {
    const rows = await this.db.selectFrom('users').select(['id', 'mfa_secret', 'mfa_pending_secret']).where((eb) => eb.or([eb('mfa_secret', 'not like', 'v1:%'), eb('mfa_pending_secret', 'not like', 'v1:%')])).execute();
    const seal = (v: string | null) => (v === null || v.startsWith('v1:') ? v : this.seeds.seal(v));
    for (const r of rows) await this.db.updateTable('users').set({ mfa_secret: seal(r.mfa_secret), mfa_pending_secret: seal(r.mfa_pending_secret) }).where('id', '=', r.id).execute();
    return rows.length;
  }

  /** Needs the current password: a borrowed unlocked session must not bind its own authenticator. */
  async beginMfaEnrolment(principal: Principal, currentPassword: string): Promise<MfaEnrolment> {
    const user = await this.requireCurrentPassword(principal, currentPassword);
    if (user.mfa_enabled === 1) throw new AppError('conflict', 'MFA is already enabled; reset it first');
    const secret = this.totp.generateSecret();
    await this.users.update(user.id, { mfa_pending_secret: this.seeds.seal(secret), updated_at: this.clock.now() });
    return { secret, otpauthUri: this.totp.uri(user.email, secret) };
  }

  async confirmMfaEnrolment(principal: Principal, code: string, meta: ClientMeta): Promise<string[]> {
    const user = await this.requireUser(principal.userId);
    if (!user.mfa_pending_secret) throw new AppError('conflict', 'Start MFA enrolment first');
    const step = this.totp.verify(this.openSeed(user.mfa_pending_secret), code);
    if (step === null) throw new AppError('mfa_invalid', 'The code is not valid; check the device clock and try again');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomSecret(8).replace(/[-_]/g, 'x').slice(0, 10).toLowerCase());
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ mfa_enabled: 1, mfa_secret: user.mfa_pending_secret, mfa_pending_secret: null, mfa_last_step: step, updated_at: this.clock.now() })
        .where('id', '=', user.id)
        .execute();
      await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
      await trx
        .insertInto('recovery_codes')
        .values(codes.map((c) => ({ id: uuid(), user_id: user.id, code_hash: sha256(c), used_at: null })))
        .execute();
      // Sessions opened without the second factor end: other devices sign in again with it.
      await this.sessions.revokeAllForUser(user.id, 'MFA enabled', trx, principal.sessionId);
      await this.audit.record({ id: user.id, email: user.email, ip: meta.ip }, { action: 'auth.mfa_enabled', targetType: 'user', targetId: user.id }, trx);
    });
    this.sessions.revocations.announce({ userId: user.id, exceptSessionId: principal.sessionId });
    return codes;
  }

  async changePassword(principal: Principal, current: string, next: string, meta: ClientMeta): Promise<void> {
    const user = await this.requireCurrentPassword(principal, current);
    assertStrongPassword(next, this.settings.passwordMinLength, user.email);
    const password_hash = await hashPassword(next);
    await this.db.transaction().execute(async (trx) => {
      await this.users.update(user.id, { password_hash, updated_at: this.clock.now() }, trx);
      // Other devices must sign in again with the new password.
      await this.sessions.revokeAllForUser(user.id, 'password changed', trx, principal.sessionId);
      await this.audit.record({ id: user.id, email: user.email, ip: meta.ip }, { action: 'auth.password_changed', targetType: 'user', targetId: user.id }, trx);
    });
    this.sessions.revocations.announce({ userId: user.id, exceptSessionId: principal.sessionId });
  }

  private async requireCurrentPassword(principal: Principal, current: string): Promise<UserRow> {
    const user = await this.requireUser(principal.userId);
    if (!(await verifyPassword(user.password_hash, current))) throw new AppError('invalid_credentials', 'Current password is incorrect');
    return user;
  }

  private async requireUser(id: string): Promise<UserRow> {
    const user = await this.users.byId(id);
    if (!user) throw new AppError('not_found', 'User not found');
    return user;
  }
}
