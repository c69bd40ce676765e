import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Alert, AttachmentUpload, OutboxCounts, OutboxItem, TicketChanges, TicketSummary } from '../../../shared/ipc';
import { httpError, type ApiClient, type ApiResponse } from '../api/api-client';
import { routePath } from '../api/route-forwarder';
import type { Cache } from '../cache/cache';
import type { OutboxRow } from '../cache/outbox-repo';
import { ticketFieldValue, toSummary } from '../cache/tickets-repo';
import { label, localAttachments, localTicketRow, newKey, toItem, truncate, type NewTicket } from './items';
import { mergeEdit, resolvedEdit, type UpdateBase, type UpdatePayload } from './merge';
import { commentRowFromServer, ticketRowFromServer, type TicketRow } from '../cache/records';
import { CoreError } from '../errors';
import type { Clock, Logger } from '../ports';
import { silentLogger } from '../ports';
import { replayInOrder } from './replay-loop';
import { ViewItems } from './view-items';
import { WriteBatcher, type Write } from './write-batcher';
import { alertLocally, restoreStatuses, sendAlertAction, sendSilence, silenceLocally, type SilenceRequest } from './alert-items';

/**
 * Offline writes. Each is applied to the cache and queued in the same transaction; `replay()`
 * sends them in order with their Idempotency-Key, so a crash or a retry never duplicates or loses
 * one. A 409 on a ticket edit is merged when the server changed other fields; when it changed the
 * same field the item waits for the user (keep mine / take theirs) with both values.
 * Events: 'changed' (OutboxCounts), 'tickets' (ids), 'alert' (Alert), 'views' (a view was saved on the server).
 */
export class Outbox extends EventEmitter {
  private replaying: Promise<void> | null = null;
  private localNumber = 0;
  private readonly writes: WriteBatcher;
  /** Saved views: written here, sent in order (view-items.ts). */
  readonly views: ViewItems;

  constructor(
    private readonly cache: Cache,
    private readonly api: ApiClient,
    private readonly clock: Clock,
    /** The signed-in user's id: items are written as, and only ever sent under, their author. */
    private readonly author: () => string | null,
    private readonly logger: Logger = silentLogger,
  ) {
    super();
    this.writes = new WriteBatcher(api);
    this.views = new ViewItems(cache, api, (kind, target, payload, summary) => this.insert(kind, target, payload, null, summary));
    // Sending rows left from a crash go back to pending: the idempotency key makes resending safe.
    cache.outbox.resetSending();
  }

  // ── enqueue (optimistic) ─────────────────────────────────────────────────────────────────────
  createTicket(input: NewTicket, me: { id: string } | null): TicketSummary {
    const id = `local-${randomUUID()}`;
    const now = this.clock.now();
    const number = this.nextLocalNumber();
    this.cache.transaction(() => {
      this.cache.tickets.upsertRow(localTicketRow(id, number, input, now));
      this.insert('ticket.create', id, { ...input, createdBy: me?.id ?? null }, null, `New ticket "${truncate(input.subject)}"`);
    });
    this.changed([id]);
    return toSummary(this.cache.tickets.row({ id })!);
  }

  comment(ticketId: string, body: string, internal: boolean, me: { id: string; name: string } | null, attachments: AttachmentUpload[] = []) {
    const ticket = this.requireTicket(ticketId);
    const id = `local-${randomUUID()}`;
    const now = this.clock.now();
    const files = localAttachments(attachments);
    this.cache.transaction(() => {
      this.cache.tickets.upsertComment({ id, ticket_id: ticketId, author_id: me?.id ?? null, author_name: me?.name ?? '', body, internal: internal ? 1 : 0, created_at: now, pending: 1, attachments: files });
      this.insert('ticket.comment', ticketId, { body, visibility: internal ? 'internal' : 'public', localId: id, attachments }, null, `${label(ticket)} ${internal ? 'note' : 'reply'}`);
      this.cache.tickets.saveDraft(ticketId, '', false, now);
      this.markTicket(ticketId);
    });
    this.changed([ticketId]);
    return this.cache.tickets.detail({ id: ticketId })!.comments.find((c) => c.id === id)!;
  }

