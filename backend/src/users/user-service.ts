import type { Kysely } from 'kysely';
import type { UserPublic } from '../../../shared/api/auth';
import type { CreateUserRequest, UpdateUserRequest } from '../../../shared/api/users';
import type { ApiTokenService } from '../api-tokens/api-token-service';
import type { Actor, AuditLog } from '../audit/audit-log';
import { hashPassword } from '../auth/password-hasher';
import { assertStrongPassword } from '../auth/password-policy';
import type { SessionStore } from '../auth/session-store';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';
import { uuid } from '../platform/ids';
import { toUserPublic, type UserRepository } from './user-repository';

/** Admin-side account management. Every change is audited inside the same transaction. */
export class UserService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: UserRepository,
    private readonly sessions: SessionStore,
    private readonly apiTokens: ApiTokenService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly passwordMinLength: number,
    private readonly changes?: ChangeFeed,
    private readonly events?: EventHub,
  ) {}

  /** Users' public fields travel through delta sync to everyone (names and roles for assignee pickers). */
  private async recordPublic(trx: Kysely<Database>, actor: Actor, id: string): Promise<(() => void) | undefined> {
    if (!this.changes) return undefined;
    const row = await this.users.byId(id, trx);
    if (!row) return undefined;
    const data = { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled === 1 };
    const seq = await this.changes.record(trx, { entity: 'user', id, op: 'upsert', audience: { kind: 'all' }, data, actorId: actor.id });
    const at = this.clock.now();
    return () => this.events?.publish({ type: 'user.updated', seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data, at }, { kind: 'all' });
  }

  async list(): Promise<UserPublic[]> {
    return (await this.users.list()).map(toUserPublic);
  }

  async get(id: string): Promise<UserPublic> {
    const row = await this.users.byId(id);
    if (!row) throw notFound('User');
    return toUserPublic(row);
  }

  async create(actor: Actor, input: CreateUserRequest): Promise<UserPublic> {
    assertStrongPassword(input.password, this.passwordMinLength, input.email);
    if (await this.users.byEmail(input.email)) throw new AppError('conflict', 'A user with this email already exists');
    const now = this.clock.now();
    const row = {
      id: uuid(),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password),
      disabled: 0,
      mfa_enabled: 0,
      mfa_secret: null,
      mfa_pending_secret: null,
      mfa_last_step: null,
      created_at: now,
      updated_at: now,
    };
    const publish = await this.db.transaction().execute(async (trx) => {
      await this.users.insert(row, trx);
      await this.audit.record(actor, { action: 'user.created', targetType: 'user', targetId: row.id, details: { email: row.email, role: row.role } }, trx);
      return this.recordPublic(trx, actor, row.id);
    });
    publish?.();
    return toUserPublic(row);
  }

  async update(actor: Actor, id: string, patch: UpdateUserRequest): Promise<UserPublic> {
    const before = await this.users.byId(id);
    if (!before) throw notFound('User');
    const demotesLastAdmin =
      before.role === 'admin' && before.disabled === 0 && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
    if (demotesLastAdmin && (await this.users.countAdmins()) <= 1) {
      throw new AppError('unprocessable', 'This is the last active admin; promote another admin first');
    }
    const publish = await this.db.transaction().execute(async (trx) => {
      await this.users.update(
        id,
        {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
          updated_at: this.clock.now(),
        },
        trx,
      );
      if (patch.disabled) {
        await this.sessions.revokeAllForUser(id, 'user disabled', trx);
        await this.apiTokens.revokeForCreator(trx, actor, id, { disabled: true });
      }
      if (patch.role && patch.role !== before.role) {
        await this.sessions.revokeAllForUser(id, 'role changed', trx);
        await this.apiTokens.revokeForCreator(trx, actor, id, { role: patch.role });
      }
      const changes = Object.fromEntries(
        Object.entries(patch).map(([k, v]) => [k, { from: k === 'disabled' ? before.disabled === 1 : before[k as 'name' | 'role'], to: v }]),
      );
      await this.audit.record(actor, { action: 'user.updated', targetType: 'user', targetId: id, details: changes }, trx);
      return this.recordPublic(trx, actor, id);
    });
    if (patch.disabled || (patch.role && patch.role !== before.role)) this.sessions.revocations.announce({ userId: id });
    publish?.();
    return this.get(id);
  }

  async resetMfa(actor: Actor, id: string): Promise<UserPublic> {
    if (!(await this.users.byId(id))) throw notFound('User');
    await this.db.transaction().execute(async (trx) => {
      await this.users.update(id, { mfa_enabled: 0, mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null, updated_at: this.clock.now() }, trx);
      await trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute();
      await this.audit.record(actor, { action: 'user.mfa_reset', targetType: 'user', targetId: id }, trx);
    });
    return this.get(id);
  }

  /** Used by the CLI and by the desktop's first run; refuses weak passwords like every other path. */
  async createAdmin(actor: Actor, email: string, password: string, name = 'Administrator'): Promise<UserPublic> {
    return this.create(actor, { email, password, name, role: 'admin' });
  }
}
