import { create } from 'zustand';
import type { Alert, AlertStatus, ChannelRequest, Severity } from '../../../../shared/ipc';
import { ACTIVE_ALERT_STATUSES, SEVERITIES } from '../../../../shared/domain/alerts';
import { call, errorMessage } from '../../api';

interface AlertSlice {
  alerts: Alert[];
  loading: boolean;
  error: string | null;
  statusFilter: AlertStatus[];
  severityFilter: Severity[];
  text: string;
  focusedId: string | null;
  sound: boolean;
  /** Alerts picked for bulk work (a selection, or a whole group). */
  selected: string[];
}

export const useAlerts = create<AlertSlice>(() => ({
  alerts: [],
  loading: false,
  error: null,
  statusFilter: [...ACTIVE_ALERT_STATUSES],
  severityFilter: [],
  text: '',
  focusedId: null,
  sound: false,
  selected: [],
}));

// ── derived ─────────────────────────────────────────────────────────────────────────────────────
export function visibleAlerts(s: Omit<AlertSlice, 'selected'>): Alert[] {
  const q = s.text.trim().toLowerCase();
  return s.alerts.filter(
    (a) =>
      (!s.statusFilter.length || s.statusFilter.includes(a.status)) &&
      (!s.severityFilter.length || s.severityFilter.includes(a.severity)) &&
      (!q ||
        a.title.toLowerCase().includes(q) ||
        Object.entries(a.labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q))),
  );
}
/** Groups by severity, most severe first, each group newest first, with counts. */
export function groupBySeverity(alerts: Alert[]): { severity: Severity; alerts: Alert[] }[] {
  return [...SEVERITIES]
    .reverse()
    .map((severity) => ({
      severity,
      alerts: alerts.filter((a) => a.severity === severity).sort((a, b) => b.lastSeenAt - a.lastSeenAt),
    }))
    .filter((g) => g.alerts.length > 0);
}

export async function loadAlerts(): Promise<void> {
  useAlerts.setState({ loading: true, error: null });
  try {
    const [res, settings] = await Promise.all([call('alerts.list', { limit: 2000 }), call('settings.get')]);
    useAlerts.setState({ alerts: res.items, loading: false, sound: settings.notifications.sound });
  } catch (e) {
    useAlerts.setState({ loading: false, error: errorMessage(e) });
  }
}

/** alerts.changed: upsert without a reload; new alerts appear live. */
export function onAlertChanged({ alert }: { alert: Alert }): void {
  useAlerts.setState((s) => {
    const i = s.alerts.findIndex((a) => a.id === alert.id);
    if (i === -1) return { alerts: [alert, ...s.alerts] };
    const alerts = s.alerts.slice();
    alerts[i] = alert;
    return { alerts };
  });
  if (alert.status === 'firing' && alert.severity === 'critical' && useAlerts.getState().sound) beep();
}

export function focusAlert(id: string | null): void {
  useAlerts.setState({ focusedId: id });
  if (id && !useAlerts.getState().alerts.some((a) => a.id === id)) {
    void call('alerts.get', { id })
      .then((alert) => onAlertChanged({ alert }))
      .catch((e: unknown) => console.warn('alerts: the focused alert could not be read', e));
  }
}

export async function acknowledge(id: string): Promise<void> {
  onAlertChanged({ alert: await call('alerts.acknowledge', { id }) });
}
/** "I'm on it": the signed-in user owns the alert (shown to everyone; escalation pages only them). */
export async function ownAlert(alert: Alert): Promise<void> {
  const owned = await call('api.alerts.own', { params: { id: alert.id } });
  onAlertChanged({ alert: { ...alert, owner: owned.ownerName } });
}
export async function resolveAlert(id: string): Promise<void> {
  onAlertChanged({ alert: await call('alerts.resolve', { id }) });
}

// ── bulk work ───────────────────────────────────────────────────────────────────────────────────
export const toggleSelected = (id: string) =>
  useAlerts.setState((s) => ({
    selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id],
  }));
/** Selects every one of `ids`, or clears them when all are selected already (a group's checkbox). */
export const toggleGroup = (ids: string[]) =>
  useAlerts.setState((s) => {
    const all = ids.every((id) => s.selected.includes(id));
    return {
      selected: all ? s.selected.filter((x) => !ids.includes(x)) : [...new Set([...s.selected, ...ids])],
    };
  });
export const clearSelection = () => useAlerts.setState({ selected: [] });

/**
 * Acknowledges or resolves the selected alerts, each through the outbox (works offline, like one
 * alert's button); answers how many were done and the first refusal. Done ones leave the selection.
 */
export async function bulkAct(
  action: 'acknowledge' | 'resolve',
): Promise<{ done: number; failed: number; firstError: string | null }> {
  const ids = useAlerts.getState().selected;
  let done = 0;
  let firstError: string | null = null;
  for (const id of ids) {
    try {
      onAlertChanged({
        alert: await call(action === 'acknowledge' ? 'alerts.acknowledge' : 'alerts.resolve', { id }),
      });
      done++;
      useAlerts.setState((s) => ({ selected: s.selected.filter((x) => x !== id) }));
    } catch (e) {
      firstError ??= errorMessage(e);
    }
  }
  return { done, failed: ids.length - done, firstError };
}

/** Silences the given alerts through the outbox (one covering silence or one per alert); done ones leave the selection. */
export async function silenceSelected(ids: string[], mode: 'cover' | 'each', durationMinutes: number, comment: string): Promise<number> {
  const shown = await call('alerts.silenceMany', { ids, mode, durationMinutes, comment });
  for (const alert of shown) onAlertChanged({ alert });
  useAlerts.setState((s) => ({ selected: s.selected.filter((x) => !ids.includes(x)) }));
  return shown.length;
}

export const setAlertFilter = (
  patch: Partial<Pick<AlertSlice, 'statusFilter' | 'severityFilter' | 'text'>>,
) => useAlerts.setState(patch);
export const setSound = (sound: boolean) => useAlerts.setState({ sound });

let ctx: AudioContext | null = null;
function beep(): void {
  try {
    ctx ??= new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.value = 0.05;
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.2);
  } catch (e) {
    // Audio can be unavailable (no output device); the visual feed is unaffected.
    console.warn('alerts: no sound for the critical alert', e);
  }
}

/** Opens an incident for the alert (linked to it); answers the incident's id. */
export async function createIncidentFrom(a: Alert): Promise<string> {
  const inc = await call('api.incidents.create', {
    body: { title: a.title, description: a.description || undefined, alertIds: [a.id] },
  });
  return inc.id;
}

export const silence = (req: ChannelRequest<'alerts.silence'>) => call('alerts.silence', req);