  updateTickets(ticketIds: string[], changes: TicketChanges): TicketSummary[] {
    const out: TicketSummary[] = [];
    this.cache.transaction(() => {
      for (const ticketId of ticketIds) {
        const row = this.requireTicket(ticketId);
        const values: Record<string, unknown> = {};
        for (const field of Object.keys(changes)) values[field] = ticketFieldValue(row, field);
        const summary = Object.entries(changes).map(([f, v]) => `${f} → ${Array.isArray(v) ? v.join(', ') : String(v ?? 'none')}`).join(', ');
        this.insert('ticket.update', ticketId, { changes }, { version: row.version, values } satisfies UpdateBase, `${label(row)} ${summary}`);
        this.applyChanges(ticketId, changes as Record<string, unknown>);
        this.markTicket(ticketId);
        out.push(toSummary(this.cache.tickets.row({ id: ticketId })!));
      }
    });
    this.changed(ticketIds);
    return out;
  }

  alertAction(alertId: string, action: 'acknowledge' | 'resolve', me: { email: string } | null): Alert {
    const { before, updated } = alertLocally(this.cache, alertId, action, me, this.clock.now());
    const summary = `${action === 'acknowledge' ? 'Acknowledge' : 'Resolve'} "${truncate(before.title)}"`;
    return this.queueAlerts(`alert.${action}`, alertId, {}, { status: before.status }, summary, [updated])[0]!;
  }

  /** Silences a selection or group: shown silenced at once, sent as one POST /silences/bulk (alert-items.ts). */
  silenceAlerts(req: SilenceRequest): Alert[] {
    const { alerts, base } = silenceLocally(this.cache, req.ids);
    if (alerts.length === 0) throw new CoreError('not_found', 'None of these alerts is in the local cache');
    return this.queueAlerts('silence.bulk', req.ids[0]!, req, base, `Silence ${req.ids.length} alert${req.ids.length === 1 ? '' : 's'} for ${req.durationMinutes} min`, alerts);
  }

  /** Shows the alerts as changed (pending) and queues the item, in one cache transaction. */
  private queueAlerts(kind: string, targetId: string, payload: unknown, base: unknown, summary: string, alerts: Alert[]): Alert[] {
    this.cache.transaction(() => {
      for (const a of alerts) this.cache.upsertAlert(a, true);
      this.insert(kind, targetId, payload, base, summary);
    });
    const shown = alerts.map((a) => ({ ...a, pending: true }));
    for (const a of shown) this.emit('alert', a);
    this.emitCounts();
    return shown;
  }

  list(): OutboxItem[] {
    return this.cache.outbox.open(this.author()).map(toItem);
  }

  counts(): OutboxCounts {
    const by = this.cache.outbox.countsByState(this.author());
    return { pending: (by.pending ?? 0) + (by.sending ?? 0), failed: by.failed ?? 0, conflicts: by.conflict ?? 0 };
  }

  // ── user actions on items ────────────────────────────────────────────────────────────────────
  retry(id: number): OutboxItem {
    const row = this.row(id);
    if (row.state !== 'failed') throw new CoreError('conflict', 'Only failed items can be retried');
    this.cache.outbox.update(id, { state: 'pending', attempts: 0, error: null, idempotency_key: newKey() });
    this.emitCounts();
    return toItem(this.row(id));
  }

