import type { DeepLink } from './models';

export const DEEP_LINK_SCHEME = 'opsdesk';

/** Parses opsdesk://ticket/<number> and opsdesk://alert/<id>; anything else is null. */
export function parseDeepLink(raw: string): DeepLink | null {
  const m = /^opsdesk:\/\/(ticket|alert)\/([A-Za-z0-9_-]{1,128})\/?$/i.exec(raw.trim());
  if (!m) return null;
  const kind = m[1]!.toLowerCase();
  const value = m[2]!;
  if (kind === 'ticket') {
    if (!/^\d{1,9}$/.test(value)) return null;
    const number = Number(value);
    return number > 0 ? { kind: 'ticket', number } : null;
  }
  return { kind: 'alert', id: value };
}

/** What a popup's button or a click asks for: `opsdesk://alerts/<id>/ack` (Acknowledge) or `opsdesk://alerts/<id>` (Open). */
export interface AlertLinkAction {
  alertId: string;
  action: 'ack' | 'open';
}

export const alertActionLink = (alertId: string, action: AlertLinkAction['action']) =>
  `${DEEP_LINK_SCHEME}://alerts/${encodeURIComponent(alertId)}${action === 'ack' ? '/ack' : ''}`;

/** Parses a popup's activation link (Windows toasts activate the app with it); anything else is null. */
export function parseAlertAction(raw: string): AlertLinkAction | null {
  const m = /^opsdesk:\/\/alerts\/([A-Za-z0-9_-]{1,128})(\/ack)?\/?$/i.exec(raw.trim());
  if (!m) return null;
  return { alertId: m[1]!, action: m[2] ? 'ack' : 'open' };
}
