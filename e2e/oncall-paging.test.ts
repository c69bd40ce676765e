// On-call that pages people (issue 14), end to end: a real backend with a real SMTP server, and
// three desktops (browser hosts with the built renderer in Chromium), each signed in as one person.
// Ana is on call on a weekly rotation, Ben is level 2, Cleo covers Ana with an override later.
import ICAL from 'ical.js';
import { generateSync } from 'otplib';
import { DateTime } from 'luxon';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../backend/test-support/smtp-capture';
import { createUser, launchChromium, screenshots, signInDesktop, startBackend, until, type Backend, type Host } from './support';

/** Real time plus a skew the test moves forward, so a level delay of a minute passes at once. */
const clock = { skew: 0, now: () => Date.now() + clock.skew };

interface Desktop {
  name: string;
  id: string;
  email: string;
  host: Host;
  context: BrowserContext;
  page: Page;
}

const people = {
  ana: { email: 'ana@example.com', password: 'orchid-harbour-5521', name: 'Ana Alves', role: 'oncall' as const },
  ben: { email: 'ben@example.com', password: 'granite-swallow-8830', name: 'Ben Brandt', role: 'oncall' as const },
  cleo: { email: 'cleo@example.com', password: 'copper-meadow-1174', name: 'Cleo Chen', role: 'oncall' as const },
};

let backend: Backend;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let admin: { id: string; token: string };
const desktops: Record<keyof typeof people, Desktop> = {} as never;
let scheduleId = '';
let cover = { startsAt: 0, endsAt: 0 };

