import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Alert, AlertNote, AlertQuery, Severity } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { DialectName } from '../platform/db/dialect';
import type { Database } from '../platform/db/schema';
import { decodeCursor, encodeCursor } from '../platform/http/cursor';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { timeOrderedUuid, uuid } from '../platform/ids';
import type { EventHub } from '../platform/realtime/event-hub';
import { AlertChanges } from './alert-changes';
import type { SilenceService } from '../silences/silence-service';
import type { ChangeFeed } from '../sync/change-feed';
import { ACTIVE, OPEN, matchLabels, toAlert, type AlertListeners, type RaiseInput, type RaiseOutcome, type Row } from './alert-model';
import { canonicalLabels, fingerprintOf, parseJson, type LabelSet } from './labels';

export { toAlert, matchLabels, type RaiseInput, type RaiseOutcome, type AlertListeners } from './alert-model';

/**
 * The alert lifecycle: firing → acknowledged → resolved, dedup by fingerprint (one open alert per
 * fingerprint; repeats bump its count and last value), notes, silencing. Writes record the change
 * feed in their transaction and, after commit, are announced by one coalesced `alert.changes`
 * event (AlertChanges), never a broadcast of each alert.
 */
export class AlertService {
  readonly listeners: AlertListeners = { fired: [], resolved: [], updated: [] };
  private readonly changed: AlertChanges;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly changes: ChangeFeed,
    events: EventHub,
    private readonly silences: SilenceService,
    private readonly audit: AuditLog,
    private readonly dialect: DialectName,
    /**
     * Which escalation policy a new alert follows and when its first step is due, relative to now
     * (null: no later step), so level 0 is recorded in the insert itself. Read once per batch.
     */
    private readonly escalationPlanner: () => Promise<(labels: LabelSet) => { policyId: string; delayMs: number | null }>,
  ) {
    this.changed = new AlertChanges(events, clock);
  }

  /** Fires new alerts or deduplicates into open ones, all in one transaction (a webhook's batch). */
  async raise(inputs: RaiseInput[], actor: Actor | null = null): Promise<RaiseOutcome[]> {
    if (inputs.length === 0) return [];
    const now = this.clock.now();
    const out: (RaiseOutcome & { seq: number; what: string })[] = [];
    const plan = await this.escalationPlanner();
    // Two senders racing to open the same fingerprint on PostgreSQL: the loser hits the unique
    // index on open fingerprints and retries, finding the winner's alert to dedup into.
    for (let attempt = 1; ; attempt++) {
      out.length = 0;
      try {
        await this.raiseIn(inputs, actor, now, plan, out);
        break;
      } catch (err) {
        if (attempt >= 3 || !/unique|duplicate key/i.test((err as Error).message)) throw err;
      }
    }
    this.announce(out);
    for (const o of out) {
      if (o.kind === 'fired') for (const l of this.listeners.fired) l(o.alert);
      else for (const l of this.listeners.updated) l(o.alert, o.what);
    }
    return out.map(({ alert, kind }) => ({ alert, kind }));
  }

  private async raiseIn(inputs: RaiseInput[], actor: Actor | null, now: number, plan: (labels: LabelSet) => { policyId: string; delayMs: number | null }, out: (RaiseOutcome & { seq: number; what: string })[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Feed lock before any row lock (ChangeFeed.lock): the batch's inserts come after its feed
      // records, and an insert waiting on a row another raise is updating must not hold the lock.
      await this.changes.lock(trx);
      const fingerprints = inputs.map((i) => i.fingerprint ?? fingerprintOf(i.scope, i.labels));
      // One read for the whole batch; rows opened earlier in this batch are tracked as they are written.
      const openRows = new Map<string, Row>();
      // New alerts are inserted together after the loop; a repeat of one within the batch updates it in memory.
      const inserts = new Map<string, Row>();
      for (let i = 0; i < fingerprints.length; i += 500) {
        const rows = await trx.selectFrom('alerts').selectAll().where('fingerprint', 'in', fingerprints.slice(i, i + 500)).where(OPEN).execute();
        for (const r of rows) openRows.set(r.fingerprint, r);
      }
      for (const [index, input] of inputs.entries()) {
        const fingerprint = fingerprints[index]!;
        const open = openRows.get(fingerprint);
        if (open) {
          const severityChanged = open.severity !== input.severity;
          const unwritten = inserts.get(fingerprint);
          const patch = {
            last_seen_at: now,
            value: input.value ?? null,
            severity: input.severity,
            summary: input.summary ?? open.summary,
            description: input.description ?? open.description,
            annotations: input.annotations ? canonicalLabels(input.annotations) : open.annotations,
            ends_at: input.endsAt ?? null,
            updated_at: now,
          };
          let updated: Row;
          if (unwritten) {
            updated = { ...unwritten, ...patch, count: unwritten.count + 1 };
            inserts.set(fingerprint, updated);
          } else {
            // count + 1 in SQL: concurrent repeats on PostgreSQL must not lose increments.
            updated = await trx
              .updateTable('alerts')
              .set({ ...patch, count: sql<number>`count + 1` })
              .where('id', '=', open.id)
              .returningAll()
              .executeTakeFirstOrThrow();
          }
          openRows.set(fingerprint, updated);
          out.push({ alert: toAlert(updated), kind: 'updated', seq: 0, what: severityChanged ? 'severity' : 'repeat' });
          continue;
        }
        const silenceId = await this.silences.match(matchLabels(input), trx);
        const step = plan(matchLabels(input));
        const row: Row = {
          id: timeOrderedUuid(),
          fingerprint,
          source: input.source,
          rule_id: input.ruleId ?? null,
          name: input.name,
          severity: input.severity,
          status: 'firing',
          summary: input.summary ?? input.name,
          description: input.description ?? null,
          labels: canonicalLabels(input.labels),
          annotations: canonicalLabels(input.annotations ?? {}),
          value: input.value ?? null,
          count: 1,
          starts_at: input.startsAt ?? now,
          last_seen_at: now,
          acked_at: null,
          acked_by: null,
          resolved_at: null,
          resolved_by: null,
          resolve_reason: null,
          silenced: silenceId ? 1 : 0,
          silence_id: silenceId,
          generator_url: input.generatorUrl ?? null,
          escalation_level: silenceId ? -1 : 0,
          next_escalation_at: silenceId || step.delayMs === null ? null : now + step.delayMs,
          incident_id: null,
          created_at: now,
          updated_at: now,
          policy_id: step.policyId,
          escalation_round: 0,
          owner_id: null,
          owner_name: null,
          owned_at: null,
          ack_expires_at: null,
          ends_at: input.endsAt ?? null,
        };
        inserts.set(fingerprint, row);
        openRows.set(fingerprint, row);
        out.push({ alert: toAlert(row), kind: 'fired', seq: 0, what: 'fired' });
      }
      // One statement per 100 new alerts and one per 500 feed records instead of one each (a webhook's batch).
      const rows = [...inserts.values()];
      for (let i = 0; i < rows.length; i += 100) await trx.insertInto('alerts').values(rows.slice(i, i + 100)).execute();
      const seqs = await this.changes.recordMany(trx, out.map((o) => ({ entity: 'alert', id: o.alert.id, op: 'upsert', audience: { kind: 'oncall' }, data: o.alert, actorId: actor?.id ?? null })));
      out.forEach((o, i) => (o.seq = seqs[i]!));
    });
  }

  /** Resolves the open alerts with these fingerprints (condition cleared, or the sender said so). */
  async resolveFingerprints(fingerprints: string[], reason: string, actor: Actor | null = null): Promise<Alert[]> {
    if (fingerprints.length === 0) return [];
    const rows = await this.db.selectFrom('alerts').selectAll().where('fingerprint', 'in', fingerprints).where(OPEN).execute();
    return this.resolveRows(rows, reason, actor);
  }

  async resolve(actor: Actor, id: string, reason?: string): Promise<Alert> {
    const row = await this.row(id);
    if (row.status === 'resolved') throw new AppError('conflict', 'Alert is already resolved');
    const [alert] = await this.resolveRows([row], reason ?? 'resolved by hand', actor);
    return alert!;
  }

  private async resolveRows(rows: Row[], reason: string, actor: Actor | null): Promise<Alert[]> {
    if (rows.length === 0) return [];
    const now = this.clock.now();
    const out: { alert: Alert; seq: number }[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const patch = { status: 'resolved', resolved_at: now, resolved_by: actor?.id ?? null, resolve_reason: reason, next_escalation_at: null, ack_expires_at: null, updated_at: now };
        const res = await trx.updateTable('alerts').set(patch).where('id', '=', row.id).where('status', 'in', ACTIVE).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) continue;
        const alert = toAlert({ ...row, ...patch });
        if (actor?.id) await this.audit.record(actor, { action: 'alert.resolved', targetType: 'alert', targetId: row.id, details: { reason } }, trx);
        const seq = await this.changes.record(trx, { entity: 'alert', id: row.id, op: 'upsert', audience: { kind: 'oncall' }, data: alert, actorId: actor?.id ?? null });
        out.push({ alert, seq });
      }
    });
    this.announce(out);
    for (const o of out) for (const l of this.listeners.resolved) l(o.alert);
    return out.map((o) => o.alert);
  }

  /** Acknowledging records who and when, and stops escalation; an alert nobody owns yet becomes the acknowledger's. */
  async acknowledge(actor: Actor & { id: string }, id: string): Promise<Alert> {
    const row = await this.row(id);
    if (row.status === 'resolved') throw new AppError('conflict', 'Alert is already resolved');
    if (row.status === 'acknowledged') return toAlert(row);
    const now = this.clock.now();
    const owner = row.owner_id ? null : await this.db.selectFrom('users').select('name').where('id', '=', actor.id).executeTakeFirst();
    const patch = { status: 'acknowledged', acked_at: now, acked_by: actor.id, next_escalation_at: null, updated_at: now, ...(owner && { owner_id: actor.id, owner_name: owner.name, owned_at: now }) };
    return this.update(row, patch, actor, 'acknowledged', async (trx) => {
      await this.audit.record(actor, { action: 'alert.acknowledged', targetType: 'alert', targetId: id }, trx);
    });
  }

  /** Open alerts whose sender's end time (Alertmanager's endsAt) passed without a repeat: resolved (the alert tick). */
  async resolveEnded(): Promise<number> {
    const rows = await this.db.selectFrom('alerts').selectAll().where('status', 'in', ACTIVE).where('ends_at', 'is not', null).where('ends_at', '<=', this.clock.now()).limit(500).execute();
    return (await this.resolveRows(rows, 'endsAt passed without a resolved message', null)).length;
  }

  /** "I'm on it": the caller owns the alert, everyone sees it, and escalation pages only the owner from now on. */
  async own(actor: Actor & { id: string }, id: string): Promise<Alert> {
    const row = await this.row(id);
    if (row.status === 'resolved') throw new AppError('conflict', 'Alert is already resolved');
    if (row.owner_id === actor.id) return toAlert(row);
    const user = await this.db.selectFrom('users').select('name').where('id', '=', actor.id).executeTakeFirstOrThrow();
    const now = this.clock.now();
    return this.update(row, { owner_id: actor.id, owner_name: user.name, owned_at: now, updated_at: now }, actor, 'owned', async (trx) => {
      await this.audit.record(actor, { action: 'alert.owned', targetType: 'alert', targetId: id, details: { previousOwner: row.owner_id } }, trx);
    });
  }

  async addNote(actor: Actor & { id: string }, id: string, body: string): Promise<AlertNote> {
    const row = await this.row(id);
    const now = this.clock.now();
    const note = { id: uuid(), alert_id: id, author_id: actor.id, body, at: now };
    await this.update(row, { updated_at: now }, actor, 'note', async (trx) => {
      await trx.insertInto('alert_notes').values(note).execute();
    });
    return { id: note.id, alertId: id, authorId: note.author_id, body, at: now };
  }

  async notes(id: string): Promise<AlertNote[]> {
    const rows = await this.db.selectFrom('alert_notes').selectAll().where('alert_id', '=', id).orderBy('at').execute();
    return rows.map((n) => ({ id: n.id, alertId: n.alert_id, authorId: n.author_id, body: n.body, at: n.at }));
  }

  /** A system change to an open alert (escalation step, silence state, incident link). */
  async patch(id: string, patch: Partial<Row>, what: string, trxWork?: (trx: Kysely<Database>) => Promise<void>): Promise<Alert> {
    const row = await this.row(id);
    return this.update(row, { ...patch, updated_at: this.clock.now() }, null, what, trxWork);
  }

  private async update(row: Row, patch: Partial<Row>, actor: Actor | null, what: string, trxWork?: (trx: Kysely<Database>) => Promise<void>): Promise<Alert> {
    const alert = toAlert({ ...row, ...patch });
    const seq = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('alerts').set(patch).where('id', '=', row.id).execute();
      await trxWork?.(trx);
      return this.changes.record(trx, { entity: 'alert', id: row.id, op: 'upsert', audience: { kind: 'oncall' }, data: alert, actorId: actor?.id ?? null });
    });
    this.announce([{ seq }]);
    for (const l of this.listeners.updated) l(alert, what);
    return alert;
  }

  /**
   * Re-applies silences to open alerts after silences change or expire. Returns alerts whose state
   * flipped. Matching reads only the columns it needs; the flips are written in one transaction.
   */
  async reapplySilences(): Promise<Alert[]> {
    this.silences.refresh();
    const open = await this.db.selectFrom('alerts').select(['id', 'name', 'severity', 'labels', 'silence_id']).where(sql<SqlBool>`status <> 'resolved'`).execute();
    const flips = new Map<string | null, string[]>();
    for (const r of open) {
      const silenceId = (await this.silences.match(matchLabels({ name: r.name, severity: r.severity, labels: parseJson(r.labels, {}) }))) ?? null;
      if (silenceId === r.silence_id) continue;
      flips.set(silenceId, [...(flips.get(silenceId) ?? []), r.id]);
    }
    if (flips.size === 0) return [];
    const now = this.clock.now();
    const out: { alert: Alert; seq: number; what: string }[] = [];
    await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      for (const [silenceId, ids] of flips) {
        const patch = { silenced: silenceId ? 1 : 0, silence_id: silenceId, updated_at: now };
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          const rows = await trx.updateTable('alerts').set(patch).where('id', 'in', chunk).where(sql<SqlBool>`status <> 'resolved'`).returningAll().execute();
          for (const row of rows) {
            const alert = toAlert(row);
            const seq = await this.changes.record(trx, { entity: 'alert', id: row.id, op: 'upsert', audience: { kind: 'oncall' }, data: alert, actorId: null });
            out.push({ alert, seq, what: silenceId ? 'silenced' : 'unsilenced' });
          }
        }
      }
    });
    this.announce(out);
    for (const o of out) for (const l of this.listeners.updated) l(o.alert, o.what);
    return out.map((o) => o.alert);
  }

  /** Records the latest value of an open alert quietly (no feed entry or event): rule re-evaluations. */
  async touch(id: string, value: number): Promise<void> {
    await this.db.updateTable('alerts').set({ value, last_seen_at: this.clock.now() }).where('id', '=', id).where('status', '<>', 'resolved').execute();
  }

  async get(id: string): Promise<Alert> {
    return toAlert(await this.row(id));
  }

  async row(id: string): Promise<Row> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Alert');
    return row;
  }

  async openByFingerprint(fingerprint: string): Promise<Alert | null> {
    const row = await this.db.selectFrom('alerts').selectAll().where('fingerprint', '=', fingerprint).where(OPEN).executeTakeFirst();
    return row ? toAlert(row) : null;
  }

  /** How many alerts of a severity are open (firing or acknowledged). */
  async openCount(severity: Severity): Promise<number> {
    const r = await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('severity', '=', severity).where('status', 'in', ACTIVE).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Every open alert, whatever its source (the monitoring overview's warnings). */
  async openAlerts(): Promise<Alert[]> {
    return (await this.db.selectFrom('alerts').selectAll().where(sql<SqlBool>`status <> 'resolved'`).execute()).map(toAlert);
  }

  async openByRule(): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().where('source', '=', 'rule').where(sql<SqlBool>`status <> 'resolved'`).execute();
    return rows.map(toAlert);
  }

  async list(query: AlertQuery): Promise<{ items: Alert[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('alerts').selectAll();
    if (query.status?.length) {
      const statuses = [...new Set(query.status.flatMap((s) => (s === 'active' ? ACTIVE : [s])))];
      // "Open" is written as status <> 'resolved' so both databases walk the partial index alerts_open_order.
      q = statuses.length === 2 && statuses.every((x) => ACTIVE.includes(x)) ? q.where(sql<SqlBool>`status <> 'resolved'`) : q.where('status', 'in', statuses);
    }
    if (query.severity?.length) q = q.where('severity', 'in', query.severity);
    if (query.source?.length) q = q.where('source', 'in', query.source);
    if (query.silenced !== undefined) q = q.where('silenced', '=', query.silenced ? 1 : 0);
    for (const f of query.label ?? []) {
      const i = f.indexOf('=');
      const fragment = JSON.stringify({ [f.slice(0, i)]: f.slice(i + 1) }).slice(1, -1);
      q = q.where(like(sql.ref('labels'), `%${escapeLike(fragment)}%`));
    }
    if (query.q) {
      const needle = `%${escapeLike(query.q.toLowerCase())}%`;
      // SQLite's LIKE already ignores ASCII case (its lower() does no more), and the bare columns
      // can be matched inside the alerts_open_order index (migration 0023).
      const text = (column: 'name' | 'summary') => (this.dialect === 'sqlite' ? sql.ref(column) : sql`lower(${sql.ref(column)})`);
      q = q.where((eb) => eb.or([like(text('name'), needle), like(text('summary'), needle)]));
    }
    if (query.from !== undefined) q = q.where('starts_at', '>=', query.from);
    if (query.to !== undefined) q = q.where('starts_at', '<', query.to);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['number', 'string']) as [number, string];
      q = q.where((eb) => eb.or([eb('starts_at', '<', at), eb.and([eb('starts_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toAlert), nextCursor: rows.length > query.limit && last ? encodeCursor([last.starts_at, last.id]) : null };
  }

  /** Committed feed records of alerts: announced together (`alert.changes`, up to the highest sequence). */
  private announce(written: { seq: number }[]): void {
    if (written.length) this.changed.changed(Math.max(...written.map((w) => w.seq)), written.length);
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** LIKE with backslash as the escape character on both dialects. */
function like(expr: RawBuilder<unknown>, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${expr} like ${pattern} escape '\\'`;
}
