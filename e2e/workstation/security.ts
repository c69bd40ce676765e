import { expect } from 'vitest';
import { screenshots } from '../support';
import type { Session } from './session';

const DAY = 86_400_000;

/**
 * An admin issues an API token with the default lifetime and sees its expiry and last use; Settings
 * keeps saying where sign-in tokens are (the browser host has no keychain here: the fallback file,
 * not protected by the OS).
 */
export async function apiTokenAndKeychainNotice({ page, go, backend, invoke }: Session): Promise<void> {
  await go('Admin');
  await page.getByRole('heading', { name: 'Admin', exact: true }).waitFor();
  await page.getByRole('tab', { name: 'API tokens' }).click();
  const panel = page.getByRole('tabpanel', { name: 'API tokens' });
  await expect.poll(() => panel.getByLabel('Lifetime').inputValue()).toBe('90');
  await panel.getByLabel('Token name').fill('grafana-e2e');
  await panel.getByRole('button', { name: 'Create token' }).click();
  const shown = panel.getByRole('status').filter({ hasText: 'Copy the token now' });
  await shown.waitFor();
  const secret = (await shown.locator('code').textContent())!.trim();
  expect(secret).toMatch(/^odk_/);

  const row = panel.getByRole('row').filter({ hasText: 'grafana-e2e' });
  await expect.poll(() => row.textContent()).toContain('Never used');
  const tokens = (await invoke('api.apiTokens.list')) as { ok: true; value: { name: string; createdAt: number; expiresAt: number }[] };
  const made = tokens.value.find((t) => t.name === 'grafana-e2e')!;
  expect(made.expiresAt - made.createdAt).toBe(90 * DAY);
  const expires = row.getByRole('cell').nth(3);
  expect(await expires.textContent()).toContain(String(new Date(made.expiresAt).getFullYear()));
  expect(await expires.textContent()).not.toContain('Never');

  // "Never" is a choice, with a warning, not the default.
  await panel.getByLabel('Lifetime').selectOption('never');
  await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/never expires/i);
  await panel.getByLabel('Lifetime').selectOption('90');

  // The token is used once: the table shows when.
  expect((await backend.api('GET', '/api/v1/sync/changes', undefined, secret)).status).toBe(200);
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('tab', { name: 'API tokens' }).click();
  await expect.poll(() => row.textContent()).not.toContain('Never used');
  await screenshots(page, '21-api-token-created');

  await go('Settings');
  await page.getByRole('heading', { name: 'Sign-in tokens' }).waitFor();
  const storage = page.getByTestId('secret-storage');
  await storage.waitFor();
  const info = (await invoke('app.info', {})) as { value: { secretStorage: { kind: string } } };
  const kind = info.value.secretStorage.kind;
  if (kind === 'encrypted-file') {
    expect(await storage.textContent()).toMatch(/OS keychain is not available.*not protected by the OS/s);
  } else {
    expect(await storage.textContent()).toContain('kept in the OS keychain');
  }
  await storage.scrollIntoViewIfNeeded();
  await screenshots(page, '22-settings-sign-in-tokens');
}
