import type { UpdateChannel } from '../../../shared/domain/updates';

/**
 * Where electron-updater looks for updates: a configured feed (OPSDESK_UPDATE_URL, `${channel}`
 * substituted) wins; otherwise the feed of the server the desktop is connected to
 * (`<server>/updates/<channel>`, published with `npm run cli -- publish-update`); a local workspace's
 * embedded backend publishes nothing, so it keeps the feed built into the app (null).
 */
export function updateFeedUrl(options: { configured: string | null; server: string | null; channel: UpdateChannel }): string | null {
  if (options.configured) return options.configured.replaceAll('${channel}', options.channel);
  if (options.server) return `${options.server.replace(/\/+$/, '')}/updates/${options.channel}`;
  return null;
}
