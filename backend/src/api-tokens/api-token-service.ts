import type { Kysely } from 'kysely';
import type { ApiTokenInfo, ApiTokenScope } from '../../../shared/api/users';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/auth-service';
import { hashesEqual, sha256, splitToken } from '../auth/token-hash';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { randomSecret } from '../platform/ids';

export const API_TOKEN_PREFIX = 'odk_';
// A token's use is audited at most this often, so a busy webhook does not flood the log.
const USE_AUDIT_INTERVAL_MS = 60_000;

type Row = { id: string; name: string; scopes: string; created_by: string; created_at: number; last_used_at: number | null; expires_at: number | null; revoked_at: number | null };

function toInfo(r: Row): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as ApiTokenScope[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

/** Named, scoped, revocable tokens for integrations; only a hash is stored. */
export class ApiTokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor & { id: string }, input: { name: string; scopes: ApiTokenScope[]; expiresInDays?: number }) {
    const id = randomSecret(9).replace(/[-_]/g, 'x');
    const secret = randomSecret(32);
    const now = this.clock.now();
    const row = {
      id,
      name: input.name,
      scopes: JSON.stringify([...new Set(input.scopes)]),
      token_hash: sha256(secret),
      created_by: actor.id,
      created_at: now,
      last_used_at: null,
      expires_at: input.expiresInDays ? now + input.expiresInDays * 86_400_000 : null,
      revoked_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      await this.audit.record(actor, { action: 'api_token.created', targetType: 'api_token', targetId: id, details: { name: input.name, scopes: input.scopes } }, trx);
    });
    return { ...toInfo(row), token: `${API_TOKEN_PREFIX}${id}.${secret}` };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toInfo);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const res = await this.db.updateTable('api_tokens').set({ revoked_at: this.clock.now() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('API token');
    await this.audit.record(actor, { action: 'api_token.revoked', targetType: 'api_token', targetId: id });
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
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now) || row.disabled === 1) {
      throw new AppError('token_revoked', 'API token has been revoked or has expired');
    }
    if (row.last_used_at === null || now - row.last_used_at >= USE_AUDIT_INTERVAL_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      await this.audit.record({ id: row.user_id, email: row.email, ip }, { action: 'api_token.used', targetType: 'api_token', targetId: row.id, details: { name: row.name } });
    }
    return { kind: 'token', userId: row.user_id, email: row.email, role: row.role, sessionId: null, tokenId: row.id, scopes: JSON.parse(row.scopes) as string[] };
  }
}
