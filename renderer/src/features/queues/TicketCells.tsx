import type { SlaState, TicketSummary } from '../../../../shared/ipc';
import { formatCountdown, liveSlaState } from '../../lib/format';
import { businessLeft, slaTimeOf } from '../../lib/sla-time';
import { useTickets } from './store';

export function slaDue(t: TicketSummary): number | null {
  // A due time before the ticket existed is not a real target.
  const real = (d: number | null) => (d != null && d >= t.createdAt ? d : null);
  if (t.status === 'new' && real(t.firstResponseDueAt) != null) return real(t.firstResponseDueAt);
  return real(t.resolutionDueAt) ?? real(t.firstResponseDueAt);
}

export function SlaCell({ t, now }: { t: TicketSummary; now: number }) {
  const due = slaDue(t);
  if (t.status === 'resolved' || t.status === 'closed' || t.slaState === 'met') return <span className="badge sla-met" title="SLA met">Met</span>;
  if (t.status === 'pending' || t.slaState === 'paused') return <span className="badge sla-paused" title="SLA paused">Paused</span>;
  if (t.slaState === 'none' || due == null) return <span className="badge sla-none">—</span>;
  return <SlaCountdown due={due} state={t.slaState} queueId={t.queueId} now={now} />;
}

/**
 * A running SLA timer: business time left under the queue's calendar (the same shared arithmetic
 * as the server's deadlines), marked "off hours" while the clock is stopped outside them.
 */
export function SlaCountdown({ due, state, queueId, now }: { due: number; state: SlaState; queueId: string | null; now: number }) {
  const calendar = useTickets((s) => s.queues.find((q) => q.id === queueId)?.slaCalendar ?? null);
  const { left, running } = businessLeft(slaTimeOf(calendar), due, now);
  const live = liveSlaState(state, due, now, undefined, left);
  const off = calendar !== null && !running && live !== 'breached';
  const title = calendar ? `SLA ${live}: business time left under ${calendar.name} (${calendar.timeZone})${off ? '; outside business hours the clock is stopped' : ''}` : `SLA ${live}`;
  return (
    <span className={`badge sla-${live}`} title={title} data-business={calendar ? 'true' : undefined}>
      {formatCountdown(due, now, left)}
      {off && (
        <>
          {' · off'}
          <span className="sr-only"> hours</span>
        </>
      )}
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
