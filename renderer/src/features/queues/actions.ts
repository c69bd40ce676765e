import type { SavedView, TicketChanges, TicketFilter, TicketSort } from '../../../../shared/ipc';
import type { ChannelRequest, ChannelResponse } from '../../../../shared/ipc';
import { ApiError, call, errorMessage } from '../../api';
import { effectiveFilter } from './selectors';
import { ALL_TICKETS, PAGE, useTickets, type QueueSlice } from './store';

// ── loading ─────────────────────────────────────────────────────────────────────────────────────
const inflight = new Set<string>();

export { ALL_TICKETS };

/** What the loaded pages were read for: the effective filter and the sort. */
const listKey = (s: QueueSlice) => JSON.stringify([effectiveFilter(s), s.sort]);

/**
 * Opening the queue screen: the first page is read at once with the current view, beside the
 * metadata (views, users, queues), and shown only once both are in, so a row never paints with
 * an unknown assignee or the wrong SLA calendar. A view that changed with the metadata re-reads.
 */
export async function openQueues(): Promise<void> {
  const meta = loadQueueMeta();
  resetList(true, meta);
  await meta;
}

export async function loadQueueMeta(): Promise<void> {
  try {
    const [coreViews, users, queues] = await Promise.all([
      call('views.list'),
      call('users.list'),
      call('queues.list'),
    ]);
    const views = [ALL_TICKETS, ...coreViews];
    const s = useTickets.getState();
    const activeViewId =
      s.activeViewId && views.some((v) => v.id === s.activeViewId) ? s.activeViewId : (views[0]?.id ?? null);
    const view = views.find((v) => v.id === activeViewId);
    const readFor = listKey(s);
    useTickets.setState({
      views,
      users,
      queues,
      activeViewId,
      sort: s.activeViewId === activeViewId ? s.sort : (view?.sort ?? s.sort),
    });
    if (s.activeViewId !== activeViewId) resetList();
    else if (listKey(useTickets.getState()) !== readFor) resetList(true);
  } catch (e) {
    useTickets.setState({ error: errorMessage(e) });
  }
}

/** Drops loaded pages and re-reads; the list asks for the rows it shows (see ensureRows for `after`). */
export function resetList(keepSelection = false, after?: Promise<unknown>): void {
  inflight.clear();
  useTickets.setState((s) => ({
    pages: new Map(),
    total: s.total,
    generation: s.generation + 1,
    checked: keepSelection ? s.checked : new Set(),
    allMatching: keepSelection ? s.allMatching : false,
    error: null,
  }));
  void ensureRows(0, PAGE - 1, after);
}

/** Loads the pages covering rows [start, end] of the current list; with `after`, stores them once it settles. */
export async function ensureRows(start: number, end: number, after?: Promise<unknown>): Promise<void> {
  const s = useTickets.getState();
  const first = Math.max(0, Math.floor(start / PAGE));
  const last = Math.max(first, Math.floor(end / PAGE));
  const gen = s.generation;
  const filter = effectiveFilter(s);
  const todo: number[] = [];
  for (let p = first; p <= last; p++) if (!s.pages.has(p) && !inflight.has(`${gen}:${p}`)) todo.push(p);
  if (!todo.length) return;
  useTickets.setState({ loading: true });
  await Promise.all(
    todo.map(async (p) => {
      const key = `${gen}:${p}`;
      inflight.add(key);
      try {
        const res = await call('tickets.list', { filter, sort: s.sort, offset: p * PAGE, limit: PAGE });
        if (after) await after;
        if (useTickets.getState().generation !== gen) return;
        useTickets.setState((cur) => {
          const pages = new Map(cur.pages);
          pages.set(p, res.items);
          return { pages, total: res.total, loading: false, error: null };
        });
      } catch (e) {
        if (useTickets.getState().generation === gen)
          useTickets.setState({ loading: false, error: errorMessage(e) });
      } finally {
        inflight.delete(key);
      }
    }),
  );
}

// ── pushed events ───────────────────────────────────────────────────────────────────────────────
let changeTimer: ReturnType<typeof setTimeout> | null = null;
/** tickets.changed: re-read what is on screen, coalescing bursts (sync pages arrive in bulk). */
export function onTicketsChanged(): void {
  if (changeTimer) return;
  changeTimer = setTimeout(() => {
    changeTimer = null;
    refreshLoadedPages();
  }, 250);
}

function refreshLoadedPages(): void {
  // Users arrive with the sync too: keep assignee names resolvable.
  void call('users.list').then(
    (users) => useTickets.setState({ users }),
    () => undefined,
  );
  const s = useTickets.getState();
  const loaded = [...s.pages.keys()];
  inflight.clear();
  useTickets.setState((cur) => ({ generation: cur.generation + 1, pages: new Map() }));
  const pages = loaded.length ? loaded : [0];
  void Promise.all(pages.map((p) => ensureRows(p * PAGE, p * PAGE)));
}

