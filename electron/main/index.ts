// Electron main process: wires the desktop core to Electron's adapters (keychain, notifications,
// updater), the window, the tray and deep links. All logic lives in electron/core.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, nativeImage } from 'electron';
import { DEEP_LINK_SCHEME, parseDeepLink } from '../../shared/ipc';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/transport';
import { DesktopCore } from '../core/desktop-core';
import { CoreError } from '../core/errors';
import { consoleLogger } from '../core/ports';
import { openSecretStore } from '../core/secrets/open-secret-store';
import { ElectronNotifier } from './adapters/electron-notifier';
import { ElectronUpdaterAdapter } from './adapters/electron-updater-adapter';
import { safeStorageEncryptor } from './adapters/safe-storage-encryptor';
import { utilityLauncher } from './adapters/utility-launcher';
import { installMenu } from './menu';
import { AlertTray } from './tray';
import { isAppUrl } from './app-url';
import { electronLinkOpener } from './external-links';
import { createMainWindow } from './window';

const resources = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
const rendererFile = path.join(__dirname, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

let win: BrowserWindow | null = null;
let core: DesktopCore | null = null;
let tray: AlertTray | null = null;
let makeWindow: (() => void) | null = null;
let pendingLink: string | null = process.argv.find((a) => a.startsWith(`${DEEP_LINK_SCHEME}://`)) ?? null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const link = argv.find((a) => a.startsWith(`${DEEP_LINK_SCHEME}://`));
    if (link) openLink(link);
    focus();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(url);
  });
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

function focus(): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** opsdesk:// links: a toast's Acknowledge/Open (alerts/<id>/ack, alerts/<id>) or a ticket/alert link; the single-instance lock brings them here. */
function openLink(url: string): void {
  if (!core) {
    pendingLink = url;
    return;
  }
  if (core.notifications.activated(url)) return focus();
  const link = parseDeepLink(url);
  if (!link) return;
  core.openDeepLink(link);
  focus();
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const { store, notice } = await openSecretStore(path.join(userData, 'secrets.bin'), safeStorageEncryptor(userData));
  const updater = new ElectronUpdaterAdapter(app.getVersion());
  const icon = nativeImage.createFromPath(path.join(resources, 'notification.png'));
  const openExternal = electronLinkOpener({
    userData,
    logger: consoleLogger,
    window: () => win,
    // Links to the servers the user connects to open without asking.
    serverHosts: () => (core?.profiles.list() ?? []).flatMap((p) => (p.url && URL.canParse(p.url) ? [new URL(p.url).hostname] : [])),
  });
  core = new DesktopCore({
    // Packaged: the app root is app.asar; the compiled backend runs from inside it (Electron as Node
    // reads the archive) and its native modules come from app.asar.unpacked.
    paths: { userData, appRoot: app.getAppPath() },
    secrets: store,
    notifier: new ElectronNotifier(icon.isEmpty() ? undefined : icon, focus),
    updater,
    shell: {
      openExternal: async (url) => {
        if ((await openExternal(url)) === 'refused') throw new CoreError('invalid_request', 'Only http(s) and mailto links open outside OpsDesk');
      },
    },
    logger: consoleLogger,
    transport: 'electron',
    version: app.getVersion(),
    notices: notice ? [notice] : [],
    updateUrl: process.env.OPSDESK_UPDATE_URL || null,
    // The embedded backend (compiled, out/backend) runs in a utility process on Electron's own Node.
    embeddedLauncher: utilityLauncher,
  });

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) => {
    // Only our own page may talk to the core.
    const url = event.senderFrame?.url ?? '';
    if (!isAppUrl(url, { devUrl, rendererFile })) return { ok: false, error: { code: 'forbidden', message: 'Not the OpsDesk window' } };
    return core!.dispatch(channel, payload);
  });
  core.onEvent((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
    if (event === 'alerts.unackedCount') tray?.update(payload as number);
  });
  updater.onStatus((s) => {
    if (s.state !== 'downloaded' || !win) return;
    void dialog
      .showMessageBox(win, { type: 'info', buttons: ['Restart now', 'Later'], defaultId: 0, cancelId: 1, message: `OpsDesk ${s.availableVersion} is ready`, detail: 'Restart to finish updating. Unsynced changes are kept.' })
      .then((r) => r.response === 0 && updater.install());
  });

  makeWindow = () => {
    win = createMainWindow({ userData, preload: path.join(__dirname, '../preload/index.cjs'), devUrl, rendererFile, icon: path.join(resources, 'icon.png'), openExternal });
    win.on('closed', () => (win = null));
  };
  makeWindow();
  const openAlerts = () => {
    focus();
    win?.webContents.send(IPC_EVENT, 'navigate', { kind: 'alert', id: '' });
  };
  tray = new AlertTray(path.join(resources, 'tray.png'), { show: focus, openAlerts, quit: () => app.quit() });
  installMenu({ checkForUpdates: () => void core?.dispatch('updates.check', undefined), openAlerts });

  await core.start();
  tray.update(core.unackedAlertCount());
  if (pendingLink) openLink(pendingLink);
  pendingLink = null;
}

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !core) return;
  // Stop the embedded backend and close the cache cleanly before exiting.
  event.preventDefault();
  quitting = true;
  tray?.destroy();
  core.shutdown().finally(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) makeWindow?.();
});

function fatal(err: unknown): void {
  dialog.showErrorBox('OpsDesk could not start', (err as Error)?.message ?? String(err));
  app.exit(1);
}
