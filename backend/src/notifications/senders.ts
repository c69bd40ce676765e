import nodemailer, { type Transporter } from 'nodemailer';
import { ALERT_NOTIFY_EVENT, type AlertNotification, type Alert, type ChannelType, type Severity } from '../../../shared/api/alerts';
import type { EventHub } from '../platform/realtime/event-hub';

/** What a channel sends: rendered once when the delivery is recorded, re-sent as is on retry. */
export interface Message {
  subject: string;
  text: string;
  html?: string;
  severity: string;
  alertId: string | null;
  /** The alert itself, for desktop popups. */
  data?: unknown;
}

export interface Sender {
  send(target: string, message: Message): Promise<void>;
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

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // undici says only "fetch failed"; the cause names the real problem (ECONNREFUSED, timeout…).
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new Error(cause ? `${(err as Error).message}: ${cause}` : (err as Error).message, { cause: err });
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 200);
    throw new Error(`webhook answered ${res.status}${text ? `: ${text}` : ''}`);
  }
  await res.arrayBuffer().catch(() => undefined);
}

/** Slack incoming webhook: `{text}` with mrkdwn. */
export class SlackSender implements Sender {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}
  async send(_target: string, m: Message): Promise<void> {
    await postJson(this.url, { text: `*${m.subject}*\n${m.text}` }, this.timeoutMs);
  }
}

/** SMS through a configurable HTTP gateway: `{to, message, severity, alertId}`. */
export class SmsSender implements Sender {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}
  async send(to: string, m: Message): Promise<void> {
    await postJson(this.url, { to, message: `${m.subject}`.slice(0, 300), severity: m.severity, alertId: m.alertId }, this.timeoutMs);
  }
}

/** Desktop: an `alert.notify` socket.io event to the user's sockets; the desktop shows a native popup. */
export class DesktopSender implements Sender {
  readonly immediate = true;
  constructor(
    private readonly events: EventHub,
    private readonly now: () => number,
  ) {}
  async send(userId: string, m: Message): Promise<void> {
    const data: AlertNotification = { title: m.subject, body: m.text, severity: m.severity as Severity, alertId: m.alertId, alert: (m.data as Alert | undefined) ?? null };
    this.events.publish({ type: ALERT_NOTIFY_EVENT, seq: null, actor: null, data, at: this.now() }, { kind: 'user', userId });
  }
}

export type Senders = Partial<Record<ChannelType, Sender>>;
