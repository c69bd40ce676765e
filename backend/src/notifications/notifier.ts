import type { Kysely } from 'kysely';
import { severityRank, type Alert, type Channel, type ChannelType, type ContactKind, type Delivery, type Severity } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Config } from '../platform/config/config';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { timeOrderedUuid } from '../platform/ids';
import { parseJson } from '../alerts/labels';
import { checkWebhookUrl, maskUrl, type WebhookPolicy } from '../platform/outbound/address-policy';
import type { ContactMethodStore } from './contact-methods';
import type { PreferenceStore } from './preference-store';
import type { SecretBox } from '../platform/secret-box';
import { pageTargets } from './targets';
import { holdsNotification } from './quiet-hours';
import { sendTestMessage, type TestResult } from './test-send';
import { DeliveryWrites } from './delivery-writes';
import { PromiseCache } from '../platform/promise-cache';
import { DesktopSender, EmailSender, SlackSender, SmsSender, type DesktopPush, type Message, type Sender } from './senders';

type ChannelRow = Database['notification_channels'];
type DeliveryRow = Database['notification_deliveries'];

/** Routing by severity, as the manuals say: desktop for all, email for high and critical, SMS for critical only. */
export const DEFAULT_CHANNELS: { id: string; type: ChannelType; name: string; severities: Severity[] }[] = [
  { id: 'desktop', type: 'desktop', name: 'Desktop popup', severities: ['low', 'medium', 'high', 'critical'] },
  { id: 'email', type: 'email', name: 'Email', severities: ['high', 'critical'] },
  { id: 'slack', type: 'slack', name: 'Slack', severities: ['medium', 'high', 'critical'] },
  { id: 'sms', type: 'sms', name: 'SMS', severities: ['critical'] },
];

export interface Recipient {
  id: string;
  email: string;
  name: string;
}

export interface NotifierOptions {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Where Slack and SMS webhooks may post (https, public addresses, unless allow-listed). */
  webhooks: WebhookPolicy;
  /** How long a desktop has to confirm an `alert.notify` (NOTIFY_DESKTOP_ACK_MS). */
  desktopAckMs: number;
  /** A desktop delivery unconfirmed this long falls back to the person's email and SMS (NOTIFY_DESKTOP_FALLBACK_SECONDS). */
  desktopFallbackMs: number;
  /** Seals the Slack/SMS webhook URLs stored in notification_channels (they carry the receiver's secret). */
  urls: SecretBox;
  /** An attempt's outcome that could not be stored (the delivery is recovered as interrupted later). */
  onError: (what: 'notifications.record-attempt', err: unknown) => void;
}

/**
 * How long an attempt may look in flight before it is taken for interrupted: a sender gives up after
 * `timeoutMs` (SMTP's connect, greeting and idle timeouts can add up), plus slack for a busy database.
 */
export function interruptedAfterMs(timeoutMs: number): number {
  return 3 * timeoutMs + 60_000;
}

import { renderMessage } from './render-message';

export { renderMessage };

/**
 * Sends alert notifications through every channel the severity routes to, per target user and their
 * preferences. Each delivery is recorded and attempted on its own (a hanging SMTP server never holds
 * up Slack or the desktop); failures are retried with exponential backoff up to `maxAttempts`.
 */
