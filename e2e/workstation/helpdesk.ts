import { expect } from 'vitest';
import { screenshots, until } from '../support';
import { ADMIN, type Session } from './session';

/** First run connects to a server, shows clear errors, and signs in. */
export async function firstRun({ page, backend, host }: Session): Promise<void> {
  await page.goto(host.host.openUrl);
  await page.getByRole('heading', { name: 'Welcome to OpsDesk' }).waitFor();
  await screenshots(page, '01-first-run');
  await page.getByRole('button', { name: /Connect to a server/ }).click();
  const url = page.getByLabel('Server URL');
  await url.fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect
    .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
    .toMatch(/cannot be reached|not like an OpsDesk server/);

  await url.fill(backend.url);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password.');
  await screenshots(page, '02-login-error');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await expect
    .poll(() => page.getByTestId('online-state').textContent(), { timeout: 15_000 })
    .toContain('Online');
}

/** Lists the synced queue and works a ticket: reply, assign, resolve, seen on the server. */
export async function worksTicket({ page, backend, admin, invoke }: Session): Promise<void> {
  await expect
    .poll(() => page.getByTestId('ticket-total').textContent(), { timeout: 30_000 })
    .toBe('150 tickets');
  await page.locator('.grid-row[data-number]').first().waitFor();
  await screenshots(page, '03-queues');
  // The keychain fallback notice (no Secret Service here) is shown once; dismiss it as a user would.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.first().click();

  // Keyboard: j moves, Enter opens.
  await page.getByTestId('ticket-list').focus();
  await page.keyboard.press('j');
  const number = await page.locator('.grid-row[aria-selected="true"]').getAttribute('data-number');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: new RegExp(`#${number}`) }).waitFor();

  await page.getByPlaceholder('Reply to the requester…').fill('Thanks, we are on it.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByTestId('public-reply').filter({ hasText: 'Thanks, we are on it.' }).waitFor();
  await page.getByLabel('Internal note').check();
  await page.getByPlaceholder(/Internal note/).fill('Checked the logs; printer driver.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByTestId('internal-note').filter({ hasText: 'printer driver' }).waitFor();
  // Assign: to nobody first (seeded tickets may already be Ada's), then to me.
  await page.getByLabel(/^Assignee/).selectOption('');
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await page.getByRole('button', { name: 'Resolve' }).click();
  await screenshots(page, '04-ticket-detail');

  const ticket = (await invoke('tickets.get', { number: Number(number) })) as any;
  const id = ticket.value.ticket.id as string;
  const server = await until(
    async () => {
      const t = await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token);
      return t.body?.status === 'resolved' && t.body?.assigneeId === admin.id ? t.body : null;
    },
    20_000,
    'the ticket to be resolved and assigned on the server',
  );
  expect(server.status).toBe('resolved');
  const comments = await backend.api('GET', `/api/v1/tickets/${id}/comments`, undefined, admin.token);
  const list = (Array.isArray(comments.body) ? comments.body : comments.body.items) as {
    body: string;
    visibility: string;
  }[];
  expect(list).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ body: 'Thanks, we are on it.', visibility: 'public' }),
      expect.objectContaining({ body: 'Checked the logs; printer driver.', visibility: 'internal' }),
    ]),
  );
}

const ticketId = async (invoke: Session['invoke'], number: number) => ((await invoke('tickets.get', { number })) as any).value.ticket.id as string;

/** The server stops; the app notices at its next sync and says Offline. */
async function goOffline({ page, backend, invoke }: Pick<Session, 'page' | 'backend' | 'invoke'>): Promise<void> {
  await backend.stop();
  await invoke('sync.now');
  await expect
    .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
    .toContain('Offline');
}

/** Edits offline, marks the edit pending, and syncs it when the server is back. */
export async function editsOffline({ page, backend, admin, invoke }: Session): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.grid-row[data-number]').nth(3).waitFor();
  const number = Number(await page.locator('.grid-row[data-number]').nth(3).getAttribute('data-number'));
  const id = await ticketId(invoke, number);

  await goOffline({ page, backend, invoke });

  await page.locator(`.grid-row[data-number="${number}"]`).dblclick();
  await page.getByLabel(/^Priority/).selectOption('critical');
  await page.getByTestId('pending-badge').waitFor();
  await expect.poll(() => page.getByTestId('outbox-button').textContent()).toMatch(/[1-9]\d* pending/);
  await page.getByTestId('outbox-button').click();
  await page.getByTestId('outbox-item').first().waitFor();
  await screenshots(page, '05-outbox-offline');
  await page.getByRole('button', { name: 'Close' }).click();

  await backend.start();
  await invoke('sync.now');
  await expect
    .poll(() => page.getByTestId('outbox-button').textContent(), { timeout: 30_000 })
    .toContain('Outbox empty');
  await page.getByTestId('pending-badge').waitFor({ state: 'detached', timeout: 15_000 });
  const server = await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token);
  expect(server.body.priority).toBe('critical');
}

/** A same-field conflict opens the dialog with both values; keep mine wins on the server. */
export async function sameFieldConflict({ page, backend, admin, invoke }: Session): Promise<void> {
  // We are on the ticket edited above (priority critical, synced). Go offline, change the
  // priority here, and change the same field on the server before this client replays.
  const number = Number((await page.evaluate(() => location.hash)).split('/')[2]);
  const id = await ticketId(invoke, number);
  await goOffline({ page, backend, invoke });
  await page.getByRole('combobox', { name: /^Priority/ }).selectOption('low');
  await page.getByTestId('pending-badge').waitFor();

  await backend.behindTheAppsBack(async (api) => {
    const current = (await api('GET', `/api/v1/tickets/${id}`, undefined, admin.token)).body;
    const theirs = await api(
      'PATCH',
      `/api/v1/tickets/${id}`,
      { priority: 'high', version: current.version },
      admin.token,
    );
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
  });
  await backend.start();
  await invoke('sync.now');
  const dialog = page.getByRole('dialog', { name: 'Conflicting change' });
  await dialog.waitFor({ timeout: 30_000 });
  await expect.poll(() => dialog.textContent()).toMatch(/Priority.*low.*high/i);
  await screenshots(page, '05b-conflict');
  await dialog.getByRole('button', { name: 'Keep mine' }).click();
  await until(
    async () =>
      (await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token)).body?.priority ===
      'low',
    20_000,
    'my value to win on the server',
  );
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
}
