import os from 'node:os';
import path from 'node:path';
import { DesktopCore } from '../core/desktop-core';
import { consoleLogger, silentLogger, type Logger } from '../core/ports';
import { localKeyEncryptor } from '../core/secrets/encrypted-file-secret-store';
import { openSecretStore } from '../core/secrets/open-secret-store';
import { NoopUpdater } from '../core/updates/update-scheduler';
import { RecordingNotifier } from './recording-notifier';

export const APP_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Wires the core for plain Node: keytar (or the visible file fallback), recorded notifications, no updater. */
export async function createHostCore(options: { dataDir: string; logger?: Logger; quiet?: boolean; syncSnapshot?: boolean }) {
  const { store, notice } = await openSecretStore(path.join(options.dataDir, 'secrets.bin'), localKeyEncryptor(path.join(options.dataDir, 'secrets.key')));
  const notifier = new RecordingNotifier();
  const core = new DesktopCore({
    paths: { userData: options.dataDir, appRoot: APP_ROOT },
    secrets: store,
    notifier,
    updater: new NoopUpdater(process.env.npm_package_version ?? '0.1.0'),
    shell: {
      openExternal: async (url) => {
        process.stdout.write(`Open in your browser: ${url}\n`);
      },
    },
    logger: options.logger ?? (options.quiet ? silentLogger : consoleLogger),
    transport: 'host',
    version: process.env.npm_package_version ?? '0.1.0',
    platform: `${os.platform()} (browser host)`,
    notices: notice ? [notice] : [],
    syncSnapshot: options.syncSnapshot,
  });
  return { core, notifier };
}
