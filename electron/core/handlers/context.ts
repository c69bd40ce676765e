import type { ChannelName, EventName, EventPayload, Notice, SessionState } from '../../../shared/ipc';
import { notSignedIn } from '../errors';
import type { Handler } from '../ipc/dispatcher';
import type { JobLogTails } from '../jobs/job-log-tails';
import type { NotificationRouter } from '../notifications/notification-router';
import type { Clock, Logger, Notifier, Paths, SecretStore, Shell, Updater } from '../ports';
import type { ProfileStore } from '../profiles/profile-store';
import type { SettingsStore } from '../settings-store';
import type { UpdateScheduler } from '../updates/update-scheduler';
import type { Workspace, WorkspaceDeps } from '../workspace';

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
  embeddedLauncher?: WorkspaceDeps['embeddedLauncher'];
  /** A configured update feed (OPSDESK_UPDATE_URL); otherwise the connected server's. */
  updateUrl?: string | null;
  syncPageSize?: number;
  /** false: a first sync pages the change feed instead of fetching the server's snapshot (benchmarks compare both). */
  syncSnapshot?: boolean;
}

/** What the handler modules need from the core: its stores, the active workspace and its events. */
export interface CoreContext {
  readonly deps: CoreDeps;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly profiles: ProfileStore;
  readonly settings: SettingsStore;
  readonly updates: UpdateScheduler;
  readonly notices: Notice[];
  readonly notifications: NotificationRouter;
  readonly jobLogs: JobLogTails;
  /** The active workspace, if a profile is open. */
  workspace(): Workspace | null;
  /** The active workspace; fails with not_signed_in when no profile is open. */
  ws(): Workspace;
  /** The active workspace with a signed-in session. */
  signedIn(): Workspace;
  /** Opens a profile's workspace (closing the current one) and resumes its session. */
  activate(id: string): Promise<SessionState>;
  applyUpdateFeed(): void;
  /** Mirrors the do-not-disturb settings with the server's quiet hours. */
  syncQuietHours(direction: 'pull' | 'push'): void;
  closeWorkspace(): Promise<void>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  emitProfiles(): void;
}

/** The handlers of some channels; a module answers its domain's part of the table. */
export type Handlers<K extends ChannelName> = { [C in K]: Handler<C> };
/** The channels whose names start with one of the prefixes: `DomainChannels<'tickets'>` = tickets.*. */
export type DomainChannels<D extends string> = Extract<ChannelName, `${D}.${string}`>;

/** A local write (cache + outbox): needs a profile, then wakes the replay. */
export function write<T>(core: CoreContext, fn: (ws: Workspace) => T): T {
  const ws = core.ws();
  if (ws.session.current().status === 'no_profile') throw notSignedIn();
  const result = fn(ws);
  ws.kick();
  return result;
}
