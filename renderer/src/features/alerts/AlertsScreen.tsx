import { useEffect, useState } from 'react';
import { CACHED_ALERT_STATUSES as ALERT_STATUSES, SEVERITIES } from '../../../../shared/domain/alerts';
import type { Alert } from '../../../../shared/ipc';
import { errorMessage } from '../../api';
import { useNow } from '../../ui/hooks';
import { relativeTime, titleCase } from '../../lib/format';
import {
  acknowledge,
  createIncidentFrom,
  focusAlert,
  groupBySeverity,
  loadAlerts,
  ownAlert,
  resolveAlert,
  setAlertFilter,
  setSound,
  toggleGroup,
  toggleSelected,
  useAlerts,
  visibleAlerts,
} from './slice';
import { updateSettings } from '../auth/session';
import { navigate } from '../shell/ui';
import { toast } from '../../ui/toasts';
import { loadQueueMeta } from '../queues/actions';
import { useTickets } from '../queues/store';
import { BulkBar } from './BulkBar';
import { SilenceDialog } from './SilenceDialog';

export function Alerts({ focusId }: { focusId: string | null }) {
  const loading = useAlerts((s) => s.loading);
  const error = useAlerts((s) => s.error);
  const all = useAlerts((s) => s.alerts);
  const statusFilter = useAlerts((s) => s.statusFilter);
  const severityFilter = useAlerts((s) => s.severityFilter);
  const text = useAlerts((s) => s.text);
  const sound = useAlerts((s) => s.sound);
  const focusedId = useAlerts((s) => s.focusedId);
  const selected = useAlerts((s) => s.selected);
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
  // A popup click opens its alert focused (Linux popups have no buttons): one key, `a`, acknowledges it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement &&
        e.target.closest('input, textarea, select, [contenteditable="true"]');
      if (e.key !== 'a' || e.ctrlKey || e.metaKey || e.altKey || typing || focused?.status !== 'firing')
        return;
      e.preventDefault();
      acknowledge(focused.id).then(
        () => toast('Acknowledged', 'ok'),
        (err: unknown) => toast(errorMessage(err), 'error'),
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focused?.id, focused?.status]);

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
          <AlertCard
            a={focused}
            now={now}
            focused
            selected={selected.includes(focused.id)}
            onSilence={setSilencing}
          />
        </>
      )}
      <BulkBar />
      {!loading && !error && groups.length === 0 && (
        <div className="state">No alerts match these filters. New alerts appear here as they fire.</div>
      )}
      {groups.map((g) => (
        <section key={g.severity} className="sev-group" aria-label={`${g.severity} alerts`}>
          <h2>
            <input
              type="checkbox"
              aria-label={`Select all ${g.severity} alerts`}
              checked={g.alerts.every((a) => selected.includes(a.id))}
              onChange={() => toggleGroup(g.alerts.map((a) => a.id))}
            />
            <span className={`sev sev-${g.severity}`}>
              <span className="sev-dot" aria-hidden /> {g.severity}
            </span>
            <span className="badge neutral" data-testid={`count-${g.severity}`}>
              {g.alerts.length}
            </span>
          </h2>
          {g.alerts.map((a) => (
            <AlertCard
              key={a.id}
              a={a}
              now={now}
              focused={a.id === focusedId}
              selected={selected.includes(a.id)}
              onSilence={setSilencing}
            />
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
  selected,
  onSilence,
}: {
  a: Alert;
  now: number;
  focused: boolean;
  selected: boolean;
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
          <input
            type="checkbox"
            aria-label={`Select ${a.title}`}
            checked={selected}
            onChange={() => toggleSelected(a.id)}
          />
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
          {a.owner && <strong data-testid="alert-owner"> · owner: {a.owner}</strong>}
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
          <button
            className="small"
            disabled={busy}
            onClick={() => act(() => ownAlert(a), 'You own it: escalation pages only you')}
          >
            I'm on it
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
              act(
                async () => navigate({ screen: 'incidents', id: await createIncidentFrom(a) }),
                'Incident created',
              )
            }
          >
            Create incident
          </button>
        )}
      </div>
    </article>
  );
}
