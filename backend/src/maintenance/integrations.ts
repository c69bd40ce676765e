import type { Actor } from '../audit/audit-log';
import type { AppContext } from '../context';

/** What maintenance needs from the alerting side: silences. Kept small so any silence service fits. */
export interface AlertSilencer {
  create(actor: Actor, input: { matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[]; startsAt?: number; endsAt: number; comment: string }): Promise<{ id: string }>;
  expire(actor: Actor, id: string): Promise<unknown>;
}

export interface AlertRaiser {
  raise(alert: { name: string; severity: 'low' | 'medium' | 'high' | 'critical'; summary: string; labels: Record<string, string> }): Promise<void>;
  /** Open alerts of the given severity (for "no critical alerts" checks). */
  openCount?(severity: 'critical' | 'high'): Promise<number>;
}

export interface Mailer {
  /** Sends one message to every user of the given roles. */
  broadcast(subject: string, text: string): Promise<number>;
}

/**
 * The alerting engineer's silence, alert and mail services, plugged in where the app is wired
 * (`operations(ctx).integrations.silencer = …`). Until they are, the callers report plainly that
 * the capability is unavailable instead of pretending.
 */
export class OpsIntegrations {
  silencer: AlertSilencer | null = null;
  alerts: AlertRaiser | null = null;
  mailer: Mailer | null = null;

  constructor(private readonly ctx: AppContext) {
    // The monitoring domain's silences, alerts and SMTP sender, when this context has them.
    const monitoring = (ctx as Partial<Pick<AppContext, 'monitoring'>>).monitoring;
    if (!monitoring) return;
    this.silencer = monitoring.silences;
    this.alerts = {
      raise: async (a) => {
        await monitoring.alerts.raise([{ source: 'generic', scope: 'opsdesk-operations', name: a.name, severity: a.severity, summary: a.summary, labels: { ...a.labels, alertname: a.name } }]);
      },
      openCount: async (severity) => {
        const r = await ctx.database.db
          .selectFrom('alerts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('severity', '=', severity)
          .where('status', 'in', ['firing', 'acknowledged'])
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      },
    };
    const smtp = monitoring.notifier.smtp();
    if (smtp) {
      this.mailer = {
        broadcast: async (subject, text) => {
          const users = await ctx.database.db.selectFrom('users').select('email').where('disabled', '=', 0).execute();
          for (const u of users) await smtp.send(u.email, { subject, text, severity: 'low', alertId: null });
          return users.length;
        },
      };
    }
  }

  async raiseAlert(alert: { name: string; severity: 'low' | 'medium' | 'high' | 'critical'; summary: string; labels: Record<string, string> }): Promise<'raised' | 'event-only'> {
    this.ctx.events.publish({ type: 'ops.alert', seq: null, actor: null, data: alert, at: this.ctx.clock.now() }, { kind: 'oncall' });
    if (!this.alerts) return 'event-only';
    try {
      await this.alerts.raise(alert);
      return 'raised';
    } catch {
      return 'event-only';
    }
  }

  /** Live event to everyone, plus email where a mailer is plugged in. */
  async announce(type: string, subject: string, text: string, data: unknown): Promise<{ live: true; emails: number | string }> {
    this.ctx.events.publish({ type, seq: null, actor: null, data: { subject, text, ...(data as object) }, at: this.ctx.clock.now() }, { kind: 'all' });
    if (!this.mailer) return { live: true, emails: 'no mailer configured' };
    try {
      return { live: true, emails: await this.mailer.broadcast(subject, text) };
    } catch (e) {
      return { live: true, emails: `email failed: ${(e as Error).message}` };
    }
  }
}
