import type { FieldConflict } from '../../../shared/ipc';
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
