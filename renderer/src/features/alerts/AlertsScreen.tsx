import { useEffect, useState } from 'react';
import { ALERT_STATUSES, SEVERITIES, type Alert } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { useNow } from '../../ui/hooks';
import { relativeTime, titleCase } from '../../lib/format';
import {
  acknowledge,
  focusAlert,
  groupBySeverity,
  loadAlerts,
  resolveAlert,
  setAlertFilter,
  setSound,
  useAlerts,
  visibleAlerts,
} from './slice';
import { updateSettings } from '../auth/session';
import { navigate } from '../shell/ui';
import { toast } from '../../ui/toasts';
import { loadQueueMeta, useTickets } from '../queues/slice';

export function Alerts({ focusId }: { focusId: string | null }) {
  const loading = useAlerts((s) => s.loading);
  const error = useAlerts((s) => s.error);
  const all = useAlerts((s) => s.alerts);
  const statusFilter = useAlerts((s) => s.statusFilter);
  const severityFilter = useAlerts((s) => s.severityFilter);
  const text = useAlerts((s) => s.text);
  const sound = useAlerts((s) => s.sound);
  const focusedId = useAlerts((s) => s.focusedId);
  const [silencing, setSilencing] = useState<Alert | null>(null);
  const now = useNow(10_000);
  const visible = visibleAlerts({
    alerts: all,
    statusFilter,
    severityFilter,
    text,
    loading,
    error,
    focusedId,
    sound,
  });
  const groups = groupBySeverity(visible);
  const focused = focusedId ? all.find((a) => a.id === focusedId) : undefined;

  useEffect(() => {
    void loadAlerts();
    if (!useTickets.getState().users.length) void loadQueueMeta();
  }, []);
  useEffect(() => {
    focusAlert(focusId);
  }, [focusId]);
  useEffect(() => {
    if (focusedId) document.getElementById(`alert-${focusedId}`)?.scrollIntoView({ block: 'center' });
  }, [focusedId, all.length]);

  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  return (
    <section aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">Alerts</h1>
        <span className="muted" aria-live="polite" data-testid="alert-count">
          {visible.length} shown
        </span>
        <span className="spacer" />
        <label className="inline">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSound(e.target.checked);
              void updateSettings({ notifications: { sound: e.target.checked } }).catch((err) =>
                toast(errorMessage(err), 'error'),
              );
            }}
          />
          Sound for critical alerts
        </label>
      </div>
      <div className="toolbar" role="group" aria-label="Filters">
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sr-only">Status</legend>
          {ALERT_STATUSES.map((s) => (
            <label key={s} className="inline">
              <input
                type="checkbox"
                checked={statusFilter.includes(s)}
                onChange={() => setAlertFilter({ statusFilter: toggle(statusFilter, s) })}
              />{' '}
              {titleCase(s)}
            </label>
          ))}
        </fieldset>
        <span aria-hidden className="muted">
          |
        </span>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sr-only">Severity</legend>
          {[...SEVERITIES].reverse().map((s) => (
            <label key={s} className="inline">
              <input
                type="checkbox"
                checked={severityFilter.includes(s)}
                onChange={() => setAlertFilter({ severityFilter: toggle(severityFilter, s) })}
              />{' '}
              <span className={`sev sev-${s}`}>{s}</span>
            </label>
          ))}
        </fieldset>
        <label className="inline">
          <span className="sr-only">Filter by text or label</span>
          <input
            type="search"
            placeholder="Filter: title or label=value"
            value={text}
            onChange={(e) => setAlertFilter({ text: e.target.value })}
          />
        </label>
      </div>
      {error && (
        <div className="state error" role="alert">
          {error} <button onClick={() => void loadAlerts()}>Try again</button>
        </div>
      )}
      {loading && all.length === 0 && (
        <div className="state" role="status">
          <span className="spinner" aria-hidden /> Loading alerts…
        </div>
      )}
      {focused && !visible.includes(focused) && (
        <>
          <h2>Opened alert</h2>
          <AlertCard a={focused} now={now} focused onSilence={setSilencing} />
        </>
      )}
      {!loading && !error && groups.length === 0 && (
        <div className="state">No alerts match these filters. New alerts appear here as they fire.</div>
      )}
      {groups.map((g) => (
        <section key={g.severity} className="sev-group" aria-label={`${g.severity} alerts`}>
          <h2>
            <span className={`sev sev-${g.severity}`}>
              <span className="sev-dot" aria-hidden /> {g.severity}
            </span>
            <span className="badge neutral" data-testid={`count-${g.severity}`}>
              {g.alerts.length}
            </span>
          </h2>
          {g.alerts.map((a) => (
            <AlertCard key={a.id} a={a} now={now} focused={a.id === focusedId} onSilence={setSilencing} />
          ))}
        </section>
      ))}
      {silencing && <SilenceDialog alert={silencing} onClose={() => setSilencing(null)} />}
    </section>
  );
}

