import type { FieldConflict } from '../../../shared/ipc';
import type { OutboxPatch, OutboxRow } from '../cache/outbox-repo';
import { newKey } from './items';
import { ticketFieldValue } from '../cache/tickets-repo';
import type { TicketRow } from '../cache/records';

/** A queued ticket edit: the changed fields. */
export type UpdatePayload = { changes: Record<string, unknown> };
/** What the edit was made on: the ticket's version and the old values of the changed fields. */
export type UpdateBase = { version: number; values: Record<string, unknown> };

/**
 * A ticket edit that met a newer server version (409), merged field by field: a field the server
 * already has as I wanted is dropped, one the server did not touch is sent again on the new
 * version, one both changed differently is a conflict for the user to decide.
 */
export function mergeEdit(changes: Record<string, unknown>, baseValues: Record<string, unknown>, current: TicketRow) {
  const conflicts: FieldConflict[] = [];
  const remaining: Record<string, unknown> = {};
  const theirs: Record<string, unknown> = {};
  for (const [field, mine] of Object.entries(changes)) {
    const serverValue = ticketFieldValue(current, field);
    theirs[field] = serverValue;
    if (same(serverValue, mine)) continue; // already what I wanted
    if (same(serverValue, baseValues[field])) remaining[field] = mine; // they did not touch it
    else conflicts.push({ field, mine, theirs: serverValue });
  }
  return { conflicts, remaining, theirs };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * A same-field conflict decided: 'mine' re-sends my values over the server's version; 'theirs'
 * keeps the server's values (to apply to the cache) and sends what is left (no patch: drop the item).
 */
export function resolvedEdit(row: OutboxRow, choice: 'mine' | 'theirs'): { patch: OutboxPatch | null; apply: Record<string, unknown> | null } {
  const base = JSON.parse(row.base ?? '{}') as UpdateBase & { theirs?: Record<string, unknown>; theirsVersion?: number };
  const conflicts = JSON.parse(row.conflicts) as FieldConflict[];
  const nextBase: UpdateBase = { version: base.theirsVersion ?? base.version, values: { ...base.values, ...(base.theirs ?? {}) } };
  const fresh = { state: 'pending' as const, conflicts: '[]', error: null, base: JSON.stringify(nextBase), idempotency_key: newKey(), attempts: 0 };
  if (choice === 'mine') return { patch: fresh, apply: null };
  const remaining = { ...(JSON.parse(row.payload) as UpdatePayload).changes };
  for (const c of conflicts) delete remaining[c.field];
  const apply = Object.fromEntries(conflicts.map((c) => [c.field, c.theirs]));
  return { patch: Object.keys(remaining).length ? { ...fresh, payload: JSON.stringify({ changes: remaining }) } : null, apply };
}
