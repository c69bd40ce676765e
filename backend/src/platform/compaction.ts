import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema';
import type { Clock } from './clock';
import type { IdempotencyStore } from './http/idempotency';

const DAY = 86_400_000;
/** How long the change feed keeps superseded changes and tombstones: longer than a desktop stays offline in practice. */
export const CHANGES_KEEP_MS = 30 * DAY;
/** Expired or revoked sessions stay this long for the sessions screen and audits. */
export const SESSIONS_KEEP_MS = 7 * DAY;
/** Login failure counters outlive any throttle window and lockout by far. */
export const LOGIN_FAILURES_KEEP_MS = DAY;
export const COMPACTION_EVERY_MS = 3_600_000;
export const HORIZON = 'changes.horizon';

export interface CompactionResult {
  changes: number;
  idempotencyKeys: number;
  sessions: number;
  loginFailures: number;
}

/**
 * Keeps the tables that grow with use bounded (run hourly, once per deployment). The change feed
 * keeps the latest change of every record; older ones and old tombstones go, and the highest
 * sequence removed becomes the horizon: a client whose cursor is below it resyncs from scratch.
 */
export class Compaction {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyStore,
  ) {}

  async run(): Promise<CompactionResult> {
    const now = this.clock.now();
    return {
      changes: await this.compactChanges(now - CHANGES_KEEP_MS),
      idempotencyKeys: await this.idempotency.prune(),
      sessions: await this.pruneSessions(now - SESSIONS_KEEP_MS),
      loginFailures: Number((await this.db.deleteFrom('login_failures').where('window_start', '<', now - LOGIN_FAILURES_KEEP_MS).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).executeTakeFirst()).numDeletedRows),
    };
  }

  private async compactChanges(cutoff: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      // Deletes (and revocations) past the cutoff, and upserts a later change of the same record replaced.
      // A revocation addressed to one user never replaces what everyone else sees.
      const doomed = trx
        .selectFrom('changes as c')
        .select('c.seq')
        .where('c.at', '<', cutoff)
        .where((eb) =>
          eb.or([
            eb('c.op', '!=', 'upsert'),
            eb.exists(eb.selectFrom('changes as n').select(sql.lit(1).as('one')).whereRef('n.entity', '=', 'c.entity').whereRef('n.entity_id', '=', 'c.entity_id').whereRef('n.seq', '>', 'c.seq').where('n.op', '!=', 'revoke')),
          ]),
        );
      const top = await trx.selectFrom('changes').select((eb) => eb.fn.max('seq').as('m')).where('seq', 'in', doomed).executeTakeFirst();
      if (top?.m == null) return 0;
      const r = await trx.deleteFrom('changes').where('seq', 'in', doomed).executeTakeFirst();
      const horizon = Number(top.m);
      await trx
        .insertInto('compaction_marks')
        .values({ name: HORIZON, value: horizon, at: this.clock.now() })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`case when excluded.value > compaction_marks.value then excluded.value else compaction_marks.value end`, at: this.clock.now() }))
        .execute();
      return Number(r.numDeletedRows);
    });
  }

  private async pruneSessions(cutoff: number): Promise<number> {
    const old = this.db.selectFrom('sessions').select('id').where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]));
    await this.db.deleteFrom('refresh_tokens').where('session_id', 'in', old).execute();
    return Number((await this.db.deleteFrom('sessions').where('id', 'in', old).executeTakeFirst()).numDeletedRows);
  }

  /** The highest sequence compaction removed (0 when none): cursors below it must resync. */
  async horizon(): Promise<number> {
    const r = await this.db.selectFrom('compaction_marks').select('value').where('name', '=', HORIZON).executeTakeFirst();
    return r ? Number(r.value) : 0;
  }
}
