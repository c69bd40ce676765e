import { Job } from '../../shared/api/jobs';
import type { Alert, Connectivity, DeepLink, EventName, EventPayload, Notice, SessionState } from '../../shared/ipc';
import { CoreError, notSignedIn } from './errors';
import { handlerTable } from './handlers';
import type { CoreContext, CoreDeps } from './handlers/context';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import { updateFeedUrl } from './updates/update-feed';
import { JobLogTails } from './jobs/job-log-tails';
import { NotificationRouter } from './notifications/notification-router';
import { QuietHoursMirror } from './notifications/quiet-hours-mirror';
import type { Clock, Logger } from './ports';
import { silentLogger, systemClock } from './ports';
import { ProfileStore, toPublicProfile } from './profiles/profile-store';
import { SettingsStore } from './settings-store';
import { UpdateScheduler } from './updates/update-scheduler';
import { Workspace } from './workspace';

export type { CoreDeps } from './handlers/context';

type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The desktop core: one per process (Electron main or the browser host). Owns the profiles, the
 * active workspace, settings, notifications and updates, and answers the IPC contract through
 * `dispatch` (the handlers live in ./handlers, one module per domain). Pushes events to whoever
 * listens (the window, the host bridge).
 */
export class DesktopCore implements CoreContext {
  readonly dispatch: Dispatch;
  readonly profiles: ProfileStore;
  readonly settings: SettingsStore;
  readonly updates: UpdateScheduler;
  readonly notices: Notice[];
  readonly notifications: NotificationRouter;
  readonly quietHours: QuietHoursMirror;
  readonly jobLogs: JobLogTails;
  readonly clock: Clock;
  readonly logger: Logger;
  private current: Workspace | null = null;
  private readonly listeners = new Set<EventListener>();

  constructor(readonly deps: CoreDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.profiles = new ProfileStore(deps.paths.userData);
    this.settings = new SettingsStore(deps.paths.userData);
    this.notices = [...(deps.notices ?? [])];
    deps.secrets.onNotice?.((n) => this.notice(n));
    this.notifications = new NotificationRouter({
      clock: this.clock,
      logger: this.logger,
      notifier: deps.notifier,
      prefs: () => this.settings.get().notifications,
      workspace: () => this.current,
      shown: (n) => this.emit('notification.shown', n),
      navigate: (link) => this.emit('navigate', link),
      alertChanged: (alert) => this.emit('alerts.changed', { alert }),
      unackedCount: (count) => this.emit('alerts.unackedCount', count),
    });
    this.quietHours = new QuietHoursMirror({
      workspace: () => this.current,
      settings: this.settings,
      logger: this.logger,
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    this.jobLogs = new JobLogTails(() => this.current?.live ?? null, (batch) => this.emit('jobs.log', batch), this.logger);
    this.updates = new UpdateScheduler(deps.updater);
    this.applyUpdateFeed();
    deps.updater.onStatus((s) => this.emit('updates.status', s));
    this.dispatch = createDispatcher(handlerTable(this), this.logger);
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
    await this.closeWorkspace();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): Workspace | null {
    return this.current;
  }

  workspace(): Workspace | null {
    return this.current;
  }

  ws(): Workspace {
    if (!this.current) throw new CoreError('not_signed_in', 'Choose or add a server profile first');
    return this.current;
  }

  signedIn(): Workspace {
    const ws = this.ws();
    if (ws.session.current().status !== 'signed_in') throw notSignedIn();
    return ws;
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        this.logger.warn('event listener failed', { event, error: (err as Error).message });
      }
    }
  }

  emitProfiles(): void {
    this.emit('profiles.changed', { profiles: this.profiles.list().map(toPublicProfile), activeId: this.profiles.activeId });
  }

  /** Opens a deep link (opsdesk://ticket/42) in the UI. */
  openDeepLink(link: DeepLink): void {
    this.emit('navigate', link);
  }

  /** For the Electron tray and tests. */
  unackedAlertCount(): number {
    return this.current?.cache.unackedAlertCount() ?? 0;
  }

  async closeWorkspace(): Promise<void> {
    const ws = this.current;
    this.current = null;
    await ws?.close();
  }

