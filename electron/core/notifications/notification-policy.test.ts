import { describe, expect, it } from 'vitest';
import type { Alert, NotificationPrefs, ShownNotification } from '../../../shared/ipc';
import { DEFAULT_NOTIFICATION_PREFS, NotificationPolicy, REPEAT_QUIET_MS } from './notification-policy';

function alert(id: string, severity: Alert['severity'], patch: Partial<Alert> = {}): Alert {
  return {
    id, fingerprint: id, title: `Alert ${id}`, description: 'disk at 96%', severity, status: 'firing', source: 'prometheus', labels: {},
    firstSeenAt: 0, lastSeenAt: 0, count: 1, acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, incidentId: null, owner: null, pending: false, ...patch,
  };
}

function setup(prefs: Partial<NotificationPrefs> = {}, opts: { minutes?: number; silenced?: string[] } = {}) {
  let now = 1_700_000_000_000;
  const shown: ShownNotification[] = [];
  const timers: (() => void)[] = [];
  const policy = new NotificationPolicy({
    clock: { now: () => now },
    prefs: () => ({ ...DEFAULT_NOTIFICATION_PREFS, ...prefs }),
    localMinutes: () => opts.minutes ?? 12 * 60,
    isSilenced: (a) => (opts.silenced ?? []).includes(a.id),
    schedule: (fn) => void timers.push(fn),
    show: (n) => void shown.push(n),
  });
  return { policy, shown, timers, advance: (ms: number) => (now += ms) };
}

describe('NotificationPolicy', () => {
  it('pops up high and critical by default, not low or medium', () => {
    const { policy, shown } = setup();
    expect(policy.offer(alert('a', 'low'))).toEqual({ action: 'suppressed', reason: 'severity' });
    expect(policy.offer(alert('b', 'medium'))).toEqual({ action: 'suppressed', reason: 'severity' });
    expect(policy.offer(alert('c', 'high')).action).toBe('shown');
    expect(policy.offer(alert('d', 'critical')).action).toBe('shown');
    expect(shown.map((n) => n.alertId)).toEqual(['c', 'd']);
  });

  it('follows the chosen severities', () => {
    const { policy } = setup({ severities: ['medium'] });
    expect(policy.offer(alert('a', 'medium')).action).toBe('shown');
    expect(policy.offer(alert('b', 'critical'))).toEqual({ action: 'suppressed', reason: 'severity' });
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

  it('holds popups during do-not-disturb hours across midnight, letting critical through when allowed', () => {
    const dnd = { enabled: true, from: '22:00', to: '07:00', allowCritical: true };
    const night = setup({ dnd }, { minutes: 23 * 60 + 30 });
    expect(night.policy.offer(alert('a', 'high'))).toEqual({ action: 'suppressed', reason: 'dnd' });
    expect(night.policy.offer(alert('b', 'critical')).action).toBe('shown');
    const early = setup({ dnd: { ...dnd, allowCritical: false } }, { minutes: 6 * 60 });
    expect(early.policy.offer(alert('c', 'critical'))).toEqual({ action: 'suppressed', reason: 'dnd' });
    const day = setup({ dnd }, { minutes: 7 * 60 });
    expect(day.policy.offer(alert('d', 'high')).action).toBe('shown');
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

  it('does not repeat the same alert within ten minutes unless it gets worse', () => {
    const { policy, advance } = setup();
    expect(policy.offer(alert('a', 'high')).action).toBe('shown');
    expect(policy.offer(alert('a', 'high'))).toEqual({ action: 'suppressed', reason: 'repeat' });
    expect(policy.offer(alert('a', 'critical')).action).toBe('shown');
    advance(REPEAT_QUIET_MS + 1);
    expect(policy.offer(alert('a', 'critical')).action).toBe('shown');
  });
});
