import type { Kysely } from 'kysely';
import { severityRank, type Alert, type Severity } from '../../../shared/api/alerts';
import {
  INCIDENT_STATES,
  RESPONSE_TARGET_MS,
  type Incident,
  type IncidentSeverity,
  type IncidentState,
  type LinkKind,
  type TimelineEntry,
} from '../../../shared/api/incidents';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { AlertService } from '../alerts/alert-service';
import { fingerprintOf, parseJson } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';

type Row = Database['incidents'];
type Trx = Kysely<Database>;

export const breachFingerprint = (incidentId: string) => fingerprintOf('incident-response', { incident: incidentId });

/** The state after `state` in the manual's workflow, or null at the end. */
export function nextState(state: IncidentState): IncidentState | null {
  return INCIDENT_STATES[INCIDENT_STATES.indexOf(state) + 1] ?? null;
}

/**
 * Incidents follow the manual's workflow in order (detect → acknowledge → diagnose → mitigate →
 * resolve → review). Every change writes a timeline entry, records the change feed and publishes
 * `incident.*`. An incident not acknowledged within its severity's response target raises an alert.
 */
export class IncidentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly alerts: AlertService,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly audit: AuditLog,
    /** Failed timeline entries written from alert events (logged and counted by the lifecycle). */
    onError: (err: unknown) => void,
  ) {
    alerts.listeners.resolved.push((a) => {
      if (a.incidentId) void this.alertEvent(a, `Linked alert resolved: ${a.name}`).catch(onError);
    });
    alerts.listeners.updated.push((a, what) => {
      if (a.incidentId && (what === 'acknowledged' || what === 'severity')) void this.alertEvent(a, `Linked alert ${what === 'severity' ? `now ${a.severity}` : 'acknowledged'}: ${a.name}`).catch(onError);
    });
  }

  private async load(trx: Trx, id: string): Promise<Incident> {
    const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Incident');
    const links = await trx.selectFrom('incident_links').selectAll().where('incident_id', '=', id).orderBy('at').execute();
    return toIncident(row, links);
  }

  async get(id: string): Promise<Incident & { timeline: TimelineEntry[] }> {
    const incident = await this.load(this.db, id);
    const rows = await this.db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', id).orderBy('id').execute();
    return {
      ...incident,
      timeline: rows.map((r) => ({ id: String(r.id), at: r.at, kind: r.kind as TimelineEntry['kind'], authorId: r.author_id, body: r.body, data: parseJson(r.data, null) })),
    };
  }

  async list(filter: { state?: string; severity?: IncidentSeverity; limit: number }): Promise<Incident[]> {
    let q = this.db.selectFrom('incidents').selectAll();
    if (filter.state === 'open') q = q.where('state', 'not in', ['resolved', 'reviewed']);
    else if (filter.state) q = q.where('state', 'in', filter.state.split(','));
    if (filter.severity) q = q.where('severity', '=', filter.severity);
    const rows = await q.orderBy('detected_at', 'desc').limit(filter.limit).execute();
    if (rows.length === 0) return [];
    const links = await this.db.selectFrom('incident_links').selectAll().where('incident_id', 'in', rows.map((r) => r.id)).execute();
    return rows.map((r) => toIncident(r, links.filter((l) => l.incident_id === r.id)));
  }

  private async entry(trx: Trx, incidentId: string, kind: TimelineEntry['kind'], body: string, authorId: string | null, data?: unknown): Promise<void> {
    await trx.insertInto('incident_timeline').values({ incident_id: incidentId, at: this.clock.now(), kind, author_id: authorId, body, data: data === undefined ? null : JSON.stringify(data) }).execute();
  }

  /** Runs a write, then records and publishes the incident as it is after it. */
  private async write(id: string, actor: Actor | null, type: string, work: (trx: Trx) => Promise<void>): Promise<Incident> {
    const { incident, seq } = await this.db.transaction().execute(async (trx) => {
      await work(trx);
      const incident = await this.load(trx, id);
      const seq = await this.changes.record(trx, { entity: 'incident', id, op: 'upsert', audience: { kind: 'all' }, data: incident, actorId: actor?.id ?? null });
      return { incident, seq };
    });
    this.events.publish({ type, seq, actor: actor?.id ? { id: actor.id, email: actor.email } : null, data: incident, at: this.clock.now() }, { kind: 'all' });
    return incident;
  }

  async create(actor: Actor, input: { title: string; description?: string; severity?: IncidentSeverity; commanderId?: string; alertIds: string[]; ticketIds: string[] }): Promise<Incident> {
    const linked: Alert[] = [];
    for (const alertId of input.alertIds) linked.push(await this.alerts.get(alertId));
    const severity: IncidentSeverity = input.severity ?? (linked.length ? (linked.reduce((m, a) => (severityRank(a.severity) > severityRank(m) ? a.severity : m), 'low' as Severity) as IncidentSeverity) : 'medium');
    if (input.commanderId) await this.requireUser(input.commanderId);
    const now = this.clock.now();
    const detectedAt = linked.length ? Math.min(...linked.map((a) => a.startsAt)) : now;
    const id = uuid();
    const incident = await this.write(id, actor, 'incident.created', async (trx) => {
      await trx
        .insertInto('incidents')
        .values({
          id,
          title: input.title,
          description: input.description ?? null,
          severity,
          state: 'detected',
          commander_id: input.commanderId ?? null,
          created_by: actor.id,
          detected_at: detectedAt,
          acknowledged_at: null,
          resolved_at: null,
          reviewed_at: null,
          response_due_at: detectedAt + RESPONSE_TARGET_MS[severity],
          response_breached: 0,
          summary: null,
          root_cause: null,
          follow_ups: '[]',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.entry(trx, id, 'created', linked.length ? `Declared from ${linked.length} alert(s)` : 'Declared by hand', actor.id, { severity });
      for (const a of linked) await this.linkIn(trx, id, 'alert', a.id, actor);
      for (const t of input.ticketIds) await this.linkIn(trx, id, 'ticket', t, actor);
      await this.audit.record(actor, { action: 'incident.created', targetType: 'incident', targetId: id, details: { title: input.title, severity } }, trx);
    });
    for (const a of linked) await this.alerts.patch(a.id, { incident_id: id }, 'incident');
    return incident;
  }

  private async requireUser(id: string): Promise<void> {
    const u = await this.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
    if (!u) throw new AppError('unprocessable', 'commander is not a known user');
  }

  private async linkIn(trx: Trx, id: string, kind: LinkKind, refId: string, actor: Actor): Promise<boolean> {
    const res = await trx.insertInto('incident_links').values({ incident_id: id, kind, ref_id: refId, at: this.clock.now() }).onConflict((oc) => oc.columns(['incident_id', 'kind', 'ref_id']).doNothing()).executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    await this.entry(trx, id, 'link', `Linked ${kind} ${refId}`, actor.id, { kind, refId });
    return true;
  }

  async link(actor: Actor, id: string, kind: LinkKind, refId: string): Promise<Incident> {
    if (kind === 'alert') await this.alerts.get(refId);
    const incident = await this.write(id, actor, 'incident.updated', async (trx) => {
      await this.load(trx, id);
      await this.linkIn(trx, id, kind, refId, actor);
    });
    if (kind === 'alert') await this.alerts.patch(refId, { incident_id: id }, 'incident');
    return incident;
  }

  async unlink(actor: Actor, id: string, kind: LinkKind, refId: string): Promise<Incident> {
    const incident = await this.write(id, actor, 'incident.updated', async (trx) => {
      const res = await trx.deleteFrom('incident_links').where('incident_id', '=', id).where('kind', '=', kind).where('ref_id', '=', refId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound('Link');
      await this.entry(trx, id, 'unlink', `Unlinked ${kind} ${refId}`, actor.id, { kind, refId });
    });
    if (kind === 'alert') await this.alerts.patch(refId, { incident_id: null }, 'incident');
    return incident;
  }

  async update(actor: Actor, id: string, patch: { title?: string; description?: string | null; severity?: IncidentSeverity; commanderId?: string | null }): Promise<Incident> {
    if (patch.commanderId) await this.requireUser(patch.commanderId);
    return this.write(id, actor, 'incident.updated', async (trx) => {
      const cur = await this.load(trx, id);
      const set: Partial<Row> = { updated_at: this.clock.now() };
      const notes: string[] = [];
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.severity && patch.severity !== cur.severity) {
        set.severity = patch.severity;
        set.response_due_at = cur.detectedAt + RESPONSE_TARGET_MS[patch.severity];
        notes.push(`Severity ${cur.severity} → ${patch.severity}`);
      }
      if (patch.commanderId !== undefined && patch.commanderId !== cur.commanderId) {
        set.commander_id = patch.commanderId;
        notes.push(patch.commanderId ? `Commander set to ${patch.commanderId}` : 'Commander cleared');
      }
      await trx.updateTable('incidents').set(set).where('id', '=', id).execute();
      if (notes.length) await this.entry(trx, id, 'update', notes.join('; '), actor.id, patch);
    });
  }

  /** Moves to the next state of the workflow; any other target is refused with the expected one. */
  async transition(actor: Actor & { id: string }, id: string, to: IncidentState, note?: string): Promise<Incident> {
    return this.write(id, actor, to === 'resolved' ? 'incident.resolved' : 'incident.updated', async (trx) => {
      const cur = await this.load(trx, id);
      const expected = nextState(cur.state);
      if (to !== expected) {
        throw new AppError('conflict', expected ? `An incident in state ${cur.state} can only move to ${expected}` : `An incident in state ${cur.state} is closed`, { from: cur.state, to, expected });
      }
      const now = this.clock.now();
      const set: Partial<Row> = { state: to, updated_at: now };
      if (to === 'acknowledged') {
        set.acknowledged_at = now;
        if (!cur.commanderId) set.commander_id = actor.id;
      }
      if (to === 'resolved') set.resolved_at = now;
      if (to === 'reviewed') set.reviewed_at = now;
      await trx.updateTable('incidents').set(set).where('id', '=', id).execute();
      await this.entry(trx, id, 'state', `${cur.state} → ${to}${note ? `: ${note}` : ''}`, actor.id, { from: cur.state, to });
      await this.audit.record(actor, { action: `incident.${to}`, targetType: 'incident', targetId: id }, trx);
    });
  }

  async addNote(actor: Actor & { id: string }, id: string, body: string): Promise<Incident> {
    return this.write(id, actor, 'incident.updated', async (trx) => {
      await this.load(trx, id);
      await trx.updateTable('incidents').set({ updated_at: this.clock.now() }).where('id', '=', id).execute();
      await this.entry(trx, id, 'note', body, actor.id);
    });
  }

  async review(actor: Actor & { id: string }, id: string, input: { summary?: string; rootCause?: string; followUps?: string[] }): Promise<Incident> {
    return this.write(id, actor, 'incident.updated', async (trx) => {
      const cur = await this.load(trx, id);
      if (cur.state !== 'resolved' && cur.state !== 'reviewed') throw new AppError('conflict', 'The post-incident review is written once the incident is resolved');
      await trx
        .updateTable('incidents')
        .set({
          ...(input.summary !== undefined && { summary: input.summary }),
          ...(input.rootCause !== undefined && { root_cause: input.rootCause }),
          ...(input.followUps !== undefined && { follow_ups: JSON.stringify(input.followUps) }),
          updated_at: this.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await this.entry(trx, id, 'review', 'Post-incident review updated', actor.id, input);
    });
  }

  private async alertEvent(alert: Alert, body: string): Promise<void> {
    await this.write(alert.incidentId!, null, 'incident.updated', async (trx) => {
      await this.entry(trx, alert.incidentId!, 'alert', body, null, { alertId: alert.id, status: alert.status, severity: alert.severity });
    });
  }

  /** Raises an alert for each open incident past its response target without acknowledgement. */
  async checkResponseTargets(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.selectFrom('incidents').selectAll().where('state', '=', 'detected').where('response_breached', '=', 0).where('response_due_at', '<=', now).execute();
    for (const r of due) {
      await this.write(r.id, null, 'incident.updated', async (trx) => {
        await trx.updateTable('incidents').set({ response_breached: 1, updated_at: now }).where('id', '=', r.id).execute();
        await this.entry(trx, r.id, 'breach', `Response target missed: not acknowledged within ${Math.round(RESPONSE_TARGET_MS[r.severity as IncidentSeverity] / 60_000)} min`, null);
      });
      const [raised] = await this.alerts.raise([
        {
          source: 'incident',
          scope: 'incident-response',
          fingerprint: breachFingerprint(r.id),
          name: 'Incident response target missed',
          severity: r.severity as Severity,
          summary: `Incident "${r.title}" (${r.severity}) was not acknowledged within its response target`,
          labels: { incident: r.id },
        },
      ]);
      if (raised) await this.alerts.patch(raised.alert.id, { incident_id: r.id }, 'incident');
    }
    return due.length;
  }
}

function toIncident(r: Row, links: Database['incident_links'][]): Incident {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity as IncidentSeverity,
    state: r.state as IncidentState,
    commanderId: r.commander_id,
    createdBy: r.created_by,
    detectedAt: r.detected_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    reviewedAt: r.reviewed_at,
    responseDueAt: r.response_due_at,
    responseBreached: r.response_breached === 1,
    summary: r.summary,
    rootCause: r.root_cause,
    followUps: parseJson(r.follow_ups, []),
    links: links.map((l) => ({ kind: l.kind as LinkKind, refId: l.ref_id, at: l.at })),
    updatedAt: r.updated_at,
  };
}
