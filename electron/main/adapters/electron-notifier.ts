import { Notification, type NativeImage } from 'electron';
import type { ShownNotification } from '../../../shared/ipc';
import type { Notifier } from '../../core/ports';

/** Native popups. Click focuses the alert; "Acknowledge" is offered where the OS supports actions (macOS). */
export class ElectronNotifier implements Notifier {
  // Keep references: a garbage-collected Notification loses its click handler.
  private readonly live = new Map<string, Notification>();

  constructor(
    private readonly icon: NativeImage | undefined,
    private readonly focusWindow: () => void,
  ) {}

  show(n: ShownNotification, actions: { onClick(): void; onAcknowledge(): void }): void {
    if (!Notification.isSupported()) return;
    const popup = new Notification({
      title: n.title,
      body: n.body,
      icon: this.icon,
      silent: !n.sound,
      urgency: n.severity === 'critical' ? 'critical' : 'normal',
      timeoutType: n.severity === 'critical' ? 'never' : 'default',
      actions: n.alertIds.length ? [{ type: 'button', text: 'Acknowledge' }] : [],
    });
    popup.on('click', () => {
      this.focusWindow();
      actions.onClick();
    });
    popup.on('action', () => actions.onAcknowledge());
    popup.on('close', () => this.live.delete(n.id));
    this.live.set(n.id, popup);
    popup.show();
  }
}
