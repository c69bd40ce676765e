import { z } from 'zod';
import {
  Alert,
  AttachmentUpload,
  Comment,
  Connectivity,
  Id,
  JobLogLine,
  NotificationPrefs,
  OutboxItem,
  Priority,
  Profile,
  Queue,
  SavedView,
  SecretStorageStatus,
  SessionState,
  Settings,
  Severity,
  ShownNotification,
  Silence,
  SilenceMatcher,
  AlertStatus,
  Tag,
  TicketChanges,
  TicketDetail,
  TicketFilter,
  TicketSort,
  TicketStatus,
  TicketSummary,
  UpdateStatus,
  UserRef,
} from './models';
import { apiChannels, type ApiChannels } from './api-channels';
import { PASSWORD_MAX_LENGTH } from '../api/auth';
import { Email } from '../api/common';

const Empty = z.object({}).strict().optional();
const Void = z.null();
const ById = z.object({ id: Id });
const Password = z.string().min(1).max(PASSWORD_MAX_LENGTH);

/**
 * Where a channel is answered: `local` by the core itself (app, profiles, session, settings,
 * updates, notifications, outbox management); `cache` from the local SQLite cache (works
 * offline); `outbox` applied to the cache at once and synced later; `online` needs the server
 * and fails with `offline` without it.
 */
export type ChannelKind = 'local' | 'cache' | 'outbox' | 'online';

export interface ChannelDef {
  kind: ChannelKind;
  request: z.ZodType;
  response: z.ZodType;
}

/**
 * The channels written by hand: the local, cache and outbox ones, and the few online ones that do
 * more than forward one HTTP call (a silence is kept in the cache; a job log is paged, then tailed
 * live). Every other online call is an `api.*` channel derived from the route table (api-channels.ts).
 */
/** How long a silence made from the app lasts: a minute to 30 days. */
const SilenceMinutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 30);

