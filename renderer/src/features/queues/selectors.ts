import type { SavedView, TicketFilter, TicketSummary } from '../../../../shared/ipc';
import { PAGE, type QueueSlice } from './store';

// ── derived ─────────────────────────────────────────────────────────────────────────────────────
export function activeView(s: QueueSlice): SavedView | undefined {
  return s.views.find((v) => v.id === s.activeViewId);
}
export function effectiveFilter(s: QueueSlice): TicketFilter {
  const f: TicketFilter = { ...(activeView(s)?.filter ?? {}) };
  if (s.text.trim()) f.text = s.text.trim();
  if (s.statusFilter?.length) f.status = s.statusFilter;
  if (s.priorityFilter?.length) f.priority = s.priorityFilter;
  return f;
}
export function ticketAt(s: QueueSlice, i: number): TicketSummary | undefined {
  return s.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
}
export function userName(s: Pick<QueueSlice, 'users'>, id: string | null): string {
  if (!id) return 'Unassigned';
  return s.users.find((u) => u.id === id)?.name ?? 'Unknown';
}
