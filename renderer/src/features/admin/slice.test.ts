// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../../../shared/api/alerts';
import { TestBridge } from '../../test-support/fake-bridge';
import {
  addMember,
  loadAudit,
  loadChannels,
  saveSla,
  setAuditFilter,
  updateChannel,
  useAdmin,
} from './slice';

const channel: Channel = {
  id: 'c1',
  type: 'slack',
  name: 'Ops',
  severities: ['high'],
  enabled: true,
  url: null,
  configured: true,
  updatedAt: 1,
};
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.channels.list': [channel],
    'api.channels.update': { ...channel, enabled: false },
    'api.sla.policies.list': [],
    'api.sla.policies.update': {
      priority: 'high',
      firstResponseMinutes: 30,
      resolutionMinutes: 240,
      updatedAt: null,
    },
    'api.queues.members.add': { id: 'q1', name: 'Support', description: '', memberIds: ['u2'] } as never,
    'queues.list': [],
    'api.audit.list': { items: [], nextCursor: 'older' },
  });
  bridge.install();
  useAdmin.setState(useAdmin.getInitialState());
});

describe('admin slice', () => {
  it('reads and changes channels through the typed route channels, then re-reads the list', async () => {
    await loadChannels();
    expect(useAdmin.getState().channels.data).toEqual([channel]);
    await updateChannel('c1', { enabled: false });
    expect(bridge.requests('api.channels.update')).toEqual([
      { params: { id: 'c1' }, body: { enabled: false } },
    ]);
    expect(bridge.requests('api.channels.list')).toHaveLength(2);
  });

  it('saves an SLA policy by its priority, sending only the two targets', async () => {
    await saveSla({ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 240, updatedAt: null });
    expect(bridge.requests('api.sla.policies.update')).toEqual([
      { params: { priority: 'high' }, body: { firstResponseMinutes: 30, resolutionMinutes: 240 } },
    ]);
  });

  it('adds a queue member with the queue in the path and the user in the body', async () => {
    await addMember('q1', 'u2');
    expect(bridge.requests('api.queues.members.add')).toEqual([
      { params: { id: 'q1' }, body: { userId: 'u2' } },
    ]);
    expect(bridge.requests('queues.list')).toHaveLength(1);
  });

  it('pages the audit log and starts again at the first page when a filter changes', async () => {
    await setAuditFilter({ cursor: 'older' });
    await setAuditFilter({ action: 'user.create', from: '2026-01-02' });
    const [paged, filtered] = bridge.requests('api.audit.list').map((r) => r?.query);
    expect(paged).toMatchObject({ cursor: 'older', limit: 100 });
    expect(filtered).toEqual({
      action: 'user.create',
      targetType: undefined,
      from: new Date('2026-01-02').getTime(),
      cursor: undefined,
      limit: 100,
    });
    await loadAudit();
    expect(useAdmin.getState().audit.data?.nextCursor).toBe('older');
  });
});
