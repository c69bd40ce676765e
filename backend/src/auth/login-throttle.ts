import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';

/** A charged guess: whether it may be checked, and its number inside the window. */
export interface Attempt {
  key: string;
  count: number;
}

/**
 * Locks an account + address key after too many failures inside a window. Each guess is charged
 * before the password is checked, in one atomic upsert, so parallel guesses cannot all pass the
 * check before any failure is counted: at most `maxFailures` guesses are verified per window.
 * Keyed per account and client address, an attacker at one address locks only that address out;
 * the owner signs in from another. Keys exist for unknown emails too, so a lockout answer never
 * tells whether an account exists. Kept in the database so every backend instance sees the same counts.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  static keyFor(email: string, ip: string | null): string {
    return `email:${email.toLowerCase()}|ip:${ip ?? 'unknown'}`;
  }

  /** Charges one guess; throws `locked` when the key is locked or its guesses are used up. */
  async charge(key: string): Promise<Attempt> {
    const now = this.clock.now();
    const fresh = sql<boolean>`(login_failures.locked_until is not null and login_failures.locked_until <= ${now})
      or (login_failures.locked_until is null and login_failures.window_start < ${now - this.lockoutMs})`;
    const row = await this.db
      .insertInto('login_failures')
      .values({ key, count: 1, window_start: now, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${fresh} then 1 else login_failures.count + 1 end`,
          window_start: sql<number>`case when ${fresh} then ${now} else login_failures.window_start end`,
          locked_until: sql<number | null>`case when ${fresh} then null else login_failures.locked_until end`,
        }),
      )
      .returning(['count', 'locked_until', 'window_start'])
      .executeTakeFirstOrThrow();
    const count = Number(row.count);
    if (count > this.maxFailures) {
      const until = row.locked_until !== null ? Number(row.locked_until) : Number(row.window_start) + this.lockoutMs;
      throw lockedError(Math.max(until - now, 1000));
    }
    return { key, count };
  }

  /** The charged guess failed; returns true when it used up the key's guesses (the key is now locked). */
  async failed(attempt: Attempt): Promise<boolean> {
    if (attempt.count < this.maxFailures) return false;
    const updated = await this.db
      .updateTable('login_failures')
      .set({ locked_until: this.clock.now() + this.lockoutMs })
      .where('key', '=', attempt.key)
      .where('locked_until', 'is', null)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** A successful sign-in forgets the key's failures (in the sign-in's transaction when given). */
  async clear(key: string, trx: Kysely<Database> = this.db): Promise<void> {
    await trx.deleteFrom('login_failures').where('key', '=', key).execute();
  }
}

function lockedError(ms: number): AppError {
  const minutes = Math.ceil(ms / 60_000);
  return new AppError('locked', `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
    retryAfterSeconds: Math.ceil(ms / 1000),
  });
}
