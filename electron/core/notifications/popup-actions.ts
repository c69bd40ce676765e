import { alertActionLink, type DeepLink, type ShownNotification } from '../../../shared/ipc';

/** How a popup offers "Acknowledge" on each OS (electron/main applies it; nothing here imports electron). */
export type PopupActions =
  /** macOS: notification actions; the first button is Acknowledge. */
  | { kind: 'actions'; buttons: { type: 'button'; text: string }[] }
  /** Windows: a toast with Acknowledge and Open buttons that activate opsdesk:// links (the single-instance lock hands them to the running app). */
  | { kind: 'toast'; toastXml: string }
  /** Linux (no action buttons through Electron), summaries and SLA notices: a click opens the alert (where `a` acknowledges it) or the ticket (popupTarget). */
  | { kind: 'click' };

export function popupActions(platform: NodeJS.Platform | string, n: ShownNotification): PopupActions {
  const alertId = n.alertId ?? (n.alertIds.length === 1 ? n.alertIds[0]! : null);
  if (n.alertIds.length === 0) return { kind: 'click' };
  if (platform === 'darwin') return { kind: 'actions', buttons: [{ type: 'button', text: n.alertIds.length > 1 ? `Acknowledge ${n.alertIds.length}` : 'Acknowledge' }] };
  if (platform === 'win32' && alertId) return { kind: 'toast', toastXml: toastXml(n, alertId) };
  return { kind: 'click' };
}

/** Where a click on a popup leads: its alert (the first of a summary's), or the ticket an SLA notice is about; null for a notice about neither. */
export function popupTarget(n: Pick<ShownNotification, 'alertId' | 'alertIds' | 'ticketNumber'>): DeepLink | null {
  const alertId = n.alertId ?? n.alertIds[0];
  if (alertId) return { kind: 'alert', id: alertId };
  return n.ticketNumber ? { kind: 'ticket', number: n.ticketNumber } : null;
}

/** Text for XML content and attribute values: the five predefined entities, and no characters XML 1.0 forbids. */
export function xmlText(s: string): string {
  return Array.from(s)
    .filter(isXmlChar)
    .join('')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (XML 1.0). */
function isXmlChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
}

/**
 * A Windows toast (ToastGeneric) for one alert: title, body, and Acknowledge / Open buttons whose
 * protocol activation is `opsdesk://alerts/<id>/ack` / `opsdesk://alerts/<id>`. Critical alerts
 * stay on screen (scenario "reminder" needs a button, which they have) and play the default sound.
 */
export function toastXml(n: ShownNotification, alertId: string): string {
  const ack = xmlText(alertActionLink(alertId, 'ack'));
  const open = xmlText(alertActionLink(alertId, 'open'));
  const scenario = n.severity === 'critical' ? ' scenario="reminder"' : '';
  const audio = n.sound ? '<audio src="ms-winsoundevent:Notification.Looping.Alarm" loop="false"/>' : '<audio silent="true"/>';
  return (
    `<toast activationType="protocol" launch="${open}"${scenario}>` +
    `<visual><binding template="ToastGeneric"><text>${xmlText(n.title)}</text><text>${xmlText(n.body)}</text></binding></visual>` +
    `<actions><action content="Acknowledge" activationType="protocol" arguments="${ack}"/><action content="Open" activationType="protocol" arguments="${open}"/></actions>` +
    audio +
    '</toast>'
  );
}
