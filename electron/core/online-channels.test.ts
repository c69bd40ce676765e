import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../backend/test-support/harness';
import { CHANNEL_NAMES, channelKind, channels, events, type ChannelName, type ChannelRequest, type ChannelResponse, type EventName, type EventPayload } from '../../shared/ipc';
import { DesktopCore } from './desktop-core';
import { APP_ROOT } from './test-support/backend-process';
import { fileSecrets, tmpDir } from './test-support/fixtures';
import { NoopUpdater } from './updates/update-scheduler';

// The online channels the renderer uses, called through the core's handler table against a real
// backend, and every answer parsed with the contract's response schema: the derived `api.*`
// channels as the screens call them, and every hand-written online channel (silences, job logs).

const ADMIN = { email: 'ops-admin@example.com', password: 'online-channels-admin-77', role: 'admin' as const };
const ADMIN2 = { email: 'second-admin@example.com', password: 'online-channels-admin-88', role: 'admin' as const };

let server: TestServer;
const cores: DesktopCore[] = [];
const logEvents: EventPayload<'jobs.log'>[] = [];
const called = new Set<ChannelName>();
const pushed: { event: EventName; payload: unknown }[] = [];

async function signedInCore(user: { email: string; password: string }): Promise<DesktopCore> {
  const userData = tmpDir();
  const core = new DesktopCore({ paths: { userData, appRoot: APP_ROOT }, secrets: fileSecrets(userData), notifier: { show: () => {} }, updater: new NoopUpdater('0.1.0'), transport: 'host', version: '0.1.0' });
  cores.push(core);
  const added = await core.dispatch('profiles.addServer', { name: 'Team', url: server.url });
  if (!added.ok) throw new Error(JSON.stringify(added));
  await core.dispatch('profiles.activate', { id: (added.value as { id: string }).id });
  const login = await core.dispatch('session.login', user);
  expect(login).toMatchObject({ ok: true, value: { status: 'signed_in' } });
  return core;
}

