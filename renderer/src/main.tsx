import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import './helpdesk.css';
import { App } from './App';
import { hasBridge } from './api';
import { wireEvents } from './events';
import { applyTheme, boot, useSession } from './features/auth/session';

applyTheme('system');

/** The host's bridge may attach window.opsdesk after this script runs: wait briefly for it. */
async function waitForBridge(timeoutMs = 10_000): Promise<boolean> {
  const start = performance.now();
  while (!hasBridge()) {
    if (performance.now() - start > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ready = (window.opsdesk as unknown as { ready?: Promise<unknown> }).ready;
  if (ready) await ready;
  return true;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void waitForBridge().then((ok) => {
  if (!ok) {
    useSession.setState({
      booted: true,
      bootError:
        'The desktop bridge (window.opsdesk) did not load. Open OpsDesk from the app or the URL printed by `npm run host`.',
    });
    return;
  }
  wireEvents();
  void boot();
});
