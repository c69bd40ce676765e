import type { Severity } from '../../../shared/api/alerts';
import type { AlertService } from '../alerts/alert-service';
import type { Clock } from '../platform/clock';
import type { EmailSender } from '../notifications/senders';
import type { EventHub } from '../platform/realtime/event-hub';
import type { SilenceService } from '../silences/silence-service';
import type { UserRepository } from '../users/user-repository';

export interface OpsAlert {
  name: string;
  severity: Severity;
  summary: string;
  labels: Record<string, string>;
}

export interface OpsIntegrationsDeps {
  clock: Clock;
  events: EventHub;
  /** Maintenance windows and procedures silence alerts through the silence service. */
  silences: SilenceService;
  alerts: AlertService;
  users: UserRepository;
  /** The SMTP sender when SMTP_URL is configured: announcements are also emailed. */
  smtp: EmailSender | null;
  /** Logs a failure that the caller only sees as an outcome ('event-only', 'email failed: …'). */
  onError: (what: string, err: unknown) => void;
}

/**
 * What operations (backups, maintenance windows, procedures) need from alerting and mail: raise an
 * alert, count open ones, silence, and announce to every user (live event, plus email with SMTP).
 */
export class OpsIntegrations {
  readonly silences: SilenceService;

  constructor(private readonly d: OpsIntegrationsDeps) {
    this.silences = d.silences;
  }

  /** Open (firing or acknowledged) alerts of the given severity, for "no critical alerts" checks. */
  openAlerts(severity: 'critical' | 'high'): Promise<number> {
    return this.d.alerts.openCount(severity);
  }

  /** A live `ops.alert` event, and an alert in the alert list (`event-only` when raising failed). */
  async raiseAlert(alert: OpsAlert): Promise<'raised' | 'event-only'> {
    this.d.events.publish({ type: 'ops.alert', seq: null, actor: null, data: alert, at: this.d.clock.now() }, { kind: 'oncall' });
    try {
      await this.d.alerts.raise([{ source: 'generic', scope: 'opsdesk-operations', name: alert.name, severity: alert.severity, summary: alert.summary, labels: { ...alert.labels, alertname: alert.name } }]);
      return 'raised';
    } catch (err) {
      this.d.onError('ops.raise-alert', err);
      return 'event-only';
    }
  }

  /** Live event to everyone, plus email where SMTP is configured. */
  async announce(type: string, subject: string, text: string, data: unknown): Promise<{ live: true; emails: number | string }> {
    this.d.events.publish({ type, seq: null, actor: null, data: { subject, text, ...(data as object) }, at: this.d.clock.now() }, { kind: 'all' });
    const smtp = this.d.smtp;
    if (!smtp) return { live: true, emails: 'no mailer configured' };
    try {
      const emails = await this.d.users.activeEmails();
      for (const to of emails) await smtp.send(to, { subject, text, severity: 'low', alertId: null });
      return { live: true, emails: emails.length };
    } catch (e) {
      this.d.onError('ops.announce-email', e);
      return { live: true, emails: `email failed: ${(e as Error).message}` };
    }
  }
}
