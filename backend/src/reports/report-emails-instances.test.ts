import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startServer } from '../app/server';
import { startMonitoringServer } from '../../test-support/monitoring';
import { startSmtp } from '../../test-support/smtp-capture';

describe('two servers on one PostgreSQL database, emailing reports', () => {
  it('sends each period of a schedule once, from the leader, whichever instance was asked', { timeout: 60_000 }, async () => {
    const smtp = await startSmtp();
    // Both on their real report-emails loop, every second; the clock says Jan 5 12:00 UTC.
    const env = await startMonitoringServer('postgres', { SMTP_URL: smtp.url, REPORT_EMAIL_POLL_SECONDS: '1', JWT_SECRET: 'a-shared-secret-for-two-instances-0123456789' });
    const b = await startServer(env.server.config, { clock: env.clock });
    try {
      const created = await fetch(`${b.url}/api/v1/report-schedules`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.admin.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Daily', period: 'daily', recipients: ['lead@example.com'], timeZone: 'UTC', hour: 0 }),
      });
      expect(created.status).toBe(201);
      const reportMails = () => smtp.mails.filter((m) => m.to.includes('lead@example.com'));
      const deadline = Date.now() + 10_000;
      while (reportMails().length === 0 && Date.now() < deadline) await sleep(100);
      // Several more rounds of each instance: still the one email for Jan 4.
      await sleep(3_000);
      expect(reportMails()).toHaveLength(1);
      expect(reportMails()[0]!.data).toContain('Subject: OpsDesk daily report: 2026-01-04');
      // The next day is due from 00:00 on Jan 6: one more email, then none.
      env.clock.set(Date.UTC(2026, 0, 6, 0, 5));
      await sleep(3_000);
      expect(reportMails()).toHaveLength(2);
      expect(reportMails()[1]!.data).toContain('Subject: OpsDesk daily report: 2026-01-05');
    } finally {
      await b.stop();
      await env.server.dispose();
      await smtp.close();
    }
  });
});
