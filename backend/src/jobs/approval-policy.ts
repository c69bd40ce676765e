import type { Kysely } from 'kysely';
import type { ApprovalPolicy } from '../../../shared/api/jobs';
import { verifyPassword } from '../auth/password-hasher';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';

/**
 * Who may approve a job that needs approval: another admin; in a workspace with exactly one active
 * admin, that admin again after re-entering their password (a solo workspace could never restore).
 */
export class ApprovalRule {
  constructor(private readonly db: Kysely<Database>) {}

  async policy(): Promise<ApprovalPolicy> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('disabled', '=', 0).executeTakeFirst();
    const admins = Number(r?.n ?? 0);
    return admins === 1
      ? { mode: 'solo-password', admins, description: 'You are the only admin: jobs that need approval start once you approve them yourself with your password.' }
      : { mode: 'second-admin', admins, description: 'Jobs that need approval start once an admin other than the one who requested them approves.' };
  }

  /** Throws unless the requester may approve their own job now; returns how it was allowed. */
  async selfApproval(userId: string, password: string | undefined): Promise<'solo-password'> {
    const policy = await this.policy();
    if (policy.mode !== 'solo-password') throw new AppError('forbidden', 'A job must be approved by a different admin than the one who requested it');
    if (!password) throw new AppError('forbidden', 'You are the only admin: enter your password to approve your own job');
    const user = await this.db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
    if (!user || !(await verifyPassword(user.password_hash, password))) throw new AppError('forbidden', 'The password is not correct; enter your password to approve your own job');
    return 'solo-password';
  }
}
