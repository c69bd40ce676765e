import { LIMITS, type BulkAction, type BulkRequest, type BulkResult, type TicketChanges, type TicketFilter } from '../../../shared/api/tickets';
import type { Actor as AuditActor, AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/auth-service';
import { AppError } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import type { ViewService } from '../views/view-service';
import type { TicketRow } from './ticket-model';
import type { TicketQuery } from './ticket-query';
import type { TicketService } from './ticket-service';

/**
 * One action on many tickets: listed ids or every ticket matching a filter or saved view on the
 * server (as the caller sees them: another queue's ticket is "not found"). Each ticket is changed in
 * its own transaction, so one failing never undoes another, and audited in it with the bulk's id; a
 * version the caller saw that is no longer current answers 409 for that ticket with the current one.
 */
export class TicketBulk {
  constructor(
    private readonly tickets: Pick<TicketService, 'update'>,
    private readonly query: Pick<TicketQuery, 'list'>,
    private readonly views: Pick<ViewService, 'get'>,
    private readonly audit: AuditLog,
  ) {}

  async run(principal: Principal, auditActor: AuditActor, req: BulkRequest): Promise<BulkResult> {
    const targets = req.ids ? [...new Set(req.ids)].map((id) => ({ id, number: undefined as number | undefined })) : await this.matching(principal, req);
    if (req.preview) return { matched: targets.length, preview: true, results: [] };
    const bulkId = uuid();
    const results: BulkResult['results'] = [];
    for (const { id, number } of targets) {
      try {
        const ticket = await this.tickets.update(principal, id, (row) => bulkChanges(row, req.action), req.versions?.[id], async (trx, t, changed) => {
          await this.audit.record(auditActor, { action: 'ticket.bulk_changed', targetType: 'ticket', targetId: t.id, details: { bulkId, number: t.number, action: req.action, changed } }, trx);
        });
        results.push({ id, number: ticket.number, ok: true, status: 200, ticket });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ id, ...(number !== undefined && { number }), ok: false, status: err.status, error: err.code, message: err.message });
      }
    }
    return { matched: targets.length, preview: false, results };
  }

  /** Every visible ticket of the filter (a saved view, refined by the filter), up to LIMITS.bulkMatching. */
  private async matching(principal: Principal, req: BulkRequest): Promise<{ id: string; number: number }[]> {
    let filter: TicketFilter = req.filter ?? {};
    if (req.view) {
      const saved = await this.views.get(principal.userId, req.view);
      filter = { ...saved.filter, ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) };
    }
    const out: { id: string; number: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.query.list(principal, filter, { cursor, limit: 200 });
      out.push(...page.items.map((t) => ({ id: t.id, number: t.number })));
      if (out.length > LIMITS.bulkMatching) {
        throw new AppError('unprocessable', `More than ${LIMITS.bulkMatching.toLocaleString('en')} tickets match; narrow the view and try again`, { limit: LIMITS.bulkMatching });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }
}

function bulkChanges(row: TicketRow, action: BulkAction): TicketChanges {
  if ('assign' in action) return { assigneeId: action.assign };
  if ('status' in action) return { status: action.status };
  if ('priority' in action) return { priority: action.priority };
  const tags = JSON.parse(row.tags) as string[];
  if (tags.includes(action.addTag)) return { tags };
  if (tags.length >= LIMITS.tags) throw new AppError('unprocessable', `A ticket has at most ${LIMITS.tags} tags`);
  return { tags: [...tags, action.addTag] };
}