export function onQueuesChanged(): void {
  void loadQueueMeta();
}

// ── user actions ────────────────────────────────────────────────────────────────────────────────
export function selectView(id: string): void {
  const v = useTickets.getState().views.find((x) => x.id === id);
  useTickets.setState({
    activeViewId: id,
    sort: v?.sort ?? useTickets.getState().sort,
    cursor: 0,
    statusFilter: undefined,
    priorityFilter: undefined,
    text: '',
  });
  resetList();
}
export function setSort(field: TicketSort['field']): void {
  useTickets.setState((s) => ({
    sort: { field, dir: s.sort.field === field && s.sort.dir === 'desc' ? 'asc' : 'desc' },
    cursor: 0,
  }));
  resetList();
}
export function setText(text: string): void {
  useTickets.setState({ text, cursor: 0 });
  resetList();
}
export function setStatusFilter(status: TicketFilter['status']): void {
  useTickets.setState({ statusFilter: status, cursor: 0 });
  resetList();
}
export function setPriorityFilter(priority: TicketFilter['priority']): void {
  useTickets.setState({ priorityFilter: priority, cursor: 0 });
  resetList();
}
export function moveCursor(delta: number): void {
  useTickets.setState((s) => ({ cursor: Math.max(0, Math.min((s.total ?? 1) - 1, s.cursor + delta)) }));
}
export function setCursor(i: number): void {
  useTickets.setState({ cursor: i });
}
export function toggleChecked(id: string): void {
  useTickets.setState((s) => {
    const checked = new Set(s.checked);
    if (checked.has(id)) checked.delete(id);
    else checked.add(id);
    return { checked, allMatching: false };
  });
}
export function checkLoaded(all: boolean): void {
  useTickets.setState((s) => ({
    checked: all ? new Set([...s.pages.values()].flat().map((t) => t.id)) : new Set(),
    allMatching: false,
  }));
}

/** One bulk change, as the server takes it: an assignee, a status or a priority. */
export type BulkChange = ChannelRequest<'tickets.bulkApply'>['changes'];
export type BulkOutcome = ChannelResponse<'tickets.bulkApply'>;

/** What a bulk change applies to: the checked tickets, or (all matching) the whole view on the server. */
function bulkTarget(): ChannelRequest<'tickets.bulkApply'>['target'] {
  const s = useTickets.getState();
  return s.allMatching ? { filter: effectiveFilter(s) } : { ids: [...s.checked] };
}

/** The server's count of what a bulk change would touch (the confirmation's N). */
export async function previewBulk(changes: BulkChange): Promise<number> {
  return (await call('tickets.bulkApply', { target: bulkTarget(), changes, preview: true })).matched;
}

/**
 * Applies a bulk change through POST /tickets/bulk and answers the per-ticket outcome. Offline,
 * checked tickets go through the outbox instead (each edit sent and merged on its own later);
 * "all matching" needs the server.
 */
export async function applyBulk(changes: BulkChange): Promise<BulkOutcome> {
  const s = useTickets.getState();
  try {
    const out = await call('tickets.bulkApply', { target: bulkTarget(), changes });
    resetList();
    return out;
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'offline') || s.allMatching) throw e;
    const ids = [...s.checked];
    const r = await call('tickets.bulkUpdate', { ticketIds: ids, changes: changes as TicketChanges });
    resetList();
    return { matched: r.updated, preview: false, results: ids.map((id) => ({ id, number: null, ok: true, status: 202, message: 'queued in the outbox' })) };
  }
}

/** "Select all N matching": the next bulk change applies to the whole view on the server. */
export function selectAllMatching(on: boolean): void {
  useTickets.setState((s) => ({ allMatching: on, checked: on ? new Set([...s.pages.values()].flat().map((t) => t.id)) : s.checked }));
}

export async function saveCurrentAsView(name: string, shared = false): Promise<SavedView> {
  const s = useTickets.getState();
  const view = await call('views.save', { name, filter: effectiveFilter(s), sort: s.sort, shared });
  await loadQueueMeta();
  selectView(view.id);
  return view;
}
/** Shares one's own view with the team, or stops sharing it (through the outbox, like every view write). */
export async function setViewShared(view: SavedView, shared: boolean): Promise<void> {
  await call('views.save', { id: view.id, name: view.name, filter: view.filter, sort: view.sort, shared });
  await loadQueueMeta();
}
export async function removeView(id: string): Promise<void> {
  await call('views.remove', { id });
  useTickets.setState({ activeViewId: null });
  await loadQueueMeta();
}