/** Calls a channel, expects ok:true and a value the contract's response schema accepts. */
async function call<C extends ChannelName>(core: DesktopCore, channel: C, payload: ChannelRequest<C>): Promise<ChannelResponse<C>> {
  called.add(channel);
  const res = await core.dispatch(channel, payload);
  if (!res.ok) throw new Error(`${channel} failed: ${JSON.stringify(res.error)}`);
  const parsed = channels[channel].response.safeParse(res.value);
  if (!parsed.success) throw new Error(`${channel} answered outside its contract: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  return parsed.data as ChannelResponse<C>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];

let admin: DesktopCore;
let second: DesktopCore;

beforeAll(async () => {
  server = await startTestServer('sqlite', { env: { MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false', LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  await createUserAndLogin(server, ADMIN);
  await createUserAndLogin(server, ADMIN2);
  admin = await signedInCore(ADMIN);
  second = await signedInCore(ADMIN2);
  admin.onEvent((event, payload) => {
    pushed.push({ event, payload });
    if (event === 'jobs.log') logEvents.push(payload as EventPayload<'jobs.log'>);
  });
  await until('the live feed', async () => (await call(admin, 'sync.status', undefined)).live === 'connected');
}, 90_000);

afterAll(async () => {
  for (const c of cores) await c.shutdown();
  await server?.dispose();
});

describe('online channels against a real backend', () => {
  it('incidents: create → update → transition → note → link → review, list and get', async () => {
    const created = await call(admin, 'api.incidents.create', { body: { title: 'Checkout latency', description: 'p95 above 5 s', severity: 'high' } });
    expect(created).toMatchObject({ title: 'Checkout latency', severity: 'high', state: 'detected' });
    const updated = await call(admin, 'api.incidents.update', { params: { id: created.id }, body: { title: 'Checkout latency (EU)' } });
    expect(updated.title).toBe('Checkout latency (EU)');
    const incident = { params: { id: created.id } };
    expect(await call(admin, 'api.incidents.transition', { ...incident, body: { state: 'acknowledged', note: 'on it' } })).toMatchObject({ state: 'acknowledged' });
    // A note answers the incident; the detail with its timeline is read again, as the incident screen does.
    await call(admin, 'api.incidents.notes.create', { ...incident, body: { body: 'rolled back the release' } });
    const noted = await call(admin, 'api.incidents.get', incident);
    expect(noted.timeline.some((t) => t.kind === 'note' && t.body.includes('rolled back'))).toBe(true);
    const job = await call(admin, 'api.jobs.create', { body: { runbook: 'run-health-checks', params: {} } });
    expect(await call(admin, 'api.incidents.links.create', { ...incident, body: { kind: 'job', refId: job.id } })).toMatchObject({ id: created.id });
    for (const state of ['diagnosing', 'mitigating', 'resolved'] as const) await call(admin, 'api.incidents.transition', { ...incident, body: { state } });
    const reviewed = await call(admin, 'api.incidents.review.update', { ...incident, body: { summary: 'bad deploy', rootCause: 'missing index', followUps: ['add the index'] } });
    expect(reviewed.id).toBe(created.id);
    expect((await call(admin, 'api.incidents.list', {})).map((i) => i.id)).toContain(created.id);
    expect((await call(admin, 'api.incidents.list', { query: { state: 'resolved,reviewed', severity: 'high' } })).map((i) => i.id)).toContain(created.id);
    const detail = await call(admin, 'api.incidents.get', incident);
    expect(detail.links.some((l) => l.kind === 'job' && l.refId === job.id)).toBe(true);
  });

  it('silences: create from alert matchers, list from the cache, expire', async () => {
    const s = await call(admin, 'alerts.silence', { matchers: [{ label: 'service', value: 'api' }], durationMinutes: 30, comment: 'deploy' });
    expect(s.matchers).toEqual([{ label: 'service', value: 'api', regex: false }]);
    expect((await call(admin, 'silences.list', undefined)).map((x) => x.id)).toContain(s.id);
    await call(admin, 'silences.expire', { id: s.id });
    expect((await call(admin, 'silences.list', undefined)).map((x) => x.id)).not.toContain(s.id);
  });

  it('bulk silence goes through the outbox: shown silenced at once, sent once, the server\'s silence and alerts kept', async () => {
    const fire = (host: string) => call(admin, 'api.alerts.create', { body: { name: 'Disk full', severity: 'high', labels: { host } } });
    const ids = [(await fire('web-1')).id, (await fire('web-2')).id];
    await until('the alerts in the cache', async () => (await call(admin, 'alerts.list', { limit: 500 })).items.filter((a) => ids.includes(a.id)).length === 2);
    const shown = await call(admin, 'alerts.silenceMany', { ids, mode: 'cover', durationMinutes: 30, comment: 'disk swap' });
    expect(shown.map((a) => [a.status, a.pending])).toEqual([['silenced', true], ['silenced', true]]);
    await until('the outbox sent', async () => (await call(admin, 'outbox.list', undefined)).length === 0);
    const after = (await call(admin, 'alerts.list', { limit: 500 })).items.filter((a) => ids.includes(a.id));
    expect(after.map((a) => [a.status, a.pending])).toEqual([['silenced', false], ['silenced', false]]);
    const silences = (await call(admin, 'api.silences.list', { query: { state: 'active' } })).filter((x) => x.comment === 'disk swap');
    expect(silences).toHaveLength(1);
    expect(silences[0]).toMatchObject({ mutes: 2 });
    expect((await call(admin, 'silences.list', undefined)).map((x) => x.id)).toContain(silences[0]!.id);
    await call(admin, 'silences.expire', { id: silences[0]!.id });
  });

  it('runbooks and jobs: request → get → live log → list, cancel and retry', async () => {
    const runbooks = await call(admin, 'api.runbooks.list', undefined);
    expect(runbooks.map((r) => r.id)).toEqual(expect.arrayContaining(['run-health-checks', 'backup-database', 'restore-database']));

    const job = await call(admin, 'api.jobs.create', { body: { runbook: 'run-health-checks', params: {} } });
    expect(await call(admin, 'api.jobs.get', { params: { id: job.id } })).toMatchObject({ id: job.id, runbook: 'run-health-checks' });
    const sub = await call(admin, 'jobs.subscribeLog', { id: job.id });
    const lines = [...sub.lines];
    if (!sub.done) {
      await until('the end of the live log', () => logEvents.some((e) => e.subscriptionId === sub.subscriptionId && e.done));
      for (const e of logEvents.filter((x) => x.subscriptionId === sub.subscriptionId)) {
        expect(channels['jobs.subscribeLog'].response.shape.lines.safeParse(e.lines).success).toBe(true);
        expect(e.jobId).toBe(job.id);
        lines.push(...e.lines);
      }
    }
    expect(lines.length).toBeGreaterThan(0);
    const seqs = lines.map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const done = await until('the job to finish', async () => {
      const j = await call(admin, 'api.jobs.get', { params: { id: job.id } });
      return FINISHED.includes(j.status) && j;
    });
    // Resuming after the last line answers nothing new and done.
    const again = await call(admin, 'jobs.subscribeLog', { id: job.id, fromSeq: done.logSeq });
    expect(again).toMatchObject({ lines: [], done: true });
    await call(admin, 'jobs.unsubscribeLog', { subscriptionId: again.subscriptionId });

    expect(await admin.dispatch('api.jobs.retry', { params: { id: job.id } })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('succeeded') } });

    const backup = await call(admin, 'api.jobs.create', { body: { runbook: 'backup-database', params: {} } });
    const cancelled = await call(admin, 'api.jobs.cancel', { params: { id: backup.id } }).catch((e: Error) => e);
    // A fast backup may finish before the cancel lands; then the server answers a conflict.
    if (cancelled instanceof Error) expect(cancelled.message).toMatch(/conflict/);
    else expect(cancelled.id).toBe(backup.id);
    await until('the backup job to end', async () => FINISHED.includes((await call(admin, 'api.jobs.get', { params: { id: backup.id } })).status));

    // A restore waiting for approval cancels at once; retrying a destructive job needs its confirmation again.
    const [latest] = await call(admin, 'api.backups.list', undefined);
    const waiting = await call(admin, 'api.jobs.create', { body: { runbook: 'restore-database', params: { backupId: latest!.id }, confirmation: 'restore-database' } });
    expect(await call(admin, 'api.jobs.cancel', { params: { id: waiting.id } })).toMatchObject({ id: waiting.id, status: 'cancelled' });
    expect(await admin.dispatch('api.jobs.retry', { params: { id: waiting.id } })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const retried = await call(admin, 'api.jobs.retry', { params: { id: waiting.id }, body: { confirmation: 'restore-database' } });
    expect(retried).toMatchObject({ runbook: 'restore-database', retryOf: waiting.id, status: 'awaiting_approval' });
    await call(admin, 'api.jobs.cancel', { params: { id: retried.id } });

    expect((await call(admin, 'api.jobs.list', { query: { runbook: 'run-health-checks', limit: 10 } })).items.map((j) => j.id)).toContain(job.id);
    expect((await call(admin, 'api.jobs.list', {})).items).not.toHaveLength(0);
  });

  it('backups: a manual backup is listed, has an overview, a manifest and verifies', async () => {
    const job = await call(admin, 'api.jobs.create', { body: { runbook: 'backup-database', params: {} } });
    const finished = await until('the backup', async () => {
      const j = await call(admin, 'api.jobs.get', { params: { id: job.id } });
      return FINISHED.includes(j.status) && j;
    });
    expect(finished.status).toBe('succeeded');
    const backups = await call(admin, 'api.backups.list', undefined);
    const b = backups.find((x) => x.jobId === job.id);
    expect(b).toMatchObject({ status: 'ok', verified: true });
    const overview = await call(admin, 'api.backups.overview', undefined);
    expect(overview.retention.dailyDays).toBeGreaterThan(0);
    const manifest = await call(admin, 'api.backups.manifest.get', { params: { id: b!.id } });
    expect(manifest).toMatchObject({ format: 'opsdesk-backup/1', id: b!.id, sha256: b!.sha256, sizeBytes: b!.sizeBytes });
    // The route answers 201 with the verification job; the channel answers the job.
    const verifyJob = await call(admin, 'api.backups.verify', { params: { id: b!.id } });
    expect(verifyJob).toMatchObject({ runbook: 'verify-backup' });
    await until('the verification', async () => (await call(admin, 'api.jobs.get', { params: { id: verifyJob.id } })).status === 'succeeded');
  });

  it('approvals: a restore waits for a second admin, who can reject or approve it', async () => {
    const backups = await call(admin, 'api.backups.list', undefined);
    const b = backups.find((x) => x.status === 'ok')!;
    const first = await call(admin, 'api.jobs.create', { body: { runbook: 'restore-database', params: { backupId: b.id }, confirmation: 'restore-database' } });
    expect(first.status).toBe('awaiting_approval');
    expect(await admin.dispatch('api.jobs.approve', { params: { id: first.id } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(second, 'api.jobs.reject', { params: { id: first.id }, body: { reason: 'wrong backup' } })).toMatchObject({ id: first.id, status: 'cancelled' });

    const restore = await call(admin, 'api.jobs.create', { body: { runbook: 'restore-database', params: { backupId: b.id }, confirmation: 'restore-database' } });
    // Subscribed while it waits: nothing logged yet, so every line arrives live as a `jobs.log` event.
    const sub = await call(admin, 'jobs.subscribeLog', { id: restore.id });
    expect(sub).toMatchObject({ lines: [], done: false });
    // A second window on the same job, and a dropped live connection: neither may lose or repeat a line.
    const sub2 = await call(admin, 'jobs.subscribeLog', { id: restore.id });
    admin.active!.live.restart();
    await until('the live feed back', async () => (await call(admin, 'sync.status', undefined)).live === 'connected');
    const approved = await call(second, 'api.jobs.approve', { params: { id: restore.id } });
    expect(approved).toMatchObject({ id: restore.id, status: 'queued' });
    expect(approved.approvedBy).not.toBeNull();
    const received = async (subscriptionId: string) => {
      await until('the end of the live log', () => logEvents.some((e) => e.subscriptionId === subscriptionId && e.done), 60_000);
      const live = logEvents.filter((e) => e.subscriptionId === subscriptionId);
      for (const e of live) expect(events['jobs.log'].safeParse(e).success).toBe(true);
      expect(live.filter((e) => e.done)).toHaveLength(1);
      return live.flatMap((e) => e.lines);
    };
    const lines = await received(sub.subscriptionId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(await received(sub2.subscriptionId)).toEqual(lines);
    const ended = await call(admin, 'api.jobs.get', { params: { id: restore.id } });
    expect(ended.status).toBe('succeeded');
    expect(lines.at(-1)!.seq).toBe(ended.logSeq);
    // The same lines when read back from the start (what a window opened later shows).
    const replay = await call(admin, 'jobs.subscribeLog', { id: restore.id });
    expect(replay).toMatchObject({ done: true, lines });
  }, 90_000);

  it('maintenance: schedule → list → get → wizard → cancel', async () => {
    const now = Date.now();
    const w = await call(admin, 'api.maintenance.create', { body: { title: 'DB upgrade', announcement: 'Short downtime', startsAt: now + 3_600_000, endsAt: now + 7_200_000, services: [] } });
    expect(w).toMatchObject({ title: 'DB upgrade', status: 'scheduled' });
    expect((await call(admin, 'api.maintenance.list', undefined)).map((x) => x.id)).toContain(w.id);
    expect(await call(admin, 'api.maintenance.get', { params: { id: w.id } })).toMatchObject({ id: w.id });
    // The wizard route answers 201 with the run; the channel answers the run.
    const wizard = await call(admin, 'api.maintenance.wizard.start', { params: { id: w.id }, body: { params: {} } });
    expect(wizard).toMatchObject({ procedure: 'maintenance', maintenanceId: w.id });
    expect(await call(admin, 'api.procedures.list', undefined)).not.toHaveLength(0);
    expect((await call(admin, 'api.procedures.runs.list', undefined)).map((r) => r.id)).toContain(wizard.id);
    // The route answers the cancelled window (the hand-written channel answered null).
    expect(await call(admin, 'api.maintenance.cancel', { params: { id: w.id } })).toMatchObject({ id: w.id });
    expect(await call(admin, 'api.maintenance.get', { params: { id: w.id } })).toMatchObject({ status: 'cancelled' });
  });

  it('metrics: names and a series', async () => {
    const now = Date.now();
    await server.services.metricStore.write([{ name: 'cpu_percent', labels: { host: 'web-1' }, value: 42 }], now - 60_000);
    const names = await call(admin, 'api.metrics.names', undefined);
    const name = names[0]?.name ?? 'cpu_percent';
    const series = await call(admin, 'api.metrics.series', { query: { name, from: now - 3_600_000, to: now + 60_000 } });
    expect(series).toBeTruthy();
    expect(await call(admin, 'api.metrics.series', { query: { name, from: now - 3_600_000, to: now + 60_000, step: 60, label: ['host=web-1'] } })).toBeTruthy();
  });

  it('admin: users, API tokens and the audit log', async () => {
    const users = await call(admin, 'api.users.list', undefined);
    expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([ADMIN.email, ADMIN2.email]));
    const u = await call(admin, 'api.users.create', { body: { email: 'new-agent@example.com', name: 'New Agent', role: 'agent', password: 'violet-orbit-lantern-93' } });
    expect(u).toMatchObject({ email: 'new-agent@example.com', role: 'agent', disabled: false, mfaEnabled: false });
    expect(await call(admin, 'api.users.update', { params: { id: u.id }, body: { role: 'oncall', disabled: true } })).toMatchObject({ role: 'oncall', disabled: true });
    expect(await call(admin, 'api.users.mfa.reset', { params: { id: u.id } })).toMatchObject({ id: u.id, mfaEnabled: false });

    const token = await call(admin, 'api.apiTokens.create', { body: { name: 'prometheus', scopes: ['alerts:ingest'], expiresInDays: 30 } });
    expect(token.token.length).toBeGreaterThan(10);
    expect((await call(admin, 'api.apiTokens.list', undefined)).map((t) => t.id)).toContain(token.id);
    expect(await call(admin, 'api.apiTokens.revoke', { params: { id: token.id } })).toBeNull();
    expect((await call(admin, 'api.apiTokens.list', undefined)).find((t) => t.id === token.id)?.revokedAt).not.toBeNull();

    const audit = await call(admin, 'api.audit.list', {});
    expect(audit.items.length).toBeGreaterThan(0);
    const page = await call(admin, 'api.audit.list', { query: { action: 'user.create', limit: 1 } });
    expect(page.items.every((e) => e.action === 'user.create')).toBe(true);
    if (page.nextCursor) await call(admin, 'api.audit.list', { query: { action: 'user.create', limit: 1, cursor: page.nextCursor } });
  });

  it('saves a ticket attachment to the downloads folder with the bytes the server holds', async () => {
    const queue = await call(admin, 'api.queues.create', { body: { name: 'Attachments desk', memberIds: [] } });
    const bytes = Buffer.from('Printer error log\nE-07 paper jam\n');
    const ticket = await call(admin, 'api.tickets.create', {
      body: { queueId: queue.id, subject: 'Printer log attached', description: 'see the log', requester: { name: 'Rita', email: 'rita@example.com' }, attachments: [{ filename: 'printer.log', data: bytes.toString('base64') }] },
    });
    const [file] = ticket.attachments;
    const saved = await call(admin, 'attachments.save', { id: file!.id, filename: 'printer.log' });
    expect(saved.size).toBe(bytes.length);
    expect(readFileSync(saved.path).equals(bytes)).toBe(true);
  });

  it('changes many tickets at once: the listed ones, then all matching a filter after a preview', async () => {
    const queue = await call(admin, 'api.queues.create', { body: { name: 'Bulk desk', memberIds: [] } });
    const made = [];
    for (const subject of ['Bulk one', 'Bulk two', 'Bulk three']) {
      made.push(await call(admin, 'api.tickets.create', { body: { queueId: queue.id, subject, description: 'bulk', requester: { name: 'Rita', email: 'rita@example.com' } } }));
    }
    const listed = await call(admin, 'tickets.bulkApply', { target: { ids: made.slice(0, 2).map((t) => t.id) }, changes: { priority: 'high' }, preview: false });
    expect(listed).toMatchObject({ matched: 2, preview: false });
    expect(listed.results.map((r) => [r.id, r.ok])).toEqual(made.slice(0, 2).map((t) => [t.id, true]));
    const preview = await call(admin, 'tickets.bulkApply', { target: { filter: { queueId: queue.id } }, changes: { status: 'pending' }, preview: true });
    expect(preview).toMatchObject({ matched: 3, preview: true, results: [] });
    const all = await call(admin, 'tickets.bulkApply', { target: { filter: { queueId: queue.id } }, changes: { status: 'pending' }, preview: false });
    expect(all.results.filter((r) => r.ok)).toHaveLength(3);
    const after = await call(admin, 'api.tickets.get', { params: { id: made[2]!.id } });
    expect(after.status).toBe('pending');
  });

  it('called every hand-written online channel of the contract', () => {
    // The derived api.* channels share one forwarder (api-channels.test.ts); the hand-written ones each have their own handler.
    expect(CHANNEL_NAMES.filter((c) => channelKind(c) === 'online' && !c.startsWith('api.') && !called.has(c))).toEqual([]);
  });

  it('pushes job, incident, maintenance and procedure changes as contract events', async () => {
    const names = new Set(pushed.map((p) => p.event));
    for (const name of ['jobs.changed', 'jobs.log', 'incidents.changed', 'maintenance.changed', 'procedures.changed'] as const) expect(names).toContain(name);
    for (const { event, payload } of pushed) {
      const parsed = events[event].safeParse(payload);
      if (!parsed.success) throw new Error(`${event} pushed outside its contract: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
    }
  });

  it('api.* channels reach every list the screens read, answer a 4xx as a typed error, and leave the token routes to the core', async () => {
    expect(await admin.dispatch('api.jobs.get', { params: { id: 'no-such-job' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(admin, 'api.reports.get', { params: { type: 'daily' }, query: { format: 'json' } })).toBeTruthy();
    const lists = ['api.channels.list', 'api.rules.list', 'api.sla.policies.list', 'api.queues.list', 'api.escalation.policy.get', 'api.incidents.list', 'api.runbooks.list', 'api.jobs.list', 'api.backups.list', 'api.maintenance.list', 'api.silences.list', 'api.users.list', 'api.apiTokens.list', 'api.audit.list', 'api.procedures.list', 'api.auth.me.get'] as const;
    for (const name of lists) expect(await admin.dispatch(name, undefined), name).toMatchObject({ ok: true });
    // Token routes have no renderer channel, and a path parameter cannot climb out of its route.
    expect(await admin.dispatch('api.auth.refresh', { body: {} })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await admin.dispatch('api.jobs.get', { params: { id: '../auth/sessions' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
