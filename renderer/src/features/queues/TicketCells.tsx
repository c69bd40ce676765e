import type { TicketSummary } from '../../../../shared/ipc';
import { formatCountdown, liveSlaState } from '../../lib/format';

export function slaDue(t: TicketSummary): number | null {
  // A due time before the ticket existed is not a real target.
  const real = (d: number | null) => (d != null && d >= t.createdAt ? d : null);
  if (t.status === 'new' && real(t.firstResponseDueAt) != null) return real(t.firstResponseDueAt);
  return real(t.resolutionDueAt) ?? real(t.firstResponseDueAt);
}

export function SlaCell({ t, now }: { t: TicketSummary; now: number }) {
  const due = slaDue(t);
  const state =
    t.status === 'resolved' || t.status === 'closed'
      ? 'met'
      : t.status === 'pending'
        ? 'paused'
        : liveSlaState(t.slaState, due, now);
  const text =
    state === 'met' || t.status === 'resolved' || t.status === 'closed'
      ? 'Met'
      : state === 'paused' || t.status === 'pending'
        ? 'Paused'
        : state === 'none' || due == null
          ? '—'
          : formatCountdown(due, now);
  return (
    <span className={`badge sla-${state}`} title={`SLA ${state}`}>
      {text}
    </span>
  );
}

export function PriorityBadge({ p }: { p: TicketSummary['priority'] }) {
  return (
    <span className={`sev sev-${p}`}>
      <span className="sev-dot" aria-hidden /> {p}
    </span>
  );
}
