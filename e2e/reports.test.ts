// Reports end to end: a real backend with a real SMTP server, the browser host and Chromium. Alerts,
// acknowledgements and tickets are seeded through the API; the Reports screen shows the day, then
// the week; the CSV export is downloaded and read; a scheduled daily email is set up in the app and
// arrives in the SMTP server. Screenshots: test-output/screenshots/reports-*.png.
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../backend/test-support/smtp-capture';
import { connectAndSignIn, createUser, openJourney, screenshots, startBackend, until, type Backend, type Host, type Journey } from './support';
import { ADMIN } from './workstation/session';

const HOSTILE = '=HYPERLINK("http://evil.example","x") <b>boom</b>';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let backend: Backend;
let host: Host;
let session: Journey;
let page: Page;
let token: string;
let omarId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  backend = await startBackend({ SMTP_URL: smtp.url, REPORT_EMAIL_POLL_SECONDS: '1' });
  token = (await createUser(backend, ADMIN)).token;
  // The default policy's first level pages the on-call role: Omar's pages are the on-call load.
  omarId = (await createUser(backend, { email: 'omar@example.com', password: 'tangerine-falcon-7731', name: 'Omar Oncall', role: 'oncall' })).id;
  session = await openJourney({ height: 900, acceptDownloads: true });
  ({ host, page } = session);
}, 120_000);
afterAll(async () => {
  await session?.close();
  await backend?.stop();
  await smtp?.close();
});

