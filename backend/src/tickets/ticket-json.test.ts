import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../platform/db/connect';
import { migrateToLatest } from '../platform/db/migrate';
import { ticketJson } from './ticket-json';
import { TICKET_COLUMNS, toTicket } from './ticket-model';

const NOW = 1_700_000_000_000;
const H = 3_600_000;

// One ticket per branch of SlaClock.state and of the due/warn fields, plus text that JSON escapes.
const base: Record<string, unknown> = {
  queue_id: 'q1', subject: 'Printer "3rd floor"\tjams', description: 'line 1\nline 2 — ünïcödé \\ / 😀 \u0001', requester_name: 'Ann', requester_email: 'ann@example.com',
  status: 'open', priority: 'high', priority_rank: 3, assignee_id: null, tags: '["printer","floor-3"]', created_by: null, created_at: NOW - 10 * H, updated_at: NOW - H,
  resolved_at: null, closed_at: null, version: 2, sla_response_ms: 4 * H, sla_resolution_ms: 24 * H, sla_paused_at: null,
  response_due_at: NOW + H, response_warn_at: NOW + H / 2, resolution_due_at: NOW + 10 * H, resolution_warn_at: NOW + 5 * H,
  first_response_at: null, response_breached_at: null, resolution_breached_at: null, response_warned_at: null, resolution_warned_at: null, due_sort: NOW + H,
  source: 'app', cc: '[]', merged_into_id: null, attachments: '[]',
};
const variants: Record<string, unknown>[] = [
  {},
  { response_warn_at: NOW - 1 },
  { resolution_warn_at: NOW - 1, first_response_at: NOW - 2 * H },
  { response_due_at: NOW - 1 },
  { first_response_at: NOW - 2 * H, response_due_at: NOW - 1 },
  { resolution_due_at: NOW },
  { response_breached_at: NOW - H, status: 'resolved', resolved_at: NOW - 1 },
  { status: 'closed', closed_at: NOW - 1, response_due_at: NOW - 5 * H, resolution_due_at: NOW - H },
  { sla_paused_at: NOW - 9 * H, response_due_at: NOW - H, response_warn_at: NOW - 9.5 * H, status: 'pending' },
  { sla_paused_at: NOW - 9 * H, response_warn_at: NOW - 8 * H, status: 'pending' },
  { resolution_breached_at: NOW - H, assignee_id: 'u1', created_by: 'u1', source: 'email', cc: '["b@example.com"]', merged_into_id: 't0' },
  { attachments: JSON.stringify([{ id: 'a1', filename: 'log.txt', contentType: 'text/plain', size: 12 }]), tags: '[]' },
];

describe('ticket JSON built by SQLite', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = openDatabase(`sqlite:${path.join(tempDir(), 'json.db')}`);
    await migrateToLatest(h);
    await h.db.insertInto('queues').values({ id: 'q1', name: 'Desk', created_at: 1, updated_at: 1 } as never).execute();
    await h.db.insertInto('users').values({ id: 'u1', email: 'u1@example.com', name: 'U', role: 'agent', password_hash: 'x', created_at: 1, updated_at: 1 } as never).execute();
    await h.db.insertInto('tickets').values(variants.map((v, i) => ({ ...base, ...v, id: `t${i + 1}`, number: i + 1 })) as never).execute();
  });
  afterAll(() => h.close());

  it('is the Ticket toTicket maps from the same row, in every SLA state', async () => {
    const rows = await h.db.selectFrom('tickets').select([...TICKET_COLUMNS, ticketJson(NOW).as('json')]).orderBy('number').execute();
    expect(rows).toHaveLength(variants.length);
    const states = new Set<string>();
    for (const row of rows) {
      const expected = toTicket(row, NOW);
      states.add(expected.sla.state);
      expect(JSON.parse(row.json)).toEqual(expected);
      // Same keys in the same order as the JSON.stringify answer it replaces.
      expect(Object.keys(JSON.parse(row.json))).toEqual(Object.keys(expected));
    }
    expect([...states].sort()).toEqual(['breached', 'ok', 'warning']);
  });
});
