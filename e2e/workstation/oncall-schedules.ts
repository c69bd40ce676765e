import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { createUser, screenshots, until } from '../support';
import type { Session } from './session';

const ZONE = 'Europe/Berlin';

/**
 * An admin builds a weekly rotation of two, adds an override covering now, and sees the calendar,
 * who is on call in the status bar and the palette, a calendar feed that serves iCal, and the
 * policy editor's preview of who would be paged now.
 */
export async function oncallSchedules({ page, backend, admin, go }: Session): Promise<void> {
  await createUser(backend, {
    email: 'ana@example.com',
    password: 'orchid-harbour-5521',
    name: 'Ana Alves',
    role: 'oncall',
  });
  await createUser(backend, {
    email: 'ben@example.com',
    password: 'granite-swallow-8830',
    name: 'Ben Brandt',
    role: 'oncall',
  });
  await go('On-call');
  await page.getByRole('heading', { name: 'On-call' }).waitFor();
  await page.getByText('No schedules yet: create one.').waitFor();

  await page.getByRole('button', { name: 'New schedule' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Platform');
  await dialog.getByLabel('Time zone').fill('Mars/Olympus');
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await dialog.getByText(/not a time zone/).waitFor();
  await dialog.getByLabel('Time zone').fill(ZONE);
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await page.getByRole('heading', { name: `Platform (${ZONE})` }).waitFor();

  await page.getByRole('button', { name: 'Add rotation' }).click();
  dialog = page.getByRole('dialog');
  // Hand-offs at Monday 00:00 (the form's first hand-off date is this week's Monday): Ana's shift has begun whenever this runs.
  await dialog.getByLabel(`Hand-off time (${ZONE})`).fill('00:00');
  await dialog.getByLabel('Add a participant').selectOption({ label: 'Ana Alves (ana@example.com)' });
  await dialog.getByLabel('Add a participant').selectOption({ label: 'Ben Brandt (ben@example.com)' });
  await expect
    .poll(() => dialog.locator('ol li').allInnerTexts())
    .toEqual([expect.stringContaining('Ana Alves'), expect.stringContaining('Ben Brandt')]);
  await dialog.getByRole('button', { name: 'Add rotation' }).click();
  await dialog.waitFor({ state: 'detached' });
  // This week is Ana's, in the layer row and the final row.
  await expect
    .poll(() => page.getByTestId('cal-shift').filter({ hasText: 'Ana Alves' }).count())
    .toBeGreaterThanOrEqual(2);
  await expect.poll(() => page.getByTestId('oncall-now').innerText()).toContain('Ana Alves (Platform)');

  // "Ben covers Ana" from the start of this hour for three hours: he is on call now.
  const from = DateTime.now().setZone(ZONE).startOf('hour');
  await page.getByRole('button', { name: 'Add override' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Who covers').selectOption({ label: 'Ben Brandt' });
  await dialog.getByLabel('For whom (optional)').selectOption({ label: 'Ana Alves' });
  await dialog.getByLabel(`From (${ZONE})`).fill(from.toFormat("yyyy-MM-dd'T'HH:mm"));
  await dialog.getByLabel(`Until (${ZONE})`).fill(from.plus({ hours: 3 }).toFormat("yyyy-MM-dd'T'HH:mm"));
  await dialog.getByRole('button', { name: 'Add override' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.cal-shift.override', { hasText: 'Ben Brandt' }).waitFor();
  await expect.poll(() => page.getByTestId('oncall-now').innerText()).toContain('Ben Brandt (Platform)');
  await expect.poll(() => page.getByTestId('schedule-now').innerText()).toContain('On call now: Ben Brandt');

  await page.getByRole('button', { name: 'New calendar feed link' }).click();
  const url = await until(
    async () =>
      (await page
        .getByLabel('Calendar feed address (iCal)')
        .inputValue()
        .catch(() => '')) || null,
    10_000,
    'the feed address',
  );
  expect(url).toMatch(/\/api\/v1\/oncall\/feeds\/[A-Za-z0-9_-]+\.ics$/);
  const ics = await fetch(url); // a calendar app's request: no sign-in, the token is the credential
  expect(ics.status).toBe(200);
  await expect(ics.text()).resolves.toMatch(/BEGIN:VCALENDAR[\s\S]*SUMMARY:On call: Ben Brandt/);
  await page
    .getByRole('region', { name: 'Schedule Platform' })
    .getByRole('heading', { name: /Platform/ })
    .scrollIntoViewIfNeeded();
  await screenshots(page, '21-oncall-schedule');

  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill('who is on call');
  await page.getByRole('combobox').press('Enter');
  await page.locator('.toasts .toast', { hasText: 'On call: Ben Brandt (Platform)' }).waitFor();

  // The default policy's first level also pages whoever the Platform schedule has on call.
  await page.getByRole('tab', { name: 'Escalation policies' }).click();
  const editor = page.getByRole('form', { name: 'Policy editor' });
  await editor.waitFor();
  const preview = page.getByTestId('policy-preview');
  await expect.poll(() => preview.innerText()).toMatch(/On-call engineer[\s\S]*Ana Alves \(role:oncall\)/);
  await editor
    .getByRole('group', { name: 'Level 1' })
    .getByRole('group', { name: 'Schedules' })
    .getByLabel('Platform')
    .check();
  await editor.getByRole('button', { name: 'Save policy' }).click();
  await expect.poll(() => preview.innerText()).toContain('Ben Brandt (role:oncall, schedule:Platform)');
  const policy = await backend.api('GET', '/api/v1/escalation-policies/default', undefined, admin.token);
  expect(policy.body.levels[0].scheduleIds).toHaveLength(1);
  await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
  await screenshots(page, '22-policy-editor');
}
