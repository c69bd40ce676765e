// Views, bulk and business-hours SLAs (issue 13 items 6 and 7), end to end: a real backend, and
// three desktops (browser hosts with the built renderer in Chromium): Ana on two machines, and Ada
// the admin. Ana saves a view on one machine and it shows on the other; she selects all N matching
// tickets there and assigns them in bulk; Ada attaches a calendar to the queue's SLA and Ana's
// countdown shows business time.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, openDesktops, screenshots, startBackend, until, type Backend, type Desktop, type Desktops } from './support';

const ana = { email: 'ana@example.com', password: 'orchid-harbour-5521', name: 'Ana Agent', role: 'agent' as const };
const ben = { email: 'ben@example.com', password: 'granite-swallow-8830', name: 'Ben Brandt', role: 'agent' as const };
const ada = { email: 'ada@example.com', password: 'quartz-lantern-velvet-42', name: 'Ada Admin', role: 'admin' as const };
const TONER = 231;

let backend: Backend;
let desktops: Desktops;
let admin: { id: string; token: string };
let benId = '';
let desk: { id: string }, lab: { id: string };
const signIn = (person: { email: string; password: string }) => desktops.signIn(person);

const nav = (d: Desktop, name: string) => d.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: false }).first().click();
const views = (d: Desktop) => d.page.getByRole('navigation', { name: 'Saved views' });

beforeAll(async () => {
  backend = await startBackend();
  admin = await createUser(backend, ada);
  const anaId = (await createUser(backend, ana)).id;
  benId = (await createUser(backend, ben)).id;
  // Ana works both queues, Ben only the service desk: a bulk assignment to Ben fails for the lab's ticket.
  desk = (await backend.api('POST', '/api/v1/queues', { name: 'Service Desk', memberIds: [anaId, benId] }, admin.token)).body;
  lab = (await backend.api('POST', '/api/v1/queues', { name: 'Lab', memberIds: [anaId] }, admin.token)).body;
  const requester = { name: 'Rita Requester', email: 'rita@example.com' };
  for (let i = 0; i < TONER - 1; i++) {
    const res = await backend.api('POST', '/api/v1/tickets', { queueId: desk.id, subject: `Toner low on printer ${i + 1}`, requester, priority: 'low' }, admin.token);
    expect(res.status).toBe(201);
  }
  expect((await backend.api('POST', '/api/v1/tickets', { queueId: lab.id, subject: 'Toner spilled in the lab', requester }, admin.token)).status).toBe(201);
  for (let i = 0; i < 5; i++) await backend.api('POST', '/api/v1/tickets', { queueId: desk.id, subject: `VPN drops ${i}`, requester }, admin.token);
  desktops = await openDesktops(backend.url);
}, 240_000);

afterAll(async () => {
  await desktops?.close();
  await backend?.stop();
});

