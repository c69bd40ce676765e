import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import { coveringMatchers, matchersForAlert } from './silence-bulk';
import { compileMatcher, matchesAll } from './matchers';

describe('covering matchers', () => {
  it('match every alert of the selection: equal where they agree, a quoted alternation where not', () => {
    const labels: Record<string, string>[] = [
      { alertname: 'Disk full', severity: 'high', host: 'web-1', dc: 'fra' },
      { alertname: 'Disk full', severity: 'high', host: 'web-2.(x)+', dc: 'fra', extra: 'y' },
    ];
    const m = coveringMatchers(labels);
    expect(m).toEqual([
      { name: 'alertname', value: 'Disk full', isRegex: false, isEqual: true },
      { name: 'dc', value: 'fra', isRegex: false, isEqual: true },
      { name: 'host', value: `${RE2JS.quote('web-1')}|${RE2JS.quote('web-2.(x)+')}`, isRegex: true, isEqual: true },
      { name: 'severity', value: 'high', isRegex: false, isEqual: true },
    ]);
    const compiled = m.map(compileMatcher);
    for (const l of labels) expect(matchesAll(compiled, l)).toBe(true);
    expect(matchesAll(compiled, { ...labels[0]!, host: 'web-2xx' })).toBe(false);
    expect(matchersForAlert(labels[1]!).map((x) => x.name)).toEqual(['alertname', 'dc', 'extra', 'host', 'severity']);
  });
});

describe.each(DATABASES)('bulk silences and the silences screen API on %s', (kind) => {
  let env: MonitoringTestEnv;
  const api = (method: string, path: string, body?: unknown) => env.server.api(method, `/api/v1${path}`, { token: env.oncall.accessToken, body });
  const fire = async (name: string, host: string) => (await api('POST', '/alerts', { name, severity: 'high', summary: name, labels: { host } })).body.id as string;
  const alert = async (id: string) => (await api('GET', `/alerts/${id}`)).body;

  beforeAll(async () => void (env = await startMonitoringServer(kind)));
  afterAll(() => env?.server.dispose());

  it('one silence covering a selection: a dry run proposes it, then it mutes exactly those, lists them, is edited and expired', async () => {
    const ids = [await fire('Disk full', 'web-1'), await fire('Disk full', 'web-2')];
    const bystander = await fire('Disk full', 'db-1');
    const dry = await api('POST', '/silences/bulk', { ids, mode: 'cover', durationMinutes: 60, comment: 'disk swap', dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.silences).toEqual([]);
    expect(dry.body.matchers[0]).toContainEqual({ name: 'host', value: 'web-1|web-2', isRegex: true, isEqual: true });
    expect(dry.body.alsoMutes).toEqual([]);
    expect((await alert(ids[0]!)).silenced).toBe(false);

    const made = await api('POST', '/silences/bulk', { ids, mode: 'cover', durationMinutes: 60, comment: 'disk swap' });
    expect(made.body.silences).toHaveLength(1);
    const silence = made.body.silences[0];
    expect(made.body.alerts.map((a: any) => a.silenced)).toEqual([true, true]);
    expect((await alert(bystander)).silenced).toBe(false);

    const listed = (await api('GET', '/silences?state=active')).body.find((s: any) => s.id === silence.id);
    expect(listed).toMatchObject({ comment: 'disk swap', createdBy: env.oncall.id, createdByName: expect.any(String), mutes: 2, state: 'active' });
    expect((await api('GET', `/silences/${silence.id}/alerts`)).body.map((a: any) => a.id).sort()).toEqual([...ids].sort());

    // Edit: widen to every host, new comment and end; the bystander is now muted too.
    const endsAt = env.clock.now() + 2 * 3600_000;
    const edited = await api('PATCH', `/silences/${silence.id}`, { matchers: [{ name: 'alertname', value: 'Disk full', isRegex: false, isEqual: true }], comment: 'all disks', endsAt });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ comment: 'all disks', endsAt, mutes: 3 });
    expect((await alert(bystander)).silenced).toBe(true);
    expect((await api('PATCH', `/silences/${silence.id}`, { matchers: [{ name: 'x', value: '(a)\\1', isRegex: true, isEqual: true }] })).status).toBe(422);

    const expired = await api('DELETE', `/silences/${silence.id}`);
    expect(expired.body).toMatchObject({ state: 'expired', mutes: 0 });
    expect((await alert(ids[0]!)).silenced).toBe(false);
    expect((await api('PATCH', `/silences/${silence.id}`, { comment: 'late' })).status).toBe(409);
    expect((await api('GET', '/silences?state=expired')).body.map((s: any) => s.id)).toContain(silence.id);
    const audit = await env.server.api('GET', '/api/v1/audit?action=silence.updated', { token: env.admin.accessToken });
    expect(audit.body.items.map((e: any) => e.targetId)).toContain(silence.id);
  });

  it('one silence per alert; resolved and missing alerts are reported, and what else the matchers catch is named', async () => {
    const a = await fire('CPU hot', 'app-1');
    const b = await fire('Memory low', 'app-1');
    const twin = await fire('CPU hot', 'app-1-twin');
    const done = await fire('Gone', 'app-9');
    await api('POST', `/alerts/${done}/resolve`, {});
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await api('POST', '/silences/bulk', { ids: [a, b, done, missing], mode: 'each', durationMinutes: 15, comment: 'deploy' });
    expect(res.body.silences).toHaveLength(2);
    expect(res.body.failed).toEqual([
      { id: done, error: 'conflict', message: expect.stringMatching(/resolved/) },
      { id: missing, error: 'not_found', message: expect.any(String) },
    ]);
    expect((await alert(twin)).silenced).toBe(false);
    const cover = await api('POST', '/silences/bulk', { ids: [a, b], mode: 'cover', durationMinutes: 15, comment: 'x', dryRun: true });
    expect(cover.body.matchers[0].map((m: any) => m.name)).toEqual(['alertname', 'host', 'severity']);
    expect((await api('POST', '/silences/bulk', { ids: [done], mode: 'each', durationMinutes: 15, comment: 'x' })).status).toBe(422);
  });
});
