import type { Kysely } from 'kysely';
import type { OpsReport } from '../../../shared/api/reports';
import { parseJson } from '../alerts/labels';
import type { EmailSender } from '../notifications/senders';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { opsReportToHtml } from './report-format';
import { lastDuePeriod, type ReportRange } from './report-range';
import type { ReportSchedules } from './report-schedules';
import type { ReportService } from './report-service';

/** A failed send is tried again this long after, at most MAX_ATTEMPTS times in all. */
export const RETRY_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 3;
/** A send claimed this long ago and never finished (its instance died) is taken over. */
export const STALE_SENDING_MS = 10 * 60_000;

/** The email's plain-text part: the headline figures. */
function textOf(r: OpsReport): string {
  const s = r.summary;
  const lines = [`OpsDesk ${r.period} report: ${r.label} (${r.timeZone})`, '', `Alerts: ${s.alerts}, acknowledged ${s.acknowledged}, resolved ${s.resolved}`, `MTTA: ${s.mttaSeconds ?? '—'} s, MTTR: ${s.mttrSeconds ?? '—'} s`];
  for (const q of r.slaByQueue) lines.push(`SLA ${q.queue}: ${q.compliancePercent ?? '—'} % of ${q.resolved} resolved`);
  lines.push('', 'The full report is in the HTML part of this email.');
  return lines.join('\n');
}

/**
 * Sends each enabled schedule's latest due period once: the row in `report_deliveries` (primary
 * key schedule + period) is claimed by one INSERT, so two instances (or a round that overlaps a
 * restart) never both send it. Runs on the leader's `report-emails` loop.
 */
export class ReportMailer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedules: Pick<ReportSchedules, 'enabled'>,
    private readonly reports: Pick<ReportService, 'forRange'>,
    private readonly smtp: () => Pick<EmailSender, 'send'> | null,
    /** A failed send is recorded on its row and reported here (the round goes on with the others). */
    private readonly onError: (what: string, err: unknown) => void,
  ) {}

  /** One round: answers how many emails went out. */
  async round(): Promise<number> {
    const smtp = this.smtp();
    if (!smtp) return 0;
    let sent = 0;
    for (const s of await this.schedules.enabled()) {
      const period = lastDuePeriod(s.period as 'daily' | 'weekly', s.time_zone, Number(s.hour), this.clock.now());
      if (!(await this.claim(s.id, period))) continue;
      try {
        const report = await this.reports.forRange(period);
        const recipients = parseJson<string[]>(s.recipients, []);
        await smtp.send(recipients.join(', '), { subject: `OpsDesk ${period.period} report: ${period.label}`, text: textOf(report), html: opsReportToHtml(report), severity: 'info', alertId: null });
        await this.finish(s.id, period.from, { status: 'sent', error: null, sent_at: this.clock.now() });
        sent++;
      } catch (err) {
        await this.finish(s.id, period.from, { status: 'failed', error: (err as Error).message.slice(0, 500), sent_at: null });
        this.onError(`report-emails:${s.name}`, err);
      }
    }
    return sent;
  }

  /** True when this round may send the period: a new claim, or a retry of a failed or abandoned one. */
  private async claim(scheduleId: string, period: ReportRange): Promise<boolean> {
    const now = this.clock.now();
    const fresh = await this.db
      .insertInto('report_deliveries')
      .values({ schedule_id: scheduleId, period_start: period.from, label: period.label, status: 'sending', attempts: 1, error: null, claimed_at: now, sent_at: null })
      .onConflict((oc) => oc.columns(['schedule_id', 'period_start']).doNothing())
      .returning('schedule_id')
      .execute();
    if (fresh.length) return true;
    const retry = await this.db
      .updateTable('report_deliveries')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), claimed_at: now }))
      .where('schedule_id', '=', scheduleId)
      .where('period_start', '=', period.from)
      .where('attempts', '<', MAX_ATTEMPTS)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'failed'), eb('claimed_at', '<=', now - RETRY_MS)]), eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<=', now - STALE_SENDING_MS)])]))
      .returning('schedule_id')
      .execute();
    return retry.length > 0;
  }

  private async finish(scheduleId: string, periodStart: number, values: { status: string; error: string | null; sent_at: number | null }): Promise<void> {
    await this.db.updateTable('report_deliveries').set(values).where('schedule_id', '=', scheduleId).where('period_start', '=', periodStart).execute();
  }
}
