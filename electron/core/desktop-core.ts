import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Method } from 'axios';
import {
  CHANNEL_NAMES,
  channels,
  isPassthroughAllowed,
  type Alert,
  type Connectivity,
  type DeepLink,
  type EventName,
  type EventPayload,
  type Notice,
  type SavedView,
  type SessionState,
  type ShownNotification,
  type UserAdmin,
} from '../../shared/ipc';
import { Job, JobLogLine, JobLogPage } from '../../shared/api/jobs';
import { ApiClient } from './api/api-client';
import { parseSilence } from './cache/records';
import { CoreError, notSignedIn } from './errors';
import { createDispatcher, type Dispatch, type HandlerTable } from './ipc/dispatcher';
import { NotificationPolicy } from './notifications/notification-policy';
import type { Clock, Logger, Notifier, Paths, SecretStore, Shell, Updater } from './ports';
import { silentLogger, systemClock } from './ports';
import { ProfileStore, toPublicProfile } from './profiles/profile-store';
import { secretAccount } from './secrets/open-secret-store';
import { SettingsStore } from './settings-store';
import { UpdateScheduler } from './updates/update-scheduler';
import { Workspace, type WorkspaceDeps } from './workspace';

export interface CoreDeps {
  paths: Paths;
  secrets: SecretStore;
  notifier: Notifier;
  updater: Updater;
  shell?: Shell;
  clock?: Clock;
  logger?: Logger;
  transport: 'electron' | 'host';
  version: string;
  platform?: string;
  /** Notices to show from the start (e.g. the keychain fallback). */
  notices?: Notice[];
  embeddedRunner?: WorkspaceDeps['embeddedRunner'];
  syncPageSize?: number;
}

/** Lines per GET /jobs/:id/logs page (the server's maximum), and how many the first answer carries at most. */
const JOB_LOG_PAGE = 10_000;
const JOB_LOG_MAX_INITIAL = 50_000;

type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The desktop core: one per process (Electron main or the browser host). Owns the profiles, the
 * active workspace, settings, notifications and updates, and answers the IPC contract through
 * `dispatch`. Pushes events to whoever listens (the window, the host bridge).
 */
export class DesktopCore {
  readonly dispatch: Dispatch;
  readonly profiles: ProfileStore;
  readonly settings: SettingsStore;
  private workspace: Workspace | null = null;
  private readonly listeners = new Set<EventListener>();
  private readonly notices: Notice[];
  private readonly shown: ShownNotification[] = [];
  private readonly policy: NotificationPolicy;
  private readonly updates: UpdateScheduler;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Live job-log subscriptions: the job and the last line each one has been sent. */
  private readonly jobLogSubs = new Map<string, { jobId: string; lastSeq: number }>();

  constructor(private readonly deps: CoreDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.profiles = new ProfileStore(deps.paths.userData);
    this.settings = new SettingsStore(deps.paths.userData);
    this.notices = [...(deps.notices ?? [])];
    this.policy = new NotificationPolicy({
      clock: this.clock,
      prefs: () => this.settings.get().notifications,
      isSilenced: (a) => a.status === 'silenced',
      show: (n) => this.showNotification(n),
    });
    this.updates = new UpdateScheduler(deps.updater);
    deps.updater.setChannel(this.settings.get().updateChannel);
    deps.updater.onStatus((s) => this.emit('updates.status', s));
    this.dispatch = createDispatcher(checkedOnlineAnswers(this.handlers()), this.logger);
  }

  /** Opens the last active profile (resuming its session) and starts the update checks. */
  async start(): Promise<void> {
    this.updates.start();
    const id = this.profiles.activeId;
    if (id) {
      try {
        await this.activate(id);
      } catch (err) {
        this.notice({ level: 'error', code: 'profile_open_failed', message: `Could not open the server profile: ${(err as Error).message}` });
      }
    }
  }

