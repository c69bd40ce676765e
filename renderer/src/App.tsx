import { useEffect } from 'react';
import { FirstRun } from './features/auth/FirstRun';
import { Login } from './features/auth/Login';
import { Shell } from './features/shell/Shell';
import { useSession } from './features/auth/session';
import { setPalette, syncRouteFromLocation, useUi } from './features/shell/ui';

export function App() {
  const booted = useSession((s) => s.booted);
  const bootError = useSession((s) => s.bootError);
  const status = useSession((s) => s.session.status);

  useEffect(() => {
    const onHash = () => syncRouteFromLocation();
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPalette(!useUi.getState().paletteOpen);
      }
    };
    window.addEventListener('popstate', onHash);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('popstate', onHash);
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  if (!booted)
    return (
      <div className="center-page" role="status">
        <span>
          <span className="spinner" aria-hidden /> Starting OpsDesk…
        </span>
      </div>
    );
  if (bootError)
    return (
      <div className="center-page">
        <div className="card">
          <h1>OpsDesk could not start</h1>
          <div className="alert-box error" role="alert">
            {bootError}
          </div>
          <p>
            <button onClick={() => location.reload()}>Reload</button>
          </p>
        </div>
      </div>
    );
  if (status === 'no_profile') return <FirstRun />;
  if (status !== 'signed_in') return <Login />;
  return <Shell />;
}