  /** Drops a failed or conflicting write and puts back what the server had. */
  discard(id: number): void {
    const row = this.row(id);
    if (row.state === 'sending') throw new CoreError('conflict', 'This item is being sent right now');
    this.cache.transaction(() => {
      this.cache.outbox.remove(id);
      if (row.kind === 'ticket.create') {
        this.cache.tickets.removeLocal(row.target_id);
        this.cache.outbox.removeForTarget(row.target_id);
      } else if (row.kind === 'ticket.comment') {
        this.cache.tickets.removeComment((JSON.parse(row.payload) as { localId: string }).localId);
        this.markTicket(row.target_id);
      } else if (row.kind.startsWith('view.')) {
        this.views.discard(row);
      } else if (row.kind === 'ticket.update') {
        const base = JSON.parse(row.base ?? '{}') as UpdateBase & { theirs?: Record<string, unknown> };
        this.applyChanges(row.target_id, { ...base.values, ...(base.theirs ?? {}) });
        this.rebase(row.target_id);
      } else if (row.kind === 'silence.bulk') {
        restoreStatuses(this.cache, row.base);
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
    this.cache.transaction(() => {
      const { patch, apply } = resolvedEdit(row, choice);
      if (patch) this.cache.outbox.update(id, patch);
      else this.cache.outbox.remove(id);
      if (apply) this.applyChanges(row.target_id, apply);
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

  private replayLoop(): Promise<void> {
    // Under this user's token only this user's items go out; another user's wait for them.
    return replayInOrder({
      concurrency: () => this.writes.concurrency,
      heads: (n) => this.cache.outbox.sendableHeads(n, this.author()),
      claim: (id) => {
        const row = this.cache.outbox.get(id)!;
        this.cache.outbox.markSending(row.id);
        return row;
      },
      send: (row) => this.sendOne(row),
    });
  }

  /** Sends one write of an item (batched with others started in the same turn). */
  private write(row: OutboxRow, route: Write['route'], params: Record<string, string> | undefined, body: unknown): Promise<ApiResponse<unknown>> {
    // The stored payload's length tells the batcher the body's size without serializing it again.
    return this.writes.write({ route, ...(params ? { params } : {}), body, idempotencyKey: row.idempotency_key }, row.payload.length);
  }

  /** Like write, but a non-2xx answer is thrown as the CoreError it stands for. */
  private async writeOk(row: OutboxRow, route: Write['route'], params: Record<string, string> | undefined, body: unknown): Promise<ApiResponse<unknown>> {
    const res = await this.write(row, route, params, body);
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
    return res;
  }

  /** Sends one item; false when replay should stop (offline, signed out, server trouble). */
  private async sendOne(row: OutboxRow): Promise<boolean> {
    try {
      await this.send(row);
      return true;
    } catch (err) {
      if (err instanceof CoreError && ['offline', 'session_revoked', 'not_signed_in', 'internal', 'rate_limited'].includes(err.code)) {
        // Transient or needs sign-in: keep the item pending; order is preserved.
        this.cache.outbox.releaseSending(row.id);
        this.emitCounts();
        return false;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn('outbox item failed', { id: row.id, kind: row.kind, message });
      this.cache.outbox.update(row.id, { state: 'failed', error: message });
      this.markTicket(row.target_id);
      this.emitCounts();
      return true;
    }
  }

  private async send(row: OutboxRow): Promise<void> {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    switch (row.kind) {
      case 'ticket.create': {
        const { createdBy: _createdBy, ...body } = payload;
        const res = await this.writeOk(row, 'tickets.create', undefined, body);
        const server = ticketRowFromServer(res.data);
        this.cache.transaction(() => {
          this.cache.tickets.remove(row.target_id);
          this.cache.tickets.upsertRow(server);
          this.cache.tickets.moveChildren(row.target_id, server.id);
          // Later edits of this ticket were based on the local copy; they now target the server's.
          for (const later of this.cache.outbox.othersFor(row.target_id, row.id)) {
            const base = later.kind === 'ticket.update' && later.base ? JSON.stringify({ ...(JSON.parse(later.base) as UpdateBase), version: server.version }) : later.base;
            this.cache.outbox.retarget(later.id, server.id, base);
          }
          this.done(row.id);
          this.rebase(server.id);
        });
        this.changed([row.target_id, server.id]);
        return;
      }
      case 'ticket.comment': {
        const res = await this.writeOk(row, 'tickets.comments.create', { id: row.target_id }, { body: payload.body, visibility: payload.visibility, attachments: payload.attachments ?? [] });
        const comment = commentRowFromServer(res.data);
        this.cache.transaction(() => {
          this.cache.tickets.removeComment(String(payload.localId));
          this.cache.tickets.upsertComment(comment);
          this.done(row.id);
          this.markTicket(row.target_id);
        });
        this.changed([row.target_id]);
        return;
      }
      case 'ticket.update':
        return this.sendUpdate(row, payload as UpdatePayload);
      case 'alert.acknowledge':
      case 'alert.resolve':
      case 'silence.bulk': {
        const done = () => this.done(row.id);
        const alerts = row.kind === 'silence.bulk' ? await sendSilence(this.api, this.cache, row, done) : [await sendAlertAction(this.api, this.cache, row, (route) => this.write(row, route, { id: row.target_id }, {}), done)];
        for (const a of alerts) this.emit('alert', a);
        this.emitCounts();
        return;
      }
      case 'view.save':
      case 'view.remove':
        await this.views.send(row);
        this.done(row.id);
        this.emit('views');
        this.emitCounts();
        return;
      default:
        throw new CoreError('internal', `Unknown outbox item ${row.kind}`);
    }
  }

  private async sendUpdate(row: OutboxRow, payload: UpdatePayload): Promise<void> {
    const base = JSON.parse(row.base ?? '{}') as UpdateBase;
    const path = routePath('tickets.update', { id: row.target_id });
    const res = await this.write(row, 'tickets.update', { id: row.target_id }, { ...payload.changes, version: base.version });
    if (res.status >= 200 && res.status < 300) {
      const server = ticketRowFromServer(res.data);
      this.cache.transaction(() => {
        this.cache.tickets.upsertRow(server);
        this.done(row.id);
        // Later edits made on top of this one were based on the same version: move them to the new one.
        for (const later of this.cache.outbox.pendingUpdatesAfter(row.target_id, row.id)) {
          const b = JSON.parse(later.base ?? '{}') as UpdateBase;
          if (b.version === base.version) this.cache.outbox.update(later.id, { base: JSON.stringify({ ...b, version: server.version }) });
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
    const { conflicts, remaining, theirs } = mergeEdit(payload.changes, base.values, current);
    this.cache.transaction(() => {
      this.cache.tickets.upsertRow(current);
      if (conflicts.length) {
        this.cache.outbox.update(row.id, { state: 'conflict', conflicts: JSON.stringify(conflicts), base: JSON.stringify({ ...base, theirs, theirsVersion: current.version }), error: 'Changed on the server too' });
      } else if (Object.keys(remaining).length === 0) {
        this.done(row.id);
      } else {
        const values = Object.fromEntries(Object.keys(remaining).map((f) => [f, ticketFieldValue(current, f)]));
        this.cache.outbox.update(row.id, { state: 'pending', payload: JSON.stringify({ changes: remaining }), base: JSON.stringify({ version: current.version, values }), idempotency_key: newKey() });
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
    for (const r of this.cache.outbox.unsentUpdates(ticketId)) this.applyChanges(ticketId, (JSON.parse(r.payload) as UpdatePayload).changes, false);
    this.markTicket(ticketId);
  }

  rebaseMany(ids: Iterable<string>): void {
    const withItems = this.cache.outbox.openTargets();
    for (const id of ids) if (withItems.has(id)) this.rebase(id);
  }

  private insert(kind: string, targetId: string, payload: unknown, base: unknown, summary: string): void {
    const author = this.author();
    if (!author) throw new CoreError('not_signed_in', 'Sign in to make changes: offline changes are sent as the person who made them');
    this.cache.outbox.insert({ author_id: author, idempotency_key: newKey(), kind, target_id: targetId, payload: JSON.stringify(payload), base: base === null ? null : JSON.stringify(base), summary, created_at: this.clock.now() });
  }

  private done(id: number): void {
    this.cache.outbox.remove(id);
  }

  private applyChanges(ticketId: string, changes: Record<string, unknown>, touch = true): void {
    this.cache.tickets.applyChanges(ticketId, changes, touch ? this.clock.now() : null);
  }

  private markTicket(ticketId: string): void {
    this.cache.tickets.setFlags(ticketId, this.cache.outbox.flags(ticketId));
  }

  private requireTicket(id: string): TicketRow {
    const row = this.cache.tickets.row({ id });
    if (!row) throw new CoreError('not_found', 'Ticket not found in the local cache');
    return row;
  }

  private row(id: number): OutboxRow {
    const row = this.cache.outbox.get(id);
    if (!row || row.author_id !== this.author()) throw new CoreError('not_found', 'No such outbox item');
    return row;
  }

  private nextLocalNumber(): number {
    if (this.localNumber === 0) {
      this.localNumber = Math.min(0, this.cache.tickets.minNumber());
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
