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
