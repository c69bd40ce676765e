import { Checkbox, FormActions, TextField } from '../../ui/form';
import { useState } from 'react';
import { ErrorBox } from '../../ui/feedback';
import { useAction, useNow } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { scheduleWindow } from './slice';

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function ScheduleForm() {
  const [start] = useState(() => Math.ceil((Date.now() + 3600_000) / 900_000) * 900_000);
  const [title, setTitle] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [startsAt, setStartsAt] = useState(toLocalInput(start));
  const [endsAt, setEndsAt] = useState(toLocalInput(start + 2 * 3600_000));
  const [recurring, setRecurring] = useState(false);
  const [cron, setCron] = useState('0 2 * * 0');
  const [services, setServices] = useState('');
  const [silence, setSilence] = useState(true);
  const a = useAction();
  const now = useNow(60_000);
  const s = new Date(startsAt).getTime();
  const e = new Date(endsAt).getTime();
  const orderError =
    Number.isFinite(s) && Number.isFinite(e) && e <= s ? 'The end must be after the start.' : null;
  const cronError =
    recurring && cron.trim().split(/\s+/).length < 5
      ? 'A cron expression has five fields: minute hour day month weekday.'
      : null;
  return (
    <section aria-labelledby="sch-title">
      <h1 id="sch-title">Schedule maintenance</h1>
      <form
        className="form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (orderError || cronError) return;
          void a.run(async () => {
            await scheduleWindow({
              title,
              announcement,
              startsAt: s,
              endsAt: e,
              cron: recurring ? cron.trim() : undefined,
              timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
              services: services
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
              silenceAlerts: silence,
            });
            toast('Maintenance scheduled', 'ok');
            navigate({ screen: 'maintenance' });
          });
        }}
      >
        <TextField label="Title" required value={title} onChange={setTitle} maxLength={200} />
        <label>
          Announcement
          <textarea
            value={announcement}
            onChange={(ev) => setAnnouncement(ev.target.value)}
            placeholder="What users will see"
          />
        </label>
        <fieldset className="row" style={{ border: 0, padding: 0 }}>
          <legend className="sr-only">Kind</legend>
          <label className="inline">
            <input type="radio" checked={!recurring} onChange={() => setRecurring(false)} /> One-off
          </label>
          <label className="inline">
            <input type="radio" checked={recurring} onChange={() => setRecurring(true)} /> Recurring
          </label>
        </fieldset>
        <div className="row">
          <label>
            {recurring ? 'First start' : 'Starts'}
            <input
              type="datetime-local"
              required
              value={startsAt}
              onChange={(ev) => setStartsAt(ev.target.value)}
            />
          </label>
          <label>
            Ends
            <input
              type="datetime-local"
              required
              value={endsAt}
              onChange={(ev) => setEndsAt(ev.target.value)}
              aria-invalid={!!orderError}
            />
          </label>
        </div>
        {orderError && <span className="field-error">{orderError}</span>}
        {!orderError && Number.isFinite(s) && s - now < 48 * 3600_000 && (
          <span className="field-hint" role="note">
            Less than the manual&apos;s 48 hours&apos; notice: everyone is told when you schedule it.
          </span>
        )}
        {!orderError && Number.isFinite(s) && s - now >= 48 * 3600_000 && (
          <span className="field-hint" role="note">
            Everyone is told now, and again 48 hours before it starts.
          </span>
        )}
        {recurring && (
          <label>
            Repeats (cron, for the start)
            <input
              className="mono"
              value={cron}
              onChange={(ev) => setCron(ev.target.value)}
              aria-invalid={!!cronError}
            />
            <span className={cronError ? 'field-error' : 'field-hint'}>
              {cronError ?? 'e.g. 0 2 * * 0 = Sundays at 02:00; each occurrence lasts as long as the first.'}
            </span>
          </label>
        )}
        <TextField
          label="Services in scope"
          value={services}
          onChange={setServices}
          placeholder="api, worker (comma separated)"
        />
        <Checkbox checked={silence} onChange={setSilence}>
          Silence alerts of these services during the window
        </Checkbox>
        <ErrorBox error={a.error} />
        <FormActions onCancel={() => navigate({ screen: 'maintenance' })} busy={a.busy} submit="Schedule" />
      </form>
    </section>
  );
}
