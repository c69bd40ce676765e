import type { Kysely } from 'kysely';
import type { Heartbeat, Severity } from '../../../shared/api/alerts';
import type { AlertService } from '../alerts/alert-service';
import { fingerprintOf } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import { notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';

type Row = Database['heartbeats'];

const toHeartbeat = (r: Row): Heartbeat => ({
  id: r.id,
  name: r.name,
  intervalSeconds: Number(r.interval_seconds),
  graceSeconds: Number(r.grace_seconds),
  severity: r.severity as Severity,
  lastPingAt: r.last_ping_at,
  status: r.status as Heartbeat['status'],
  createdAt: r.created_at,
});

export const heartbeatFingerprint = (name: string) => fingerprintOf('heartbeat', { heartbeat: name });

/**
 * Dead-man's switches: a job pings `/integrations/heartbeat/<name>` every interval; when a ping is
 * later than interval + grace an alert fires, and the next ping resolves it.
 */
export class HeartbeatService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly alerts: AlertService,
  ) {}

  async ping(name: string, opts: { interval?: number; grace?: number; severity?: Severity }): Promise<Heartbeat> {
    const now = this.clock.now();
    const existing = await this.db.selectFrom('heartbeats').selectAll().where('name', '=', name).executeTakeFirst();
    let row: Row;
    if (!existing) {
      row = { id: uuid(), name, interval_seconds: opts.interval ?? 60, grace_seconds: opts.grace ?? Math.max(30, Math.round((opts.interval ?? 60) / 2)), severity: opts.severity ?? 'high', last_ping_at: now, status: 'up', created_at: now };
      await this.db.insertInto('heartbeats').values(row).onConflict((oc) => oc.column('name').doNothing()).execute();
    } else {
      const patch = {
        last_ping_at: now,
        status: 'up',
        ...(opts.interval !== undefined && { interval_seconds: opts.interval }),
        ...(opts.grace !== undefined && { grace_seconds: opts.grace }),
        ...(opts.severity !== undefined && { severity: opts.severity }),
      };
      await this.db.updateTable('heartbeats').set(patch).where('id', '=', existing.id).execute();
      row = { ...existing, ...patch };
      if (existing.status === 'missed') await this.alerts.resolveFingerprints([heartbeatFingerprint(name)], 'heartbeat received');
    }
    return toHeartbeat(row);
  }

  /** Fires an alert for each heartbeat past its interval + grace. */
  async check(): Promise<number> {
    const now = this.clock.now();
    const rows = await this.db.selectFrom('heartbeats').selectAll().where('status', '=', 'up').execute();
    let missed = 0;
    for (const r of rows) {
      const deadline = (r.last_ping_at ?? r.created_at) + (Number(r.interval_seconds) + Number(r.grace_seconds)) * 1000;
      if (now <= deadline) continue;
      const res = await this.db.updateTable('heartbeats').set({ status: 'missed' }).where('id', '=', r.id).where('status', '=', 'up').executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) continue;
      missed++;
      const ago = r.last_ping_at ? Math.round((now - r.last_ping_at) / 1000) : null;
      await this.alerts.raise([
        {
          source: 'heartbeat',
          scope: 'heartbeat',
          fingerprint: heartbeatFingerprint(r.name),
          name: `Heartbeat missed: ${r.name}`,
          severity: r.severity as Severity,
          summary: `No heartbeat from ${r.name} for ${ago ?? '?'} s (expected every ${r.interval_seconds} s)`,
          labels: { heartbeat: r.name },
          value: ago,
        },
      ]);
    }
    return missed;
  }

  async list(): Promise<Heartbeat[]> {
    return (await this.db.selectFrom('heartbeats').selectAll().orderBy('name').execute()).map(toHeartbeat);
  }

  async remove(name: string): Promise<void> {
    const res = await this.db.deleteFrom('heartbeats').where('name', '=', name).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound('Heartbeat');
    await this.alerts.resolveFingerprints([heartbeatFingerprint(name)], 'heartbeat deleted');
  }
}
