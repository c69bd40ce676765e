import type { Alert } from '../../../shared/ipc';
import { routePath } from '../api/route-forwarder';
import { httpError, type ApiClient, type ApiResponse } from '../api/api-client';
import { CoreError } from '../errors';
import type { Cache } from '../cache/cache';
import type { OutboxRow } from '../cache/outbox-repo';
import { parseAlert, parseSilence } from '../cache/records';

// The outbox's alert items: acknowledge and resolve (one alert, batched) and bulk silence (one POST).

/** An alert as it shows at once when acknowledged or resolved offline, and as it was. */
export function alertLocally(cache: Cache, alertId: string, action: 'acknowledge' | 'resolve', me: { email: string } | null, now: number): { before: Alert; updated: Alert } {
  const before = cache.alert(alertId);
  if (!before) throw new CoreError('not_found', 'Alert not found in the local cache');
  const updated: Alert =
    action === 'acknowledge'
      ? { ...before, status: before.status === 'resolved' ? 'resolved' : 'acknowledged', acknowledgedAt: now, acknowledgedBy: me?.email ?? null }
      : { ...before, status: 'resolved', resolvedAt: now };
  return { before, updated };
}

/** Sends a queued acknowledge or resolve; a 409 (already done by someone) takes the server's alert. Answers the alert. */
export async function sendAlertAction(api: ApiClient, cache: Cache, row: OutboxRow, write: (route: 'alerts.ack' | 'alerts.resolve') => Promise<ApiResponse<unknown>>, done: () => void): Promise<Alert> {
  const res = await write(row.kind === 'alert.acknowledge' ? 'alerts.ack' : 'alerts.resolve');
  let data = res.data;
  if (res.status === 409) data = (await api.request('GET', routePath('alerts.get', { id: row.target_id }))).data;
  else if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
  const alert = parseAlert(data);
  cache.transaction(() => {
    cache.upsertAlert(alert);
    done();
  });
  return alert;
}

/** What a bulk silence asks the server for (POST /silences/bulk). */
export interface SilenceRequest {
  ids: string[];
  mode: 'cover' | 'each';
  durationMinutes: number;
  comment: string;
}

/** The selected cached alerts shown silenced at once (firing ones), and their statuses before, to put back on discard. */
export function silenceLocally(cache: Cache, ids: string[]): { alerts: Alert[]; base: Record<string, Alert['status']> } {
  const alerts: Alert[] = [];
  const base: Record<string, Alert['status']> = {};
  for (const id of ids) {
    const a = cache.alert(id);
    if (!a) continue;
    base[id] = a.status;
    alerts.push(a.status === 'firing' ? { ...a, status: 'silenced' } : a);
  }
  return { alerts, base };
}

export function restoreStatuses(cache: Cache, base: string | null): void {
  for (const [id, status] of Object.entries(JSON.parse(base ?? '{}') as Record<string, Alert['status']>)) {
    const a = cache.alert(id);
    if (a) cache.upsertAlert({ ...a, status });
  }
}

/**
 * Sends a queued bulk silence with the item's Idempotency-Key (a retry never makes a second
 * silence); keeps the silences and the server's alerts in the cache; answers the alerts.
 */
export async function sendSilence(api: ApiClient, cache: Cache, row: OutboxRow, done: () => void): Promise<Alert[]> {
  const res = await api.send('POST', routePath('silences.bulk'), { body: JSON.parse(row.payload) as SilenceRequest, idempotencyKey: row.idempotency_key });
  if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
  const data = res.data as { silences: unknown[]; alerts: unknown[] };
  const alerts = data.alerts.map(parseAlert);
  cache.transaction(() => {
    for (const s of data.silences) cache.putSilence(parseSilence(s));
    for (const a of alerts) cache.upsertAlert(a);
    done();
  });
  return alerts;
}
