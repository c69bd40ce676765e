// Issue 14 items 5 and 6, end to end through the browser host against a real backend, a real SMTP
// server and a real HTTP receiver standing in for Slack: Uma (on call) silences a selection of
// alerts, sees them muted on the Silences screen and expires the silence; Ada (admin) sets a
// webhook channel and test-sends it; Uma adds an email contact method, reads the code in the mail
// the SMTP server received, verifies it and sets her channel preferences.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../backend/test-support/smtp-capture';
import { LOOPBACK_WEBHOOKS, startReceiver, type Receiver } from '../backend/test-support/webhook-receivers';
import { createUser, launchChromium, screenshots, signInDesktop, startBackend, until, type Backend } from './support';

const ADA = { email: 'ada@example.com', password: 'quartz-lantern-velvet-42', name: 'Ada Admin', role: 'admin' as const };
const UMA = { email: 'uma@example.com', password: 'saffron-harbour-3390', name: 'Uma Ulloa', role: 'oncall' as const };

let backend: Backend;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let slack: Receiver;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let admin: { id: string; token: string };
let uma: { id: string; token: string };
const desktops: { host: { close(): Promise<void> } }[] = [];
let adaPage: Page;
let umaPage: Page;

const go = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: false }).first().click();
const alertOf = async (id: string) => (await backend.api('GET', `/api/v1/alerts/${id}`, undefined, admin.token)).body;

beforeAll(async () => {
  [smtp, slack] = await Promise.all([startSmtp(), startReceiver()]);
  backend = await startBackend({ SMTP_URL: smtp.url, ...LOOPBACK_WEBHOOKS, ALERT_TICK_SECONDS: '1' });
  admin = await createUser(backend, ADA);
  uma = await createUser(backend, UMA);
  browser = await launchChromium();
  const a = await signInDesktop(browser, backend.url, ADA, 'ada');
  const u = await signInDesktop(browser, backend.url, UMA, 'uma');
  desktops.push(a, u);
  adaPage = a.page;
  umaPage = u.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const d of desktops) await d.host.close();
  await backend?.stop();
  await Promise.all([smtp?.close(), slack?.close()]);
});

