import { Notification, type NativeImage } from 'electron';
import type { ShownNotification } from '../../../shared/ipc';
import { popupActions } from '../../core/notifications/popup-actions';
import type { Notifier } from '../../core/ports';

/**
 * Native popups. Click focuses the alert. "Acknowledge": macOS notification actions; Windows a toast
 * whose buttons activate opsdesk://alerts/<id>/ack (handled by the single-instance lock in index.ts);
 * Linux click-to-open. Which one is the pure, tested popupActions.
 */
export class ElectronNotifier implements Notifier {
  // Keep references: a garbage-collected Notification loses its click handler.
  private readonly live = new Map<string, Notification>();

  constructor(
    private readonly icon: NativeImage | undefined,
    private readonly focusWindow: () => void,
  ) {}

  show(n: ShownNotification, on: { onClick(): void; onAcknowledge(): void }): void {
    if (!Notification.isSupported()) return;
    const actions = popupActions(process.platform, n);
    const popup = new Notification({
      title: n.title,
      body: n.body,
      icon: this.icon,
      silent: !n.sound,
      urgency: n.severity === 'critical' ? 'critical' : 'normal',
      timeoutType: n.severity === 'critical' ? 'never' : 'default',
      ...(actions.kind === 'actions' && { actions: actions.buttons }),
      ...(actions.kind === 'toast' && { toastXml: actions.toastXml }),
    });
    popup.on('click', () => {
      this.focusWindow();
      on.onClick();
    });
    popup.on('action', () => on.onAcknowledge());
    popup.on('close', () => this.live.delete(n.id));
    this.live.set(n.id, popup);
    popup.show();
  }
}