const handWritten = {
  // ── app ──────────────────────────────────────────────────────────────────────────────────────
  'app.info': {
    kind: 'local',
    request: Empty,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      transport: z.enum(['electron', 'host']),
      /** The runtime the desktop core runs on: Electron's embedded Node, or plain Node in the browser host. */
      runtime: z.object({ node: z.string(), electron: z.string().nullable() }),
      /** Where sign-in tokens are kept: Settings shows it for as long as it holds. */
      secretStorage: SecretStorageStatus,
    }),
  },
  /** Opens an http(s) or mailto URL in the system browser or mail client, never inside the app window; an unknown host is confirmed first. */
  'app.openExternal': {
    kind: 'local',
    request: z.object({
      url: z
        .string()
        .url()
        .regex(/^(https?:\/\/|mailto:)/i, 'only http(s) and mailto links'),
    }),
    response: Void,
  },
  /** Notices shown in the UI until dismissed (e.g. "keychain unavailable, tokens in an encrypted file"). */
  'app.notices': {
    kind: 'local',
    request: Empty,
    response: z.array(
      z.object({ level: z.enum(['info', 'warning', 'error']), code: z.string(), message: z.string() }),
    ),
  },

  // ── server profiles ──────────────────────────────────────────────────────────────────────────
  'profiles.list': {
    kind: 'local',
    request: Empty,
    response: z.object({ profiles: z.array(Profile), activeId: Id.nullable() }),
  },
  /** Adds a server profile after checking the URL answers like an OpsDesk server. */
  'profiles.addServer': {
    kind: 'local',
    request: z.object({ name: z.string().trim().min(1).max(80), url: z.string().trim().max(2048) }),
    response: Profile,
  },
  /** First run of a local workspace: starts the embedded backend and creates its admin account. */
  'profiles.addLocal': {
    kind: 'local',
    request: z.object({
      name: z.string().trim().min(1).max(80).default('Local workspace'),
      adminEmail: Email,
      adminName: z.string().trim().min(1).max(120),
      adminPassword: Password,
    }),
    response: Profile,
  },
  'profiles.remove': { kind: 'local', request: ById, response: Void },
  'profiles.activate': { kind: 'local', request: ById, response: SessionState },

  // ── session ──────────────────────────────────────────────────────────────────────────────────
  'session.state': { kind: 'local', request: Empty, response: SessionState },
  /** Answers the new state: signed_in, or mfa_required (then call session.mfa). */
  'session.login': {
    kind: 'local',
    request: z.object({ email: Email, password: Password }),
    response: SessionState,
  },
  'session.mfa': {
    kind: 'local',
    request: z.object({ code: z.string().trim().min(6).max(32) }),
    response: SessionState,
  },
  'session.logout': { kind: 'local', request: Empty, response: SessionState },

  // ── connectivity and sync ────────────────────────────────────────────────────────────────────
  'sync.status': { kind: 'local', request: Empty, response: Connectivity },
  /** Runs a delta sync now (and the outbox replay) instead of waiting for the next trigger. */
  'sync.now': { kind: 'local', request: Empty, response: Connectivity },

  // ── tickets (cache reads, outbox writes) ─────────────────────────────────────────────────────
  'tickets.list': {
    kind: 'cache',
    request: z.object({
      filter: TicketFilter.default({}),
      sort: TicketSort.default({ field: 'updatedAt', dir: 'desc' }),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: z.object({ items: z.array(TicketSummary), total: z.number().int() }),
  },
  'tickets.get': {
    kind: 'cache',
    request: z.union([z.object({ id: Id }), z.object({ number: z.number().int().positive() })]),
    response: TicketDetail,
  },
  'tickets.search': {
    kind: 'cache',
    request: z.object({
      query: z.string().trim().min(1).max(200),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    response: z.object({ items: z.array(z.object({ ticket: TicketSummary, snippet: z.string() })) }),
  },
  'tickets.create': {
    kind: 'outbox',
    request: z.object({
      queueId: Id,
      subject: z.string().trim().min(1).max(300),
      description: z.string().max(100_000).default(''),
      priority: Priority.default('medium'),
      requester: z.object({ name: z.string().trim().min(1).max(120), email: Email }),
      tags: z.array(Tag).max(30).default([]),
      attachments: z.array(AttachmentUpload).max(10).default([]),
    }),
    response: TicketSummary,
  },
  'tickets.comment': {
    kind: 'outbox',
    request: z.object({ ticketId: Id, body: z.string().trim().min(1).max(100_000), internal: z.boolean(), attachments: z.array(AttachmentUpload).max(10).default([]) }),
    response: Comment,
  },
  /** Fetches an attachment's content from the server and saves it in the downloads folder. */
  'attachments.save': {
    kind: 'online',
    request: z.object({ id: Id, filename: z.string().min(1).max(200) }),
    response: z.object({ path: z.string(), size: z.number().int() }),
  },
  'tickets.update': {
    kind: 'outbox',
    request: z.object({ ticketId: Id, changes: TicketChanges }),
    response: TicketSummary,
  },
  'tickets.bulkUpdate': {
    kind: 'outbox',
    request: z.object({ ticketIds: z.array(Id).min(1).max(1000), changes: TicketChanges }),
    response: z.object({ updated: z.number().int() }),
  },
  /**
   * One change to many tickets on the server (POST /tickets/bulk): the checked ones (with the
   * versions the cache has, so a ticket changed since answers a conflict) or every ticket matching
   * the filter, counted and changed by the server. `preview` only counts. Needs the server.
   */
  'tickets.bulkApply': {
    kind: 'online',
    request: z.object({
      target: z.union([z.object({ ids: z.array(Id).min(1).max(500) }), z.object({ filter: TicketFilter })]),
      changes: z.union([z.object({ assigneeId: Id.nullable() }).strict(), z.object({ status: TicketStatus }).strict(), z.object({ priority: Priority }).strict()]),
      preview: z.boolean().default(false),
    }),
    response: z.object({
      matched: z.number().int(),
      preview: z.boolean(),
      results: z.array(z.object({ id: z.string(), number: z.number().int().nullable(), ok: z.boolean(), status: z.number().int(), message: z.string().nullable() })),
    }),
  },
  /** Draft autosave for the composer; kept in the cache per ticket, never synced. */
  'tickets.saveDraft': {
    kind: 'cache',
    request: z.object({ ticketId: Id, body: z.string().max(100_000), internal: z.boolean() }),
    response: Void,
  },
  'tickets.getDraft': {
    kind: 'cache',
    request: z.object({ ticketId: Id }),
    response: z.object({ body: z.string(), internal: z.boolean() }).nullable(),
  },

  'queues.list': { kind: 'cache', request: Empty, response: z.array(Queue) },
  'users.list': { kind: 'cache', request: Empty, response: z.array(UserRef) },

  'views.list': { kind: 'cache', request: Empty, response: z.array(SavedView) },
  /** Saved views live on the server: written to the cache at once and sent through the outbox. */
  'views.save': {
    kind: 'outbox',
    request: SavedView.pick({ name: true, filter: true, sort: true }).extend({ id: Id.optional(), shared: z.boolean().default(false) }),
    response: SavedView,
  },
  'views.remove': { kind: 'outbox', request: ById, response: Void },

  // ── alerts (cache reads; acknowledge/resolve through the outbox; silences online) ────────────
  'alerts.list': {
    kind: 'cache',
    request: z
      .object({
        status: z.array(AlertStatus).optional(),
        severity: z.array(Severity).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .default({ limit: 500 }),
    response: z.object({ items: z.array(Alert), counts: z.record(Severity, z.number().int()) }),
  },
  'alerts.get': { kind: 'cache', request: ById, response: Alert },
  'alerts.acknowledge': { kind: 'outbox', request: ById, response: Alert },
  'alerts.resolve': { kind: 'outbox', request: ById, response: Alert },
  'alerts.silence': {
    kind: 'online',
    request: z.object({
      matchers: z.array(SilenceMatcher).min(1).max(20),
      durationMinutes: SilenceMinutes,
      comment: z.string().trim().min(1).max(500),
    }),
    response: Silence,
  },
  /** Silences a selection or group through the outbox: one silence covering them all, or one per alert. */
  'alerts.silenceMany': {
    kind: 'outbox',
    request: z.object({
      ids: z.array(Id).min(1).max(500),
      mode: z.enum(['cover', 'each']),
      durationMinutes: SilenceMinutes,
      comment: z.string().trim().min(1).max(500),
    }),
    response: z.array(Alert),
  },
  'silences.list': { kind: 'cache', request: Empty, response: z.array(Silence) },
  'silences.expire': { kind: 'online', request: ById, response: Void },
  /** Unacknowledged (firing) alert count, as shown on the tray icon. */
  'alerts.unackedCount': { kind: 'cache', request: Empty, response: z.number().int() },

  // ── job logs (online: the first pages, then a live tail through the core's socket) ─────────
  /** Answers the log after `fromSeq`, then pushes `jobs.log` events until unsubscribed or the job ends. */
  'jobs.subscribeLog': {
    kind: 'online',
    request: z.object({ id: Id, fromSeq: z.number().int().min(0).default(0) }),
    response: z.object({ subscriptionId: z.string(), lines: z.array(JobLogLine), done: z.boolean() }),
  },
  'jobs.unsubscribeLog': {
    kind: 'online',
    request: z.object({ subscriptionId: z.string().min(1).max(100) }),
    response: Void,
  },

  // ── settings and updates ─────────────────────────────────────────────────────────────────────
  'settings.get': { kind: 'local', request: Empty, response: Settings },
  'settings.update': {
    kind: 'local',
    request: z
      .object({
        theme: Settings.shape.theme,
        notifications: NotificationPrefs.partial(),
        updateChannel: Settings.shape.updateChannel,
      })
      .partial(),
    response: Settings,
  },
  'updates.status': { kind: 'local', request: Empty, response: UpdateStatus },
  'updates.check': { kind: 'local', request: Empty, response: UpdateStatus },
  /** Restarts into a downloaded update; only after the user agreed. */
  'updates.install': { kind: 'local', request: Empty, response: Void },

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────
  'outbox.list': { kind: 'local', request: Empty, response: z.array(OutboxItem) },
  'outbox.retry': { kind: 'local', request: z.object({ id: z.number().int() }), response: OutboxItem },
  'outbox.discard': { kind: 'local', request: z.object({ id: z.number().int() }), response: Void },
  /** Same-field conflict: keep mine (re-send over the server's version) or take theirs. */
  'outbox.resolveConflict': {
    kind: 'local',
    request: z.object({ id: z.number().int(), choice: z.enum(['mine', 'theirs']) }),
    response: Void,
  },

  // ── notifications ────────────────────────────────────────────────────────────────────────────
  /** Popups shown this run, newest first (the host records them; tests assert on them). */
  'notifications.history': { kind: 'local', request: Empty, response: z.array(ShownNotification) },
  /** The user clicked a popup (Web Notification in the host); the core emits `navigate`. */
  'notifications.clicked': {
    kind: 'local',
    request: z.object({ notificationId: z.string().min(1).max(100) }),
    response: Void,
  },
  'notifications.acknowledge': {
    kind: 'local',
    request: z.object({ notificationId: z.string().min(1).max(100) }),
    response: Void,
  },
} as const satisfies Record<string, ChannelDef>;

/**
 * The one contract between the renderer and the desktop core: channel name → request and
 * response schemas. The preload's `window.opsdesk`, the Electron main handlers, the browser host
 * bridge and the core's handler table are all derived from this object.
 * Every channel declares its `kind`; each route of the HTTP table that the renderer may call has
 * its `api.<route>` channel here, derived from the table, never listed by hand.
 */
export const channels = { ...handWritten, ...apiChannels };

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
/** What the renderer passes (defaults may be omitted). */
export type ChannelRequest<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What the core receives after validation (defaults filled in). */
export type ChannelParsedRequest<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ChannelResponse<C extends ChannelName> = z.output<Channels[C]['response']>;
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
/** The channels derived from the route table: `api.<route>`. */
export type ApiChannelName = keyof ApiChannels;
export const API_CHANNEL_NAMES = Object.keys(apiChannels) as ApiChannelName[];

export function channelKind(name: ChannelName): ChannelKind {
  return channels[name].kind;
}
