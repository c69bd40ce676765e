import { useState } from 'react';
import { ErrorBox } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { authMessage } from './authMessage';
import { Logo } from './Logo';
import { connectServer, createLocalWorkspace } from './session';

export function FirstRun({ onCancel }: { onCancel?: () => void }) {
  const [mode, setMode] = useState<'local' | 'server'>('local');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [url, setUrl] = useState('https://');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mismatch = mode === 'local' && password2.length > 0 && password !== password2;
  const tooShort = mode === 'local' && password.length > 0 && password.length < 12;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'local') {
        await createLocalWorkspace({ adminEmail: email, adminName: name, adminPassword: password });
      } else {
        await connectServer(url);
      }
    } catch (err) {
      setError(authMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="center-page">
      <form className="card form" onSubmit={submit} aria-labelledby="fr-title" style={{ maxWidth: 480 }}>
        <h1 id="fr-title">
          <Logo /> Welcome to OpsDesk
        </h1>
        <p className="muted" style={{ margin: 0 }}>
          Choose where your work lives. You can add more server profiles later in Settings.
        </p>
        <div className="choice" role="group" aria-label="Workspace type">
          <button type="button" aria-pressed={mode === 'local'} onClick={() => setMode('local')}>
            <strong>Local workspace</strong>
            <br />
            <span className="muted">Runs on this computer</span>
          </button>
          <button type="button" aria-pressed={mode === 'server'} onClick={() => setMode('server')}>
            <strong>Connect to a server</strong>
            <br />
            <span className="muted">Your team&apos;s OpsDesk</span>
          </button>
        </div>
        {mode === 'local' ? (
          <>
            <TextField label="Your name" required value={name} onChange={setName} autoComplete="name" />
            <TextField
              label="Admin email"
              required
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="username"
            />
            <label>
              Admin password
              <input
                required
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                aria-invalid={tooShort}
                aria-describedby="pw-hint"
              />
              <span id="pw-hint" className={tooShort ? 'field-error' : 'field-hint'}>
                At least 12 characters.
              </span>
            </label>
            <label>
              Repeat password
              <input
                required
                type="password"
                value={password2}
                onChange={(e) => setPassword2(e.target.value)}
                autoComplete="new-password"
                aria-invalid={mismatch}
              />
              {mismatch && <span className="field-error">The passwords differ.</span>}
            </label>
          </>
        ) : (
          <label>
            Server URL
            <input
              required
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://opsdesk.example.com"
              aria-describedby="url-hint"
            />
            <span id="url-hint" className="field-hint">
              http(s) address of the OpsDesk server.
            </span>
          </label>
        )}
        <ErrorBox error={error} />
        <div className="row end">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Back
            </button>
          )}
          <button className="primary" type="submit" disabled={busy}>
            {busy
              ? mode === 'local'
                ? 'Starting the workspace…'
                : 'Checking the server…'
              : mode === 'local'
                ? 'Create workspace'
                : 'Connect'}
          </button>
        </div>
      </form>
    </main>
  );
}
