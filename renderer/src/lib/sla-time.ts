import { calendarRules, type QueueCalendar } from '../../../shared/api/calendars';
import { ALWAYS, businessTime, type BusinessTime } from '../../../shared/domain/business-hours';

const compiled = new Map<string, BusinessTime>();

/**
 * How a queue's SLA clock runs, from the calendar its queue record carries: the same shared
 * arithmetic the server computed the deadlines with, so a countdown shows business time left.
 */
export function slaTimeOf(calendar: QueueCalendar | null | undefined): BusinessTime {
  if (!calendar) return ALWAYS;
  const key = JSON.stringify(calendar);
  let time = compiled.get(key);
  if (!time) {
    try {
      time = businessTime(calendarRules(calendar));
    } catch (err) {
      // A calendar this build cannot read (an unknown zone): count around the clock, and say so once.
      console.warn('SLA calendar not usable, counting 24×7', calendar.name, err);
      time = ALWAYS;
    }
    compiled.set(key, time);
  }
  return time;
}

/** Business time left until `dueAt` (negative when overdue) and whether the clock runs right now. */
export function businessLeft(time: BusinessTime, dueAt: number, now: number): { left: number; running: boolean } {
  return { left: time.between(now, dueAt), running: time.running(now) };
}