  async shutdown(): Promise<void> {
    this.updates.stop();
    const ws = this.workspace;
    this.workspace = null;
    await ws?.close();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): Workspace | null {
    return this.workspace;
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        this.logger.warn('event listener failed', { event, error: (err as Error).message });
      }
    }
  }

  private notice(n: Notice): void {
    this.notices.push(n);
    this.emit('notice', n);
  }

  /** Opens a deep link (opsdesk://ticket/42) in the UI. */
  openDeepLink(link: DeepLink): void {
    this.emit('navigate', link);
  }

  // ── notifications ──────────────────────────────────────────────────────────────────────────
  private showNotification(n: ShownNotification): void {
    this.shown.unshift(n);
    if (this.shown.length > 200) this.shown.pop();
    this.emit('notification.shown', n);
    this.deps.notifier.show(n, {
      onClick: () => this.notificationClicked(n.id),
      onAcknowledge: () => this.acknowledgeFromNotification(n.id),
    });
  }

  notificationClicked(id: string): void {
    const n = this.shown.find((x) => x.id === id);
    if (!n) return;
    const alertId = n.alertId ?? n.alertIds[0];
    if (alertId) this.emit('navigate', { kind: 'alert', id: alertId });
  }

  /** "Acknowledge" on a popup goes through the outbox: works offline, syncs later. */
  acknowledgeFromNotification(id: string): void {
    const n = this.shown.find((x) => x.id === id);
    const ws = this.workspace;
    if (!n || !ws) return;
    for (const alertId of n.alertIds) {
      try {
        ws.outbox.alertAction(alertId, 'acknowledge', ws.session.user);
        this.policy.forget(alertId);
      } catch (err) {
        this.logger.warn('acknowledge from notification failed', { alertId, error: (err as Error).message });
      }
    }
    ws.kick();
  }

  private onAlerts(alerts: Alert[], fromOutbox: boolean): void {
    const ws = this.workspace;
    for (const a of alerts) {
      this.emit('alerts.changed', { alert: a });
      if (!fromOutbox) this.policy.offer(a);
      else this.policy.forget(a.id);
    }
    if (ws) this.emit('alerts.unackedCount', ws.cache.unackedAlertCount());
  }

  // ── profiles ───────────────────────────────────────────────────────────────────────────────
  private async activate(id: string): Promise<SessionState> {
    const profile = this.profiles.get(id);
    if (this.workspace) {
      const old = this.workspace;
      this.workspace = null;
      await old.close();
    }
    const ws = await Workspace.open(profile, {
      profiles: this.profiles,
      secrets: this.deps.secrets,
      clock: this.clock,
      logger: this.logger,
      appRoot: this.deps.paths.appRoot,
      embeddedRunner: this.deps.embeddedRunner,
      syncPageSize: this.deps.syncPageSize,
    });
    this.workspace = ws;
    this.profiles.setActive(id);
    ws.on('session', (s: SessionState) => this.emit('session.changed', s));
    this.jobLogSubs.clear();
    let live: string | null = null;
    ws.on('connectivity', (c: Connectivity) => {
      this.emit('connectivity.changed', c);
      // The server forgets a socket's log tails when it drops: follow them again from where each stopped.
      if (c.live === 'connected' && live !== 'connected') for (const jobId of new Set([...this.jobLogSubs.values()].map((x) => x.jobId))) this.followJobLog(jobId);
      live = c.live;
    });
    ws.on('syncProgress', (p) => this.emit('sync.progress', p));
    ws.on('tickets', (t: { ids: string[]; full: boolean }) => this.emit('tickets.changed', t));
    ws.on('outbox', (c) => this.emit('outbox.changed', c));
    ws.on('queues', () => this.emit('queues.changed', {}));
    ws.on('notice', (n: Notice) => this.notice(n));
    for (const n of ws.startupNotices) this.notice(n);
    ws.on('alertChanges', (alerts: Alert[], meta?: { fromOutbox?: boolean }) => this.onAlerts(alerts, Boolean(meta?.fromOutbox)));
    ws.on('live', (e: { type: string; data: unknown }) => this.onLiveEvent(e));
    this.emitProfiles();
    const state = await ws.session.resume();
    this.emit('session.changed', state);
    return state;
  }

  private emitProfiles(): void {
    this.emit('profiles.changed', { profiles: this.profiles.list().map(toPublicProfile), activeId: this.profiles.activeId });
  }

  /** Checks a URL is http(s) and answers like an OpsDesk server (GET /health/ with a version). */
  async probeServer(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new CoreError('validation_failed', 'Enter a full server address such as https://opsdesk.example.com');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CoreError('validation_failed', 'The server address must start with http:// or https://');
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    let res: Response;
    try {
      res = await fetch(`${base}/health/`, { signal: AbortSignal.timeout(8000), redirect: 'follow' });
    } catch (err) {
      throw new CoreError('server_unreachable', `No answer from ${base} (${(err as Error).message})`);
    }
    const body = (await res.json().catch(() => null)) as { status?: unknown; version?: unknown; checks?: unknown } | null;
    if (!body || typeof body.status !== 'string' || typeof body.version !== 'string' || !Array.isArray(body.checks)) {
      throw new CoreError('not_opsdesk_server', `${base} answered, but not like an OpsDesk server (HTTP ${res.status})`);
    }
    return base;
  }

  // ── helpers for handlers ───────────────────────────────────────────────────────────────────
  private ws(): Workspace {
    if (!this.workspace) throw new CoreError('not_signed_in', 'Choose or add a server profile first');
    return this.workspace;
  }

  private signedIn(): Workspace {
    const ws = this.ws();
    if (ws.session.current().status !== 'signed_in') throw notSignedIn();
    return ws;
  }

  private async online<T>(method: Method, path: string, options: { body?: unknown; query?: Record<string, string | number | boolean | undefined> } = {}): Promise<T> {
    const ws = this.signedIn();
    const res = await ws.api.request<T>(method, path, { ...options, idempotencyKey: method === 'GET' ? undefined : `odk-${randomUUID()}` });
    return res.data;
  }

  private onLiveEvent(e: { type: string; data: unknown }): void {
    if (e.type === 'job.log' || e.type === 'job.log.end') {
      // socket.io sends `job.log` {jobId, lines} and `job.log.end` {jobId, status, lastSeq} bare, without the event envelope.
      const data = (e.data ?? e) as { jobId?: string; lines?: unknown };
      const done = e.type === 'job.log.end';
      const lines = done ? [] : JobLogLine.array().safeParse(data.lines).data;
      if (!lines) return this.logger.warn('job log batch outside the contract', { jobId: data.jobId });
      for (const [subId, sub] of this.jobLogSubs) {
        if (sub.jobId !== data.jobId) continue;
        // One server tail per job and socket, restarted from the earliest subscriber: skip what this one already has.
        const fresh = lines.filter((l) => l.seq > sub.lastSeq);
        if (fresh.length) sub.lastSeq = fresh[fresh.length - 1]!.seq;
        if (fresh.length || done) this.emit('jobs.log', { subscriptionId: subId, jobId: sub.jobId, lines: fresh, done });
        if (done) this.jobLogSubs.delete(subId);
      }
    } else if (e.type.startsWith('job.')) {
      const job = Job.safeParse(e.data);
      if (job.success) this.emit('jobs.changed', { job: job.data });
    } else if (e.type.startsWith('incident.') && e.data && typeof e.data === 'object' && 'id' in e.data) {
      this.emit('incidents.changed', { id: String((e.data as { id: unknown }).id) });
    } else if (e.type.startsWith('maintenance.') && e.data && typeof e.data === 'object' && 'id' in e.data) {
      this.emit('maintenance.changed', { id: String((e.data as { id: unknown }).id) });
    }
  }

  /** Asks the server to tail a job's log from the earliest line any subscription still needs. */
  private followJobLog(jobId: string): void {
    const seqs = [...this.jobLogSubs.values()].filter((x) => x.jobId === jobId).map((x) => x.lastSeq);
    if (seqs.length) this.workspace?.live.send('job.subscribe', { jobId, fromSeq: Math.min(...seqs) });
  }

  private builtInViews(): SavedView[] {
    const sort = { field: 'updatedAt', dir: 'desc' } as const;
    const open = ['new', 'open', 'pending'] as const;
    const views: SavedView[] = [
      { id: 'builtin:my-open', name: 'My open', builtIn: true, filter: { assignee: 'me', status: [...open] }, sort },
      { id: 'builtin:unassigned', name: 'Unassigned', builtIn: true, filter: { assignee: 'unassigned', status: ['new', 'open'] }, sort },
      { id: 'builtin:breaching', name: 'Breaching SLA', builtIn: true, filter: { breaching: true, status: [...open] }, sort: { field: 'slaDue', dir: 'asc' } },
    ];
    for (const q of this.workspace?.cache.queues() ?? []) views.push({ id: `builtin:queue:${q.id}`, name: q.name, builtIn: true, filter: { queueId: q.id }, sort });
    return views;
  }

  // ── the handler table ──────────────────────────────────────────────────────────────────────
  private handlers(): HandlerTable {
    const enc = encodeURIComponent;
    const toAdmin = (u: UserAdmin) => u;
    return {
      'app.info': () => ({ version: this.deps.version, platform: this.deps.platform ?? process.platform, transport: this.deps.transport }),
      'app.openExternal': async ({ url }) => {
        if (!this.deps.shell) throw new CoreError('not_supported', 'Opening links is not available here');
        await this.deps.shell.openExternal(url);
        return null;
      },
      'app.notices': () => this.notices,

      'profiles.list': () => ({ profiles: this.profiles.list().map(toPublicProfile), activeId: this.profiles.activeId }),
      'profiles.addServer': async ({ name, url }) => {
        const base = await this.probeServer(url);
        const p = this.profiles.add({ name, kind: 'server', url: base }, this.clock.now());
        this.emitProfiles();
        return toPublicProfile(p);
      },
      'profiles.addLocal': async ({ name, adminEmail, adminName, adminPassword }) => {
        const p = this.profiles.add({ name, kind: 'local', url: null }, this.clock.now());
        try {
          const embedded = Workspace.embeddedFor(p, { profiles: this.profiles, secrets: this.deps.secrets, clock: this.clock, logger: this.logger, appRoot: this.deps.paths.appRoot, embeddedRunner: this.deps.embeddedRunner });
          await embedded.createFirstAdmin({ email: adminEmail, name: adminName, password: adminPassword });
          await this.activate(p.id);
          await this.workspace!.session.login(adminEmail, adminPassword);
        } catch (err) {
          if (this.workspace?.profile.id === p.id) await this.shutdownWorkspace();
          this.profiles.remove(p.id);
          rmSync(this.profiles.dataDir(p.id), { recursive: true, force: true });
          this.emitProfiles();
          throw err;
        }
        this.emitProfiles();
        return toPublicProfile(this.profiles.get(p.id));
      },
      'profiles.remove': async ({ id }) => {
        const p = this.profiles.get(id);
        if (this.workspace?.profile.id === id) await this.shutdownWorkspace();
        if (p.lastUserEmail) await this.deps.secrets.delete(secretAccount(id, p.lastUserEmail)).catch(() => false);
        this.profiles.remove(id);
        rmSync(this.profiles.dataDir(id), { recursive: true, force: true });
        this.emitProfiles();
        this.emit('session.changed', { status: 'no_profile' });
        return null;
      },
      'profiles.activate': ({ id }) => this.activate(id),

      'session.state': () => this.workspace?.session.current() ?? { status: 'no_profile' },
      'session.login': ({ email, password }) => this.ws().session.login(email, password),
      'session.mfa': ({ code }) => this.ws().session.completeMfa(code),
      'session.logout': () => this.ws().session.logout(),

      'sync.status': () => this.connectivity(),
      'sync.now': async () => {
        const ws = this.signedIn();
        await ws.syncNow();
        return ws.connectivity();
      },

      'tickets.list': ({ filter, sort, offset, limit }) => this.ws().cache.listTickets(filter, sort, offset, limit, this.ws().session.user?.id ?? null),
      'tickets.get': async (ref) => {
        const ws = this.ws();
        const detail = ws.cache.ticketDetail(ref);
        if (!detail) throw new CoreError('not_found', 'Ticket not found in the local cache');
        // History is not part of delta sync: refresh it when the server answers quickly, else show what is cached.
        if (ws.api.online && ws.session.current().status === 'signed_in' && !detail.ticket.id.startsWith('local-')) {
          try {
            const res = await ws.api.request<unknown>('GET', `/api/v1/tickets/${enc(detail.ticket.id)}/events`, { timeoutMs: 3000, retries: 0 });
            ws.cache.putTicketEvents(items(res.data));
            return ws.cache.ticketDetail(ref) ?? detail;
          } catch {
            return detail;
          }
        }
        return detail;
      },
      'tickets.search': ({ query, limit }) => ({ items: this.ws().cache.searchTickets(query, limit) }),
      'tickets.create': (input) => this.write((ws) => ws.outbox.createTicket(input, ws.session.user)),
      'tickets.comment': ({ ticketId, body, internal }) => this.write((ws) => ws.outbox.comment(ticketId, body, internal, ws.session.user)),
      'tickets.update': ({ ticketId, changes }) => this.write((ws) => ws.outbox.updateTickets([ticketId], changes)[0]!),
      'tickets.bulkUpdate': ({ ticketIds, changes }) => this.write((ws) => ({ updated: ws.outbox.updateTickets(ticketIds, changes).length })),
      'tickets.saveDraft': ({ ticketId, body, internal }) => (this.ws().cache.saveDraft(ticketId, body, internal, this.clock.now()), null),
      'tickets.getDraft': ({ ticketId }) => this.ws().cache.draft(ticketId),

      'queues.list': () => this.ws().cache.queues(),
      'users.list': () => this.ws().cache.users(),
      'views.list': () => [...this.builtInViews(), ...this.ws().cache.savedViews()],
      'views.save': (v) => {
        if (v.id?.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be changed; save a copy');
        const view: SavedView = { id: v.id ?? `view-${randomUUID()}`, name: v.name, builtIn: false, filter: v.filter, sort: v.sort };
        this.ws().cache.saveView(view);
        return view;
      },
      'views.remove': ({ id }) => {
        if (id.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be removed');
        this.ws().cache.removeView(id);
        return null;
      },

      'alerts.list': ({ status, severity, limit }) => {
        const cache = this.ws().cache;
        return { items: cache.alerts(status, severity, limit), counts: cache.alertCounts() as Record<Alert['severity'], number> };
      },
      'alerts.get': ({ id }) => {
        const a = this.ws().cache.alert(id);
        if (!a) throw new CoreError('not_found', 'Alert not found in the local cache');
        return a;
      },
      'alerts.acknowledge': ({ id }) => this.write((ws) => ws.outbox.alertAction(id, 'acknowledge', ws.session.user)),
      'alerts.resolve': ({ id }) => this.write((ws) => ws.outbox.alertAction(id, 'resolve', ws.session.user)),
      'alerts.silence': async ({ matchers, durationMinutes, comment }) => {
        const now = this.clock.now();
        const data = await this.online('POST', '/api/v1/silences', {
          body: { matchers: matchers.map((m) => ({ name: m.label, value: m.value, isRegex: m.regex, isEqual: true })), startsAt: now, endsAt: now + durationMinutes * 60_000, comment },
        });
        const silence = parseSilence(data);
        this.ws().cache.db.prepare('INSERT OR REPLACE INTO silences (id, ends_at, data) VALUES (?, ?, ?)').run(silence.id, silence.endsAt, JSON.stringify(silence));
        return silence;
      },
      'silences.list': () => this.ws().cache.silences(this.clock.now()),
      'silences.expire': async ({ id }) => {
        await this.online('DELETE', `/api/v1/silences/${enc(id)}`);
        this.ws().cache.db.prepare('DELETE FROM silences WHERE id = ?').run(id);
        return null;
      },
      'alerts.unackedCount': () => this.workspace?.cache.unackedAlertCount() ?? 0,

      'incidents.list': ({ state, severity }) => this.online('GET', '/api/v1/incidents', { query: { state: state?.join(','), severity } }).then((d) => items(d) as never),
      'incidents.get': ({ id }) => this.online('GET', `/api/v1/incidents/${enc(id)}`),
      'incidents.create': (body) => this.online('POST', '/api/v1/incidents', { body }),
      'incidents.update': ({ id, changes }) => this.online('PATCH', `/api/v1/incidents/${enc(id)}`, { body: changes }),
      'incidents.transition': ({ id, ...body }) => this.online('POST', `/api/v1/incidents/${enc(id)}/transition`, { body }),
      // The server answers a note with the Incident; the contract promises the detail with its timeline.
      'incidents.note': async ({ id, ...body }) => {
        await this.online('POST', `/api/v1/incidents/${enc(id)}/notes`, { body });
        return this.online('GET', `/api/v1/incidents/${enc(id)}`);
      },
      'incidents.link': ({ id, ...body }) => this.online('POST', `/api/v1/incidents/${enc(id)}/links`, { body }),
      'incidents.review': ({ id, ...body }) => this.online('PUT', `/api/v1/incidents/${enc(id)}/review`, { body }),

      'runbooks.list': () => this.online('GET', '/api/v1/runbooks').then((d) => items(d) as never),
      'jobs.list': (q) => this.online('GET', '/api/v1/jobs', { query: q }).then((d) => items(d) as never),
      'jobs.get': ({ id }) => this.online('GET', `/api/v1/jobs/${enc(id)}`),
      'jobs.request': (body) => this.online('POST', '/api/v1/jobs', { body }),
      'jobs.approve': ({ id }) => this.online('POST', `/api/v1/jobs/${enc(id)}/approve`, { body: {} }),
      'jobs.reject': ({ id, reason }) => this.online('POST', `/api/v1/jobs/${enc(id)}/reject`, { body: { reason } }),
      'jobs.cancel': ({ id }) => this.online('POST', `/api/v1/jobs/${enc(id)}/cancel`, { body: {} }),
      'jobs.retry': ({ id, confirmation }) => this.online('POST', `/api/v1/jobs/${enc(id)}/retry`, { body: confirmation ? { confirmation } : {} }),
      'jobs.subscribeLog': async ({ id, fromSeq }) => {
        // GET /jobs/:id/logs answers a JobLogPage of at most `limit` lines: read pages until the end of what is stored.
        const lines: JobLogLine[] = [];
        let after = fromSeq;
        let done: boolean;
        for (;;) {
          const page = JobLogPage.parse(await this.online('GET', `/api/v1/jobs/${enc(id)}/logs`, { query: { after, limit: JOB_LOG_PAGE } }));
          lines.push(...page.lines);
          after = page.lastSeq;
          done = page.done;
          if (done || page.lines.length < JOB_LOG_PAGE || lines.length >= JOB_LOG_MAX_INITIAL) break;
        }
        const subscriptionId = `log-${randomUUID()}`;
        if (!done) {
          this.jobLogSubs.set(subscriptionId, { jobId: id, lastSeq: after });
          this.followJobLog(id);
        }
        return { subscriptionId, lines, done };
      },
      'jobs.unsubscribeLog': ({ subscriptionId }) => {
        const jobId = this.jobLogSubs.get(subscriptionId)?.jobId;
        this.jobLogSubs.delete(subscriptionId);
        if (jobId && ![...this.jobLogSubs.values()].some((x) => x.jobId === jobId)) this.workspace?.live.send('job.unsubscribe', { jobId });
        return null;
      },

      'maintenance.list': () => this.online('GET', '/api/v1/maintenance').then((d) => items(d) as never),
      'maintenance.get': ({ id }) => this.online('GET', `/api/v1/maintenance/${enc(id)}`),
      'maintenance.schedule': (body) => this.online('POST', '/api/v1/maintenance', { body }),
      'maintenance.cancel': async ({ id }) => (await this.online('POST', `/api/v1/maintenance/${enc(id)}/cancel`, { body: {} }), null),

      'backups.list': () => this.online('GET', '/api/v1/backups').then((d) => items(d) as never),
      'backups.overview': () => this.online('GET', '/api/v1/backups/overview'),
      'backups.manifest': ({ id }) => this.online('GET', `/api/v1/backups/${enc(id)}/manifest`),

      'metrics.names': () => this.online('GET', '/api/v1/metrics/names'),
      // The server takes each label filter as a repeated `label=name=value` parameter.
      'metrics.series': ({ labels, ...q }) => {
        const filters = (labels ?? []).map((l) => `label=${enc(l)}`).join('&');
        return this.online('GET', `/api/v1/metrics/series${filters ? `?${filters}` : ''}`, { query: q });
      },

      'admin.users.list': () => this.online<UserAdmin[]>('GET', '/api/v1/users'),
      'admin.users.create': (body) => this.online<UserAdmin>('POST', '/api/v1/users', { body }).then(toAdmin),
      'admin.users.update': ({ id, changes }) => this.online<UserAdmin>('PATCH', `/api/v1/users/${enc(id)}`, { body: changes }),
      'admin.users.resetMfa': ({ id }) => this.online<UserAdmin>('POST', `/api/v1/users/${enc(id)}/reset-mfa`, { body: {} }),
      'admin.tokens.list': () => this.online('GET', '/api/v1/api-tokens'),
      'admin.tokens.create': (body) => this.online('POST', '/api/v1/api-tokens', { body }),
      'admin.tokens.revoke': async ({ id }) => (await this.online('DELETE', `/api/v1/api-tokens/${enc(id)}`), null),
      'admin.audit': (q) => this.online('GET', '/api/v1/audit', { query: q }),

      'settings.get': () => this.settings.get(),
      'settings.update': (patch) => {
        const s = this.settings.update(patch);
        this.deps.updater.setChannel(s.updateChannel);
        return s;
      },
      'updates.status': () => this.deps.updater.status(),
      'updates.check': () => this.updates.check(),
      'updates.install': () => {
        if (this.deps.updater.status().state !== 'downloaded') throw new CoreError('conflict', 'No update has been downloaded yet');
        this.deps.updater.install();
        return null;
      },

      'outbox.list': () => this.ws().outbox.list(),
      'outbox.retry': ({ id }) => {
        const item = this.ws().outbox.retry(id);
        this.ws().kick();
        return item;
      },
      'outbox.discard': ({ id }) => (this.ws().outbox.discard(id), null),
      'outbox.resolveConflict': ({ id, choice }) => {
        this.ws().outbox.resolveConflict(id, choice);
        this.ws().kick();
        return null;
      },

      'notifications.history': () => this.shown,
      'notifications.clicked': ({ notificationId }) => (this.notificationClicked(notificationId), null),
      'notifications.acknowledge': ({ notificationId }) => (this.acknowledgeFromNotification(notificationId), null),

      'api.request': async ({ method, path, query, body }) => {
        if (!isPassthroughAllowed(path)) throw new CoreError('forbidden', `The path ${path} is not open to the passthrough`);
        const ws = this.signedIn();
        const res = await ws.api.send(method, path, { query, body, idempotencyKey: method === 'GET' ? undefined : `odk-${randomUUID()}` });
        return { status: res.status, body: res.data };
      },
    };
  }

  private write<T>(fn: (ws: Workspace) => T): T {
    const ws = this.ws();
    if (ws.session.current().status === 'no_profile') throw notSignedIn();
    const result = fn(ws);
    ws.kick();
    return result;
  }

  private connectivity() {
    return (
      this.workspace?.connectivity() ?? {
        online: false,
        live: 'disconnected' as const,
        sync: { phase: 'idle' as const, done: 0, total: null, lastSyncedAt: null, error: null },
        outbox: { pending: 0, failed: 0, conflicts: 0 },
        serverLabel: null,
      }
    );
  }

  private async shutdownWorkspace(): Promise<void> {
    const ws = this.workspace;
    this.workspace = null;
    await ws?.close();
  }

  /** For the Electron tray and tests. */
  unackedAlertCount(): number {
    return this.workspace?.cache.unackedAlertCount() ?? 0;
  }

  /** The probe used by profiles.addServer, exposed for the host's --server flag. */
  static async checkServer(url: string): Promise<string> {
    const core = Object.create(DesktopCore.prototype) as DesktopCore;
    return core.probeServer(url);
  }

  /** Test/bench access to a fresh ApiClient for the active profile. */
  apiFor(url: string): ApiClient {
    return new ApiClient(url);
  }
}

/** Channels answered straight from the server (not the cache): their answers are checked against the contract. */
const SERVER_ANSWERED = /^(incidents|runbooks|jobs|maintenance|backups|metrics|admin)\.|^alerts\.silence$/;

/**
 * Online handlers pass the server's JSON through; parse it with the channel's response schema so
 * the renderer gets the contract's shape (defaults filled, unknown fields dropped), and a server of
 * another version fails here with a clear message instead of deep inside a screen.
 */
function checkedOnlineAnswers(table: HandlerTable): HandlerTable {
  const out: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const name of CHANNEL_NAMES) {
    const handler = table[name] as (request: unknown) => unknown;
    if (!SERVER_ANSWERED.test(name)) {
      out[name] = handler as (request: unknown) => Promise<unknown>;
      continue;
    }
    out[name] = async (request) => {
      const parsed = channels[name].response.safeParse(await handler(request));
      if (parsed.success) return parsed.data;
      const first = parsed.error.issues[0];
      const where = first?.path.length ? `${first.path.join('.')}: ` : '';
      throw new CoreError('not_supported', `The server's answer to ${name} is not in the shape this app expects (${where}${first?.message ?? 'invalid'}); is the server another version?`);
    };
  }
  return out as unknown as HandlerTable;
}

/** Lists come either as arrays or as `{ items }` pages. */
function items<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const page = data as { items?: T[] } | null;
  return page?.items ?? [];
}
