import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { saveDownload } from '../downloads';
import { OPEN_TICKET_STATUSES } from '../../../shared/domain/tickets';
import type { SavedView } from '../../../shared/ipc';
import { routePath } from '../api/route-forwarder';
import { CoreError } from '../errors';
import type { Workspace } from '../workspace';
import { write, type CoreContext, type DomainChannels, type Handlers } from './context';

/** Tickets, queues, users and saved views: read from the cache, written through the outbox. */
export function ticketHandlers(core: CoreContext): Handlers<DomainChannels<'tickets' | 'queues' | 'users' | 'views' | 'attachments'>> {
  const tickets = () => core.ws().cache.tickets;
  const cache = () => core.ws().cache;
  return {
    'tickets.list': ({ filter, sort, offset, limit }) => tickets().list(filter, sort, offset, limit, core.ws().session.user?.id ?? null),
    'tickets.get': async (ref) => {
      const ws = core.ws();
      const detail = ws.cache.tickets.detail(ref);
      if (!detail) throw new CoreError('not_found', 'Ticket not found in the local cache');
      // History is not part of delta sync: refresh it when the server answers quickly, else show what is cached.
      if (ws.api.online && ws.session.current().status === 'signed_in' && !detail.ticket.id.startsWith('local-')) {
        try {
          await refreshHistory(ws, detail.ticket.id);
          return ws.cache.tickets.detail(ref) ?? detail;
        } catch (err) {
          core.logger.info('tickets: history not refreshed, showing the cached one', { ticketId: detail.ticket.id, error: (err as Error).message });
          return detail;
        }
      }
      return detail;
    },
    'tickets.search': ({ query, limit }) => ({ items: tickets().search(query, limit) }),
    'tickets.create': (input) => write(core, (ws) => ws.outbox.createTicket(input, ws.session.user)),
    'tickets.comment': ({ ticketId, body, internal, attachments }) => write(core, (ws) => ws.outbox.comment(ticketId, body, internal, ws.session.user, attachments)),
    'tickets.update': ({ ticketId, changes }) => write(core, (ws) => ws.outbox.updateTickets([ticketId], changes)[0]!),
    'tickets.bulkUpdate': ({ ticketIds, changes }) => write(core, (ws) => ({ updated: ws.outbox.updateTickets(ticketIds, changes).length })),
    'tickets.saveDraft': ({ ticketId, body, internal }) => (tickets().saveDraft(ticketId, body, internal, core.clock.now()), null),
    'tickets.getDraft': ({ ticketId }) => tickets().draft(ticketId),

    'attachments.save': async ({ id, filename }) => {
      const ws = core.signedIn();
      const res = await ws.api.request<Buffer>('GET', routePath('attachments.download', { id }), { responseType: 'arraybuffer', timeoutMs: 120_000 });
      return saveDownload(path.join(core.deps.paths.userData, 'downloads'), filename, Buffer.from(res.data));
    },

    'queues.list': () => cache().queues(),
    'users.list': () => cache().users(),

    'views.list': () => [...builtInViews(core.workspace()), ...cache().savedViews()],
    'views.save': (v) => {
      if (v.id?.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be changed; save a copy');
      const view: SavedView = { id: v.id ?? `view-${randomUUID()}`, name: v.name, builtIn: false, filter: v.filter, sort: v.sort };
      cache().saveView(view);
      return view;
    },
    'views.remove': ({ id }) => {
      if (id.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be removed');
      cache().removeView(id);
      return null;
    },
  };
}

async function refreshHistory(ws: Workspace, ticketId: string): Promise<void> {
  const res = await ws.api.request<unknown>('GET', routePath('tickets.events.list', { id: ticketId }), { timeoutMs: 3000, retries: 0 });
  ws.cache.tickets.putEvents(items(res.data));
}

/** Lists come either as arrays or as `{ items }` pages. */
function items<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const page = data as { items?: T[] } | null;
  return page?.items ?? [];
}

function builtInViews(ws: Workspace | null): SavedView[] {
  const sort = { field: 'updatedAt', dir: 'desc' } as const;
  const views: SavedView[] = [
    { id: 'builtin:my-open', name: 'My open', builtIn: true, filter: { assignee: 'me', status: [...OPEN_TICKET_STATUSES] }, sort },
    { id: 'builtin:unassigned', name: 'Unassigned', builtIn: true, filter: { assignee: 'unassigned', status: ['new', 'open'] }, sort },
    { id: 'builtin:breaching', name: 'Breaching SLA', builtIn: true, filter: { breaching: true, status: [...OPEN_TICKET_STATUSES] }, sort: { field: 'slaDue', dir: 'asc' } },
  ];
  for (const q of ws?.cache.queues() ?? []) views.push({ id: `builtin:queue:${q.id}`, name: q.name, builtIn: true, filter: { queueId: q.id }, sort });
  return views;
}
