import type { SlaState, TicketStatus } from '../../../shared/api/tickets';
import { ALWAYS, type BusinessTime } from '../../../shared/domain/business-hours';
import type { TicketsTable } from '../tickets/tables';

/** Sort key for tickets with no running deadline, so `sort=due` puts them last. */
export const DUE_NONE = 8_000_000_000_000_000;
/** Warning starts when this share of a target has elapsed. */
export const WARNING_SHARE = 0.8;

export interface SlaTargets {
  firstResponseMs: number;
  resolutionMs: number;
  /** How the clock runs: around the clock, or inside the queue's business hours. */
  time?: BusinessTime;
}

/** The SLA columns of a ticket row. */
export type SlaFields = Pick<
  TicketsTable,
  | 'sla_response_ms'
  | 'sla_resolution_ms'
  | 'sla_paused_at'
  | 'response_due_at'
  | 'response_warn_at'
  | 'resolution_due_at'
  | 'resolution_warn_at'
  | 'first_response_at'
  | 'response_breached_at'
  | 'resolution_breached_at'
  | 'due_sort'
>;

/** The instant 80 % of the target has elapsed: 20 % of it (business time) before the deadline. */
const warnAt = (time: BusinessTime, due: number, target: number) => time.add(due, -Math.round(target * (1 - WARNING_SHARE)));

/** The clock stops while a ticket waits on the requester and once it is resolved or closed. */
export const clockStopped = (status: TicketStatus | string) => status === 'pending' || status === 'resolved' || status === 'closed';

/**
 * The SLA clock of one ticket, as pure functions over its columns. Deadlines are absolute times
 * computed in business time (`BusinessTime`: 24×7, or a calendar's hours, shared/domain/business-hours.ts);
 * a pause keeps the business time left and restarts it on resume, so "elapsed" never counts paused
 * time nor time outside business hours. The watcher and the list compare instants only.
 */
export const SlaClock = {
  start(now: number, targets: SlaTargets, status: TicketStatus = 'new'): SlaFields {
    const time = targets.time ?? ALWAYS;
    const responseDue = time.add(now, targets.firstResponseMs);
    const resolutionDue = time.add(now, targets.resolutionMs);
    const fields: SlaFields = {
      sla_response_ms: targets.firstResponseMs,
      sla_resolution_ms: targets.resolutionMs,
      sla_paused_at: clockStopped(status) ? now : null,
      response_due_at: responseDue,
      response_warn_at: warnAt(time, responseDue, targets.firstResponseMs),
      resolution_due_at: resolutionDue,
      resolution_warn_at: warnAt(time, resolutionDue, targets.resolutionMs),
      first_response_at: null,
      response_breached_at: null,
      resolution_breached_at: null,
      due_sort: DUE_NONE,
    };
    return withDueSort(fields);
  },

  /** Status change: stopping pauses, restarting shifts the deadlines by the pause. Late stops mark a breach. */
  onStatus(f: SlaFields, from: TicketStatus, to: TicketStatus, now: number, time: BusinessTime = ALWAYS): SlaFields {
    let next = { ...f };
    if (!clockStopped(from) && clockStopped(to)) {
      next = markLate(next, now);
      next.sla_paused_at = now;
    } else if (clockStopped(from) && !clockStopped(to) && next.sla_paused_at !== null) {
      // What was left (or overdue) at the pause is left (or overdue) now, in business time.
      const at = next.sla_paused_at;
      const resume = (instant: number) => time.add(now, time.between(at, instant));
      next.response_due_at = resume(next.response_due_at);
      next.response_warn_at = resume(next.response_warn_at);
      next.resolution_due_at = resume(next.resolution_due_at);
      next.resolution_warn_at = resume(next.resolution_warn_at);
      next.sla_paused_at = null;
    }
    return withDueSort(next);
  },

  /** Priority change: the targets change and deadlines are recomputed from the time already used. */
  onPriority(f: SlaFields, targets: SlaTargets, now: number): SlaFields {
    const time = targets.time ?? ALWAYS;
    const next = { ...f };
    const at = f.sla_paused_at ?? now;
    const usedResponse = f.sla_response_ms - time.between(at, f.response_due_at);
    const usedResolution = f.sla_resolution_ms - time.between(at, f.resolution_due_at);
    next.sla_response_ms = targets.firstResponseMs;
    next.sla_resolution_ms = targets.resolutionMs;
    next.response_due_at = time.add(at, targets.firstResponseMs - usedResponse);
    next.response_warn_at = warnAt(time, next.response_due_at, targets.firstResponseMs);
    next.resolution_due_at = time.add(at, targets.resolutionMs - usedResolution);
    next.resolution_warn_at = warnAt(time, next.resolution_due_at, targets.resolutionMs);
    // A breach under the old target that the new one no longer has is forgiven (and may fire again).
    if (f.first_response_at === null && next.response_breached_at !== null && next.response_due_at > at) next.response_breached_at = null;
    if (next.resolution_breached_at !== null && next.resolution_due_at > at) next.resolution_breached_at = null;
    return withDueSort(next);
  },

  /**
   * The queue's business hours changed (calendar edited, holiday added or removed, another calendar
   * attached): each running timer keeps the business time it had left under the old hours, laid out
   * again from `now` on the new ones. Paused, met and breached (or already overdue) timers keep
   * their instants. Null when nothing runs.
   */
  onCalendar(f: SlaFields, from: BusinessTime, to: BusinessTime, now: number): SlaFields | null {
    return rewriteRunning(f, now, (_timer, due, target) => {
      const due2 = to.add(now, from.between(now, due));
      return { due: due2, warn: warnAt(to, due2, target), target };
    });
  },

  /** A policy's targets changed: each running timer is re-laid from the time it already used. */
  onTargets(f: SlaFields, targets: SlaTargets, now: number): SlaFields | null {
    const time = targets.time ?? ALWAYS;
    return rewriteRunning(f, now, (timer, due, target) => {
      const next = timer === 'response' ? targets.firstResponseMs : targets.resolutionMs;
      if (next === target) return null;
      const due2 = time.add(now, next - (target - time.between(now, due)));
      return { due: due2, warn: warnAt(time, due2, next), target: next };
    });
  },

  /** The first public reply stops the first-response timer. */
  onPublicReply(f: SlaFields, now: number): SlaFields {
    if (f.first_response_at !== null) return f;
    const next = { ...f, first_response_at: now };
    if (next.response_breached_at === null && f.sla_paused_at === null && now >= f.response_due_at) next.response_breached_at = now;
    return withDueSort(next);
  },

  /** ok / warning (80 % elapsed) / breached, as of `now`. */
  state(f: SlaFields, status: TicketStatus | string, now: number): SlaState {
    if (f.response_breached_at !== null || f.resolution_breached_at !== null) return 'breached';
    if (status === 'resolved' || status === 'closed') return 'ok';
    const at = f.sla_paused_at ?? now;
    const responseRunning = f.first_response_at === null;
    if ((responseRunning && at >= f.response_due_at) || at >= f.resolution_due_at) return 'breached';
    if ((responseRunning && at >= f.response_warn_at) || at >= f.resolution_warn_at) return 'warning';
    return 'ok';
  },
};

