import { describe, expect, it } from 'vitest';
import { fastCommentRow, fastTicketRow } from './fast-records';
import { schemaCommentRow, schemaTicketRow } from './records';

// As a current server sends them (the change feed's stored records).
const TICKET = {
  id: '01a2355b-d2b3-7ffd-9fce-4f9863630043',
  number: 1,
  queueId: 'a1ea68c8-17b6-44b9-b6fe-93a32d4a0273',
  subject: 'Disk at 74% on db-31',
  description: 'Monitoring raised this automatically.',
  requester: { name: 'Lena Schmidt', email: 'lena.schmidt@example.com' },
  status: 'open',
  priority: 'high',
  assigneeId: 'c336a0f0-d72d-458c-8b68-4fb2f85c9755',
  tags: ['backup', 'performance'],
  createdBy: null,
  createdAt: 1796146528127,
  updatedAt: 1796148992580,
  resolvedAt: null,
  version: 2,
  sla: { state: 'breached', firstResponseDueAt: null, resolutionDueAt: 1796175328127, firstResponseWarnAt: null, pausedAt: null },
  source: 'app',
  cc: [],
  attachments: [{ id: 'f1', filename: 'log.txt', contentType: 'text/plain', size: 12, sha256: 'ab' }],
};
const COMMENT = {
  id: '01a2355b-d2b4-7947-a400-0c7d628f2f44',
  ticketId: TICKET.id,
  authorId: 'c336a0f0-d72d-458c-8b68-4fb2f85c9755',
  visibility: 'public',
  body: 'Could you send the exact error message?',
  createdAt: 1796148992580,
  source: 'app',
  authorEmail: null,
  html: null,
  flags: [],
  delivery: null,
  attachments: [],
};

/** Every field replaced by values of other types, dropped, or nulled: the fast path agrees with the schema or stands aside. */
function variants(base: Record<string, unknown>): Record<string, unknown>[] {
  const values: unknown[] = [undefined, null, '', 'x', 0, 7, 1.5, -1, true, [], ['a'], {}, { name: 'N', email: 'e@x' }, { state: 'ok' }, 'open', 'low', 'internal', 'email', [{ id: 'a', filename: 'b', contentType: 'c', size: 1 }]];
  const out: Record<string, unknown>[] = [base];
  for (const key of [...Object.keys(base), 'slaState', 'firstResponseDueAt', 'resolutionDueAt', 'internal', 'kind', 'authorName', 'author']) {
    for (const v of values) out.push({ ...base, [key]: v });
  }
  return out;
}

function same(fast: (d: unknown) => unknown, schema: (d: unknown) => unknown, data: unknown): 'fast' | 'schema' | 'rejected' {
  const quick = fast(data);
  let expected: unknown;
  try {
    expected = schema(data);
  } catch {
    expect(quick).toBeNull();
    return 'rejected';
  }
  if (quick === null) return 'schema';
  expect(quick).toEqual(expected);
  return 'fast';
}

describe('fast record mapping', () => {
  it('maps a current server’s ticket and comment itself, exactly as the schema does', () => {
    expect(fastTicketRow(TICKET)).not.toBeNull();
    expect(fastTicketRow(TICKET)).toEqual(schemaTicketRow(TICKET));
    expect(fastCommentRow(COMMENT)).not.toBeNull();
    expect(fastCommentRow(COMMENT)).toEqual(schemaCommentRow(COMMENT));
    expect(fastTicketRow({ ...TICKET, sla: undefined, slaState: 'warning', tags: null, description: null, version: undefined })).toEqual(schemaTicketRow({ ...TICKET, sla: undefined, slaState: 'warning', tags: null, description: null, version: undefined }));
  });

  it('agrees with the schema on every variant it takes, and leaves the rest (odd shapes, bad records) to it', () => {
    const tally = { fast: 0, schema: 0, rejected: 0 };
    for (const t of variants(TICKET)) tally[same(fastTicketRow, schemaTicketRow, t)]++;
    for (const c of variants(COMMENT)) tally[same(fastCommentRow, schemaCommentRow, c)]++;
    // Each outcome happened: the comparison covered all three.
    expect(tally.fast).toBeGreaterThan(50);
    expect(tally.schema).toBeGreaterThan(50);
    expect(tally.rejected).toBeGreaterThan(50);
  });

  it('leaves email comments and older shapes to the schema', () => {
    expect(fastCommentRow({ ...COMMENT, source: 'email', authorEmail: 'x@example.com', html: '<p>x</p>' })).toBeNull();
    expect(fastTicketRow({ ...TICKET, requester: 'lena@example.com' })).toBeNull();
    expect(fastTicketRow({ ...TICKET, createdAt: '1796146528127' })).toBeNull();
  });
});
