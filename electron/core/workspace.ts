import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { SyncChange } from '../../shared/api/sync';
import type { Connectivity, Notice } from '../../shared/ipc';
import { ApiClient } from './api/api-client';
import { Cache } from './cache/cache';
import { parseAlert } from './cache/records';
import { EmbeddedServer, type EmbeddedServerOptions } from './embedded/embedded-server';
import { LiveFeed } from './live/live-feed';
import { Outbox } from './outbox/outbox';
import type { Clock, Logger, SecretStore } from './ports';
import type { ProfileStore, StoredProfile } from './profiles/profile-store';
import { Session } from './session/session';
import { SyncEngine } from './sync/sync-engine';

export interface WorkspaceDeps {
  profiles: ProfileStore;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  appRoot: string;
  embeddedLauncher?: EmbeddedServerOptions['launcher'];
  /** Overrides for tests and benchmarks. */
  syncPageSize?: number;
  syncSnapshot?: boolean;
  replayIntervalMs?: number;
}

/**
 * Everything that belongs to one server profile: its cache, API client, session, outbox, sync,
 * live feed and (for a local workspace) the embedded backend. The core holds one at a time.
 * Events: 'session', 'connectivity', 'syncProgress', 'tickets', 'alert', 'alertChanges', 'outbox', 'live', 'notify' (an alert.notify for this user), 'notice'.
 */
export class Workspace extends EventEmitter {
  readonly cache: Cache;
  readonly api: ApiClient;
  readonly session: Session;
  readonly outbox: Outbox;
  readonly sync: SyncEngine;
  readonly live: LiveFeed;
  /** Notices from opening (a rebuilt cache), for the core to show once it listens. */
  readonly startupNotices: Notice[] = [];
  private replayTimer: NodeJS.Timeout | null = null;
  private started = false;

  private constructor(
    readonly profile: StoredProfile,
    readonly baseUrl: string,
    readonly embedded: EmbeddedServer | null,
    private readonly deps: WorkspaceDeps,
  ) {
    super();
    const dir = deps.profiles.dataDir(profile.id);
    const opened = Cache.open(path.join(dir, 'cache.db'), deps.logger);
    this.cache = opened.cache;
    if (opened.movedAside) {
      this.startupNotices.push({
        level: 'warning',
        code: 'cache_rebuilt',
        message: `The local cache was damaged; it was moved aside and is being rebuilt from the server. ${opened.salvagedOutbox} unsynced change(s) were kept.`,
      });
    }
    this.api = new ApiClient(baseUrl);
    this.session = new Session(
      profile.id,
      this.api,
      deps.secrets,
      {
        rememberUser: (user, email) => deps.profiles.update(profile.id, { lastUser: user, lastUserEmail: email }),
        lastUser: () => {
          const p = deps.profiles.get(profile.id);
          return { user: p.lastUser, email: p.lastUserEmail };
        },
      },
      deps.clock,
      deps.logger,
    );
    this.outbox = new Outbox(this.cache, this.api, deps.clock, () => this.session.owner, deps.logger);
    this.sync = new SyncEngine(this.cache, this.api, this.outbox, { pageSize: deps.syncPageSize, logger: deps.logger, snapshot: deps.syncSnapshot });
    this.live = new LiveFeed({
      baseUrl,
      token: () => this.session.freshAccessToken(),
      tokenRejected: () => this.session.invalidateAccessToken(),
      cursor: () => this.cache.syncCursor,
    });

    this.session.on('change', (state) => {
      this.emit('session', state);
      if (state.status === 'signed_in') this.begin();
      else if (state.status === 'signed_out') this.pause();
    });
    this.api.on('online', (online: boolean) => {
      this.emitConnectivity();
      if (online && this.session.current().status === 'signed_in') this.kick();
    });
    this.sync.on('progress', (p) => {
      this.emit('syncProgress', p);
      this.emitConnectivity();
    });
    this.sync.on('tickets', (ids: string[], initial: boolean) => this.emit('tickets', { ids: initial ? [] : ids, full: initial }));
    this.sync.on('changes', (changes: SyncChange[]) => {
      const alerts = changes.filter((c) => c.entity === 'alert' && c.op === 'upsert' && c.data).map((c) => parseAlert(c.data));
      if (alerts.length) this.emit('alertChanges', alerts);
      // Saved views come with the queues' metadata: a view saved on another machine shows up here.
      if (changes.some((c) => c.entity === 'queue' || c.entity === 'saved_view')) this.emit('queues');
    });
    this.outbox.on('changed', (counts) => {
      this.emit('outbox', counts);
      this.emitConnectivity();
    });
    this.outbox.on('tickets', (ids: string[]) => this.emit('tickets', { ids, full: false }));
    this.outbox.on('alert', (a) => this.emit('alertChanges', [a], { fromOutbox: true }));
    this.outbox.on('views', () => this.emit('queues'));
    this.live.on('state', () => this.emitConnectivity());
    this.live.on('catchUp', () => void this.syncNow());
    this.live.on('event', (e) => this.emit('live', e));
    this.live.on('notify', (n: unknown) => this.emit('notify', n));
  }

