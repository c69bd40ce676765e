import { DateTime } from 'luxon';
import type { ScheduleShifts, Shift } from '../../../../shared/api/oncall';
import { weekDays } from './slice';

/** A stable, readable colour per person, so one person's shifts look alike across the rows. */
function hue(userId: string): number {
  let h = 0;
  for (const c of userId) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function span(s: Shift, zone: string): string {
  const f = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm');
  return `${f(s.start)} – ${f(s.end)}`;
}

function Row({
  label,
  shifts,
  from,
  to,
  zone,
}: {
  label: string;
  shifts: Shift[];
  from: number;
  to: number;
  zone: string;
}) {
  const pct = (ms: number) => `${(Math.min(Math.max(ms, from), to) - from) / ((to - from) / 100)}%`;
  return (
    <div className="cal-row" role="row">
      <div className="cal-label" role="rowheader">
        {label}
      </div>
      <div className="cal-track" role="cell">
        {shifts.length === 0 && <span className="muted cal-empty">nobody</span>}
        {shifts
          .filter((s) => s.end > from && s.start < to)
          .map((s) => (
            <div
              key={`${s.userId}-${s.start}-${s.overrideId ?? s.rotationId}`}
              className={`cal-shift${s.layer === 'override' ? ' override' : ''}`}
              style={{
                left: pct(s.start),
                width: `calc(${pct(s.end)} - ${pct(s.start)})`,
                background: `hsl(${hue(s.userId)} 65% 84%)`,
              }}
              title={`${s.userName}: ${span(s, zone)}${s.layer === 'override' ? ' (override)' : ''}`}
              aria-label={`${s.userName}, ${span(s, zone)}${s.layer === 'override' ? ', override' : ''}`}
              data-testid="cal-shift"
            >
              {s.layer === 'override' && <span aria-hidden>⇄ </span>}
              {s.userName}
            </div>
          ))}
      </div>
    </div>
  );
}

/** A week of shifts in the schedule's time zone: one row per layer, then the final layer (overrides marked ⇄, striped). */
export function WeekCalendar({ data, weekStart }: { data: ScheduleShifts; weekStart: number }) {
  const zone = data.timeZone;
  const days = weekDays(weekStart, zone);
  const from = days[0]!;
  const to = days[7]!;
  const dayPct = (ms: number) => `${((ms - from) / (to - from)) * 100}%`;
  return (
    <div
      className="cal"
      role="table"
      aria-label={`Shifts, week of ${DateTime.fromMillis(from, { zone }).toFormat('d LLL yyyy')} (${zone})`}
    >
      <div className="cal-row cal-head" role="row">
        <div className="cal-label" role="columnheader">
          {zone}
        </div>
        <div className="cal-track" role="columnheader">
          {days.slice(0, 7).map((d, i) => (
            <div
              key={d}
              className="cal-day"
              style={{ left: dayPct(d), width: `calc(${dayPct(days[i + 1]!)} - ${dayPct(d)})` }}
            >
              {DateTime.fromMillis(d, { zone }).toFormat('ccc d LLL')}
            </div>
          ))}
        </div>
      </div>
      {data.layers.map((l) => (
        <Row key={l.layer} label={`Layer ${l.layer}`} shifts={l.shifts} from={from} to={to} zone={zone} />
      ))}
      <Row label="Final (who is paged)" shifts={data.final} from={from} to={to} zone={zone} />
      <div className="cal-legend muted">
        ⇄ striped, dashed: an override (it covers every layer). Higher layers cover lower ones; the final row
        is who gets paged.
      </div>
      <div className="cal-grid" aria-hidden>
        {days.slice(1, 7).map((d) => (
          <span
            key={d}
            style={{
              left: `calc(var(--cal-label) + (100% - var(--cal-label)) * ${(d - from) / (to - from)})`,
            }}
          />
        ))}
      </div>
    </div>
  );
}
