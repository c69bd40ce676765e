import pg from 'pg';
import type { Logger } from 'pino';

/** Maintenance mode as the other instances of a deployment see it. */
export interface SharedMaintenanceFlag {
  /** Raises the flag for every instance; resolves once it is up. */
  raise(reason: string): Promise<void>;
  lower(): Promise<void>;
  /** The flag as it stands, raised by any instance. */
  read(): Promise<{ reason: string; since: number } | null>;
  close(): Promise<void>;
  /** How long a raised flag may take to reach every instance (they read it on this interval). */
  readonly propagationMs: number;
}

export const MAINTENANCE_LOCK_KEY = 0x4f50534d; // 'OPSM'
const PREFIX = 'opsdesk-maintenance:';

/**
 * On PostgreSQL the flag is an advisory lock held by a dedicated session whose application_name
 * carries the reason. It is not a row: a restore replaces every table, and a lock survives that;
 * and it goes when the restoring process dies, so a crash never leaves the deployment refusing
 * writes forever.
 */
export class PgMaintenanceFlag implements SharedMaintenanceFlag {
  private holder: pg.Client | null = null;
  private reader: pg.Client | null = null;
  /** The reason while raised here: a lost session raises the flag again at once. */
  private raised: string | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    readonly propagationMs = 500,
  ) {}

  async raise(reason: string): Promise<void> {
    this.raised = reason;
    if (this.holder) return;
    const client = new pg.Client({ connectionString: this.url, application_name: `${PREFIX}${reason}`.slice(0, 63) });
    client.on('error', (err) => {
      if (this.holder !== client) return;
      this.holder = null;
      this.logger.error({ err }, 'the maintenance-mode session failed; raising the flag again');
      if (this.raised) this.raise(this.raised).catch((again: unknown) => this.logger.error({ err: again }, 'raising maintenance mode again failed: other instances may accept writes'));
    });
    await client.connect();
    await client.query('select pg_advisory_lock($1)', [MAINTENANCE_LOCK_KEY]);
    this.holder = client;
  }

  async lower(): Promise<void> {
    this.raised = null;
    const client = this.holder;
    this.holder = null;
    await client?.end();
  }

  async read(): Promise<{ reason: string; since: number } | null> {
    if (!this.reader) {
      const client = new pg.Client({ connectionString: this.url, application_name: 'opsdesk-maintenance-reader' });
      client.on('error', (err) => {
        this.logger.warn({ err }, 'the maintenance-mode reader session failed; reconnecting');
        this.reader = null;
      });
      await client.connect();
      this.reader = client;
    }
    // pg_locks lists every database of the server: only this deployment's database counts.
    const r = await this.reader.query<{ name: string; since: Date }>(
      `select a.application_name as name, a.backend_start as since from pg_locks l join pg_stat_activity a on a.pid = l.pid
       where l.locktype = 'advisory' and l.objid = $1 and l.granted
         and l.database = (select oid from pg_database where datname = current_database()) limit 1`,
      [MAINTENANCE_LOCK_KEY],
    );
    const row = r.rows[0];
    return row ? { reason: row.name.startsWith(PREFIX) ? row.name.slice(PREFIX.length) : 'maintenance', since: row.since.getTime() } : null;
  }

  async close(): Promise<void> {
    await this.lower();
    const reader = this.reader;
    this.reader = null;
    await reader?.end();
  }
}
