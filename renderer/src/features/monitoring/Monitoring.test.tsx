// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rule } from '../../../../shared/api/alerts';
import type { OverviewEntry } from '../../../../shared/api/scrape';
import { TestBridge } from '../../test-support/fake-bridge';
import MonitoringScreen from './MonitoringScreen';
import { panelsFor, thresholdsFor } from './panels';
import { RuleEditor } from './RuleEditor';
import { parseLabels } from './rules';
import { useMonitoring } from './slice';

const entry = (i: number, state: OverviewEntry['state']): OverviewEntry => ({ kind: 'target', id: `t${i}`, name: `node/host-${String(i).padStart(4, '0')}:9100`, state, detail: 'node', lastError: state === 'down' ? 'connection refused' : null, lastErrorAt: null, lastCheckedAt: 1000 + i, openAlerts: 0 });

const rule: Rule = { id: 'r1', name: 'Host memory usage', metric: 'node_memory_used_ratio', labels: {}, comparison: 'gt', warning: 0.8, critical: 0.95, warningSeverity: 'medium', criticalSeverity: 'critical', forSeconds: 120, hysteresis: 0.05, enabled: true, aggregation: 'none', groupBy: [], builtin: true, summary: 's', createdAt: 1, updatedAt: 1 };

beforeEach(() => useMonitoring.setState(useMonitoring.getInitialState()));
afterEach(cleanup);

describe('monitoring overview', () => {
  it('renders 1,000 entries as a window of rows, down first, and sorts by a column', async () => {
    const list = Array.from({ length: 1000 }, (_, i) => entry(i, i === 700 ? 'down' : 'up'));
    new TestBridge({ 'api.monitoring.overview': list }).install();
    render(<MonitoringScreen />);
    expect(await screen.findByText(/1000 entries · 1 down · 0 warning · 999 up/)).toBeTruthy();
    const rows = () => within(screen.getByRole('rowgroup', { name: 'Entries' })).getAllByRole('row');
    // Only the rows in view (plus a margin) are in the DOM.
    expect(rows().length).toBeLessThan(40);
    expect(within(rows()[0]!).getByText('node/host-0700:9100')).toBeTruthy();
    expect(within(rows()[0]!).getByText('connection refused')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^Name/ }));
    expect(within(rows()[0]!).getByText('node/host-0000:9100')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^Name/ }));
    expect(within(rows()[0]!).getByText('node/host-0999:9100')).toBeTruthy();
  });
});

describe('rule editor', () => {
  it('shows out-of-order thresholds and bad matchers inline before sending, previews, then saves only when valid', async () => {
    const bridge = new TestBridge({
      'api.rules.history': [],
      'api.rules.preview': { evaluatedAt: 1, series: [{ labels: { instance: 'db1:9100' }, value: 0.9, level: 'warning' }] },
      'api.rules.update': (r) => ({ ...rule, ...r.body }) as Rule,
    });
    bridge.install();
    let saved = 0;
    render(<RuleEditor rule={rule} onClose={() => undefined} onSaved={() => saved++} />);
    fireEvent.change(screen.getByLabelText(/^Critical at/), { target: { value: '0.5' } });
    fireEvent.change(screen.getByLabelText(/^Label matchers/), { target: { value: 'job node' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save rule' })));
    expect(screen.getByText('must not be below the warning level')).toBeTruthy();
    expect(screen.getByText(/write label=value/)).toBeTruthy();
    expect(bridge.requests('api.rules.update')).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^Critical at/), { target: { value: '0.97' } });
    fireEvent.change(screen.getByLabelText(/^Label matchers/), { target: { value: 'job=node' } });
    expect(await screen.findByText('Would fire now on 1 of 1 series:', {}, { timeout: 2000 })).toBeTruthy();
    expect(bridge.requests('api.rules.preview').at(-1)).toEqual({ body: { metric: 'node_memory_used_ratio', labels: { job: 'node' }, comparison: 'gt', warning: 0.8, critical: 0.97, aggregation: 'none', groupBy: [] } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save rule' })));
    expect(bridge.requests('api.rules.update')).toEqual([{ params: { id: 'r1' }, body: expect.objectContaining({ critical: 0.97, labels: { job: 'node' } }) }]);
    expect(saved).toBe(1);
  });

  it('parses matchers and reads panel thresholds from the most specific applying rule', () => {
    expect(parseLabels('job=node, instance="db1:9100"')).toEqual({ labels: { job: 'node', instance: 'db1:9100' }, error: null });
    const memory = panelsFor('node').find((p) => p.metric === 'node_memory_used_ratio')!;
    const scoped = { ...rule, id: 'r2', name: 'db1 memory', labels: { instance: 'db1:9100' }, warning: 0.6, critical: null };
    expect(thresholdsFor(memory, [rule, scoped], { job: 'node', instance: 'db1:9100' })).toEqual({ warn: 60, crit: undefined, rule: 'db1 memory' });
    expect(thresholdsFor(memory, [rule, scoped], { job: 'node', instance: 'web1:9100' })).toEqual({ warn: 80, crit: 95, rule: 'Host memory usage' });
    expect(panelsFor('redis').map((p) => p.metric)).toContain('redis_keyspace_hit_ratio');
  });
});
