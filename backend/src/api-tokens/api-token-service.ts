import type { Kysely } from 'kysely';
import type { ApiTokenInfo, ApiTokenRevokeReason, ApiTokenScope, CreateApiTokenRequest } from '../../../shared/api/users';
import { DEFAULT_API_TOKEN_LIFETIME_DAYS, SCOPE_MIN_ROLE, hasRole, tokenRole, type Role } from '../../../shared/domain/roles';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/auth-service';
import { hashesEqual, sha256, splitToken } from '../auth/token-hash';
import type { Database } from '../platform/db/schema';
import { AppError, forbidden, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { randomSecret } from '../platform/ids';

export const API_TOKEN_PREFIX = 'odk_';
// A token's use is audited at most this often, so a busy webhook does not flood the log.
const USE_AUDIT_INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;

type Row = Database['api_tokens'];

function toInfo(r: Omit<Row, 'token_hash'>): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as ApiTokenScope[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason as ApiTokenRevokeReason | null,
  };
}

/**
 * Named, scoped, revocable tokens for integrations; only a hash is stored. A token acts with the
 * least role its scopes need (never its creator's whole role), expires after 90 days unless its
 * creator chose otherwise, and dies when its creator is disabled or demoted below that role.
 */
export class ApiTokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor & { id: string }, input: CreateApiTokenRequest) {
    const scopes = [...new Set(input.scopes)];
    const creator = await this.db.selectFrom('users').select(['role', 'disabled']).where('id', '=', actor.id).executeTakeFirst();
    if (!creator || creator.disabled === 1) throw forbidden('Only an active user can issue API tokens');
    const beyond = scopes.find((s) => !hasRole(creator.role as Role, SCOPE_MIN_ROLE[s]));
    if (beyond) throw forbidden(`A token cannot carry more than its creator: the ${beyond} scope needs the ${SCOPE_MIN_ROLE[beyond]} role`);
    const lifetime = input.expiresInDays ?? DEFAULT_API_TOKEN_LIFETIME_DAYS;
    const id = randomSecret(9).replace(/[-_]/g, 'x');
    const secret = randomSecret(32);
    const now = this.clock.now();
    const row: Row = {
      id,
      name: input.name,
      scopes: JSON.stringify(scopes),
      token_hash: sha256(secret),
      created_by: actor.id,
      created_at: now,
      last_used_at: null,
      expires_at: lifetime === 'never' ? null : now + lifetime * DAY_MS,
      revoked_at: null,
      revoked_reason: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      const details = { name: input.name, scopes, expiresAt: row.expires_at, neverExpires: lifetime === 'never' };
      await this.audit.record(actor, { action: 'api_token.created', targetType: 'api_token', targetId: id, details }, trx);
    });
    return { ...toInfo(row), token: `${API_TOKEN_PREFIX}${id}.${secret}` };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toInfo);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const res = await this.db.updateTable('api_tokens').set({ revoked_at: this.clock.now(), revoked_reason: 'manual' }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('API token');
    await this.audit.record(actor, { action: 'api_token.revoked', targetType: 'api_token', targetId: id, details: { reason: 'manual' } });
  }

  /**
   * Revokes a creator's live tokens after their account changed: all of them when disabled, those
   * carrying more than the new role when demoted. Runs inside the user change's transaction.
   */
  async revokeForCreator(trx: Kysely<Database>, actor: Actor, userId: string, change: { disabled: true } | { role: Role }): Promise<string[]> {
    const live = await trx.selectFrom('api_tokens').select(['id', 'name', 'scopes']).where('created_by', '=', userId).where('revoked_at', 'is', null).execute();
    const reason: ApiTokenRevokeReason = 'disabled' in change ? 'creator_disabled' : 'creator_demoted';
    const doomed = 'disabled' in change ? live : live.filter((t) => !hasRole(change.role, tokenRole(JSON.parse(t.scopes) as ApiTokenScope[])));
    for (const t of doomed) {
      await trx.updateTable('api_tokens').set({ revoked_at: this.clock.now(), revoked_reason: reason }).where('id', '=', t.id).execute();
      await this.audit.record(actor, { action: 'api_token.revoked', targetType: 'api_token', targetId: t.id, details: { name: t.name, reason, creatorId: userId } }, trx);
    }
    return doomed.map((t) => t.id);
  }

  async authenticate(token: string, ip: string | null): Promise<Principal> {
    const invalid = () => new AppError('unauthorized', 'API token is not valid');
    const parts = splitToken(token, API_TOKEN_PREFIX);
    if (!parts) throw invalid();
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.created_by')
      .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.token_hash', 'api_tokens.scopes', 'api_tokens.revoked_at', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'users.id as user_id', 'users.email', 'users.role', 'users.disabled'])
      .where('api_tokens.id', '=', parts.id)
      .executeTakeFirst();
    if (!row || !hashesEqual(row.token_hash, sha256(parts.secret))) throw invalid();
    const now = this.clock.now();
    const scopes = JSON.parse(row.scopes) as ApiTokenScope[];
    const role = tokenRole(scopes);
    // The creator's current role bounds the token even if a revocation was missed.
    const beyondCreator = !hasRole(row.role as Role, role);
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now) || row.disabled === 1 || beyondCreator) {
      throw new AppError('token_revoked', 'API token has been revoked or has expired');
    }
    if (row.last_used_at === null || now - row.last_used_at >= USE_AUDIT_INTERVAL_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      await this.audit.record({ id: row.user_id, email: row.email, ip }, { action: 'api_token.used', targetType: 'api_token', targetId: row.id, details: { name: row.name } });
    }
    return { kind: 'token', userId: row.user_id, email: row.email, role, sessionId: null, tokenId: row.id, scopes };
  }
}
