import type { QuietHours } from '../../../shared/api/alerts';
import type { NotificationPrefs } from '../../../shared/ipc';
import { routePath } from '../api/route-forwarder';
import type { Logger } from '../ports';
import type { SettingsStore } from '../settings-store';
import type { Workspace } from '../workspace';

type Dnd = NotificationPrefs['dnd'];

/** The settings' do-not-disturb hours as the server's quiet hours, in the desktop's time zone. */
export function toQuietHours(dnd: Dnd, timeZone: string): QuietHours {
  return { enabled: dnd.enabled, from: dnd.from, to: dnd.to, timeZone, allowCritical: dnd.allowCritical };
}

export function fromQuietHours(q: QuietHours): Dnd {
  return { enabled: q.enabled, from: q.from, to: q.to, allowCritical: q.allowCritical };
}

/**
 * Quiet hours are decided on the server (it holds the pages); the settings keep a mirror so the
 * screen shows them offline. Saving the settings sends them; signing in reads the server's.
 */
export class QuietHoursMirror {
  constructor(
    private readonly deps: { workspace(): Workspace | null; settings: SettingsStore; logger: Logger; timeZone(): string },
  ) {}

  async push(): Promise<void> {
    const ws = this.deps.workspace();
    if (!ws || ws.session.current().status !== 'signed_in') return;
    const body = toQuietHours(this.deps.settings.get().notifications.dnd, this.deps.timeZone());
    const res = await ws.api.send('PUT', routePath('channels.quiet.update'), { body });
    if (res.status !== 200) this.deps.logger.warn('quiet hours were not saved on the server', { status: res.status });
  }

  async pull(): Promise<void> {
    const ws = this.deps.workspace();
    if (!ws) return;
    const res = await ws.api.send('GET', routePath('channels.quiet.get'), {});
    if (res.status !== 200) return this.deps.logger.warn('quiet hours could not be read from the server', { status: res.status });
    this.deps.settings.update({ notifications: { dnd: fromQuietHours(res.data as QuietHours) } });
  }
}
