// SLA deadlines and notices (issue 13 item 7), end to end: a real backend and two desktops (browser
// hosts with the built renderer in Chromium), Ada the admin and Ana the agent. Ada takes today out of
// the office calendar and Ana's open ticket moves its first-response deadline to tomorrow, live in
// her ticket view; an SLA warning reaches Ana's desktop and clicking it opens its ticket.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, openDesktops, screenshots, startBackend, until, type Backend, type Desktop, type Desktops } from './support';

const ana = { email: 'ana@example.com', password: 'orchid-harbour-5521', name: 'Ana Agent', role: 'agent' as const };
const ada = { email: 'ada@example.com', password: 'quartz-lantern-velvet-42', name: 'Ada Admin', role: 'admin' as const };
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const requester = { name: 'Rita Requester', email: 'rita@example.com' };

let backend: Backend;
let desktops: Desktops;
let admin: { id: string; token: string };
let anaId = '';
let desk: { id: string };
let escalations: { id: string };
const signIn = (person: { email: string; password: string }) => desktops.signIn(person);

const nav = (d: Desktop, name: string) => d.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: false }).first().click();
const ticketOf = async (id: string) => (await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token)).body as { number: number; sla: { firstResponseDueAt: number } };

beforeAll(async () => {
  backend = await startBackend();
  admin = await createUser(backend, ada);
  anaId = (await createUser(backend, ana)).id;
  desk = (await backend.api('POST', '/api/v1/queues', { name: 'Service Desk', memberIds: [anaId] }, admin.token)).body;
  escalations = (await backend.api('POST', '/api/v1/queues', { name: 'Escalations', memberIds: [anaId] }, admin.token)).body;
  // The office runs every day, all day (UTC): a ticket's clock runs now.
  const hours = DAYS.map((_, i) => ({ day: i + 1, start: '00:00', end: '23:59' }));
  const office = (await backend.api('POST', '/api/v1/sla/calendars', { name: 'Office hours', timeZone: 'UTC', hours, holidays: [] }, admin.token)).body;
  expect((await backend.api('PUT', `/api/v1/sla/queues/${desk.id}/calendar`, { calendarId: office.id }, admin.token)).status).toBe(200);
  desktops = await openDesktops(backend.url);
}, 240_000);

afterAll(async () => {
  await desktops?.close();
  await backend?.stop();
});

describe('SLA deadlines and notices', () => {
  let agent: Desktop;

  it('an admin takes today out of the calendar; the agent’s ticket shows its new due time', { timeout: 150_000 }, async () => {
    // High: 1 h first response, due in an hour today.
    const created = (await backend.api('POST', '/api/v1/tickets', { queueId: desk.id, subject: 'Badge reader offline', requester, priority: 'high', assigneeId: anaId }, admin.token)).body;
    expect(created.sla.firstResponseDueAt - created.createdAt).toBe(3_600_000);
    agent = await signIn(ana);
    await nav(agent, 'Queues');
    const row = agent.page.getByRole('row', { name: /Badge reader offline/ });
    await row.waitFor({ timeout: 20_000 });
    await row.dblclick();
    const due = agent.page.locator('[data-due]').first();
    await until(async () => Number(await due.getAttribute('data-due')) === created.sla.firstResponseDueAt, 20_000, 'the first-response due time');
    await screenshots(agent.page, 'sla-ticket-due-before');

    const adminDesk = await signIn(ada);
    await nav(adminDesk, 'Admin');
    await adminDesk.page.getByRole('tab', { name: 'Business hours' }).click();
    await adminDesk.page.getByRole('row', { name: /Office hours/ }).getByRole('button', { name: 'Edit' }).click();
    const form = adminDesk.page.getByRole('dialog', { name: 'Edit Office hours' });
    const today = DateTime.utc();
    await form.getByRole('checkbox', { name: DAYS[today.weekday - 1]! }).setChecked(false);
    await screenshots(adminDesk.page, 'sla-calendar-edit');
    await form.getByRole('button', { name: 'Save calendar' }).click();
    await form.waitFor({ state: 'detached' });

    // Today no longer counts: what is left of the hour runs from tomorrow 00:00.
    const moved = await until(async () => {
      const t = await ticketOf(created.id);
      return t.sla.firstResponseDueAt !== created.sla.firstResponseDueAt && t;
    }, 20_000, 'the recomputed deadline');
    // (Less the seconds the ticket had already used.)
    const tomorrow1am = today.plus({ days: 1 }).startOf('day').plus({ hours: 1 }).toMillis();
    expect(moved.sla.firstResponseDueAt).toBeLessThanOrEqual(tomorrow1am);
    expect(moved.sla.firstResponseDueAt).toBeGreaterThan(tomorrow1am - (Date.now() - created.createdAt));
    await until(async () => Number(await due.getAttribute('data-due')) === moved.sla.firstResponseDueAt, 20_000, 'the new due time on Ana’s desktop');
    const countdown = due.locator('xpath=..').locator('[data-business="true"]');
    await until(async () => ((await countdown.textContent()) ?? '').includes('off'), 15_000, 'the stopped clock');
    await screenshots(agent.page, 'sla-ticket-due-after');
    // The audit says who moved how many deadlines.
    const audit = (await backend.api('GET', '/api/v1/audit?limit=20', undefined, admin.token)).body.items as { action: string; details: { tickets?: number } }[];
    expect(audit.find((e) => e.action === 'sla.deadlines_recomputed')?.details.tickets).toBe(1);
  });

  it('an SLA warning pops up on the agent’s desktop and clicking it opens the ticket', { timeout: 150_000 }, async () => {
    // Critical answered within a minute: warned at 48 s (80 %). Escalations runs around the clock.
    expect((await backend.api('PUT', '/api/v1/sla/policies/critical', { firstResponseMinutes: 1, resolutionMinutes: 240 }, admin.token)).status).toBe(200);
    const t = (await backend.api('POST', '/api/v1/tickets', { queueId: escalations.id, subject: 'Core switch down', requester, priority: 'critical', assigneeId: anaId }, admin.token)).body;
    await nav(agent, 'Dashboard');
    const shown = await until(
      async () => {
        await backend.server.services.slaWatcher.tick();
        const list = (await agent.page.evaluate(() => (window as any).__opsdeskNotifications)) as { id: string; title: string; ticketNumber?: number | null }[];
        return list.find((n) => n.ticketNumber === t.number);
      },
      90_000,
      'the SLA warning popup',
    );
    expect(shown.title).toBe(`[SLA warning] #${t.number} Core switch down`);
    // What the Web Notification's click handler does (a headless browser has no popup to click).
    await agent.page.evaluate((id) => (window as any).opsdesk.invoke('notifications.clicked', { notificationId: id }), shown.id);
    await agent.page.waitForFunction((n) => location.hash === `#/ticket/${n}`, t.number);
    await agent.page.getByRole('heading', { name: /Core switch down/ }).waitFor({ timeout: 15_000 });
    // The warning came through the change feed too: the ticket's state says so.
    await agent.page.locator('dd', { hasText: /^Warning$/ }).waitFor({ timeout: 15_000 });
    await screenshots(agent.page, 'sla-warning-opened-ticket');
  });
});
