import { describe, expect, it } from 'vitest';
import type { Alert, NotificationPrefs, ShownNotification } from '../../../shared/ipc';
import { DEFAULT_NOTIFICATION_PREFS, NotificationPolicy } from './notification-policy';

function alert(id: string, severity: Alert['severity'], patch: Partial<Alert> = {}): Alert {
  return {
    id, fingerprint: id, title: `Alert ${id}`, description: 'disk at 96%', severity, status: 'firing', source: 'prometheus', labels: {},
    firstSeenAt: 0, lastSeenAt: 0, count: 1, acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, incidentId: null, owner: null, pending: false, ...patch,
  };
}

function setup(prefs: Partial<NotificationPrefs> = {}, opts: { silenced?: string[] } = {}) {
  let now = 1_700_000_000_000;
  const shown: ShownNotification[] = [];
  const timers: (() => void)[] = [];
  const policy = new NotificationPolicy({
    clock: { now: () => now },
    prefs: () => ({ ...DEFAULT_NOTIFICATION_PREFS, ...prefs }),
    isSilenced: (a) => (opts.silenced ?? []).includes(a.id),
    schedule: (fn) => void timers.push(fn),
    show: (n) => void shown.push(n),
  });
  return { policy, shown, timers, advance: (ms: number) => (now += ms) };
}

describe('NotificationPolicy', () => {
  it('pops up whatever the server paged (severity and quiet hours are its decision), with the server’s title', () => {
    const { policy, shown } = setup();
    expect(policy.offer(alert('a', 'low'), { deliveryId: 'd1', title: '[LOW] Alert a: disk', body: 'disk\nStatus: firing' }).action).toBe('shown');
    expect(policy.offer(alert('b', 'medium')).action).toBe('shown');
    expect(shown.map((n) => [n.alertId, n.title])).toEqual([
      ['a', '[LOW] Alert a: disk'],
      ['b', 'MEDIUM: Alert b'],
    ]);
  });

  it('a delivery re-sent after a lost confirmation pops up once', () => {
    const { policy, shown } = setup();
    const page = { deliveryId: 'd7', title: 't', body: 'b' };
    expect(policy.offer(alert('a', 'high'), page).action).toBe('shown');
    expect(policy.offer(alert('a', 'high'), page)).toEqual({ action: 'suppressed', reason: 'duplicate' });
    // The next level's page for the same alert is another delivery: it pops up.
    expect(policy.offer(alert('a', 'high'), { ...page, deliveryId: 'd8' }).action).toBe('shown');
    expect(policy.notice({ deliveryId: 'd9', title: 'While you were in do-not-disturb: 2 alerts', body: '…', severity: 'high' })).toMatchObject({ alertId: null, alertIds: [] });
    expect(policy.notice({ deliveryId: 'd9', title: 'again', body: '…', severity: 'high' })).toBeNull();
    expect(shown).toHaveLength(3);
  });

  it('plays a sound for critical only, and only with sound on', () => {
    const { policy, shown } = setup();
    policy.offer(alert('a', 'high'));
    policy.offer(alert('b', 'critical'));
    expect(shown.map((n) => n.sound)).toEqual([false, true]);
    const quiet = setup({ sound: false });
    quiet.policy.offer(alert('c', 'critical'));
    expect(quiet.shown[0]!.sound).toBe(false);
  });

  it('never pops up silenced or acknowledged alerts', () => {
    const { policy, shown } = setup({}, { silenced: ['s'] });
    expect(policy.offer(alert('s', 'critical'))).toEqual({ action: 'suppressed', reason: 'silenced' });
    expect(policy.offer(alert('x', 'critical', { status: 'silenced' }))).toEqual({ action: 'suppressed', reason: 'silenced' });
    expect(policy.offer(alert('y', 'critical', { status: 'acknowledged', acknowledgedAt: 5 }))).toEqual({ action: 'suppressed', reason: 'not_firing' });
    expect(policy.offer(alert('z', 'critical', { status: 'resolved' }))).toEqual({ action: 'suppressed', reason: 'not_firing' });
    expect(shown).toEqual([]);
  });

  it('turns more than three popups within ten seconds into one summary', () => {
    const { policy, shown, timers, advance } = setup();
    for (const id of ['a', 'b', 'c']) {
      expect(policy.offer(alert(id, 'high')).action).toBe('shown');
      advance(1000);
    }
    expect(policy.offer(alert('d', 'critical'))).toEqual({ action: 'grouped' });
    expect(policy.offer(alert('e', 'high'))).toEqual({ action: 'grouped' });
    expect(policy.offer(alert('f', 'high'))).toEqual({ action: 'grouped' });
    expect(shown).toHaveLength(3);
    expect(timers).toHaveLength(1);
    advance(10_000);
    timers[0]!();
    expect(shown).toHaveLength(4);
    expect(shown[3]).toMatchObject({ title: '3 more alerts', severity: 'critical', sound: true, alertId: null, alertIds: ['d', 'e', 'f'] });
    // After the window, single popups again.
    advance(11_000);
    expect(policy.offer(alert('g', 'high')).action).toBe('shown');
  });
});