describe('views, bulk and business hours', () => {
  let laptop: Desktop;
  let workstation: Desktop;

  it('saves a view on one machine; it appears on the other signed-in desktop', { timeout: 120_000 }, async () => {
    laptop = await signIn(ana);
    workstation = await signIn(ana);
    await nav(laptop, 'Queues');
    await laptop.page.getByRole('searchbox', { name: 'Search tickets' }).fill('toner');
    await until(async () => (await laptop.page.getByTestId('ticket-total').textContent()) === `${TONER} tickets`, 20_000, 'the search');
    await views(laptop).getByRole('button', { name: '+ Save current as view…' }).click();
    const dialog = laptop.page.getByRole('dialog', { name: 'Save view' });
    await dialog.getByLabel('Name').fill('Toner tickets');
    await screenshots(laptop.page, 'views-save-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await views(laptop).getByRole('button', { name: /^Toner tickets/ }).waitFor();
    // Stored on the server, as Ana's.
    await until(async () => (await backend.api('GET', '/api/v1/views', undefined, (await backend.api('POST', '/api/v1/auth/login', { email: ana.email, password: ana.password })).body.accessToken)).body.some((v: { name: string }) => v.name === 'Toner tickets'), 15_000, 'the view on the server');

    await nav(workstation, 'Queues');
    await views(workstation).getByRole('button', { name: /^Toner tickets/ }).waitFor({ timeout: 20_000 });
    expect(await views(workstation).getByRole('button', { name: /^Toner tickets/ }).textContent()).not.toContain('pending');
    // Shared from the laptop, it shows as shared on the workstation too.
    await views(laptop).getByRole('button', { name: 'Share “Toner tickets” with the team' }).click();
    await until(async () => ((await views(workstation).getByRole('button', { name: /^Toner tickets/ }).textContent()) ?? '').includes('shared'), 20_000, 'the shared mark');
  });

  it('selects all N matching on the server and bulk-assigns them, with a confirmation and a summary of the failure', { timeout: 120_000 }, async () => {
    const page = workstation.page;
    await views(workstation).getByRole('button', { name: /^Toner tickets/ }).click();
    await until(async () => (await page.getByTestId('ticket-total').textContent()) === `${TONER} tickets`, 20_000, 'the view');
    await page.getByLabel('Select all loaded tickets').check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    expect(await bar.getByTestId('bulk-count').textContent()).toBe('200 selected');
    await bar.getByRole('button', { name: `Select all ${TONER} matching` }).click();
    expect(await bar.getByTestId('bulk-count').textContent()).toBe(`All ${TONER} matching selected`);
    await bar.getByLabel('Assign').selectOption({ label: 'Ben Brandt' });
    const confirm = page.getByRole('dialog', { name: 'Change tickets' });
    await until(async () => (await confirm.getByTestId('bulk-confirm').textContent()) === `Assign to Ben Brandt: ${TONER} tickets matching this view.`, 15_000, 'the server’s count');
    await screenshots(page, 'bulk-confirm-all-matching');
    await confirm.getByRole('button', { name: `Apply to ${TONER} ticket(s)` }).click();
    const summary = page.getByTestId('bulk-summary');
    await until(async () => (await summary.count()) > 0 || (await confirm.getByRole('alert').count()) > 0, 90_000, 'the bulk change');
    if (await confirm.count()) throw new Error(`bulk change failed: ${await confirm.textContent()}`);
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain(`${TONER - 1} of ${TONER} ticket(s) changed; 1 failed:`);
    expect(text).toMatch(/#\d+ — Assignee Ben Brandt is not a member of the ticket's queue/);
    await screenshots(page, 'bulk-summary');
    await page.getByRole('dialog', { name: 'Bulk change done' }).getByRole('button', { name: 'Close' }).click();
    // On the server: every service-desk toner ticket is Ben's, the lab's is not, the VPN ones untouched.
    const all = (await backend.api('GET', '/api/v1/tickets?limit=200&q=toner', undefined, admin.token)).body.items as { queueId: string; assigneeId: string | null }[];
    const more = (await backend.api('GET', `/api/v1/tickets?limit=200&assignee=${benId}`, undefined, admin.token)).body.items as unknown[];
    expect(all.filter((t) => t.queueId === lab.id).every((t) => t.assigneeId === null)).toBe(true);
    const page2 = (await backend.api('GET', `/api/v1/tickets?limit=200&assignee=${benId}&cursor=${(await backend.api('GET', `/api/v1/tickets?limit=200&assignee=${benId}`, undefined, admin.token)).body.nextCursor}`, undefined, admin.token)).body.items as unknown[];
    expect(more.length + page2.length).toBe(TONER - 1);
  });

  it('an admin attaches a calendar to the queue’s SLA; the countdown shows business time', { timeout: 120_000 }, async () => {
    const adminDesk = await signIn(ada);
    await nav(adminDesk, 'Admin');
    await adminDesk.page.getByRole('tab', { name: 'Business hours' }).click();
    await adminDesk.page.getByRole('button', { name: '+ New calendar' }).click();
    const form = adminDesk.page.getByRole('dialog', { name: 'New calendar' });
    // Only the weekday after tomorrow (UTC), 09:00–17:00: whenever this runs, the clock is stopped now.
    const day = DateTime.utc().plus({ days: 2 });
    await form.getByLabel('Name').fill('Lab hours');
    await form.getByLabel('Time zone (IANA, e.g. Europe/Berlin)').fill('UTC');
    const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    for (const [i, name] of names.entries()) await form.getByRole('checkbox', { name }).setChecked(i + 1 === day.weekday);
    await screenshots(adminDesk.page, 'sla-calendar-form');
    await form.getByRole('button', { name: 'Save calendar' }).click();
    await adminDesk.page.getByRole('cell', { name: 'Lab hours' }).waitFor();
    await adminDesk.page.getByLabel('SLA calendar of Service Desk').selectOption({ label: 'Lab hours' });
    await until(async () => (await backend.api('GET', `/api/v1/queues/${desk.id}`, undefined, admin.token)).body.slaCalendar?.name === 'Lab hours', 10_000, 'the calendar on the queue');
    await screenshots(adminDesk.page, 'sla-calendars-admin');

    // A high ticket (1 h first response) created now: due at 10:00 on that day; 1 h of business time left, not ~2 days.
    const t = (await backend.api('POST', '/api/v1/tickets', { queueId: desk.id, subject: 'Badge reader offline', requester: { name: 'Rita Requester', email: 'rita@example.com' }, priority: 'high' }, admin.token)).body;
    expect(t.sla.firstResponseDueAt).toBe(day.set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toMillis());
    const page = laptop.page;
    await views(laptop).getByRole('button', { name: 'All tickets' }).click();
    await page.getByRole('searchbox', { name: 'Search tickets' }).fill('badge');
    const row = page.getByRole('row', { name: /Badge reader offline/ });
    await row.waitFor({ timeout: 20_000 });
    const badge = row.locator('[data-business="true"]');
    await until(async () => (await badge.count()) === 1, 15_000, 'the business-hours countdown');
    expect(await badge.textContent()).toBe('1h 00m · off hours');
    expect(await badge.getAttribute('title')).toContain('business time left under Lab hours (UTC)');
    await screenshots(page, 'sla-business-countdown');
  });
});
