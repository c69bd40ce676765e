import type { Sql } from './sql';

export type OutboxState = 'pending' | 'sending' | 'failed' | 'conflict' | 'done';

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  kind: string;
  target_id: string;
  payload: string;
  base: string | null;
  summary: string;
  state: OutboxState;
  attempts: number;
  error: string | null;
  conflicts: string;
  created_at: number;
  /** Who wrote it: it is only ever sent, listed and counted while this user is signed in. */
  author_id: string | null;
}

/** The columns an item's update may set. */
export type OutboxPatch = Partial<Pick<OutboxRow, 'state' | 'payload' | 'base' | 'idempotency_key' | 'attempts' | 'error' | 'conflicts'>>;
const PATCHABLE = new Set<keyof OutboxPatch>(['state', 'payload', 'base', 'idempotency_key', 'attempts', 'error', 'conflicts']);

export type NewOutboxItem = Pick<OutboxRow, 'idempotency_key' | 'kind' | 'target_id' | 'payload' | 'base' | 'summary' | 'created_at'> & { author_id: string };

const INSERT_ROW =
  'INSERT INTO outbox (idempotency_key, kind, target_id, payload, base, summary, state, attempts, error, conflicts, created_at, author_id) VALUES (@idempotency_key, @kind, @target_id, @payload, @base, @summary, @state, @attempts, @error, @conflicts, @created_at, @author_id)';

/** The outbox table: local writes waiting to be sent, in order. */
export class OutboxRepo {
  constructor(private readonly sql: Sql) {}

  insert(item: NewOutboxItem): void {
    this.sql.stmt('INSERT INTO outbox (idempotency_key, kind, target_id, payload, base, summary, created_at, author_id) VALUES (@idempotency_key, @kind, @target_id, @payload, @base, @summary, @created_at, @author_id)').run(item);
  }

  /** Rows salvaged from a corrupt cache file, put back as they were. */
  restore(rows: OutboxRow[]): void {
    const insert = this.sql.stmt(INSERT_ROW);
    this.sql.transaction(() => rows.forEach((r) => insert.run({ ...r, author_id: r.author_id ?? null })));
  }

  get(id: number): OutboxRow | undefined {
    return this.sql.stmt('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  }

  /** Every item not yet done, oldest first: the author's, or everyone's when no author is given. */
  open(author?: string | null): OutboxRow[] {
    if (author === undefined) return this.sql.stmt("SELECT * FROM outbox WHERE state != 'done' ORDER BY id").all() as OutboxRow[];
    return this.sql.stmt("SELECT * FROM outbox WHERE state != 'done' AND author_id = ? ORDER BY id").all(author) as OutboxRow[];
  }

  /** The author's items by state (no author: none). */
  countsByState(author: string | null): Partial<Record<OutboxState, number>> {
    const rows = this.sql.stmt("SELECT state, count(*) AS n FROM outbox WHERE state != 'done' AND author_id = ? GROUP BY state").all(author) as { state: OutboxState; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /**
   * The author's next items to send (pending, or still sending from before), oldest first; never
   * another user's. Only what the replay decides on: the outbox_author_state index answers it
   * without reading payloads.
   */
  sendableHeads(limit: number, author: string | null): Pick<OutboxRow, 'id' | 'target_id' | 'state'>[] {
    return this.sql.stmt("SELECT id, target_id, state FROM outbox WHERE state IN ('pending', 'sending') AND author_id = ? ORDER BY id LIMIT ?").all(author, limit) as Pick<OutboxRow, 'id' | 'target_id' | 'state'>[];
  }

  update(id: number, patch: OutboxPatch): void {
    const keys = (Object.keys(patch) as (keyof OutboxPatch)[]).filter((k) => PATCHABLE.has(k) && patch[k] !== undefined);
    if (!keys.length) return;
    this.sql.stmt(`UPDATE outbox SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...Object.fromEntries(keys.map((k) => [k, patch[k]])), id });
  }

  /** Sending rows left from a crash go back to pending: the idempotency key makes resending safe. */
  resetSending(): void {
    this.sql.stmt("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").run();
  }

  markSending(id: number): void {
    this.sql.stmt("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?").run(id);
  }

  /** Back to pending if it is still being sent (a transient failure). */
  releaseSending(id: number): void {
    this.sql.stmt("UPDATE outbox SET state = 'pending' WHERE id = ? AND state = 'sending'").run(id);
  }

  remove(id: number): void {
    this.sql.stmt('DELETE FROM outbox WHERE id = ?').run(id);
  }

  removeForTarget(targetId: string): void {
    this.sql.stmt('DELETE FROM outbox WHERE target_id = ?').run(targetId);
  }

  /** The other items aimed at a target (e.g. edits of a ticket created offline). */
  othersFor(targetId: string, exceptId: number): Pick<OutboxRow, 'id' | 'kind' | 'base'>[] {
    return this.sql.stmt('SELECT id, kind, base FROM outbox WHERE target_id = ? AND id != ?').all(targetId, exceptId) as OutboxRow[];
  }

  retarget(id: number, targetId: string, base: string | null): void {
    this.sql.stmt('UPDATE outbox SET target_id = ?, base = ? WHERE id = ?').run(targetId, base, id);
  }

  /** Pending ticket edits queued after `afterId` for the same ticket. */
  pendingUpdatesAfter(targetId: string, afterId: number): Pick<OutboxRow, 'id' | 'base'>[] {
    return this.sql.stmt("SELECT id, base FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state = 'pending' AND id > ?").all(targetId, afterId) as OutboxRow[];
  }

  /** Ticket edits not yet on the server (pending, sending or waiting on a conflict), oldest first. */
  unsentUpdates(targetId: string): OutboxRow[] {
    return this.sql.stmt("SELECT * FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state IN ('pending', 'sending', 'conflict') ORDER BY id").all(targetId) as OutboxRow[];
  }

  /** The fields of a ticket that have edits not yet done. */
  pendingFields(ticketId: string): string[] {
    const fields = new Set<string>();
    for (const o of this.sql.stmt("SELECT payload FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state != 'done'").all(ticketId) as { payload: string }[]) {
      for (const k of Object.keys((JSON.parse(o.payload) as { changes: object }).changes)) fields.add(k);
    }
    return [...fields];
  }

  /** Targets with any item not done. */
  openTargets(): Set<string> {
    return new Set((this.sql.stmt("SELECT DISTINCT target_id FROM outbox WHERE state != 'done'").all() as { target_id: string }[]).map((r) => r.target_id));
  }

  /** Whether a target has items waiting (pending, sending, failed, conflict) and whether one is a conflict. */
  flags(targetId: string): { pending: boolean; conflict: boolean } {
    const r = this.sql.stmt("SELECT sum(state IN ('pending', 'sending', 'failed', 'conflict')) AS p, sum(state = 'conflict') AS c FROM outbox WHERE target_id = ?").get(targetId) as { p: number | null; c: number | null };
    return { pending: (r.p ?? 0) > 0, conflict: (r.c ?? 0) > 0 };
  }
}
