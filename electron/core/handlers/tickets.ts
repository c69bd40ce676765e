import path from 'node:path';
import { saveDownload } from '../downloads';
import { OPEN_TICKET_STATUSES } from '../../../shared/domain/tickets';
import type { SavedView } from '../../../shared/ipc';
import { httpError } from '../api/api-client';
import { routePath } from '../api/route-forwarder';
import { serverFilter, ticketRowFromServer } from '../cache/records';
import type { ChannelRequest, ChannelResponse } from '../../../shared/ipc';
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

    'views.list': () => {
      const me = core.workspace()?.session.user?.id ?? null;
      return [...builtInViews(core.workspace()), ...cache().savedViews().map(({ ownerId, ...v }) => ({ ...v, mine: ownerId === null || ownerId === me }))];
    },
    'views.save': (v) => write(core, (ws) => ws.outbox.views.save(v, ws.session.user)),
    'views.remove': ({ id }) => write(core, (ws) => (ws.outbox.views.remove(id, ws.session.user), null)),
    'tickets.bulkApply': ({ target, changes, preview }) => bulkApply(core.signedIn(), target, changes, preview),
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
  const view = (id: string, name: string, filter: SavedView['filter'], s: SavedView['sort'] = sort): SavedView => ({ id, name, builtIn: true, filter, sort: s, shared: false, ownerName: null, mine: true, pending: false });
  const views: SavedView[] = [
    view('builtin:my-open', 'My open', { assignee: 'me', status: [...OPEN_TICKET_STATUSES] }),
    view('builtin:unassigned', 'Unassigned', { assignee: 'unassigned', status: ['new', 'open'] }),
    view('builtin:breaching', 'Breaching SLA', { breaching: true, status: [...OPEN_TICKET_STATUSES] }, { field: 'slaDue', dir: 'asc' }),
  ];
  for (const q of ws?.cache.queues() ?? []) views.push(view(`builtin:queue:${q.id}`, q.name, { queueId: q.id }));
  return views;
}

type BulkApply = ChannelRequest<'tickets.bulkApply'>;

/** One change to many tickets through POST /tickets/bulk; the checked ones carry the version the cache has. */
async function bulkApply(ws: Workspace, target: BulkApply['target'], changes: BulkApply['changes'], preview: boolean): Promise<ChannelResponse<'tickets.bulkApply'>> {
  const action = 'assigneeId' in changes ? { assign: changes.assigneeId } : changes;
  const scope =
    'ids' in target
      ? { ids: target.ids, versions: Object.fromEntries(target.ids.flatMap((id) => { const r = ws.cache.tickets.row({ id }); return r && r.version > 0 ? [[id, r.version]] : []; })) }
      : { filter: serverFilter(target.filter) };
  const res = await ws.api.request<{ matched: number; preview: boolean; results: { id: string; number?: number; ok: boolean; status: number; message?: string; ticket?: unknown }[] }>('POST', routePath('tickets.bulk'), { body: { ...scope, action, preview }, timeoutMs: 300_000, retries: 0 });
  if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
  const changed = res.data.results.filter((r) => r.ok && r.ticket);
  // The answer carries each changed ticket: the cache shows them at once (sync confirms later).
  if (changed.length) ws.cache.transaction(() => changed.forEach((r) => ws.cache.tickets.upsertRow(ticketRowFromServer(r.ticket))));
  if (changed.length) ws.outbox.rebaseMany(changed.map((r) => r.id));
  const numbers = new Map(res.data.results.map((r) => [r.id, r.number ?? ws.cache.tickets.row({ id: r.id })?.number ?? null]));
  return { matched: res.data.matched, preview: res.data.preview, results: res.data.results.map((r) => ({ id: r.id, number: numbers.get(r.id) ?? null, ok: r.ok, status: r.status, message: r.message ?? null })) };
}