describe('silences and channels', () => {
  it('selects alerts, silences them through the outbox, sees them muted on the Silences screen, expires it: they are back', async () => {
    const fire = async (summary: string, host: string) => (await backend.api('POST', '/api/v1/alerts', { name: 'Disk full', severity: 'high', summary, labels: { host } }, uma.token)).body.id as string;
    const ids = [await fire('Disk full on web-1', 'web-1'), await fire('Disk full on web-2', 'web-2')];
    const bystander = await fire('Disk full on db-1', 'db-1');
    await go(umaPage, 'Alerts');
    for (const t of ['Disk full on web-1', 'Disk full on web-2']) await umaPage.getByRole('checkbox', { name: `Select ${t}` }).check();
    const bar = umaPage.getByTestId('alert-bulk-bar');
    await bar.getByRole('button', { name: 'Silence 2…' }).click();
    const dialog = umaPage.getByRole('dialog', { name: 'Silence 2 alerts' });
    await expect.poll(() => dialog.getByTestId('silence-preview').innerText(), { timeout: 10_000 }).toContain('host=~"web-1|web-2"');
    await dialog.getByLabel('Duration').selectOption({ label: '4 hours' });
    await dialog.getByLabel('Comment').fill('swapping the disks of web-1 and web-2');
    await screenshots(umaPage, '49-silence-selection');
    await dialog.getByRole('button', { name: 'Create one silence' }).click();
    await until(async () => (await alertOf(ids[0]!)).silenced && (await alertOf(ids[1]!)).silenced, 15_000, 'the silence on the server');
    expect((await alertOf(bystander)).silenced).toBe(false);

    await go(umaPage, 'Silences');
    const screen = umaPage.getByTestId('silences-screen');
    const row = screen.getByRole('row').filter({ hasText: 'swapping the disks' });
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('Uma Ulloa');
    await row.getByRole('button', { name: /Alerts muted by .*: 2/ }).click();
    const muted = umaPage.getByTestId('muted-alerts');
    await expect.poll(() => muted.locator('li').count()).toBe(2);
    await screenshots(umaPage, '50-silences-muted');
    await umaPage.getByRole('button', { name: 'Close' }).click();
    await screenshots(umaPage, '51-silences-screen');

    // Expire now asks first; the keyboard reaches it.
    await row.getByRole('button', { name: /Expire silence .* now/ }).focus();
    await umaPage.keyboard.press('Enter');
    const confirm = umaPage.getByRole('dialog', { name: 'Expire this silence now?' });
    await confirm.getByRole('button', { name: 'Expire now' }).click();
    await until(async () => !(await alertOf(ids[0]!)).silenced && !(await alertOf(ids[1]!)).silenced, 15_000, 'the alerts back');
    await screen.getByText('No active silences.', { exact: false }).waitFor();
    await screen.getByRole('tab', { name: 'Expired' }).click();
    await expect.poll(() => screen.getByRole('row').filter({ hasText: 'swapping the disks' }).innerText()).toContain('nothing now');
    await go(umaPage, 'Alerts');
    await expect.poll(() => umaPage.locator(`[data-alert-id="${ids[0]}"]`).innerText(), { timeout: 15_000 }).toContain('firing');
  }, 90_000);

  it('the admin sets a Slack webhook (answered masked) and test-sends it to the real receiver', async () => {
    await go(adaPage, 'Admin');
    await adaPage.getByRole('tab', { name: 'Channels' }).click();
    await expect.poll(() => adaPage.getByTestId('smtp-status').innerText(), { timeout: 10_000 }).toMatch(/smtp:\/\/127\.0\.0\.1:\d+ answers/);
    const row = adaPage.getByRole('row').filter({ hasText: 'Slack' });
    await row.getByLabel('New webhook URL for Slack').fill(slack.url);
    await row.getByRole('button', { name: 'Save URL' }).click();
    await expect.poll(() => row.innerText()).toContain(`http://127.0.0.1:${slack.port}/…`);
    expect(await row.innerText()).not.toContain('/hook');
    await row.getByRole('button', { name: 'Test send Slack' }).click();
    await expect.poll(() => adaPage.getByTestId('test-result-slack').innerText(), { timeout: 10_000 }).toContain('sent to slack (HTTP 200)');
    expect(slack.posts.at(-1).text).toContain('[TEST] OpsDesk test alert');
    await screenshots(adaPage, '52-channels-admin');
  }, 60_000);

  it('the admin edits an override on the schedule screen (it could only be added or deleted before)', async () => {
    const schedule = (await backend.api('POST', '/api/v1/oncall/schedules', { name: 'Primary', timeZone: 'UTC' }, admin.token)).body;
    const startsAt = Math.ceil(Date.now() / 3600_000) * 3600_000;
    const o = await backend.api('POST', `/api/v1/oncall/schedules/${schedule.id}/overrides`, { userId: uma.id, coversUserId: null, startsAt, endsAt: startsAt + 2 * 3600_000, note: 'first draft' }, admin.token);
    expect(o.status).toBe(201);
    await go(adaPage, 'On-call');
    await adaPage.getByRole('button', { name: 'Edit override of Uma Ulloa' }).click();
    const dialog = adaPage.getByRole('dialog', { name: 'Edit override' });
    await dialog.getByLabel('Note').fill('Uma covers the release');
    await dialog.getByRole('button', { name: 'Save override' }).click();
    await adaPage.getByText('Uma covers the release').waitFor();
    const stored = (await backend.api('GET', `/api/v1/oncall/schedules/${schedule.id}`, undefined, admin.token)).body.overrides;
    expect(stored).toEqual([expect.objectContaining({ id: o.body.id, note: 'Uma covers the release', startsAt, endsAt: startsAt + 2 * 3600_000 })]);
  }, 60_000);

  it('a user adds an email contact method, verifies it with the code from the real mail, and sets preferences', async () => {
    await go(umaPage, 'Settings');
    const routing = umaPage.getByTestId('notification-routing');
    await routing.getByRole('cell', { name: UMA.email }).waitFor();
    await routing.getByLabel('Email address').fill('uma.pager@example.net');
    await routing.getByRole('button', { name: 'Add and send code' }).click();
    const mail = await until(async () => smtp.mails.find((m) => m.to.includes('uma.pager@example.net')), 15_000, 'the verification mail');
    const code = /code is (\d{6})/.exec(mail.data)![1]!;
    const row = routing.getByRole('row').filter({ hasText: 'uma.pager@example.net' });
    await expect.poll(() => row.innerText()).toContain('not verified');
    await row.getByLabel('Code sent to uma.pager@example.net').fill(code);
    await row.getByRole('button', { name: 'Verify' }).click();
    // "not verified" matches /verified/ too: wait for the mark to change, then check it.
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).not.toContain('not verified');
    expect(await row.innerText()).toMatch(/verified/);

    const prefs = routing.getByTestId('channel-preferences');
    await prefs.getByLabel('Email: lowest severity').selectOption('critical');
    await prefs.getByRole('checkbox', { name: 'SMS' }).uncheck();
    await prefs.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(async () => (await backend.api('GET', '/api/v1/channels/preferences', undefined, uma.token)).body.filter((p: any) => p.channel !== 'slack').map((p: any) => `${p.channel}:${p.enabled}:${p.minSeverity}`)).toEqual(['desktop:true:low', 'email:true:critical', 'sms:false:low']);
    await routing.scrollIntoViewIfNeeded();
    await screenshots(umaPage, '53-notification-preferences');

    // The verified address is paged for a critical alert; a high one no longer emails her.
    const policy = await backend.api('PUT', '/api/v1/escalation-policy', { levels: [{ name: 'Uma', afterMinutes: 0, userIds: [uma.id] }] }, admin.token);
    expect(policy.status).toBe(200);
    smtp.mails.length = 0;
    await backend.api('POST', '/api/v1/alerts', { name: 'API down', severity: 'critical', summary: 'api refuses connections' }, admin.token);
    await until(async () => smtp.mails.some((m) => m.to.includes('uma.pager@example.net') && m.data.includes('API down')), 15_000, 'the page at the verified address');
    const high = smtp.mails.length;
    await backend.api('POST', '/api/v1/alerts', { name: 'API slow', severity: 'high', summary: 'p99 over 2 s' }, admin.token);
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.mails.slice(high).filter((m) => m.to.some((t) => t.startsWith('uma')))).toEqual([]);
  }, 90_000);
});
