import { generateSync } from 'otplib';
import { expect } from 'vitest';
import { createUser, screenshots } from '../support';
import type { Session } from './session';

/** Every other main screen renders (screenshots in light and dark). */
export async function otherScreens({ page, go }: Session): Promise<void> {
  for (const [label, heading, name] of [
    ['Incidents', 'Incidents', '15-incidents'],
    ['Runbooks', 'Runbooks', '16-runbooks'],
    ['Admin', 'Admin', '17-admin'],
    ['Settings', 'Settings', '18-settings'],
  ] as const) {
    await go(label);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await page.waitForTimeout(400);
    await screenshots(page, name);
  }
  // The browser host's core runs on this Node; Settings says so.
  expect(await page.getByTestId('runtime').textContent()).toBe(`Browser host · Node.js ${process.versions.node}`);
}

/** Signs in with the MFA step, with a clear error for a wrong code. */
export async function mfaSignIn({ page, backend }: Session): Promise<void> {
  const mia = await createUser(backend, {
    email: 'mia@example.com',
    password: 'meadow-signal-copper-58',
    name: 'Mia Agent',
    role: 'agent',
  });
  const enrol = await backend.api<{ secret: string }>('POST', '/api/v1/me/mfa/enrol', { currentPassword: 'meadow-signal-copper-58' }, mia.token);
  const code = (offsetSteps: number) =>
    generateSync({ secret: enrol.body.secret, epoch: Math.floor((Date.now() + offsetSteps * 30_000) / 1000) });
  expect(
    (await backend.api('POST', '/api/v1/me/mfa/confirm', { code: code(-1) }, mia.token)).status,
  ).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor();
  await page.getByLabel('Email').fill('mia@example.com');
  await page.getByLabel('Password').fill('meadow-signal-copper-58');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('That code is not valid.');
  await screenshots(page, '19-mfa-step');
  await page.getByLabel('Authentication code').fill(code(0));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await expect.poll(() => page.locator('footer').textContent()).toContain('Mia Agent');
  // Agents have no Admin screen.
  expect(
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).count(),
  ).toBe(0);
}
