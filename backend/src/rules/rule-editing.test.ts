import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { monitoringOf, startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import type { Rule, RulePreview } from '../../../shared/api/alerts';

describe.each(DATABASES)('editing rules, preview and history on %s', (kind) => {
  let env: MonitoringTestEnv;
  const call = (method: string, url: string, body?: unknown) => env.server.api(method, url, { token: env.admin.accessToken, body });

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    await monitoringOf(env.server).init();
    await env.server.services.metricStore.write([
      { name: 'node_memory_used_ratio', labels: { job: 'node', instance: 'db1:9100' }, value: 0.6 },
      { name: 'node_memory_used_ratio', labels: { job: 'node', instance: 'web1:9100' }, value: 0.93 },
    ]);
  });
  afterAll(() => env?.server.dispose());

  it('a PATCH changes only the fields it names (labels, severities, for and enabled are kept)', async () => {
    const before = (await call('GET', '/api/v1/rules/builtin-api-down')).body as Rule;
    const patched = (await call('PATCH', '/api/v1/rules/builtin-api-down', { critical: 0.5 })).body as Rule;
    expect(patched).toMatchObject({ critical: 0.5, labels: before.labels, forSeconds: before.forSeconds, criticalSeverity: before.criticalSeverity, enabled: true });
    expect(patched.labels).toEqual({ check: 'api' });
    await call('PATCH', '/api/v1/rules/builtin-api-down', { enabled: false });
    expect(((await call('PATCH', '/api/v1/rules/builtin-api-down', { forSeconds: 30 })).body as Rule).enabled).toBe(false);
  });

  it('rejects thresholds out of order with a message for the form', async () => {
    const res = await call('PATCH', '/api/v1/rules/builtin-node-memory', { warning: 0.99, critical: 0.5 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ message: 'warning must not be above critical for a "greater than" rule' });
  });

  it('previews which series a draft would fire on now', async () => {
    const res = await call('POST', '/api/v1/rules/preview', { metric: 'node_memory_used_ratio', labels: { job: 'node' }, comparison: 'gt', warning: 0.5, critical: 0.9 });
    expect(res.status).toBe(200);
    expect((res.body as RulePreview).series.map((s) => [s.labels.instance, s.level])).toEqual([
      ['web1:9100', 'critical'],
      ['db1:9100', 'warning'],
    ]);
    const scoped = (await call('POST', '/api/v1/rules/preview', { metric: 'node_memory_used_ratio', labels: { instance: 'db1:9100' }, comparison: 'gt', warning: 0.7, critical: null })).body as RulePreview;
    expect(scoped.series).toEqual([{ labels: { job: 'node', instance: 'db1:9100' }, value: 0.6, level: null }]);
  });

  it('aggregates the matching series per group: max memory of the job fires once', async () => {
    const preview = (await call('POST', '/api/v1/rules/preview', { metric: 'node_memory_used_ratio', labels: {}, comparison: 'gt', warning: 0.9, critical: null, aggregation: 'max', groupBy: ['job'] })).body as RulePreview;
    expect(preview.series).toEqual([{ labels: { job: 'node' }, value: 0.93, level: 'warning' }]);
    const avg = (await call('POST', '/api/v1/rules/preview', { metric: 'node_memory_used_ratio', labels: {}, comparison: 'gt', warning: 0.9, critical: null, aggregation: 'avg', groupBy: [] })).body as RulePreview;
    expect(avg.series).toEqual([{ labels: {}, value: 0.765, level: null }]);
    const created = (await call('POST', '/api/v1/rules', { name: 'Fleet memory', metric: 'node_memory_used_ratio', comparison: 'gt', warning: 0.9, critical: null, aggregation: 'max', groupBy: ['job'] })).body as Rule;
    expect(created).toMatchObject({ aggregation: 'max', groupBy: ['job'] });
    await monitoringOf(env.server).evaluator.evaluate();
    const fired = (await env.server.services.alerts.openByRule()).filter((a) => a.ruleId === created.id);
    expect(fired.map((a) => a.labels)).toEqual([{ job: 'node', metric: 'node_memory_used_ratio' }]);
    expect((await call('PATCH', `/api/v1/rules/${created.id}`, { enabled: false })).body).toMatchObject({ aggregation: 'max', groupBy: ['job'] });
    await monitoringOf(env.server).evaluator.evaluate();
  });

  it("keeps the rule's history: fired, then resolved", async () => {
    const created = (await call('POST', '/api/v1/rules', { name: 'Web memory', metric: 'node_memory_used_ratio', labels: { instance: 'web1:9100' }, comparison: 'gt', warning: 0.9, critical: null })).body as Rule;
    const m = monitoringOf(env.server);
    await m.evaluator.evaluate();
    await call('PATCH', `/api/v1/rules/${created.id}`, { warning: 0.95 });
    env.clock.advance(15_000);
    await env.server.services.metricStore.write([{ name: 'node_memory_used_ratio', labels: { job: 'node', instance: 'web1:9100' }, value: 0.93 }]);
    await m.evaluator.evaluate();
    const history = (await call('GET', `/api/v1/rules/${created.id}/history`)).body as { status: string; level: string; resolvedAt: number | null; labels: Record<string, string> }[];
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: 'resolved', level: 'warning', labels: expect.objectContaining({ instance: 'web1:9100' }) });
    expect(history[0]!.resolvedAt).toBe(env.clock.now());
  });
});
