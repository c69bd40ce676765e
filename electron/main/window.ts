import { BrowserWindow, session } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';
import { isAppUrl } from './app-url';
import { loadWindowState, trackWindowState } from './window-state';

export interface WindowOptions {
  userData: string;
  preload: string;
  /** The dev server URL (electron-vite dev) or undefined to load the built file. */
  devUrl: string | undefined;
  rendererFile: string;
  icon?: string;
  /** Opens a link outside the app (asks first for an unknown host). */
  openExternal: (url: string) => Promise<unknown>;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const state = loadWindowState(options.userData);
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'OpsDesk',
    icon: options.icon,
    backgroundColor: '#15181c',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, options.userData);
  win.once('ready-to-show', () => win.show());

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications' || permission === 'clipboard-sanitized-write'));

  // Outside links open in the system browser (after a confirmation for an unknown host); the app
  // window never leaves the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    void options.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, options)) return;
    event.preventDefault();
    void options.openExternal(url);
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.rendererFile);
  return win;
}
