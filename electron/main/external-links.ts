import path from 'node:path';
import { dialog, shell, type BrowserWindow } from 'electron';
import { openLink, TrustedLinkHosts, type LinkOutcome } from '../core/links/external-links';
import type { Logger } from '../core/ports';

/** The Electron side of external links: the OS dialog asks, the shell opens (the policy is in core/links). */
export function electronLinkOpener(options: { userData: string; logger: Logger; window: () => BrowserWindow | null; serverHosts: () => string[] }) {
  const trusted = new TrustedLinkHosts(path.join(options.userData, 'trusted-link-hosts.json'), options.logger, options.serverHosts);
  return (url: string): Promise<LinkOutcome> =>
    openLink(url, {
      trusted: (host) => trusted.has(host),
      trust: (host) => trusted.add(host),
      open: (target) => shell.openExternal(target),
      confirm: async (host, target) => {
        const win = options.window();
        const box = {
          type: 'question' as const,
          buttons: ['Open in browser', 'Cancel'],
          defaultId: 1,
          cancelId: 1,
          message: `Open a link to ${host}?`,
          detail: target.length > 300 ? `${target.slice(0, 300)}…` : target,
          checkboxLabel: `Always open links to ${host}`,
        };
        const r = win ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box);
        return { open: r.response === 0, always: r.checkboxChecked };
      },
    });
}
