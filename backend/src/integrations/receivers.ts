import type { Severity } from '../../../shared/api/alerts';
import { SEVERITIES } from '../../../shared/api/alerts';
import type { AlertmanagerWebhook, GenericWebhook, GrafanaWebhook, IngestResult } from '../../../shared/api/integrations';
import type { Actor } from '../audit/audit-log';
import type { AlertService, RaiseInput } from '../alerts/alert-service';
import { fingerprintOf } from '../alerts/labels';

/** Maps the sender's `severity` label onto ours; Prometheus' common "warning"/"error"/"page" too. */
export function mapSeverity(raw: string | undefined, fallback: Severity = 'medium'): Severity {
  const v = (raw ?? '').toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  if (v === 'page' || v === 'emergency' || v === 'fatal' || v === 'disaster') return 'critical';
  if (v === 'error' || v === 'major') return 'high';
  if (v === 'warning' || v === 'warn' || v === 'minor') return 'medium';
  if (v === 'info' || v === 'information' || v === 'none') return 'low';
  return fallback;
}

/** Alertmanager's endsAt; its zero time (0001-01-01, "no end") and anything unparsable are none. */
function endTime(raw: string | undefined): number | null {
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(t) && t > 0 ? t : null;
}

interface ExternalAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
  value?: number | null;
}

/**
 * Alertmanager and Grafana both send grouped alerts with labels, annotations, startsAt and a
 * fingerprint; firing ones fire or deduplicate into ours, resolved ones resolve ours.
 */
async function ingestExternal(alerts: AlertService, source: 'alertmanager' | 'grafana', items: ExternalAlert[], actor: Actor): Promise<IngestResult> {
  const firing: RaiseInput[] = [];
  const resolved: string[] = [];
  for (const a of items) {
    const scope = `${source}:${a.fingerprint ?? ''}`;
    const fingerprint = a.fingerprint ? fingerprintOf(scope, {}) : fingerprintOf(source, a.labels);
    if (a.status === 'resolved') {
      resolved.push(fingerprint);
      continue;
    }
    const name = a.labels.alertname ?? a.labels.__alert_rule_title__ ?? 'unnamed alert';
    firing.push({
      source,
      scope,
      fingerprint,
      name,
      severity: mapSeverity(a.labels.severity),
      summary: a.annotations.summary ?? a.annotations.message ?? a.annotations.title ?? name,
      description: a.annotations.description ?? null,
      labels: a.labels,
      annotations: a.annotations,
      value: a.value ?? null,
      generatorUrl: a.generatorURL || null,
      startsAt: Date.parse(a.startsAt) || undefined,
      endsAt: endTime(a.endsAt),
    });
  }
  const raised = await alerts.raise(firing, actor);
  const closed = await alerts.resolveFingerprints(resolved, `resolved by ${source}`, actor);
  return {
    received: items.length,
    fired: raised.filter((r) => r.kind === 'fired').length,
    updated: raised.filter((r) => r.kind === 'updated').length,
    resolved: closed.length,
    ids: [...raised.map((r) => r.alert.id), ...closed.map((a) => a.id)],
  };
}

export function ingestAlertmanager(alerts: AlertService, body: AlertmanagerWebhook, actor: Actor): Promise<IngestResult> {
  return ingestExternal(alerts, 'alertmanager', body.alerts, actor);
}

export function ingestGrafana(alerts: AlertService, body: GrafanaWebhook, actor: Actor): Promise<IngestResult> {
  return ingestExternal(
    alerts,
    'grafana',
    body.alerts.map((a) => {
      const first = a.values ? Object.values(a.values).find((v) => typeof v === 'number') : undefined;
      return { ...a, value: first ?? null };
    }),
    actor,
  );
}

export async function ingestGeneric(alerts: AlertService, body: GenericWebhook, actor: Actor): Promise<IngestResult> {
  const items = 'alerts' in body ? body.alerts : [body];
  const firing: RaiseInput[] = [];
  const resolved: string[] = [];
  for (const a of items) {
    const scope = `generic:${a.source ?? ''}:${a.fingerprint ?? a.name}`;
    const fingerprint = a.fingerprint ? fingerprintOf(scope, {}) : fingerprintOf(scope, a.labels);
    if (a.status === 'resolved') resolved.push(fingerprint);
    else
      firing.push({ source: 'generic', scope, fingerprint, name: a.name, severity: a.severity, summary: a.summary, description: a.description, labels: a.labels, value: a.value ?? null });
  }
  const raised = await alerts.raise(firing, actor);
  const closed = await alerts.resolveFingerprints(resolved, 'resolved by sender', actor);
  return {
    received: items.length,
    fired: raised.filter((r) => r.kind === 'fired').length,
    updated: raised.filter((r) => r.kind === 'updated').length,
    resolved: closed.length,
    ids: [...raised.map((r) => r.alert.id), ...closed.map((a) => a.id)],
  };
}
