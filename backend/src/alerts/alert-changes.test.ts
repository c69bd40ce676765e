import { describe, expect, it } from 'vitest';
import { AlertChangesEvent, type LiveEvent } from '../../../shared/api/events';
import { EventHub } from '../platform/realtime/event-hub';
import type { Audience } from '../sync/change-feed';
import { AlertChanges } from './alert-changes';

function recorder() {
  const hub = new EventHub();
  const got: { event: LiveEvent; audience: Audience; at: number }[] = [];
  hub.attach((event, audience) => got.push({ event, audience, at: performance.now() }));
  return { hub, got };
}

const clock = { now: () => 1_700_000_000_000 };
const turn = () => new Promise((r) => setImmediate(r));

describe('AlertChanges', () => {
  it('announces every change of one event-loop turn in one event: the highest sequence and how many', async () => {
    const { hub, got } = recorder();
    const changes = new AlertChanges(hub, clock, 50);
    changes.changed(7, 50);
    changes.changed(9);
    changes.changed(8);
    expect(got).toHaveLength(0);
    await turn();
    expect(got).toHaveLength(1);
    expect(AlertChangesEvent.parse(got[0]!.event)).toEqual({ type: 'alert.changes', seq: 9, actor: null, data: { count: 52 }, at: clock.now() });
    expect(got[0]!.audience).toEqual({ kind: 'oncall' });
  });

  it('sends at most one event per interval: a change soon after the last event waits until the interval has passed', async () => {
    const { hub, got } = recorder();
    const changes = new AlertChanges(hub, clock, 80);
    changes.changed(1);
    await turn();
    const first = got[0]!.at;
    changes.changed(2);
    changes.changed(3);
    await turn();
    expect(got).toHaveLength(1);
    await expect.poll(() => got.length, { timeout: 1000, interval: 5 }).toBe(2);
    expect(got[1]!.at - first).toBeGreaterThanOrEqual(79);
    expect(got[1]!.event).toMatchObject({ seq: 3, data: { count: 2 } });
    // Nothing pending: nothing more is sent.
    await new Promise((r) => setTimeout(r, 120));
    expect(got).toHaveLength(2);
  });

  it('ignores an empty write and sends nothing for it', async () => {
    const { hub, got } = recorder();
    new AlertChanges(hub, clock, 50).changed(4, 0);
    await turn();
    expect(got).toHaveLength(0);
  });
});
