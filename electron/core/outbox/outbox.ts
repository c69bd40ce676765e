import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Alert, FieldConflict, OutboxCounts, OutboxItem, TicketChanges, TicketSummary } from '../../../shared/ipc';
import { PRIORITIES } from '../../../shared/ipc';
import { httpError, type ApiClient } from '../api/api-client';
import type { Cache, OutboxRow } from '../cache/cache';
import { toSummary } from '../cache/cache';
import { commentRowFromServer, parseAlert, ticketRowFromServer, type TicketRow } from '../cache/records';
import { CoreError } from '../errors';
import type { Clock, Logger } from '../ports';
import { silentLogger } from '../ports';

type UpdatePayload = { changes: Record<string, unknown> };

export const REPLAY_CONCURRENCY = 6;
type UpdateBase = { version: number; values: Record<string, unknown> };

const FIELD_COLUMNS: Record<string, keyof TicketRow> = { status: 'status', priority: 'priority', assigneeId: 'assignee_id', subject: 'subject' };

export interface NewTicket {
  queueId: string;
  subject: string;
  description: string;
  priority: TicketSummary['priority'];
  requester: { name: string; email: string };
  tags: string[];
}

/**
 * Offline writes. Each is applied to the cache and queued in the same transaction; `replay()`
 * sends them in order with their Idempotency-Key, so a crash or a retry never duplicates or loses
 * one. A 409 on a ticket edit is merged when the server changed other fields; when it changed the
 * same field the item waits for the user (keep mine / take theirs) with both values.
 * Events: 'changed' (OutboxCounts), 'tickets' (ids), 'alert' (Alert).
 */
export class Outbox extends EventEmitter {
  private replaying: Promise<void> | null = null;
  private localNumber = 0;

  constructor(
    private readonly cache: Cache,
    private readonly api: ApiClient,
    private readonly clock: Clock,
    private readonly logger: Logger = silentLogger,
  ) {
    super();
    // Sending rows left from a crash go back to pending: the idempotency key makes resending safe.
    cache.db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").run();
  }

  // ── enqueue (optimistic) ─────────────────────────────────────────────────────────────────────
  createTicket(input: NewTicket, me: { id: string } | null): TicketSummary {
    const id = `local-${randomUUID()}`;
    const now = this.clock.now();
    const number = this.nextLocalNumber();
    const row: TicketRow = {
      id, number, subject: input.subject, description: input.description, status: 'new', priority: input.priority, priority_rank: PRIORITIES.indexOf(input.priority),
      queue_id: input.queueId, requester: input.requester.name, requester_email: input.requester.email, assignee_id: null, tags: JSON.stringify(input.tags),
      created_at: now, updated_at: now, first_response_due_at: null, resolution_due_at: null, sla_state: 'none', version: 0, pending: 1, conflict: 0,
    };
    this.cache.transaction(() => {
      this.cache.upsertTicketRow(row);
      this.insert('ticket.create', id, { ...input, createdBy: me?.id ?? null }, null, `New ticket "${truncate(input.subject)}"`);
    });
    this.changed([id]);
    return toSummary(this.cache.ticketRow({ id })!);
  }

  comment(ticketId: string, body: string, internal: boolean, me: { id: string; name: string } | null) {
    const ticket = this.requireTicket(ticketId);
    const id = `local-${randomUUID()}`;
    const now = this.clock.now();
    this.cache.transaction(() => {
      this.cache.upsertCommentRow({ id, ticket_id: ticketId, author_id: me?.id ?? null, author_name: me?.name ?? '', body, internal: internal ? 1 : 0, created_at: now, pending: 1 });
      this.insert('ticket.comment', ticketId, { body, visibility: internal ? 'internal' : 'public', localId: id }, null, `${label(ticket)} ${internal ? 'note' : 'reply'}`);
      this.cache.saveDraft(ticketId, '', false, now);
      this.markTicket(ticketId);
    });
    this.changed([ticketId]);
    return { id, ticketId, authorId: me?.id ?? null, authorName: me?.name ?? '', body, internal, createdAt: now, pending: true };
  }

  updateTickets(ticketIds: string[], changes: TicketChanges): TicketSummary[] {
    const out: TicketSummary[] = [];
    this.cache.transaction(() => {
      for (const ticketId of ticketIds) {
        const row = this.requireTicket(ticketId);
        const values: Record<string, unknown> = {};
        for (const field of Object.keys(changes)) values[field] = currentValue(row, field);
        const summary = Object.entries(changes).map(([f, v]) => `${f} → ${Array.isArray(v) ? v.join(', ') : String(v ?? 'none')}`).join(', ');
        this.insert('ticket.update', ticketId, { changes }, { version: row.version, values } satisfies UpdateBase, `${label(row)} ${summary}`);
        this.applyChanges(ticketId, changes as Record<string, unknown>);
        this.markTicket(ticketId);
        out.push(toSummary(this.cache.ticketRow({ id: ticketId })!));
      }
    });
    this.changed(ticketIds);
    return out;
  }

