import nodemailer, { type Transporter } from 'nodemailer';
import { ALERT_NOTIFY_EVENT, type AlertNotification, type Alert, type ChannelType, type Severity } from '../../../shared/api/alerts';
import type { WebhookPolicy } from '../platform/outbound/address-policy';
import { postWebhook } from '../platform/outbound/webhook-post';

/** Where a webhook sender may post (platform/outbound) and how long an attempt may take. */
export interface WebhookOptions {
  policy: WebhookPolicy;
  timeoutMs: number;
}

/** What a channel sends: rendered once when the delivery is recorded, re-sent as is on retry. */
export interface Message {
  subject: string;
  text: string;
  html?: string;
  severity: string;
  alertId: string | null;
  /** The alert itself, for desktop popups. */
  data?: unknown;
  /** The ticket a notice is about: the desktop popup opens it. */
  ticket?: { id: string; number: number };
}

export interface Sender {
  /** Resolves with the receiver's HTTP status for webhooks. */
  send(target: string, message: Message, deliveryId?: string): Promise<void | { status: number }>;
  /** Completes at once (no I/O to wait for): sent inline, its delivery row written once, final. */
  readonly immediate?: boolean;
}

/** Email over SMTP. Timeouts make a server that refuses or hangs fail the attempt instead of blocking it. */
export class EmailSender implements Sender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    // Options in the URL form are query parameters; the timeouts go there so the URL stays the one setting.
    const url = new URL(smtpUrl);
    for (const k of ['connectionTimeout', 'greetingTimeout', 'socketTimeout', 'dnsTimeout']) if (!url.searchParams.has(k)) url.searchParams.set(k, String(timeoutMs));
    this.transport = nodemailer.createTransport(url.toString());
  }

  async send(to: string, m: Message): Promise<void> {
    await this.transport.sendMail({ from: this.from, to, subject: m.subject, text: m.text, html: m.html });
  }

  async verify(): Promise<void> {
    await this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}

/** Slack incoming webhook: `{text}` with mrkdwn. */
export class SlackSender implements Sender {
  constructor(
    private readonly url: string,
    private readonly webhook: WebhookOptions,
  ) {}
  send(_target: string, m: Message): Promise<{ status: number }> {
    return postWebhook(this.url, { text: `*${m.subject}*\n${m.text}` }, this.webhook);
  }
}

/** SMS through a configurable HTTP gateway: `{to, message, severity, alertId}`. */
export class SmsSender implements Sender {
  constructor(
    private readonly url: string,
    private readonly webhook: WebhookOptions,
  ) {}
  send(to: string, m: Message): Promise<{ status: number }> {
    return postWebhook(this.url, { to, message: `${m.subject}`.slice(0, 300), severity: m.severity, alertId: m.alertId }, this.webhook);
  }
}

/** Where desktop popups go: the user's live sockets (the socket.io server), each confirming receipt. */
export interface DesktopPush {
  /** Emits `event` to every socket of the user; resolves with how many confirmed receipt within `timeoutMs`. */
  push(userId: string, event: string, payload: unknown, timeoutMs: number): Promise<number>;
}

/** Processes without a socket.io server reach no desktop. */
export const NO_DESKTOPS: DesktopPush = { push: async () => 0 };

/**
 * Desktop: an `alert.notify` to the user's sockets. It counts as sent only when a desktop
 * confirms receipt (the socket.io acknowledgement); otherwise the attempt fails and is retried,
 * then falls back to email/SMS (Notifier).
 */
export class DesktopSender implements Sender {
  constructor(
    private readonly desktops: DesktopPush,
    private readonly now: () => number,
    private readonly ackMs: number,
  ) {}
  async send(userId: string, m: Message, deliveryId?: string): Promise<void> {
    const data: AlertNotification = { deliveryId: deliveryId ?? null, userId, title: m.subject, body: m.text, severity: m.severity as Severity, alertId: m.alertId, alert: (m.data as Alert | undefined) ?? null, ticket: m.ticket ?? null };
    const confirmed = await this.desktops.push(userId, ALERT_NOTIFY_EVENT, { type: ALERT_NOTIFY_EVENT, seq: null, actor: null, data, at: this.now() }, this.ackMs);
    if (confirmed === 0) throw new Error(`no desktop confirmed receipt within ${this.ackMs} ms`);
  }
}

export type Senders = Partial<Record<ChannelType, Sender>>;
