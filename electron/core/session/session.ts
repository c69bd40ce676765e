import { EventEmitter } from 'node:events';
import type { LoginResponse, TokenPair, UserPublic } from '../../../shared/api/auth';
import type { SessionState } from '../../../shared/ipc';
import type { ApiClient, TokenSource } from '../api/api-client';
import { routePath } from '../api/route-forwarder';
import { CoreError } from '../errors';
import { silentLogger, type Clock, type Logger, type SecretStore } from '../ports';
import { secretAccount } from '../secrets/open-secret-store';

type SignedInUser = Extract<SessionState, { status: 'signed_in' }>['user'];

export interface SessionPersistence {
  /** Remembers the last user (not secret) on the profile so the app can open offline. */
  rememberUser(user: SignedInUser | null, email: string | null): void;
  lastUser(): { user: SignedInUser | null; email: string | null };
}

/**
 * Sign-in state for one server profile. The refresh token lives only in the SecretStore; the
 * access token only in memory. Refreshes are single-flight; a refused refresh signs the user out
 * (reason 'revoked') and leaves the cache and outbox untouched.
 * Emits 'change' with the new SessionState.
 */
export class Session extends EventEmitter implements TokenSource {
  private state: SessionState;
  private access: { token: string; expiresAt: number } | null = null;
  private mfaToken: string | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly profileId: string,
    private readonly api: ApiClient,
    private readonly secrets: SecretStore,
    private readonly persistence: SessionPersistence,
    private readonly clock: Clock,
    private readonly logger: Logger = silentLogger,
  ) {
    super();
    this.state = { status: 'signed_out', profileId, reason: 'never' };
    api.setTokenSource(this);
  }

  current(): SessionState {
    return this.state;
  }

  get user(): SignedInUser | null {
    return this.state.status === 'signed_in' ? this.state.user : null;
  }

  /** Whose work this profile holds: the signed-in user, else the one remembered (offline writes wait for them). */
  get owner(): string | null {
    return this.user?.id ?? this.persistence.lastUser().user?.id ?? null;
  }

  private set(state: SessionState): SessionState {
    this.state = state;
    this.emit('change', state);
    return state;
  }

  /**
   * Opens the profile: with a refresh token in the keychain the user is signed in (offline too,
   * from the remembered user); the token is refreshed as soon as the server answers.
   */
  async resume(): Promise<SessionState> {
    const { user, email } = this.persistence.lastUser();
    if (!user || !email) return this.set({ status: 'signed_out', profileId: this.profileId, reason: 'never' });
    const refresh = await this.secrets.get(secretAccount(this.profileId, email));
    if (!refresh) return this.set({ status: 'signed_out', profileId: this.profileId, reason: 'never' });
    this.set({ status: 'signed_in', profileId: this.profileId, user });
    try {
      await this.refresh();
      await this.reportFallback();
    } catch (err) {
      // Offline: stay signed in on the cache; revoked: refresh() already signed out.
      if (!(err instanceof CoreError && err.code === 'offline')) return this.state;
    }
    return this.state;
  }

  async login(email: string, password: string): Promise<SessionState> {
    const res = await this.api.request<LoginResponse>('POST', routePath('auth.login'), { body: { email, password }, auth: false, retries: 0 });
    if ('mfaRequired' in res.data) {
      this.mfaToken = res.data.mfaToken;
      return this.set({ status: 'mfa_required', profileId: this.profileId, email });
    }
    return this.signedIn(res.data);
  }

  async completeMfa(code: string): Promise<SessionState> {
    if (this.state.status !== 'mfa_required' || !this.mfaToken) throw new CoreError('mfa_required', 'Sign in with email and password first');
    const res = await this.api.request<TokenPair>('POST', routePath('auth.login.mfa'), { body: { mfaToken: this.mfaToken, code }, auth: false, retries: 0 });
    this.mfaToken = null;
    return this.signedIn(res.data);
  }

  private async signedIn(pair: TokenPair): Promise<SessionState> {
    const user = toUser(pair.user);
    await this.secrets.set(secretAccount(this.profileId, user.email), pair.refreshToken);
    this.access = { token: pair.accessToken, expiresAt: pair.accessTokenExpiresAt };
    this.persistence.rememberUser(user, user.email);
    this.set({ status: 'signed_in', profileId: this.profileId, user });
    await this.reportFallback();
    return this.state;
  }

  /** Tokens in the keychain fallback are worth an audit entry on the server (once per sign-in or resume). */
  private async reportFallback(): Promise<void> {
    const status = this.secrets.status();
    if (status.kind !== 'encrypted-file') return;
    const body = { kind: status.kind, osProtected: status.osProtected, reason: status.fallbackReason?.slice(0, 300) ?? null };
    await this.api.send('POST', routePath('auth.me.secretStorage'), { body, retries: 0, timeoutMs: 5000 }).then(
      (res) => res.status !== 204 && this.logger.warn('session: the server did not take the secret-storage report', { profileId: this.profileId, status: res.status }),
      (err: unknown) => this.logger.warn('session: could not report the secret-storage fallback', { profileId: this.profileId, error: (err as Error).message }),
    );
  }

  /** Forgets the access token (the live feed was told it expired); the next call refreshes. */
  invalidateAccessToken(): void {
    this.access = null;
  }

  accessToken(): string | null {
    if (!this.access) return null;
    // Refresh a little early so a request never leaves with a token about to expire.
    return this.access.expiresAt - this.clock.now() > 15_000 ? this.access.token : null;
  }

  /** Current access token for the live feed (refreshing if needed). */
  async freshAccessToken(): Promise<string> {
    return this.accessToken() ?? this.refresh();
  }

  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const email = this.user?.email ?? this.persistence.lastUser().email;
    if (!email || this.state.status !== 'signed_in') throw new CoreError('not_signed_in', 'Sign in first');
    const account = secretAccount(this.profileId, email);
    const refreshToken = await this.secrets.get(account);
    if (!refreshToken) {
      this.set({ status: 'signed_out', profileId: this.profileId, reason: 'expired' });
      throw new CoreError('session_revoked', 'Your session has ended; sign in again');
    }
    const res = await this.api.send('POST', routePath('auth.refresh'), { body: { refreshToken }, auth: false, retries: 1 });
    if (res.status === 200) {
      const pair = res.data as TokenPair;
      await this.secrets.set(account, pair.refreshToken);
      this.access = { token: pair.accessToken, expiresAt: pair.accessTokenExpiresAt };
      const user = toUser(pair.user);
      this.persistence.rememberUser(user, user.email);
      if (this.state.status === 'signed_in') this.state = { ...this.state, user };
      return pair.accessToken;
    }
    if (res.status === 401 || res.status === 403) {
      // Revoked, reused or expired: the keychain entry is useless now. Unsynced work stays in the cache.
      await this.secrets.delete(account);
      this.access = null;
      this.set({ status: 'signed_out', profileId: this.profileId, reason: 'revoked' });
      throw new CoreError('session_revoked', 'Your session was ended on the server; sign in again. Unsynced changes are kept.');
    }
    throw new CoreError(res.status === 429 ? 'rate_limited' : 'internal', `Refreshing the session failed (${res.status})`);
  }

  async logout(): Promise<SessionState> {
    const email = this.user?.email ?? this.persistence.lastUser().email;
    if (email) {
      const account = secretAccount(this.profileId, email);
      const refreshToken = await this.secrets.get(account);
      if (this.access || refreshToken) {
        await this.api.send('POST', routePath('auth.logout'), { body: refreshToken ? { refreshToken } : {}, retries: 0, timeoutMs: 5000 }).catch((err: unknown) => {
          // Signing out works offline: the token is forgotten here either way and expires on the server.
          this.logger.warn('session: the server did not take the sign-out', { profileId: this.profileId, error: (err as Error).message });
        });
      }
      await this.secrets.delete(account);
    }
    this.access = null;
    this.mfaToken = null;
    this.persistence.rememberUser(null, email);
    return this.set({ status: 'signed_out', profileId: this.profileId, reason: 'logout' });
  }
}

function toUser(u: UserPublic): SignedInUser {
  return { id: u.id, name: u.name, email: u.email, role: u.role, disabled: u.disabled, mfaEnabled: u.mfaEnabled };
}
