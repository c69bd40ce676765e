import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedTickets } from '../../backend/src/tickets/seed-tickets';
import { createUser, launchChromium, startBackend, startBrowserHost, type Backend, type Host } from '../support';

export const ADMIN = {
  email: 'ada@example.com',
  password: 'quartz-lantern-velvet-42',
  name: 'Ada Admin',
  role: 'admin' as const,
};

/** One person's session at the workstation: the backend, the browser host and the page, shared by every step. */
export interface Session {
  backend: Backend;
  admin: { id: string; token: string };
  host: Host;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** window.opsdesk.invoke from the page, as the renderer calls it. */
  invoke(channel: string, payload?: unknown): Promise<any>;
  /** Clicks a screen in the main navigation. */
  go(label: string): Promise<void>;
}

export async function openSession(): Promise<Session> {
  const backend = await startBackend();
  const admin = await createUser(backend, ADMIN);
  await seedTickets(backend.server.services, { tickets: 150, log: () => undefined });
  const host = await startBrowserHost();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  await context.grantPermissions(['notifications'], { origin: host.host.url });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return {
    backend,
    admin,
    host,
    browser,
    context,
    page,
    invoke: (channel, payload) => page.evaluate(([c, p]) => (window as any).opsdesk.invoke(c, p), [channel, payload] as const),
    go: async (label) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: false }).first().click();
    },
  };
}

export async function closeSession(s: Session | undefined): Promise<void> {
  await s?.browser.close();
  await s?.host.close();
  await s?.backend.stop().catch((err: unknown) => console.error('backend stop failed:', err));
}
