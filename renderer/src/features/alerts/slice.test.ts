// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import {
  bulkAct,
  groupBySeverity,
  onAlertChanged,
  toggleGroup,
  toggleSelected,
  useAlerts,
  visibleAlerts,
} from './slice';

const alert = (
  id: string,
  severity: Alert['severity'],
  status: Alert['status'] = 'firing',
  lastSeenAt = 1,
): Alert => ({
  id,
  fingerprint: id,
  title: `Alert ${id}`,
  description: '',
  severity,
  status,
  source: 'rule',
  labels: { service: 'api', host: `h-${id}` },
  firstSeenAt: 0,
  lastSeenAt,
  count: 1,
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedAt: null,
  incidentId: null,
  owner: null,
  pending: false,
});

describe('alerts slice', () => {
  it('groups by severity, most severe first, newest first inside a group', () => {
    const g = groupBySeverity([
      alert('a', 'low'),
      alert('b', 'critical', 'firing', 1),
      alert('c', 'critical', 'firing', 5),
    ]);
    expect(g.map((x) => x.severity)).toEqual(['critical', 'low']);
    expect(g[0]!.alerts.map((a) => a.id)).toEqual(['c', 'b']);
  });

  it('a pushed alert appears without a reload and an update replaces it in place', () => {
    useAlerts.setState({ alerts: [alert('a', 'high')], sound: false });
    onAlertChanged({ alert: alert('b', 'medium') });
    expect(useAlerts.getState().alerts.map((a) => a.id)).toEqual(['b', 'a']);
    onAlertChanged({ alert: alert('a', 'high', 'acknowledged') });
    expect(useAlerts.getState().alerts.find((a) => a.id === 'a')!.status).toBe('acknowledged');
    expect(useAlerts.getState().alerts).toHaveLength(2);
  });

  it('filters by status, severity and label text', () => {
    useAlerts.setState({
      alerts: [alert('a', 'high'), alert('b', 'low', 'resolved'), alert('c', 'critical')],
      statusFilter: ['firing'],
      severityFilter: [],
      text: 'h-c',
    });
    expect(visibleAlerts(useAlerts.getState()).map((a) => a.id)).toEqual(['c']);
  });

  it('bulk work acts on the selection through the outbox channels, keeping the ones refused selected', async () => {
    useAlerts.setState({ alerts: [alert('a', 'high'), alert('b', 'high'), alert('c', 'low')], selected: [] });
    toggleGroup(['a', 'b']);
    toggleSelected('c');
    expect(useAlerts.getState().selected).toEqual(['a', 'b', 'c']);
    toggleGroup(['a', 'b']);
    expect(useAlerts.getState().selected).toEqual(['c']);
    toggleGroup(['a', 'b']);
    const bridge = new TestBridge({
      'alerts.acknowledge': ({ id }) => {
        if (id === 'b') throw new Error('Alert is already resolved');
        return { ...alert(id, 'high'), status: 'acknowledged' };
      },
    });
    bridge.install();
    const r = await bulkAct('acknowledge');
    expect(
      bridge
        .requests('alerts.acknowledge')
        .map((q) => q.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(r).toMatchObject({ done: 2, failed: 1 });
    expect(useAlerts.getState().selected).toEqual(['b']);
    expect(useAlerts.getState().alerts.find((x) => x.id === 'a')?.status).toBe('acknowledged');
  });
});