const popupsFor = (d: Desktop, alertId: string) => d.host.notifier.shown.filter((n) => n.alertIds.includes(alertId));
const fire = async (name: string) => {
  const res = await backend.api('POST', '/api/v1/alerts', { name, severity: 'high', summary: `${name} on web-1`, labels: { host: 'web-1' } }, admin.token);
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const deliveries = async (alertId: string) => (await backend.api('GET', `/api/v1/alerts/${alertId}/deliveries`, undefined, admin.token)).body as { channel: string; target: string; status: string; escalationLevel: number }[];

async function signIn(key: keyof typeof people, id: string): Promise<Desktop> {
  const person = people[key];
  const { host, context, page } = await signInDesktop(browser, backend.url, person, key);
  return { name: person.name, id, email: person.email, host, context, page };
}

beforeAll(async () => {
  smtp = await startSmtp();
  backend = await startBackend({ SMTP_URL: smtp.url, ALERT_TICK_SECONDS: '1', NOTIFY_DESKTOP_ACK_MS: '2000' }, { clock });
  admin = await createUser(backend, { email: 'ada@example.com', password: 'quartz-lantern-velvet-42', name: 'Ada Admin', role: 'admin' });
  const ids = {} as Record<keyof typeof people, string>;
  for (const key of Object.keys(people) as (keyof typeof people)[]) ids[key] = (await createUser(backend, people[key])).id;

  // A weekly rotation of Ana alone (hand-off Monday 00:00 UTC), and a policy: the schedule at once, Ben after a minute.
  const schedule = await backend.api('POST', '/api/v1/oncall/schedules', { name: 'Primary', timeZone: 'UTC' }, admin.token);
  scheduleId = schedule.body.id;
  const monday = DateTime.utc().startOf('week').toISODate();
  const rotation = await backend.api('POST', `/api/v1/oncall/schedules/${scheduleId}/rotations`, { name: 'Weekly', kind: 'weekly', handoffTime: '00:00', startDate: monday, participants: [ids.ana] }, admin.token);
  expect(rotation.status).toBe(201);
  const policy = await backend.api('PUT', '/api/v1/escalation-policy', {
    levels: [
      { name: 'On call (Primary)', afterMinutes: 0, scheduleIds: [scheduleId] },
      { name: 'Level 2', afterMinutes: 1, userIds: [ids.ben] },
    ],
  }, admin.token);
  expect(policy.status).toBe(200);

  browser = await launchChromium();
  for (const key of Object.keys(people) as (keyof typeof people)[]) desktops[key] = await signIn(key, ids[key]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const d of Object.values(desktops)) await d?.host.close();
  await backend?.stop();
  await smtp?.close();
});

describe('on-call paging', () => {
  it('pages only the on-call person, then level 2 by desktop and email; an ack from the popup stops it and shows the owner everywhere', async () => {
    const { ana, ben, cleo } = desktops;
    const id = await fire('disk_full');
    await until(async () => popupsFor(ana, id).length > 0, 15_000, 'Ana’s popup');
    // Ana's desktop confirmed receipt: the server counts the popup as sent.
    await until(async () => (await deliveries(id)).some((d) => d.channel === 'desktop' && d.target === ana.id && d.status === 'sent'), 10_000, 'the confirmed delivery');
    expect(popupsFor(ben, id)).toHaveLength(0);
    expect(popupsFor(cleo, id)).toHaveLength(0);

    // Nobody acknowledges; after the level delay Ben's desktop pops up and his mailbox gets the page.
    clock.skew += 61_000;
    const benPopup = await until(async () => popupsFor(ben, id)[0], 15_000, 'Ben’s popup');
    await until(async () => smtp.mails.find((m) => m.to.includes(ben.email) && m.data.includes('disk_full')), 15_000, 'Ben’s email');
    expect(popupsFor(cleo, id)).toHaveLength(0);

    // Ben presses Acknowledge on the popup: through his outbox to the server.
    ben.host.notifier.acknowledge(benPopup.id);
    await until(async () => (await backend.api('GET', `/api/v1/alerts/${id}`, undefined, admin.token)).body.status === 'acknowledged', 15_000, 'the acknowledgement');
    const alert = (await backend.api('GET', `/api/v1/alerts/${id}`, undefined, admin.token)).body;
    expect(alert).toMatchObject({ ownerId: ben.id, ownerName: 'Ben Brandt' });
    for (const d of [ana, ben]) {
      await d.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Alerts', exact: false }).first().click();
      await expect.poll(() => d.page.locator(`[data-alert-id="${id}"] [data-testid="alert-owner"]`).textContent(), { timeout: 15_000 }).toContain('Ben Brandt');
    }
    await screenshots(ben.page, '40-paging-owner');
    // Escalation stopped: later ticks page nobody else.
    const before = (await deliveries(id)).length;
    clock.skew += 10 * 60_000;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await deliveries(id)).length).toBe(before);
  }, 90_000);

  it('an override makes Cleo on call: the next alert pops up for her only', async () => {
    const { ana, ben, cleo } = desktops;
    const now = Math.floor(clock.now() / 60_000) * 60_000;
    cover = { startsAt: now - 60_000, endsAt: now + 4 * 3600_000 };
    const override = await backend.api('POST', `/api/v1/oncall/schedules/${scheduleId}/overrides`, { userId: cleo.id, coversUserId: ana.id, ...cover, note: 'Ana at the dentist' }, admin.token);
    expect(override.status).toBe(201);
    backend.server.services.pager.clearCache();
    const id = await fire('queue_stuck');
    await until(async () => popupsFor(cleo, id).length > 0, 15_000, 'Cleo’s popup');
    await new Promise((r) => setTimeout(r, 1000));
    expect(popupsFor(ana, id)).toHaveLength(0);
    expect(popupsFor(ben, id)).toHaveLength(0);

    await cleo.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'On-call', exact: false }).first().click();
    await cleo.page.locator('.cal-shift.override', { hasText: 'Cleo Chen' }).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => cleo.page.getByTestId('oncall-now').innerText()).toContain('Cleo Chen (Primary)');
    await screenshots(cleo.page, '41-paging-schedule-calendar');
    await cleo.page.getByRole('tab', { name: 'Escalation policies' }).click();
    await cleo.page.getByTestId('policy-preview').waitFor();
    await expect.poll(() => cleo.page.getByTestId('policy-preview').innerText(), { timeout: 15_000 }).toContain('Cleo Chen');
    await screenshots(cleo.page, '42-paging-policy-editor');
    await backend.api('POST', `/api/v1/alerts/${id}/resolve`, {}, admin.token);
  }, 60_000);

  it('the schedule’s iCal feed parses with ical.js and matches the rotation', async () => {
    const feed = await backend.api('POST', '/api/v1/oncall/feeds', { scheduleId }, admin.token);
    expect(feed.status).toBe(201);
    const text = await (await fetch(`${backend.url}/api/v1${feed.body.path}`)).text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const weekStart = DateTime.utc().startOf('week').toMillis();
    const span = (e: ICAL.Event) => [e.summary, e.startDate.toJSDate().getTime(), e.endDate.toJSDate().getTime()];
    const spans = events.map(span);
    // A rotation of Ana alone: she is on call all along (the week from Monday 00:00 UTC included), but for Cleo's override.
    expect(spans.filter(([who]) => String(who).includes('Cleo Chen'))).toEqual([[expect.any(String), cover.startsAt, cover.endsAt]]);
    const ana = spans.filter(([who]) => String(who).includes('Ana Alves'));
    expect(ana.some(([, start, end]) => (start as number) <= weekStart && end === cover.startsAt)).toBe(true);
    expect(ana.some(([, start, end]) => start === cover.endsAt && (end as number) >= weekStart + 7 * 86_400_000)).toBe(true);
    expect(spans.every(([who]) => /Ana Alves|Cleo Chen/.test(String(who)))).toBe(true);
  });

  it('self-service security: MFA set up with the password, a QR code, a code, then recovery codes; own sessions listed', async () => {
    const { ana } = desktops;
    await ana.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: false }).first().click();
    const security = ana.page.getByTestId('security');
    await security.getByRole('table', { name: 'Your sessions' }).getByText('this device').waitFor();
    const setup = ana.page.getByRole('form', { name: 'Set up two-step verification' });
    await setup.getByLabel('Current password (to set it up)').fill('not-my-password-at-all');
    await setup.getByRole('button', { name: 'Set up two-step verification' }).click();
    await setup.getByText('Current password is incorrect').waitFor();
    await setup.getByLabel('Current password (to set it up)').fill(people.ana.password);
    await setup.getByRole('button', { name: 'Set up two-step verification' }).click();
    const confirm = ana.page.getByRole('form', { name: 'Confirm two-step verification' });
    await confirm.getByTestId('mfa-qr').waitFor();
    const secret = await confirm.locator('code').innerText();
    await security.scrollIntoViewIfNeeded();
    await screenshots(ana.page, '43-paging-security');
    // The server's clock runs ahead by the test's skew: the code is for its time.
    await confirm.getByLabel('6-digit code').fill(generateSync({ secret, epoch: Math.floor(clock.now() / 1000) }));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => ana.page.getByTestId('recovery-codes').locator('li').count(), { timeout: 10_000 }).toBe(10);
    expect((await backend.api('GET', `/api/v1/users/${ana.id}`, undefined, admin.token)).body.mfaEnabled).toBe(true);
  }, 60_000);

  it('a demoted user’s socket is closed within a second', async () => {
    const { cleo } = desktops;
    expect(cleo.host.core.active?.live.state).toBe('connected');
    const started = Date.now();
    const res = await backend.api('PATCH', `/api/v1/users/${cleo.id}`, { role: 'agent' }, admin.token);
    expect(res.status).toBe(200);
    await until(async () => cleo.host.core.active?.live.state !== 'connected', 1000, 'Cleo’s socket to close');
    expect(Date.now() - started).toBeLessThan(1000);
    await cleo.page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor({ timeout: 15_000 });
  });
});
