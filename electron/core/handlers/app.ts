import { CoreError } from '../errors';
import type { CoreContext, DomainChannels, Handlers } from './context';

/** The app itself, its settings and its updates. */
export function appHandlers(core: CoreContext): Handlers<DomainChannels<'app' | 'settings' | 'updates'>> {
  const { deps } = core;
  return {
    'app.info': () => ({
      version: deps.version,
      platform: deps.platform ?? process.platform,
      transport: deps.transport,
      runtime: { node: process.versions.node, electron: process.versions.electron ?? null },
      secretStorage: deps.secrets.status(),
    }),
    'app.openExternal': async ({ url }) => {
      if (!deps.shell) throw new CoreError('not_supported', 'Opening links is not available here');
      await deps.shell.openExternal(url);
      return null;
    },
    'app.notices': () => core.notices,

    'settings.get': () => core.settings.get(),
    'settings.update': (patch) => {
      const s = core.settings.update(patch);
      core.applyUpdateFeed();
      if (patch.notifications?.dnd) core.syncQuietHours('push');
      return s;
    },
    'updates.status': () => deps.updater.status(),
    'updates.check': () => core.updates.check(),
    'updates.install': () => {
      if (deps.updater.status().state !== 'downloaded')
        throw new CoreError('conflict', 'No update has been downloaded yet');
      deps.updater.install();
      return null;
    },
  };
}
