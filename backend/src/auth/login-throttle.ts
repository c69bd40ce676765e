import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';

/**
 * Locks an account key after too many failures inside a window. Keys exist for unknown emails too,
 * so a lockout answer never tells whether an account exists. Kept in the database so every backend
 * instance sees the same counts.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  async assertNotLocked(key: string): Promise<void> {
    const row = await this.db.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst();
    if (row?.locked_until && row.locked_until > this.clock.now()) {
      const minutes = Math.ceil((row.locked_until - this.clock.now()) / 60_000);
      throw new AppError('locked', `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
        retryAfterSeconds: Math.ceil((row.locked_until - this.clock.now()) / 1000),
      });
    }
  }

  /** Records a failure; returns true when this failure locked the key. */
  async recordFailure(key: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst();
      const windowExpired = !row || now - row.window_start > this.lockoutMs;
      const count = windowExpired ? 1 : row.count + 1;
      const lockedUntil = count >= this.maxFailures ? now + this.lockoutMs : null;
      const values = { count, window_start: windowExpired ? now : row!.window_start, locked_until: lockedUntil };
      await trx
        .insertInto('login_failures')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
      return lockedUntil !== null && count === this.maxFailures;
    });
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('login_failures').where('key', '=', key).execute();
  }
}
