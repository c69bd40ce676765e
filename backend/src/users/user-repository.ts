import type { Kysely, Selectable } from 'kysely';
import type { UserPublic } from '../../../shared/api/auth';
import type { Database, UsersTable } from '../platform/db/schema';

export type UserRow = Selectable<UsersTable>;

export function toUserPublic(row: UserRow): UserPublic {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled === 1,
    mfaEnabled: row.mfa_enabled === 1,
    createdAt: row.created_at,
  };
}

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  byId(id: string, trx: Kysely<Database> = this.db): Promise<UserRow | undefined> {
    return trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('email').execute();
  }

  /** The email addresses of every enabled account (maintenance announcements go to all of them). */
  async activeEmails(): Promise<string[]> {
    return (await this.db.selectFrom('users').select('email').where('disabled', '=', 0).execute()).map((u) => u.email);
  }

  async insert(row: UserRow, trx: Kysely<Database> = this.db): Promise<void> {
    await trx.insertInto('users').values(row).execute();
  }

  async update(id: string, patch: Partial<UserRow>, trx: Kysely<Database> = this.db): Promise<void> {
    await trx.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async countAdmins(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
