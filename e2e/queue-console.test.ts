// The queue and the job console after the speed work (issue 17 item 7), end to end: a real backend,
// a browser host with the built renderer in Chromium. The queue opens with its first page, moves by
// keyboard, checks rows, switches views and takes a live change from the server; the job console
// follows a fast tail, scrolls back with a selection that stays on its text, searches and pauses.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchChromium, screenshots, signInDesktop, startBackend, type Backend, type Host } from './support';

declare const window: any;
declare const document: any;

const ada = { email: 'ada@example.com', password: 'quartz-lantern-velvet-42', name: 'Ada Admin', role: 'admin' as const };
const TICKETS = 260;

let backend: Backend;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let host: Host;
let page: Page;
let token = '';
let newest: { id: string; version: number };

beforeAll(async () => {
  backend = await startBackend();
  token = (await createUser(backend, ada)).token;
  const queue = (await backend.api('POST', '/api/v1/queues', { name: 'Service Desk' }, token)).body;
  const requester = { name: 'Rita Requester', email: 'rita@example.com' };
  for (let i = 0; i < TICKETS; i++) {
    const res = await backend.api('POST', '/api/v1/tickets', { queueId: queue.id, subject: `Printer ${i + 1} jams`, requester, priority: i % 7 === 0 ? 'high' : 'low' }, token);
    expect(res.status).toBe(201);
    if (i === TICKETS - 1) newest = res.body;
  }
  browser = await launchChromium();
  ({ host, page } = await signInDesktop(browser, backend.url, ada));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await backend?.stop();
});

const selected = () => page.locator('.grid-row[aria-selected="true"]').getAttribute('data-number');

describe('queue and job console', () => {
  it('opens the queue with its rows, moves by keyboard, checks rows, switches views and shows a live change', { timeout: 120_000 }, async () => {
    await page.goto(`${host.host.url}/?fresh=1#/queues`);
    await expect.poll(() => page.getByTestId('ticket-total').textContent(), { timeout: 30_000 }).toBe(`${TICKETS} tickets`);
    await page.locator('.grid-row[data-number]').first().waitFor();
    // Newest first: the last created ticket leads.
    expect(await page.locator('.grid-row[data-number]').first().locator('[role="gridcell"]').nth(3).textContent()).toContain(`Printer ${TICKETS} jams`);
    // Rows show names, not placeholders: the metadata came with the first page.
    expect(await page.locator('.grid-row[data-number]').first().textContent()).not.toContain('Unknown');
    await page.getByTestId('ticket-list').focus();
    const start = await selected();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(Number(await selected())).toBe(Number(start) - 1);
    await page.getByRole('checkbox', { name: `Select ticket ${TICKETS}` }).check();
    await page.getByRole('checkbox', { name: `Select ticket ${TICKETS - 1}` }).check();
    await expect.poll(() => page.locator('.bulkbar').textContent()).toContain('2');
    await screenshots(page, 'renderperf-queue');
    // Scrolling far down reads the pages it shows.
    await page.getByTestId('ticket-list').evaluate((el: any) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => page.locator('.grid-row[data-number="1"]').count(), { timeout: 15_000 }).toBe(1);
    // Another view re-reads the list; back to all tickets.
    const views = page.getByRole('navigation', { name: 'Saved views' });
    const other = views.getByRole('button').nth(1);
    const otherName = (await other.textContent())!;
    await other.click();
    await expect.poll(() => page.locator('#queue-title').textContent()).toBe(otherName.replace(/ · .*/, ''));
    await views.getByRole('button', { name: 'All tickets' }).click();
    await expect.poll(() => page.getByTestId('ticket-total').textContent()).toBe(`${TICKETS} tickets`);
    // A change on the server reaches the open list.
    expect((await backend.api('PATCH', `/api/v1/tickets/${newest.id}`, { subject: 'Printer fixed by the live feed', version: newest.version }, token)).status).toBe(200);
    await page.locator('.grid-row', { hasText: 'Printer fixed by the live feed' }).waitFor({ timeout: 20_000 });
  });

  it('follows a fast log, keeps a selection while scrolled back, searches and pauses', { timeout: 120_000 }, async () => {
    await page.evaluate(() => (location.hash = '#/job/bench-e2e'));
    const log = page.getByRole('log', { name: 'Job log' });
    await log.waitFor();
    const emit = (host.core as any).emit.bind(host.core) as (event: string, payload: unknown) => void;
    let seq = 0;
    const batch = (n: number) =>
      emit('jobs.log', {
        subscriptionId: 'e2e',
        jobId: 'bench-e2e',
        done: false,
        lines: Array.from({ length: n }, () => ({ seq: ++seq, at: Date.now(), stream: seq % 50 === 0 ? 'err' : 'out', line: `copying block ${seq} of the archive` })),
      });
    for (let i = 0; i < 20; i++) {
      batch(500);
      await new Promise((r) => setTimeout(r, 50));
    }
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('10,000 lines');
    // Following: the tail is on screen.
    await log.locator('.ln', { hasText: 'copying block 10000 of the archive' }).waitFor();
    await screenshots(page, 'renderperf-job-console');
    // Scrolling up leaves the tail; new lines no longer move the view.
    await log.hover();
    await page.mouse.wheel(0, -2000);
    await expect.poll(() => page.getByRole('checkbox', { name: 'Follow tail' }).isChecked()).toBe(false);
    await log.evaluate((el: any) => (el.scrollTop = 5000 * 18));
    const line = log.locator('.ln', { hasText: 'copying block 5010 of the archive' });
    await line.waitFor();
    // Select one line's text, scroll a little, add lines: the selection still covers that text.
    await line.evaluate((el: any) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    });
    await log.evaluate((el: any) => (el.scrollTop += 5 * 18));
    batch(300);
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('10,300 lines');
    // (The line number is not selectable: a copy takes the line's text.)
    expect(await page.evaluate(() => String(window.getSelection())).then((s) => s.trim())).toBe('copying block 5010 of the archive');
    // Search shows the matching lines only.
    await page.getByPlaceholder('Search the log').fill('block 777 ');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('1 matching line');
    expect(await log.locator('.ln').allTextContents()).toEqual(['777copying block 777 of the archive']);
    await page.getByPlaceholder('Search the log').fill('');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('10,300 lines');
    // Follow again, then pause: lines that arrive while paused show on resume.
    await page.getByRole('checkbox', { name: 'Follow tail' }).check();
    await page.getByRole('button', { name: 'Pause' }).click();
    batch(200);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('log-count').textContent()).toBe('10,300 lines (paused)');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('10,500 lines');
    await log.locator('.ln', { hasText: 'copying block 10500 of the archive' }).waitFor();
    // A line wider than the console scrolls sideways.
    emit('jobs.log', { subscriptionId: 'e2e', jobId: 'bench-e2e', done: false, lines: [{ seq: ++seq, at: Date.now(), stream: 'out', line: `wide ${'x'.repeat(400)} end` }] });
    await log.locator('.ln', { hasText: 'end' }).last().waitFor();
    expect(await log.evaluate((el: any) => el.scrollWidth > el.clientWidth + 1000)).toBe(true);
  });
});