export class Notifier {
  private readonly senders: Partial<Record<ChannelType, Sender>>;
  private readonly email: EmailSender | null;
  private readonly inflight = new Set<Promise<void>>();
  private readonly channelCache = new PromiseCache<'all', ChannelRow[]>(5000);
  private readonly writes: DeliveryWrites;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly config: Config,
    desktop: DesktopPush,
    private readonly prefs: PreferenceStore,
    private readonly contacts: ContactMethodStore,
    private readonly audit: AuditLog,
    private readonly options: NotifierOptions,
  ) {
    this.writes = new DeliveryWrites(db);
    this.email = config.SMTP_URL ? new EmailSender(config.SMTP_URL, config.SMTP_FROM, options.timeoutMs) : null;
    this.senders = { desktop: new DesktopSender(desktop, () => clock.now(), options.desktopAckMs), ...(this.email && { email: this.email }) };
  }

  private senderFor(channel: ChannelRow): Sender | null {
    if (channel.type === 'slack') {
      const url = this.openUrl(channel.url) ?? this.config.SLACK_WEBHOOK_URL;
      return url ? new SlackSender(url, this.webhook()) : null;
    }
    if (channel.type === 'sms') {
      const url = this.openUrl(channel.url) ?? this.config.SMS_WEBHOOK_URL;
      return url ? new SmsSender(url, this.webhook()) : null;
    }
    return this.senders[channel.type as ChannelType] ?? null;
  }

  /** A stored webhook URL in clear, for sending only (never returned). Stored before sealing existed: as it was. */
  private openUrl(stored: string | null): string | null {
    if (!stored) return null;
    return stored.startsWith('v1:') ? this.options.urls.open(stored) : stored;
  }

  private webhook() {
    return { policy: this.options.webhooks, timeoutMs: this.options.timeoutMs };
  }

  async ensureDefaults(): Promise<void> {
    const now = this.clock.now();
    for (const c of DEFAULT_CHANNELS) {
      await this.db
        .insertInto('notification_channels')
        .values({ id: c.id, type: c.type, name: c.name, severities: JSON.stringify(c.severities), enabled: 1, url: null, updated_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    // URLs stored in clear by an older version are sealed in place.
    for (const r of await this.db.selectFrom('notification_channels').select(['id', 'url']).where('url', 'is not', null).execute()) {
      if (!r.url!.startsWith('v1:')) await this.db.updateTable('notification_channels').set({ url: this.options.urls.seal(r.url!) }).where('id', '=', r.id).execute();
    }
    this.channelCache.clear();
  }

  private channelRows(): Promise<ChannelRow[]> {
    return this.channelCache.get('all', () => this.db.selectFrom('notification_channels').selectAll().orderBy('id').execute());
  }

  private toChannel(r: ChannelRow): Channel {
    return { id: r.id, type: r.type as ChannelType, name: r.name, severities: parseJson(r.severities, []), enabled: r.enabled === 1, url: maskUrl(this.openUrl(r.url)), configured: this.senderFor(r) !== null, updatedAt: r.updated_at };
  }

  async channels(): Promise<Channel[]> {
    return (await this.channelRows()).map((r) => this.toChannel(r));
  }

  async updateChannel(actor: Actor, id: string, patch: { severities?: Severity[]; enabled?: boolean; url?: string | null }): Promise<Channel> {
    const row = await this.db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Channel');
    if (patch.url !== undefined && row.type !== 'slack' && row.type !== 'sms') throw new AppError('unprocessable', `a ${row.type} channel has no URL`);
    const refusal = patch.url ? checkWebhookUrl(patch.url, this.options.webhooks) : null;
    if (refusal) throw new AppError('unprocessable', `Webhook URL ${refusal}`);
    const set = {
      ...(patch.severities && { severities: JSON.stringify([...new Set(patch.severities)]) }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
      ...(patch.url !== undefined && { url: patch.url ? this.options.urls.seal(patch.url) : null }),
      updated_at: this.clock.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('notification_channels').set(set).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'channel.updated', targetType: 'channel', targetId: id, details: { ...patch, url: patch.url ? maskUrl(patch.url) : patch.url } }, trx);
      if (patch.url !== undefined && patch.url !== this.openUrl(row.url)) {
        await this.audit.record(actor, { action: 'channel.webhook_url_changed', targetType: 'channel', targetId: id, details: { from: maskUrl(this.openUrl(row.url)), to: maskUrl(patch.url) } }, trx);
      }
    });
    this.channelCache.clear();
    return this.toChannel({ ...row, ...set });
  }

  /**
   * Records and starts the deliveries of one escalation level for an alert. A person inside their
   * quiet hours gets theirs held (summarised when the hours end), unless critical may pass.
   */
  async notify(alert: Alert, level: number, levelName: string | null, recipients: Recipient[]): Promise<string[]> {
    const channels = (await this.channelRows()).filter((c) => c.enabled === 1 && parseJson<string[]>(c.severities, []).includes(alert.severity) && this.senderFor(c));
    if (channels.length === 0) return [];
    const prefs = recipients.length ? await this.prefs.all() : [];
    const quiet = recipients.length ? await this.prefs.allQuietHours() : new Map();
    const verified = recipients.length ? await this.contacts.verified() : new Map();
    const pref = (userId: string, channel: string) => prefs.find((p) => p.user_id === userId && p.channel === channel);
    const wants = (userId: string, channel: string) => {
      const p = pref(userId, channel);
      return !p || (p.enabled === 1 && severityRank(alert.severity) >= severityRank(p.min_severity as Severity));
    };
    const message = renderMessage(alert, levelName);
    const now = this.clock.now();
    const rows: DeliveryRow[] = [];
    for (const c of channels) {
      if (c.type === 'slack') {
        rows.push(this.row(alert.id, 'slack', 'slack', null, level, message));
        continue;
      }
      for (const r of recipients) {
        if (!wants(r.id, c.type)) continue;
        const q = quiet.get(r.id);
        const held = q !== undefined && holdsNotification(q, alert.severity, now);
        for (const target of pageTargets(c.type, r, verified)) rows.push(this.row(alert.id, c.type, target, r.id, level, message, held));
      }
    }
    return this.dispatch(rows, channels);
  }

  /**
   * A notice about no alert (an on-call hand-off, a quiet-hours summary): desktop and email, per
   * each person's channel preferences (severity routing does not apply), recorded and retried like alert deliveries.
   */
  async notice(recipients: Recipient[], message: Message): Promise<string[]> {
    const channels = (await this.channelRows()).filter((c) => c.enabled === 1 && (c.type === 'desktop' || c.type === 'email') && this.senderFor(c));
    const prefs = await this.prefs.all();
    const verified = await this.contacts.verified();
    const rows: DeliveryRow[] = [];
    for (const c of channels) {
      for (const r of recipients) {
        const p = prefs.find((x) => x.user_id === r.id && x.channel === c.type);
        if (p && p.enabled !== 1) continue;
        for (const target of pageTargets(c.type, r, verified)) rows.push(this.row(null, c.type, target, r.id, -1, message));
      }
    }
    return this.dispatch(rows, channels);
  }

  private row(alertId: string | null, channel: string, target: string, userId: string | null, level: number, message: Message, held = false): DeliveryRow {
    const now = this.clock.now();
    return { id: timeOrderedUuid(), alert_id: alertId, channel, target, user_id: userId, status: held ? 'held' : 'pending', attempts: 0, error: null, next_attempt_at: null, escalation_level: level, payload: JSON.stringify(message), created_at: now, sent_at: null, attempt_started_at: held ? null : now };
  }

  /** Sends the immediate deliveries inline, records all, and starts the others (held ones wait) in the background. */
  private async dispatch(rows: DeliveryRow[], channels: ChannelRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const later: DeliveryRow[] = [];
    for (const row of rows) {
      if (row.status === 'held') continue;
      const sender = this.senderFor(channels.find((c) => c.type === row.channel)!);
      if (!sender?.immediate) {
        later.push(row);
        continue;
      }
      let error: string | null = null;
      await sender.send(row.target, JSON.parse(row.payload) as Message, row.id).catch((err: unknown) => void (error = (err as Error).message || String(err)));
      Object.assign(row, this.outcome(1, error));
    }
    // Recorded together with the deliveries other pages start at the same time (DeliveryWrites).
    await this.writes.insert(rows);
    for (const row of later) this.track(this.attempt(row, channels.find((c) => c.type === row.channel)!));
    return rows.map((r) => r.id);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async attempt(row: DeliveryRow, channel: ChannelRow | undefined): Promise<void> {
    const attempts = Number(row.attempts) + 1;
    const sender = channel ? this.senderFor(channel) : null;
    let error: string | null = null;
    try {
      if (!sender) throw new Error(`${row.channel} channel is not configured`);
      await sender.send(row.target, JSON.parse(row.payload) as Message, row.id);
    } catch (err) {
      error = (err as Error).message || String(err);
    }
    let outcome = this.outcome(attempts, error);
    // A desktop that did not confirm before the fallback deadline: the person's email and SMS instead.
    const fallBack = error !== null && row.channel === 'desktop' && row.user_id !== null && (outcome.next_attempt_at ?? Infinity) > Number(row.created_at) + this.options.desktopFallbackMs;
    if (fallBack) outcome = { ...outcome, next_attempt_at: null, error: `${error}; fell back to email/SMS` };
    await this.writes.outcome(row.id, outcome).catch((err: unknown) => this.options.onError('notifications.record-attempt', err));
    if (fallBack) await this.fallback(row).catch((err: unknown) => this.options.onError('notifications.record-attempt', err));
  }

  /** Email (and SMS when the person has a number) for a desktop delivery nobody confirmed, unless the level already sent them. */
  private async fallback(row: DeliveryRow): Promise<void> {
    const user = await this.db.selectFrom('users').select(['id', 'email']).where('id', '=', row.user_id!).executeTakeFirst();
    if (!user) return;
    const already = await this.db
      .selectFrom('notification_deliveries')
      .select('channel')
      .where('user_id', '=', user.id)
      .where('channel', 'in', ['email', 'sms'])
      .where('escalation_level', '=', row.escalation_level)
      .where(row.alert_id ? (eb) => eb('alert_id', '=', row.alert_id) : (eb) => eb('alert_id', 'is', null))
      .where('created_at', '>=', Number(row.created_at))
      .execute();
    const prefs = (await this.prefs.all()).filter((p) => p.user_id === user.id);
    const channels = (await this.channelRows()).filter((c) => (c.type === 'email' || c.type === 'sms') && this.senderFor(c));
    const message = JSON.parse(row.payload) as Message;
    const verified = await this.contacts.verified();
    const rows: DeliveryRow[] = [];
    for (const c of channels) {
      if (already.some((a) => a.channel === c.type)) continue;
      const p = prefs.find((x) => x.channel === c.type);
      if (p && p.enabled !== 1) continue;
      for (const target of pageTargets(c.type, user, verified)) rows.push(this.row(row.alert_id, c.type, target, user.id, Number(row.escalation_level), message));
    }
    await this.dispatch(rows, channels);
  }

  /** The row after an attempt: sent, or failed and retried with exponential backoff until maxAttempts. */
  private outcome(attempts: number, error: string | null) {
    const now = this.clock.now();
    const retry = error !== null && attempts < this.options.maxAttempts;
    return {
      status: error === null ? 'sent' : 'failed',
      attempts,
      error,
      sent_at: error === null ? now : null,
      next_attempt_at: retry ? now + this.options.retryBaseMs * 2 ** (attempts - 1) : null,
      attempt_started_at: null,
    };
  }

  /**
   * Deliveries left `pending` by a process that died mid-attempt: their attempt counts as failed
   * and they are retried with the normal backoff. An attempt is only taken for dead once it has
   * been running far longer than a sender's timeout allows, so the attempts of another backend
   * instance on the same database (or of this one) are never sent twice. Runs at start and on
   * every tick.
   */
  async recoverInterrupted(): Promise<number> {
    const staleBefore = this.clock.now() - interruptedAfterMs(this.options.timeoutMs);
    const stuck = await this.db
      .selectFrom('notification_deliveries')
      .select(['id', 'attempts'])
      .where('status', '=', 'pending')
      .where('attempt_started_at', '<=', staleBefore)
      .limit(500)
      .execute();
    let recovered = 0;
    for (const row of stuck) {
      const patch = this.outcome(Number(row.attempts) + 1, 'interrupted: the backend stopped during the attempt');
      // Guarded by the state read above, so a concurrent recovery or a late finisher wins once.
      const res = await this.db.updateTable('notification_deliveries').set(patch).where('id', '=', row.id).where('status', '=', 'pending').where('attempt_started_at', '<=', staleBefore).executeTakeFirst();
      recovered += Number(res.numUpdatedRows);
    }
    return recovered;
  }

  /** Re-attempts failed deliveries whose backoff has passed. */
  async retryDue(): Promise<number> {
    const due = await this.db.selectFrom('notification_deliveries').selectAll().where('status', '=', 'failed').where('next_attempt_at', '<=', this.clock.now()).limit(200).execute();
    if (due.length === 0) return 0;
    const channels = await this.channelRows();
    // Claim them (one statement) so an overlapping tick does not send twice.
    await this.db.updateTable('notification_deliveries').set({ next_attempt_at: null, status: 'pending', attempt_started_at: this.clock.now() }).where('id', 'in', due.map((r) => r.id)).execute();
    for (const row of due) this.track(this.attempt(row, channels.find((c) => c.type === row.channel)));
    return due.length;
  }

  /** Resolves when every started delivery attempt has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  async deliveries(filter: { alertId?: string; limit?: number } = {}): Promise<Delivery[]> {
    let q = this.db.selectFrom('notification_deliveries').selectAll();
    if (filter.alertId) q = q.where('alert_id', '=', filter.alertId);
    const rows = await q.orderBy('created_at', 'desc').limit(filter.limit ?? 500).execute();
    return rows.map((r) => ({
      id: r.id,
      alertId: r.alert_id,
      channel: r.channel as ChannelType,
      target: r.target,
      status: r.status as Delivery['status'],
      attempts: Number(r.attempts),
      error: r.error,
      nextAttemptAt: r.next_attempt_at,
      escalationLevel: Number(r.escalation_level),
      createdAt: r.created_at,
      sentAt: r.sent_at,
    }));
  }

  /** `test-alerts` and Admin's test send: one test message through every configured channel (or the one named), awaited, with each result. */
  async sendTest(recipients: Recipient[], options: { desktop: boolean; channelId?: string } = { desktop: true }): Promise<TestResult[]> {
    const rows = (await this.channelRows()).filter((c) => !options.channelId || c.id === options.channelId);
    if (options.channelId && rows.length === 0) throw notFound('Channel');
    return sendTestMessage(rows, (c) => this.senderFor(c), recipients, await this.contacts.verified(), options);
  }

  /** One message to one address, not recorded (a contact method's verification code); throws when the channel cannot send. */
  async sendDirect(kind: ContactKind, address: string, message: Message): Promise<void> {
    const type = kind === 'phone' ? 'sms' : 'email';
    const channel = (await this.channelRows()).find((c) => c.type === type);
    const sender = channel ? this.senderFor(channel) : null;
    if (!sender) throw new Error(type === 'sms' ? 'no SMS gateway is configured (Admin → Channels)' : 'no SMTP server is configured (SMTP_URL)');
    await sender.send(address, message);
  }

  close(): void {
    this.email?.close();
  }

  smtp(): EmailSender | null {
    return this.email;
  }
}