type Rewrite = (timer: 'response' | 'resolution', due: number, target: number) => { due: number; warn: number; target: number } | null;

/** Rewrites the timers that run now (not paused, not met, not breached nor overdue); null when none changes. */
function rewriteRunning(f: SlaFields, now: number, rewrite: Rewrite): SlaFields | null {
  if (f.sla_paused_at !== null) return null;
  const next = { ...f };
  let changed = false;
  if (f.first_response_at === null && f.response_breached_at === null && f.response_due_at > now) {
    const r = rewrite('response', f.response_due_at, f.sla_response_ms);
    if (r && (r.due !== f.response_due_at || r.target !== f.sla_response_ms)) {
      Object.assign(next, { response_due_at: r.due, response_warn_at: r.warn, sla_response_ms: r.target });
      changed = true;
    }
  }
  if (f.resolution_breached_at === null && f.resolution_due_at > now) {
    const r = rewrite('resolution', f.resolution_due_at, f.sla_resolution_ms);
    if (r && (r.due !== f.resolution_due_at || r.target !== f.sla_resolution_ms)) {
      Object.assign(next, { resolution_due_at: r.due, resolution_warn_at: r.warn, sla_resolution_ms: r.target });
      changed = true;
    }
  }
  return changed ? withDueSort(next) : null;
}

function markLate(f: SlaFields, now: number): SlaFields {
  if (f.sla_paused_at !== null) return f;
  const next = { ...f };
  if (next.first_response_at === null && next.response_breached_at === null && now >= next.response_due_at) next.response_breached_at = now;
  if (next.resolution_breached_at === null && now >= next.resolution_due_at) next.resolution_breached_at = now;
  return next;
}

function withDueSort(f: SlaFields): SlaFields {
  if (f.sla_paused_at !== null) return { ...f, due_sort: DUE_NONE };
  const due = f.first_response_at === null ? Math.min(f.response_due_at, f.resolution_due_at) : f.resolution_due_at;
  return { ...f, due_sort: due };
}

