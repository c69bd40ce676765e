import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * Which instance of a deployment runs the background work that must happen once (escalation,
 * SLA breaches, schedules, retention). The lifecycle asks before every such round.
 */
export interface Leadership {
  /** Confirms, right before a round, that this instance leads; false means skip the round. */
  confirm(): Promise<boolean>;
  /** The fencing token of the current term (null when not leading). */
  term(): number | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One process per database (SQLite): always the leader. */
export const SOLO_LEADERSHIP: Leadership = {
  confirm: async () => true,
  term: () => 1,
  start: async () => {},
  stop: async () => {},
};

/** The advisory-lock key of OpsDesk's loops: 'OPSD' as a 32-bit number. */
export const LEADER_LOCK_KEY = 0x4f505344;

/**
 * PostgreSQL leadership: a dedicated session holds an advisory lock; the instance holding it leads.
 * Getting the lock bumps the term in `leadership` (the fencing token). The lock goes with the
 * session, so a leader that dies, or whose connection breaks, hands over within one renew
 * interval. Before each round the leader confirms on that session that it still holds the lock
 * and that the term is still its own; a paused leader whose session was ended fails the check and
 * skips the round instead of acting twice.
 */
export class PgLeadership implements Leadership {
  private client: pg.Client | null = null;
  private current: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  readonly holder = randomUUID();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly renewMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  term(): number | null {
    return this.current;
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await this.drop('stopping');
  }

  async confirm(): Promise<boolean> {
    if (!this.client || this.current === null) return false;
    try {
      const r = await this.client.query<{ held: boolean; term: string | null }>(
        `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and objid = $1 and granted) as held,
                (select term from leadership where name = 'loops') as term`,
        [LEADER_LOCK_KEY],
      );
      const row = r.rows[0];
      if (row?.held && Number(row.term) === this.current) return true;
      await this.drop('the lock or the term moved to another instance');
    } catch (err) {
      await this.drop(`the leader session failed: ${(err as Error).message}`);
    }
    return false;
  }

  /** One renew round: connect when needed, try for the lock when not leading, check the session when leading. */
  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        if (!this.client) {
          const client = new pg.Client({ connectionString: this.url, application_name: 'opsdesk-leader' });
          client.on('error', (err) => void this.drop(`the leader session failed: ${err.message}`));
          await client.connect();
          this.client = client;
        }
        if (this.current !== null) {
          await this.client.query('select 1');
          return;
        }
        const got = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LEADER_LOCK_KEY]);
        if (!got.rows[0]?.ok) return;
        const term = await this.client.query<{ term: string }>(
          `insert into leadership (name, term, holder, since) values ('loops', 1, $1, $2)
           on conflict (name) do update set term = leadership.term + 1, holder = excluded.holder, since = excluded.since
           returning term`,
          [this.holder, this.clock()],
        );
        this.current = Number(term.rows[0]!.term);
        this.logger.info({ term: this.current }, 'this instance now leads the deployment-wide background work');
      } catch (err) {
        await this.drop(`leader election failed: ${(err as Error).message}`);
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  private async drop(why: string): Promise<void> {
    const client = this.client;
    const was = this.current;
    this.client = null;
    this.current = null;
    if (was !== null) this.logger.warn({ term: was, why }, 'this instance no longer leads the deployment-wide background work');
    // Ending the session releases the advisory lock.
    await client?.end().catch((err: unknown) => this.logger.warn({ err }, 'closing the leader session failed'));
  }
}
