// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelResponse } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import {
  loadIncidents,
  nextState,
  onIncidentChanged,
  openIncident,
  setShowClosed,
  transition,
  useIncidents,
} from './slice';

const inc = { id: 'i1', title: 'DB down', state: 'detected' } as ChannelResponse<'incidents.get'>;
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({ 'incidents.list': [], 'incidents.get': inc, 'incidents.transition': inc });
  bridge.install();
  useIncidents.setState(useIncidents.getInitialState());
});

describe('incidents slice', () => {
  it('walks the workflow one state at a time', () => {
    expect(nextState('detected')).toBe('acknowledged');
    expect(nextState('resolved')).toBe('reviewed');
    expect(nextState('reviewed')).toBeNull();
  });

  it('lists open incidents unless closed ones are asked for', async () => {
    await loadIncidents();
    await setShowClosed(true);
    expect(bridge.requests('incidents.list')).toEqual([
      { state: ['detected', 'acknowledged', 'diagnosing', 'mitigating'] },
      {},
    ]);
  });

  it('re-reads the open incident after a transition and when it changes elsewhere, not for others', async () => {
    await openIncident('i1');
    await transition('i1', 'acknowledged');
    expect(bridge.requests('incidents.transition')).toEqual([{ id: 'i1', state: 'acknowledged' }]);
    onIncidentChanged({ id: 'other' });
    onIncidentChanged({ id: 'i1' });
    await new Promise((r) => setTimeout(r, 0));
    expect(bridge.requests('incidents.get')).toHaveLength(3);
  });
});