  /** Opens a profile; a local workspace starts its embedded backend first. */
  static async open(profile: StoredProfile, deps: WorkspaceDeps): Promise<Workspace> {
    let embedded: EmbeddedServer | null = null;
    let url = profile.url ?? '';
    if (profile.kind === 'local') {
      embedded = Workspace.embeddedFor(profile, deps);
      url = await embedded.start();
      deps.profiles.update(profile.id, { url });
    }
    const ws = new Workspace(profile, url, embedded, deps);
    embedded?.on('crashed', () => ws.emitConnectivity());
    return ws;
  }

  static embeddedFor(profile: StoredProfile, deps: WorkspaceDeps): EmbeddedServer {
    return new EmbeddedServer({ appRoot: deps.appRoot, dataDir: path.join(deps.profiles.dataDir(profile.id), 'backend'), launcher: deps.embeddedLauncher, logger: deps.logger });
  }

  /** Signed in: sync, live feed, periodic outbox replay. */
  private begin(): void {
    const user = this.session.user;
    // Another person on this profile, or a changed role: never show records they may no longer see.
    if (user && this.cache.adoptViewer(user)) this.emit('tickets', { ids: [], full: true });
    // Views saved on this machine before they lived on the server go up once, as this user's.
    if (user && this.outbox.views.adoptLegacy(user) > 0) this.emit('queues');
    if (this.started) return;
    this.started = true;
    this.live.start();
    void this.syncNow();
    this.replayTimer = setInterval(() => this.kick(), this.deps.replayIntervalMs ?? 30_000);
    this.replayTimer.unref();
  }

  private pause(): void {
    this.started = false;
    this.live.stop();
    if (this.replayTimer) clearInterval(this.replayTimer);
    this.replayTimer = null;
  }

  /** Delta sync then outbox replay; errors end up in the sync status. */
  async syncNow(): Promise<void> {
    if (this.session.current().status !== 'signed_in') return;
    await this.sync.run().catch((err: unknown) => this.deps.logger.warn('sync failed', { error: (err as Error).message }));
  }

  /** Something may be sendable now. */
  kick(): void {
    if (this.session.current().status !== 'signed_in') return;
    void this.outbox.replay().catch((err: unknown) => this.deps.logger.warn('outbox replay failed', { error: (err as Error).message }));
  }

  connectivity(): Connectivity {
    return {
      online: this.api.online,
      live: this.live.state,
      sync: this.sync.status(),
      outbox: this.outbox.counts(),
      serverLabel: this.profile.kind === 'local' ? `${this.profile.name} (local workspace)` : `${this.profile.name} (${this.baseUrl})`,
    };
  }

  private emitConnectivity(): void {
    this.emit('connectivity', this.connectivity());
  }

  async close(): Promise<void> {
    this.pause();
    // Unsent writes stay in the outbox file; a replay in flight is safe to abandon (idempotency keys).
    this.cache.close();
    await this.embedded?.stop();
  }
}