function AlertCard({
  a,
  now,
  focused,
  onSilence,
}: {
  a: Alert;
  now: number;
  focused: boolean;
  onSilence: (a: Alert) => void;
}) {
  const [busy, setBusy] = useState(false);
  const users = useTickets((s) => s.users);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      toast(done, 'ok');
    } catch (e) {
      toast(errorMessage(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <article
      id={`alert-${a.id}`}
      className={`alert-card ${a.severity}${focused ? ' focused' : ''}`}
      aria-label={a.title}
      data-testid="alert-card"
      data-alert-id={a.id}
      data-status={a.status}
    >
      <div style={{ minWidth: 0 }}>
        <div className="row">
          <strong>{a.title}</strong>
          <span
            className={`badge ${a.status === 'firing' ? 'bad' : a.status === 'acknowledged' ? 'warn' : a.status === 'resolved' ? 'ok' : 'neutral'}`}
          >
            {a.status}
          </span>
          {a.pending && <span className="pending-mark">pending sync</span>}
          {a.count > 1 && <span className="muted">×{a.count}</span>}
        </div>
        {a.description && <div className="muted">{a.description}</div>}
        <div className="labels" aria-label="Labels">
          {Object.entries(a.labels).map(([k, v]) => (
            <span key={k}>
              {k}={v}
            </span>
          ))}
        </div>
        <div className="muted" style={{ fontSize: 12.5 }}>
          {a.source && `${a.source} · `}first {relativeTime(a.firstSeenAt, now)} · last{' '}
          {relativeTime(a.lastSeenAt, now)}
          {a.acknowledgedBy &&
            ` · acknowledged by ${users.find((u) => u.id === a.acknowledgedBy || u.email === a.acknowledgedBy)?.name ?? a.acknowledgedBy}`}
        </div>
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        {a.status === 'firing' && (
          <button
            className="primary small"
            disabled={busy}
            onClick={() => act(() => acknowledge(a.id), 'Acknowledged')}
          >
            Acknowledge
          </button>
        )}
        {a.status !== 'resolved' && (
          <button className="small" disabled={busy} onClick={() => act(() => resolveAlert(a.id), 'Resolved')}>
            Resolve
          </button>
        )}
        <button className="small" disabled={busy} onClick={() => onSilence(a)}>
          Silence…
        </button>
        {a.incidentId ? (
          <button className="small" onClick={() => navigate({ screen: 'incidents', id: a.incidentId! })}>
            Open incident
          </button>
        ) : (
          <button
            className="small"
            disabled={busy}
            onClick={() =>
              act(async () => {
                const inc = await call('incidents.create', {
                  title: a.title,
                  description: a.description || undefined,
                  alertIds: [a.id],
                });
                navigate({ screen: 'incidents', id: inc.id });
              }, 'Incident created')
            }
          >
            Create incident
          </button>
        )}
      </div>
    </article>
  );
}

const DURATIONS: [number, string][] = [
  [15, '15 minutes'],
  [60, '1 hour'],
  [240, '4 hours'],
  [1440, '1 day'],
  [10080, '1 week'],
];

function SilenceDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
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
            const s = await call('alerts.silence', { matchers, durationMinutes: minutes, comment });
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
        <label>
          Duration
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {DURATIONS.map(([m, l]) => (
              <option key={m} value={m}>
                {l}
              </option>
            ))}
          </select>
          <span className="field-hint">Ends {new Date(now + minutes * 60_000).toLocaleString()}</span>
        </label>
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