async function seed(): Promise<void> {
  const api = async (method: string, url: string, body?: unknown, status = 200) => {
    const res = await backend.api(method, `/api/v1${url}`, body, token);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  // Web alerts follow a policy that pages the web rota (and Omar): the report's "by schedule" row.
  const rota = await api('POST', '/oncall/schedules', { name: 'Web rota', timeZone: 'UTC' }, 201);
  await api('POST', '/escalation-policies', { name: 'Web', match: { service: 'web' }, levels: [{ name: 'Web on-call', afterMinutes: 0, roles: [], userIds: [omarId], scheduleIds: [rota.id] }] }, 201);
  const hostile = await api('POST', '/alerts', { name: HOSTILE, severity: 'critical', labels: { service: 'web' } }, 201);
  await api('POST', '/alerts', { name: 'Disk almost full', severity: 'high', labels: { host: 'db1' } }, 201);
  const ingest = await api('POST', '/api-tokens', { name: 'ingest', scopes: ['alerts:ingest'] }, 201);
  const am = { version: '4', groupKey: 'g', status: 'firing', receiver: 'opsdesk', alerts: [{ status: 'firing', labels: { alertname: 'Queue backlog', severity: 'low' }, startsAt: new Date().toISOString() }] };
  const fired = await backend.api('POST', '/api/v1/integrations/alertmanager', am, ingest.token);
  expect(fired.status).toBe(200);
  // The escalator (alert tick, every 5 s) pages the on-call level: wait for Omar's page records.
  const omarPages = async () => (await backend.api('GET', '/api/v1/reports/range?period=daily&tz=UTC', undefined, token)).body.pagesPerPerson?.find((p: { name: string }) => p.name === 'Omar Oncall')?.pages;
  await until(async () => (await omarPages()) === 3, 30_000, 'pages recorded');
  await new Promise((r) => setTimeout(r, 1500));
  await api('POST', `/alerts/${hostile.id}/ack`);
  await api('POST', `/alerts/${hostile.id}/resolve`, {});
  const queue = await api('POST', '/queues', { name: 'Service desk' }, 201);
  for (let i = 0; i < 2; i++) {
    const t = await api('POST', '/tickets', { queueId: queue.id, subject: `Printer ${i}`, requester: { name: 'R', email: 'r@example.com' }, priority: 'low' }, 201);
    if (i === 0) await api('PATCH', `/tickets/${t.id}`, { status: 'resolved', version: t.version });
  }
}

describe('reports', () => {
  it('shows the day and the week, exports CSV, and emails a scheduled report', async () => {
    await seed();
    await connectAndSignIn(page, host.host.openUrl, backend.url, ADMIN);

    // From the palette, by keyboard.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Type a command/ }).fill('daily report');
    await page.getByRole('option', { name: /Daily report/ }).waitFor();
    await page.getByRole('combobox', { name: /Type a command/ }).press('Enter');
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const summary = page.getByTestId('report-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toMatch(/Alerts3Acknowledged1Resolved1/);
    const severity = page.getByRole('table', { name: 'By severity' });
    expect(await severity.getByRole('row').count()).toBe(4); // header + critical, high, low
    expect(await page.getByRole('table', { name: 'Alert volume by source' }).textContent()).toMatch(/generic\s*2\s*alertmanager\s*1/);
    expect(await page.getByRole('table', { name: 'Most frequent alerts' }).textContent()).toContain(HOSTILE);
    expect(await page.getByRole('table', { name: 'By schedule' }).textContent()).toMatch(/Web rota\s*1\s*1\s*1/);
    expect(await page.getByRole('table', { name: 'By escalation policy' }).textContent()).toMatch(/Default\s*2.*Web\s*1/);
    expect(await page.getByRole('table', { name: 'SLA compliance per queue' }).textContent()).toMatch(/Service desk\s*2\s*1\s*1\s*0\s*100 %/);
    expect(await page.getByRole('table', { name: /On-call load/ }).textContent()).toMatch(/Omar Oncall\s*3\s*3/);
    await expect.poll(() => page.getByTestId('chart').count()).toBe(2);
    await screenshots(page, 'reports-daily');

    await page.getByRole('radio', { name: 'Weekly' }).click();
    await expect.poll(() => page.getByTestId('report-range').textContent()).toMatch(/W\d\d \(/);
    await expect.poll(() => summary.textContent()).toMatch(/Alerts3/);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => summary.textContent()).toMatch(/Alerts0/);
    expect(await page.getByRole('region', { name: 'By severity' }).textContent()).toContain('No alerts in this range.');
    await screenshots(page, 'reports-weekly-empty');
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => summary.textContent()).toMatch(/Alerts3/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^opsdesk-weekly-\d{4}-\d\d-\d\d\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('summary,All alerts,3,1,1,');
    expect(csv).toContain(`top_alerts,"'=HYPERLINK(""http://evil.example"",""x"") <b>boom</b>",1,1,1,`);
    expect(csv).toMatch(/sla_by_queue,Service desk,2,1,1,0,100/);
    const [page2] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HTML' }).click()]);
    const html = readFileSync((await page2.path())!, 'utf8');
    expect(html).toContain('<td>=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;) &lt;b&gt;boom&lt;/b&gt;</td>');
    expect(html).not.toContain('<b>boom');

    // A scheduled daily email: yesterday's report goes out at the next round (hour 0).
    await page.getByRole('button', { name: 'New schedule…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Morning ops report');
    await dialog.getByLabel('Recipients').fill('lead@example.com, ops@example.com');
    await dialog.getByLabel('Time zone').fill('UTC');
    await dialog.getByLabel('Send at (hour)').fill('0');
    await screenshots(page, 'reports-schedule-dialog');
    await dialog.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('table', { name: 'Scheduled report emails' }).getByText('Morning ops report').waitFor();
    const mail = await until(async () => smtp.mails.find((m) => m.to.includes('lead@example.com')), 30_000, 'the report email');
    expect(mail.to).toEqual(['lead@example.com', 'ops@example.com']);
    const parsed = await simpleParser(mail.data);
    expect(parsed.subject).toMatch(/^OpsDesk daily report: \d{4}-\d\d-\d\d$/);
    expect(parsed.html).toContain('<h2>MTTA / MTTR by severity</h2>');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('schedule-last').textContent(), { timeout: 10_000 }).toMatch(/: sent /);
    await page.getByRole('heading', { name: 'Scheduled report emails' }).scrollIntoViewIfNeeded();
    await screenshots(page, 'reports-schedules');
    // Still one email per period, rounds later.
    await new Promise((r) => setTimeout(r, 2500));
    expect(smtp.mails.filter((m) => m.to.includes('lead@example.com'))).toHaveLength(1);
  });
});
