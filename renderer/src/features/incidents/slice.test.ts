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

const inc = { id: 'i1', title: 'DB down', state: 'detected' } as ChannelResponse<'api.incidents.get'>;
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.incidents.list': [],
    'api.incidents.get': inc,
    'api.incidents.transition': inc,
  });
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
    expect(bridge.requests('api.incidents.list')).toEqual([
      { query: { state: 'detected,acknowledged,diagnosing,mitigating' } },
      { query: {} },
    ]);
  });

  it('re-reads the open incident after a transition and when it changes elsewhere, not for others', async () => {
    await openIncident('i1');
    await transition('i1', 'acknowledged');
    expect(bridge.requests('api.incidents.transition')).toEqual([
      { params: { id: 'i1' }, body: { state: 'acknowledged' } },
    ]);
    onIncidentChanged({ id: 'other' });
    onIncidentChanged({ id: 'i1' });
    await new Promise((r) => setTimeout(r, 0));
    expect(bridge.requests('api.incidents.get')).toHaveLength(3);
  });
});
