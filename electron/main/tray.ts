import { app, Menu, nativeImage, Tray } from 'electron';

/** Tray icon with the number of unacknowledged alerts (title on macOS, tooltip and badge elsewhere). */
export class AlertTray {
  private readonly tray: Tray;

  constructor(
    iconPath: string,
    private readonly actions: { show(): void; openAlerts(): void; quit(): void },
  ) {
    const icon = nativeImage.createFromPath(iconPath);
    this.tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
    this.tray.on('click', () => actions.show());
    this.update(0);
  }

  update(unacked: number): void {
    const label = unacked === 0 ? 'No unacknowledged alerts' : `${unacked} unacknowledged alert${unacked === 1 ? '' : 's'}`;
    this.tray.setToolTip(`OpsDesk — ${label}`);
    if (process.platform === 'darwin') this.tray.setTitle(unacked ? String(unacked) : '');
    app.setBadgeCount(unacked);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show OpsDesk', click: () => this.actions.show() },
        { label, click: () => this.actions.openAlerts() },
        { type: 'separator' },
        { label: 'Quit', click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
