import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The application menu: standard roles plus navigation the renderer handles (through `navigate`-style shortcuts in the UI). */
export function installMenu(actions: { checkForUpdates(): void; openAlerts(): void }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Alerts', accelerator: 'CmdOrCtrl+Shift+A', click: () => actions.openAlerts() },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools', visible: !app.isPackaged },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Check for Updates…', click: () => actions.checkForUpdates() },
        { label: 'OpsDesk on GitHub', click: () => void shell.openExternal('https://github.com/opsdesk/opsdesk') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
