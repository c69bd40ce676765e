import type { Alert } from '../../../shared/api/alerts';
import type { Message } from './senders';

/** An alert as every channel sends it: subject, plain text and HTML (escaped), with the alert for popups. */
export function renderMessage(alert: Alert, levelName: string | null): Message {
  const head = `[${alert.severity.toUpperCase()}] ${alert.name}`;
  const lines = [
    alert.summary,
    alert.description ?? '',
    `Status: ${alert.status}${alert.count > 1 ? ` (${alert.count} occurrences)` : ''}`,
    alert.value !== null ? `Value: ${alert.value}` : '',
    Object.keys(alert.labels).length ? `Labels: ${Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ')}` : '',
    levelName ? `Escalation: ${levelName}` : '',
    `Alert id: ${alert.id}`,
  ].filter(Boolean);
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return { subject: `${head}: ${alert.summary}`.slice(0, 250), text: lines.join('\n'), html: `<h3>${esc(head)}</h3><p>${lines.map(esc).join('<br>')}</p>`, severity: alert.severity, alertId: alert.id, data: alert };
}
