import type { ShownNotification } from '../../shared/ipc';
import type { Notifier } from '../core/ports';

/**
 * The host's Notifier: keeps every popup (tests assert on them) and leaves showing to the page,
 * which turns the core's `notification.shown` event into a Web Notification.
 */
export class RecordingNotifier implements Notifier {
  readonly shown: ShownNotification[] = [];
  private readonly actions = new Map<string, { onClick(): void; onAcknowledge(): void }>();

  show(n: ShownNotification, actions: { onClick(): void; onAcknowledge(): void }): void {
    this.shown.push(n);
    this.actions.set(n.id, actions);
  }

  /** Simulates the user's click (for tests; the page uses notifications.clicked). */
  click(id: string): void {
    this.actions.get(id)?.onClick();
  }

  acknowledge(id: string): void {
    this.actions.get(id)?.onAcknowledge();
  }
}
