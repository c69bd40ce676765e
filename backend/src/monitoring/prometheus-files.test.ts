import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import { parseExposition } from '../scrape/exposition';

const DEPLOY = path.join(__dirname, '../../deploy');
const promtool = (args: string[], input?: string) => spawnSync('promtool', args, { encoding: 'utf8', input });

/** Item 5: the shipped Prometheus rules and Grafana dashboard, and OpsDesk's own /metrics, by Prometheus's own tool. */
describe('Prometheus conventions', () => {
  let env: MonitoringTestEnv;
  beforeAll(async () => {
    env = await startMonitoringServer('sqlite');
  });
  afterAll(() => env?.server.dispose());

  it('the rules file with the manuals\' thresholds passes promtool check rules', () => {
    const r = promtool(['check', 'rules', path.join(DEPLOY, 'prometheus/opsdesk-rules.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS: 21 rules found');
    expect(r.status).toBe(0);
    const text = readFileSync(path.join(DEPLOY, 'prometheus/opsdesk-rules.yml'), 'utf8');
    for (const threshold of ['> 0.7', '> 0.9', '> 0.8', '> 0.95', '> 0.85', '< 0.9', '> 0.01']) expect(text).toContain(threshold);
  });

  it("every Grafana panel's query is valid PromQL (checked as recording rules)", () => {
    const dash = JSON.parse(readFileSync(path.join(DEPLOY, 'grafana/opsdesk-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dash.panels.length).toBeGreaterThanOrEqual(10);
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const file = path.join(tempDir(), 'grafana-exprs.yml');
    writeFileSync(file, `groups:\n  - name: grafana\n    rules:\n${exprs.map((e, i) => `      - record: grafana:panel_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`);
    const r = promtool(['check', 'rules', file]);
    expect(r.stdout + r.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('/metrics carries the domain metrics in base units and passes promtool check metrics', async () => {
    const res = await fetch(`${env.server.url}/metrics`);
    const body = await res.text();
    const parsed = parseExposition(body, 'text');
    const names = new Set(parsed.samples.map((s) => s.name));
    for (const n of ['opsdesk_build_info', 'opsdesk_alerts_firing', 'opsdesk_http_request_duration_seconds_bucket']) expect(names).toContain(n);
    expect(parsed.samples.filter((s) => s.name === 'opsdesk_alerts_firing').map((s) => s.labels.severity).sort()).toEqual(['critical', 'high', 'low', 'medium']);
    expect(parsed.samples.find((s) => s.name === 'opsdesk_build_info')!.labels.version).toMatch(/\d/);
    // No backup yet: the timestamp is absent rather than 0.
    expect(names.has('opsdesk_backup_last_success_timestamp_seconds')).toBe(false);
    const r = promtool(['check', 'metrics'], body);
    const problems = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('opsdesk_') && !l.startsWith('opsdesk_nodejs_') && !l.startsWith('opsdesk_process_'));
    expect(problems).toEqual([]);
  });
});
