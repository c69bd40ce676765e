import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { loadWindowState, trackWindowState } from './window-state';

/** Strict CSP for the app window: no remote code, no inline scripts, no eval. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface WindowOptions {
  userData: string;
  preload: string;
  /** The dev server URL (electron-vite dev) or undefined to load the built file. */
  devUrl: string | undefined;
  rendererFile: string;
  icon?: string;
}

export function isAppUrl(url: string, options: Pick<WindowOptions, 'devUrl' | 'rendererFile'>): boolean {
  if (options.devUrl && url.startsWith(options.devUrl)) return true;
  return url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).startsWith(path.dirname(options.rendererFile));
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
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications' || permission === 'clipboard-sanitized-write'));

  // Outside links open in the system browser; the app window never leaves the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, options)) return;
    event.preventDefault();
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.rendererFile);
  return win;
}