  alertAction(alertId: string, action: 'acknowledge' | 'resolve', me: { email: string } | null): Alert {
    const alert = this.cache.alert(alertId);
    if (!alert) throw new CoreError('not_found', 'Alert not found in the local cache');
    const now = this.clock.now();
    const updated: Alert =
      action === 'acknowledge'
        ? { ...alert, status: alert.status === 'resolved' ? 'resolved' : 'acknowledged', acknowledgedAt: now, acknowledgedBy: me?.email ?? null }
        : { ...alert, status: 'resolved', resolvedAt: now };
    this.cache.transaction(() => {
      this.cache.upsertAlert(updated, true);
      this.insert(`alert.${action}`, alertId, {}, { status: alert.status }, `${action === 'acknowledge' ? 'Acknowledge' : 'Resolve'} "${truncate(alert.title)}"`);
    });
    this.emit('alert', { ...updated, pending: true });
    this.emitCounts();
    return { ...updated, pending: true };
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────
  list(): OutboxItem[] {
    return (this.cache.db.prepare("SELECT * FROM outbox WHERE state != 'done' ORDER BY id").all() as OutboxRow[]).map(toItem);
  }

  counts(): OutboxCounts {
    const rows = this.cache.db.prepare("SELECT state, count(*) AS n FROM outbox WHERE state != 'done' GROUP BY state").all() as { state: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    return { pending: (by.pending ?? 0) + (by.sending ?? 0), failed: by.failed ?? 0, conflicts: by.conflict ?? 0 };
  }

  // ── user actions on items ────────────────────────────────────────────────────────────────────
  retry(id: number): OutboxItem {
    const row = this.row(id);
    if (row.state !== 'failed') throw new CoreError('conflict', 'Only failed items can be retried');
    this.cache.db.prepare("UPDATE outbox SET state = 'pending', attempts = 0, error = NULL, idempotency_key = ? WHERE id = ?").run(newKey(), id);
    this.emitCounts();
    return toItem(this.row(id));
  }

  /** Drops a failed or conflicting write and puts back what the server had. */
  discard(id: number): void {
    const row = this.row(id);
    if (row.state === 'sending') throw new CoreError('conflict', 'This item is being sent right now');
    this.cache.transaction(() => {
      this.cache.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
      if (row.kind === 'ticket.create') {
        this.cache.db.prepare('DELETE FROM tickets WHERE id = ?').run(row.target_id);
        this.cache.db.prepare('DELETE FROM comments WHERE ticket_id = ?').run(row.target_id);
        this.cache.db.prepare('DELETE FROM outbox WHERE target_id = ?').run(row.target_id);
      } else if (row.kind === 'ticket.comment') {
        this.cache.db.prepare('DELETE FROM comments WHERE id = ?').run((JSON.parse(row.payload) as { localId: string }).localId);
        this.markTicket(row.target_id);
      } else if (row.kind === 'ticket.update') {
        const base = JSON.parse(row.base ?? '{}') as UpdateBase & { theirs?: Record<string, unknown> };
        this.applyChanges(row.target_id, { ...base.values, ...(base.theirs ?? {}) });
        this.rebase(row.target_id);
      } else {
        const a = this.cache.alert(row.target_id);
        if (a) this.cache.upsertAlert({ ...a, status: (JSON.parse(row.base ?? '{}') as { status: Alert['status'] }).status ?? a.status });
      }
    });
    this.changed([row.target_id]);
  }

  /** Same-field conflict: 'mine' re-sends my values over the server's version; 'theirs' keeps the server's. */
  resolveConflict(id: number, choice: 'mine' | 'theirs'): void {
    const row = this.row(id);
    if (row.state !== 'conflict') throw new CoreError('conflict', 'This item has no conflict to resolve');
    const base = JSON.parse(row.base ?? '{}') as UpdateBase & { theirs?: Record<string, unknown>; theirsVersion?: number };
    const payload = JSON.parse(row.payload) as UpdatePayload;
    const conflicts = JSON.parse(row.conflicts) as FieldConflict[];
    this.cache.transaction(() => {
      if (choice === 'mine') {
        const nextBase: UpdateBase = { version: base.theirsVersion ?? base.version, values: { ...base.values, ...(base.theirs ?? {}) } };
        this.cache.db
          .prepare("UPDATE outbox SET state = 'pending', conflicts = '[]', error = NULL, base = ?, idempotency_key = ?, attempts = 0 WHERE id = ?")
          .run(JSON.stringify(nextBase), newKey(), id);
      } else {
        const remaining = { ...payload.changes };
        for (const c of conflicts) delete remaining[c.field];
        if (Object.keys(remaining).length === 0) this.cache.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
        else
          this.cache.db
            .prepare("UPDATE outbox SET state = 'pending', conflicts = '[]', payload = ?, base = ?, idempotency_key = ?, attempts = 0 WHERE id = ?")
            .run(JSON.stringify({ changes: remaining }), JSON.stringify({ version: base.theirsVersion ?? base.version, values: { ...base.values, ...(base.theirs ?? {}) } }), newKey(), id);
        this.applyChanges(row.target_id, Object.fromEntries(conflicts.map((c) => [c.field, c.theirs])));
      }
      this.rebase(row.target_id);
    });
    this.changed([row.target_id]);
  }

  // ── replay ───────────────────────────────────────────────────────────────────────────────────
  /** Sends pending items in order until the queue is empty or the server is unreachable. Single-flight. */
  replay(): Promise<void> {
    this.replaying ??= this.replayLoop().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  /**
   * Items for different targets go out concurrently (up to REPLAY_CONCURRENCY); items for the same
   * ticket or alert keep their order, and anything aimed at a ticket still being created waits for it.
   */
  private async replayLoop(): Promise<void> {
    const inFlight = new Map<string, Promise<void>>();
    let stop = false;
    for (;;) {
      if (!stop) {
        const rows = this.cache.db.prepare("SELECT * FROM outbox WHERE state IN ('pending', 'sending') ORDER BY id LIMIT 200").all() as OutboxRow[];
        const blocked = new Set(inFlight.keys());
        for (const row of rows) {
          if (inFlight.size >= REPLAY_CONCURRENCY) break;
          if (blocked.has(row.target_id) || row.state !== 'pending') {
            blocked.add(row.target_id);
            continue;
          }
          blocked.add(row.target_id);
          this.cache.db.prepare("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?").run(row.id);
          const task = this.sendOne(row).then((ok) => {
            if (!ok) stop = true;
          });
          inFlight.set(
            row.target_id,
            task.finally(() => inFlight.delete(row.target_id)),
          );
        }
      }
      if (inFlight.size === 0) return;
      await Promise.race(inFlight.values());
    }
  }

  /** Sends one item; false when replay should stop (offline, signed out, server trouble). */
  private async sendOne(row: OutboxRow): Promise<boolean> {
    try {
      await this.send(row);
      return true;
    } catch (err) {
      if (err instanceof CoreError && ['offline', 'session_revoked', 'not_signed_in', 'internal', 'rate_limited'].includes(err.code)) {
        // Transient or needs sign-in: keep the item pending; order is preserved.
        this.cache.db.prepare("UPDATE outbox SET state = 'pending' WHERE id = ? AND state = 'sending'").run(row.id);
        this.emitCounts();
        return false;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn('outbox item failed', { id: row.id, kind: row.kind, message });
      this.cache.db.prepare("UPDATE outbox SET state = 'failed', error = ? WHERE id = ?").run(message, row.id);
      this.markTicket(row.target_id);
      this.emitCounts();
      return true;
    }
  }

  private async send(row: OutboxRow): Promise<void> {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const key = row.idempotency_key;
    switch (row.kind) {
      case 'ticket.create': {
        const { createdBy: _createdBy, ...body } = payload;
        const res = await this.api.request('POST', '/api/v1/tickets', { body, idempotencyKey: key });
        const server = ticketRowFromServer(res.data);
        this.cache.transaction(() => {
          this.cache.db.prepare('DELETE FROM tickets WHERE id = ?').run(row.target_id);
          this.cache.upsertTicketRow(server);
          this.cache.db.prepare('UPDATE comments SET ticket_id = ? WHERE ticket_id = ?').run(server.id, row.target_id);
          this.cache.db.prepare('UPDATE drafts SET ticket_id = ? WHERE ticket_id = ?').run(server.id, row.target_id);
          // Later edits of this ticket were based on the local copy; they now target the server's.
          for (const later of this.cache.db.prepare("SELECT id, kind, base FROM outbox WHERE target_id = ? AND id != ?").all(row.target_id, row.id) as OutboxRow[]) {
            const base = later.kind === 'ticket.update' && later.base ? JSON.stringify({ ...(JSON.parse(later.base) as UpdateBase), version: server.version }) : later.base;
            this.cache.db.prepare('UPDATE outbox SET target_id = ?, base = ? WHERE id = ?').run(server.id, base, later.id);
          }
          this.done(row.id);
          this.rebase(server.id);
        });
        this.changed([row.target_id, server.id]);
        return;
      }
      case 'ticket.comment': {
        const res = await this.api.request('POST', `/api/v1/tickets/${encodeURIComponent(row.target_id)}/comments`, { body: { body: payload.body, visibility: payload.visibility }, idempotencyKey: key });
        const comment = commentRowFromServer(res.data);
        this.cache.transaction(() => {
          this.cache.db.prepare('DELETE FROM comments WHERE id = ?').run(payload.localId);
          this.cache.upsertCommentRow(comment);
          this.done(row.id);
          this.markTicket(row.target_id);
        });
        this.changed([row.target_id]);
        return;
      }
      case 'ticket.update':
        return this.sendUpdate(row, payload as UpdatePayload);
      case 'alert.acknowledge':
      case 'alert.resolve': {
        const action = row.kind === 'alert.acknowledge' ? 'ack' : 'resolve';
        const res = await this.api.send('POST', `/api/v1/alerts/${encodeURIComponent(row.target_id)}/${action}`, { body: {}, idempotencyKey: key });
        let data = res.data;
        if (res.status === 409) data = (await this.api.request('GET', `/api/v1/alerts/${encodeURIComponent(row.target_id)}`)).data;
        else if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
        const alert = parseAlert(data);
        this.cache.transaction(() => {
          this.cache.upsertAlert(alert);
          this.done(row.id);
        });
        this.emit('alert', alert);
        this.emitCounts();
        return;
      }
      default:
        throw new CoreError('internal', `Unknown outbox item ${row.kind}`);
    }
  }

  private async sendUpdate(row: OutboxRow, payload: UpdatePayload): Promise<void> {
    const base = JSON.parse(row.base ?? '{}') as UpdateBase;
    const path = `/api/v1/tickets/${encodeURIComponent(row.target_id)}`;
    const res = await this.api.send('PATCH', path, { body: { ...payload.changes, version: base.version }, idempotencyKey: row.idempotency_key });
    if (res.status >= 200 && res.status < 300) {
      const server = ticketRowFromServer(res.data);
      this.cache.transaction(() => {
        this.cache.upsertTicketRow(server);
        this.done(row.id);
        // Later edits made on top of this one were based on the same version: move them to the new one.
        for (const later of this.cache.db
          .prepare("SELECT id, base FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state = 'pending' AND id > ?")
          .all(row.target_id, row.id) as OutboxRow[]) {
          const b = JSON.parse(later.base ?? '{}') as UpdateBase;
          if (b.version === base.version) this.cache.db.prepare('UPDATE outbox SET base = ? WHERE id = ?').run(JSON.stringify({ ...b, version: server.version }), later.id);
        }
        this.rebase(row.target_id);
      });
      this.changed([row.target_id]);
      return;
    }
    if (res.status !== 409) throw httpError(res.status, res.data);

    // Someone else changed the ticket since this edit was made: merge field by field. The 409 carries
    // the current ticket; older servers may not, so fall back to reading it.
    const inline = (res.data as { details?: { current?: unknown } } | null)?.details?.current;
    const current = ticketRowFromServer(inline ?? (await this.api.request('GET', path)).data);
    const conflicts: FieldConflict[] = [];
    const remaining: Record<string, unknown> = {};
    const theirs: Record<string, unknown> = {};
    for (const [field, mine] of Object.entries(payload.changes)) {
      const serverValue = currentValue(current, field);
      theirs[field] = serverValue;
      if (same(serverValue, mine)) continue; // already what I wanted
      if (same(serverValue, base.values[field])) remaining[field] = mine; // they did not touch it
      else conflicts.push({ field, mine, theirs: serverValue });
    }
    this.cache.transaction(() => {
      this.cache.upsertTicketRow(current);
      if (conflicts.length) {
        this.cache.db
          .prepare("UPDATE outbox SET state = 'conflict', conflicts = ?, base = ?, error = ? WHERE id = ?")
          .run(JSON.stringify(conflicts), JSON.stringify({ ...base, theirs, theirsVersion: current.version }), 'Changed on the server too', row.id);
      } else if (Object.keys(remaining).length === 0) {
        this.done(row.id);
      } else {
        const values = Object.fromEntries(Object.keys(remaining).map((f) => [f, currentValue(current, f)]));
        this.cache.db
          .prepare("UPDATE outbox SET state = 'pending', payload = ?, base = ?, idempotency_key = ? WHERE id = ?")
          .run(JSON.stringify({ changes: remaining }), JSON.stringify({ version: current.version, values }), newKey(), row.id);
      }
      this.rebase(row.target_id);
    });
    this.changed([row.target_id]);
  }

  /**
   * Lays the still-unsent edits of a ticket over its server row (after sync or a reply), and sets
   * the pending/conflict flags. Runs inside the caller's transaction.
   */
  rebase(ticketId: string): void {
    const rows = this.cache.db.prepare("SELECT * FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state IN ('pending', 'sending', 'conflict') ORDER BY id").all(ticketId) as OutboxRow[];
    for (const r of rows) this.applyChanges(ticketId, (JSON.parse(r.payload) as UpdatePayload).changes, false);
    this.markTicket(ticketId);
  }

  rebaseMany(ids: Iterable<string>): void {
    const withItems = new Set((this.cache.db.prepare("SELECT DISTINCT target_id FROM outbox WHERE state != 'done'").all() as { target_id: string }[]).map((r) => r.target_id));
    for (const id of ids) if (withItems.has(id)) this.rebase(id);
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────
  private insert(kind: string, targetId: string, payload: unknown, base: unknown, summary: string): void {
    this.cache.db
      .prepare('INSERT INTO outbox (idempotency_key, kind, target_id, payload, base, summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(newKey(), kind, targetId, JSON.stringify(payload), base === null ? null : JSON.stringify(base), summary, this.clock.now());
  }

  private done(id: number): void {
    this.cache.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  }

  private applyChanges(ticketId: string, changes: Record<string, unknown>, touch = true): void {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id: ticketId };
    for (const [field, value] of Object.entries(changes)) {
      if (field === 'tags') {
        sets.push('tags = @tags');
        params.tags = JSON.stringify(value ?? []);
      } else if (field === 'priority') {
        sets.push('priority = @priority', 'priority_rank = @rank');
        params.priority = value;
        params.rank = PRIORITIES.indexOf(value as never);
      } else if (FIELD_COLUMNS[field]) {
        sets.push(`${FIELD_COLUMNS[field]} = @${field}`);
        params[field] = value ?? null;
      }
    }
    if (touch) {
      sets.push('updated_at = @now');
      params.now = this.clock.now();
    }
    if (sets.length) this.cache.db.prepare(`UPDATE tickets SET ${sets.join(', ')} WHERE id = @id`).run(params);
  }

  private markTicket(ticketId: string): void {
    const r = this.cache.db
      .prepare("SELECT sum(state IN ('pending', 'sending', 'failed', 'conflict')) AS p, sum(state = 'conflict') AS c FROM outbox WHERE target_id = ?")
      .get(ticketId) as { p: number | null; c: number | null };
    this.cache.db.prepare('UPDATE tickets SET pending = ?, conflict = ? WHERE id = ?').run((r.p ?? 0) > 0 ? 1 : 0, (r.c ?? 0) > 0 ? 1 : 0, ticketId);
  }

  private requireTicket(id: string): TicketRow {
    const row = this.cache.ticketRow({ id });
    if (!row) throw new CoreError('not_found', 'Ticket not found in the local cache');
    return row;
  }

  private row(id: number): OutboxRow {
    const row = this.cache.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    if (!row) throw new CoreError('not_found', 'No such outbox item');
    return row;
  }

  private nextLocalNumber(): number {
    if (this.localNumber === 0) {
      const min = (this.cache.db.prepare('SELECT min(number) AS m FROM tickets').get() as { m: number | null }).m ?? 0;
      this.localNumber = Math.min(0, min);
    }
    return --this.localNumber;
  }

  private changed(ids: string[]): void {
    this.emit('tickets', ids);
    this.emitCounts();
  }

  private emitCounts(): void {
    this.emit('changed', this.counts());
  }
}

function currentValue(row: TicketRow, field: string): unknown {
  if (field === 'tags') return JSON.parse(row.tags) as unknown;
  const col = FIELD_COLUMNS[field];
  return col ? row[col] : undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    kind: r.kind as OutboxItem['kind'],
    targetId: r.target_id,
    summary: r.summary,
    state: r.state === 'done' ? 'pending' : r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    error: r.error,
    conflicts: JSON.parse(r.conflicts) as FieldConflict[],
  };
}

const newKey = () => `odk-${randomUUID()}`;
const truncate = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const label = (t: { number: number }) => (t.number > 0 ? `#${t.number}` : 'New ticket');