  async activate(id: string): Promise<SessionState> {
    const profile = this.profiles.get(id);
    await this.closeWorkspace();
    const ws = await Workspace.open(profile, {
      profiles: this.profiles,
      secrets: this.deps.secrets,
      clock: this.clock,
      logger: this.logger,
      appRoot: this.deps.paths.appRoot,
      embeddedLauncher: this.deps.embeddedLauncher,
      syncPageSize: this.deps.syncPageSize,
      syncSnapshot: this.deps.syncSnapshot,
    });
    this.current = ws;
    this.profiles.setActive(id);
    this.applyUpdateFeed();
    this.jobLogs.clear();
    this.wire(ws);
    this.emitProfiles();
    const state = await ws.session.resume();
    this.emit('session.changed', state);
    return state;
  }

  /** The update channel from the settings, the feed from the configuration or the active server. */
  applyUpdateFeed(): void {
    const channel = this.settings.get().updateChannel;
    const active = this.profiles.activeId ? this.profiles.get(this.profiles.activeId) : null;
    this.deps.updater.setChannel(channel);
    this.deps.updater.setFeed(updateFeedUrl({ configured: this.deps.updateUrl ?? null, server: active?.kind === 'server' ? active.url : null, channel }));
  }

  /** The workspace's events, pushed to the window as contract events. */
  private wire(ws: Workspace): void {
    ws.on('session', (s: SessionState) => {
      this.emit('session.changed', s);
      if (s.status === 'signed_in') this.syncQuietHours('pull');
    });
    let live: string | null = null;
    ws.on('connectivity', (c: Connectivity) => {
      this.emit('connectivity.changed', c);
      if (c.live === 'connected' && live !== 'connected') this.jobLogs.reconnected();
      live = c.live;
    });
    ws.on('syncProgress', (p) => this.emit('sync.progress', p));
    ws.on('tickets', (t: { ids: string[]; full: boolean }) => this.emit('tickets.changed', t));
    ws.on('outbox', (c) => this.emit('outbox.changed', c));
    ws.on('queues', () => this.emit('queues.changed', {}));
    ws.on('notice', (n: Notice) => this.notice(n));
    for (const n of ws.startupNotices) this.notice(n);
    ws.on('alertChanges', (alerts: Alert[], meta?: { fromOutbox?: boolean }) => this.notifications.alertsChanged(alerts, Boolean(meta?.fromOutbox)));
    ws.on('live', (e: { type: string; data: unknown }) => this.onLiveEvent(e));
    ws.on('notify', (n: unknown) => this.notifications.notified(n, ws.session.user?.id ?? null));
  }

  /** Reads the server's quiet hours into the settings (sign-in) or sends the settings' (save); offline, the mirror waits. */
  syncQuietHours(direction: 'pull' | 'push'): void {
    const run = direction === 'pull' ? this.quietHours.pull() : this.quietHours.push();
    run.catch((err: unknown) => this.logger.warn(`quiet hours ${direction} failed`, { error: (err as Error).message }));
  }

  private notice(n: Notice): void {
    this.notices.push(n);
    this.emit('notice', n);
  }

  private onLiveEvent(e: { type: string; data: unknown }): void {
    if (e.type === 'job.log' || e.type === 'job.log.end') {
      // socket.io sends `job.log` {jobId, lines} and `job.log.end` {jobId, status, lastSeq} bare, without the event envelope.
      this.jobLogs.received(e.type, e.data ?? e);
    } else if (e.type.startsWith('job.')) {
      const job = Job.safeParse(e.data);
      if (job.success) this.emit('jobs.changed', { job: job.data });
    } else if (e.type.startsWith('incident.') && hasId(e.data)) {
      this.emit('incidents.changed', { id: String(e.data.id) });
    } else if (e.type.startsWith('maintenance.') && hasId(e.data)) {
      this.emit('maintenance.changed', { id: String(e.data.id) });
    } else if (e.type.startsWith('procedure.') && hasId(e.data)) {
      this.emit('procedures.changed', { id: String(e.data.id) });
    }
  }
}

function hasId(data: unknown): data is { id: unknown } {
  return Boolean(data) && typeof data === 'object' && 'id' in (data as object);
}
