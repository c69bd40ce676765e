import { useState } from 'react';
import type { Alert } from '../../../../shared/ipc';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { useNow } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { silence } from './slice';

const DURATIONS: [number, string][] = [
  [15, '15 minutes'],
  [60, '1 hour'],
  [240, '4 hours'],
  [1440, '1 day'],
  [10080, '1 week'],
];

/** How long a silence lasts, with when it would end. */
export function DurationField({ minutes, onChange, now }: { minutes: number; onChange: (m: number) => void; now: number }) {
  return (
    <label>
      Duration
      <select value={minutes} onChange={(e) => onChange(Number(e.target.value))}>
        {DURATIONS.map(([m, l]) => (
          <option key={m} value={m}>
            {l}
          </option>
        ))}
      </select>
      <span className="field-hint">Ends {new Date(now + minutes * 60_000).toLocaleString()}</span>
    </label>
  );
}

export function SilenceDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const [selected, setSelected] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(Object.keys(alert.labels).map((k) => [k, true])),
  );
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...alert.labels }));
  const [minutes, setMinutes] = useState(60);
  const [comment, setComment] = useState(`Silencing “${alert.title}”`);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(30_000);
  const matchers = Object.keys(values)
    .filter((k) => selected[k])
    .map((k) => ({ label: k, value: values[k]!, regex: false }));
  return (
    <Dialog title="Silence alerts" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const s = await silence({ matchers, durationMinutes: minutes, comment });
            toast(`Silenced until ${new Date(s.endsAt).toLocaleString()}`, 'ok');
            onClose();
          } catch (err) {
            setError(errorMessage(err));
            setBusy(false);
          }
        }}
      >
        <fieldset style={{ border: '1px solid var(--border)', borderRadius: 6 }}>
          <legend>Matchers (prefilled from the alert&apos;s labels)</legend>
          {Object.keys(values).length === 0 && (
            <p className="field-error">This alert has no labels to match on.</p>
          )}
          {Object.keys(values).map((k) => (
            <div key={k} className="row" style={{ marginBottom: 4 }}>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={!!selected[k]}
                  onChange={(e) => setSelected({ ...selected, [k]: e.target.checked })}
                />{' '}
                <span className="mono">{k}</span> =
              </label>
              <label className="inline" style={{ flex: 1 }}>
                <span className="sr-only">Value for {k}</span>
                <input
                  className="mono"
                  value={values[k]}
                  onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                  disabled={!selected[k]}
                  style={{ width: '100%' }}
                />
              </label>
            </div>
          ))}
        </fieldset>
        <DurationField minutes={minutes} onChange={setMinutes} now={now} />
        <label>
          Comment
          <input required value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
        </label>
        {matchers.length === 0 && <span className="field-error">Choose at least one matcher.</span>}
        {error && <div className="alert-box error">{error}</div>}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={busy || matchers.length === 0}>
            Silence
          </button>
        </div>
      </form>
    </Dialog>
  );
}
