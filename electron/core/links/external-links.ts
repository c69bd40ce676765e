import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../ports';

/**
 * Links leave the app only for the system browser or mail client: http(s) and mailto. A link to a
 * host the user has not trusted yet (alert text, email content and runbook output are full of them)
 * is opened only after they confirm it; "always for this host" remembers the answer.
 */
export type LinkDecision =
  | { action: 'open'; url: string }
  | { action: 'confirm'; url: string; host: string }
  | { action: 'refuse'; reason: string };

export function decideLink(raw: string, trusted: (host: string) => boolean): LinkDecision {
  if (!URL.canParse(raw)) return { action: 'refuse', reason: 'This is not a link' };
  const url = new URL(raw);
  if (url.protocol === 'mailto:') return { action: 'open', url: url.href };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { action: 'refuse', reason: `${url.protocol.replace(/:$/, '')} links are not opened from OpsDesk` };
  const host = url.hostname.toLowerCase();
  // user:password@ links hide where they lead: always ask, never remember.
  if (url.username || url.password || !trusted(host)) return { action: 'confirm', url: url.href, host };
  return { action: 'open', url: url.href };
}

export interface LinkOpenerPorts {
  trusted(host: string): boolean;
  /** Asks the user; `always` is their "always open links to this host". */
  confirm(host: string, url: string): Promise<{ open: boolean; always: boolean }>;
  trust(host: string): void;
  open(url: string): Promise<void>;
}

export type LinkOutcome = 'opened' | 'cancelled' | 'refused';

export async function openLink(raw: string, ports: LinkOpenerPorts): Promise<LinkOutcome> {
  const d = decideLink(raw, (h) => ports.trusted(h));
  if (d.action === 'refuse') return 'refused';
  if (d.action === 'confirm') {
    const answer = await ports.confirm(d.host, d.url);
    if (!answer.open) return 'cancelled';
    const hasCredentials = new URL(d.url).username !== '';
    if (answer.always && !hasCredentials) ports.trust(d.host);
  }
  await ports.open(d.url);
  return 'opened';
}

const HostList = z.array(z.string().min(1).max(253)).max(1000);

/** Hosts the user chose to always open, kept in a small JSON file in the app's data folder. */
export class TrustedLinkHosts {
  private readonly hosts = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
    /** Hosts trusted without asking, e.g. those of the configured servers. */
    private readonly builtIn: () => Iterable<string> = () => [],
  ) {
    if (!existsSync(file)) return;
    const parsed = HostList.safeParse(safeJson(readFileSync(file, 'utf8')));
    if (parsed.success) parsed.data.forEach((h) => this.hosts.add(h.toLowerCase()));
    else logger.warn('trusted link hosts file is not a list of hosts; starting with none', { file });
  }

  has(host: string): boolean {
    const h = host.toLowerCase();
    return this.hosts.has(h) || [...this.builtIn()].some((b) => b.toLowerCase() === h);
  }

  add(host: string): void {
    this.hosts.add(host.toLowerCase());
    writeFileSync(this.file, JSON.stringify([...this.hosts].sort(), null, 2), { mode: 0o600 });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return { unreadable: (err as Error).message };
  }
}
