import { create } from 'zustand';
import type { AttachmentUpload, OutboxItem, TicketChanges, TicketDetail } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { toast } from '../../ui/toasts';

interface TicketSlice {
  number: number | null;
  detail: TicketDetail | null;
  loading: boolean;
  error: string | null;
  draft: string;
  internal: boolean;
  draftSavedAt: number | null;
  sending: boolean;
  /** Outbox items of this ticket waiting for keep mine / take theirs. */
  conflicts: OutboxItem[];
  /** Files picked for the reply being written. */
  files: AttachmentUpload[];
}

export const useTicket = create<TicketSlice>(() => ({
  number: null,
  detail: null,
  loading: false,
  error: null,
  draft: '',
  internal: false,
  draftSavedAt: null,
  sending: false,
  conflicts: [],
  files: [],
}));

export async function openTicket(number: number): Promise<void> {
  const same = useTicket.getState().number === number;
  useTicket.setState({
    number,
    loading: true,
    error: null,
    ...(same ? {} : { detail: null, draft: '', internal: false, draftSavedAt: null, conflicts: [], files: [] }),
  });
  try {
    const detail = await call('tickets.get', { number });
    if (useTicket.getState().number !== number) return;
    useTicket.setState({ detail, loading: false });
    if (!same) {
      const d = await call('tickets.getDraft', { ticketId: detail.ticket.id });
      if (d) useTicket.setState({ draft: d.body, internal: d.internal });
    }
    await loadConflicts();
  } catch (e) {
    useTicket.setState({ loading: false, error: errorMessage(e) });
  }
}

async function loadConflicts(): Promise<void> {
  const t = useTicket.getState().detail?.ticket;
  if (!t) return;
  const items = await call('outbox.list');
  useTicket.setState({ conflicts: items.filter((i) => i.targetId === t.id && i.state === 'conflict') });
}

export async function reloadTicket(): Promise<void> {
  const n = useTicket.getState().number;
  if (n != null) await openTicket(n);
}

/** tickets.changed: refresh when the open ticket is among the changed ones. */
export function onTicketsChangedForDetail(p: { ids: string[]; full: boolean }): void {
  const t = useTicket.getState().detail?.ticket;
  if (t && (p.full || p.ids.includes(t.id))) void reloadTicket();
}

let draftTimer: ReturnType<typeof setTimeout> | null = null;
/** Draft autosave: debounced into the cache (never synced). */
export function setDraft(draft: string, internal = useTicket.getState().internal): void {
  useTicket.setState({ draft, internal });
  const id = useTicket.getState().detail?.ticket.id;
  if (!id) return;
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    void call('tickets.saveDraft', { ticketId: id, body: draft, internal }).then(() =>
      useTicket.setState({ draftSavedAt: Date.now() }),
    );
  }, 600);
}

export async function sendComment(): Promise<void> {
  const s = useTicket.getState();
  const id = s.detail?.ticket.id;
  if (!id || !s.draft.trim()) return;
  useTicket.setState({ sending: true });
  try {
    await call('tickets.comment', { ticketId: id, body: s.draft, internal: s.internal, attachments: s.files });
    useTicket.setState({ files: [] });
    if (draftTimer) clearTimeout(draftTimer);
    await call('tickets.saveDraft', { ticketId: id, body: '', internal: s.internal });
    useTicket.setState({ draft: '', draftSavedAt: null });
    await reloadTicket();
  } finally {
    useTicket.setState({ sending: false });
  }
}

export async function updateTicket(changes: TicketChanges): Promise<void> {
  const id = useTicket.getState().detail?.ticket.id;
  if (!id) return;
  await call('tickets.update', { ticketId: id, changes });
  await reloadTicket();
}

/** A change from the properties panel or a shortcut: a failure shows as a toast. */
export async function changeTicket(changes: TicketChanges): Promise<void> {
  try {
    await updateTicket(changes);
  } catch (e) {
    toast(errorMessage(e), 'error');
  }
}

export async function resolveConflict(id: number, choice: 'mine' | 'theirs'): Promise<void> {
  await call('outbox.resolveConflict', { id, choice });
  await reloadTicket();
}

/** Set by the queue's r / n shortcuts: the detail screen opens its composer in that mode. */
let composeIntent: 'reply' | 'note' | null = null;
export function setComposeIntent(i: 'reply' | 'note' | null): void {
  composeIntent = i;
}
export function takeComposeIntent(): 'reply' | 'note' | null {
  const i = composeIntent;
  composeIntent = null;
  return i;
}

/** A change from the list (assign to me, resolve) without opening the ticket. */
export async function quickUpdate(ticketId: string, changes: TicketChanges): Promise<void> {
  await call('tickets.update', { ticketId, changes });
}
